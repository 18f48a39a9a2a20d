/**
 * The Schema Registry decoder of the record decoder chain (`OUTPUT_DECODERS.with(decoder)`): it
 * takes keys and values in the Confluent wire format whose schema is known (fetched beforehand by
 * the caller: decoding is synchronous) and decodes them with that schema. Bytes it cannot decode
 * fall through to the rest of the chain (printed raw); the caller hears why, once per schema id.
 * Pure: the codecs come from outside.
 */
import {Buffer} from 'node:buffer'

import {DecoderChain, type FieldBytes, type FieldDecoder, OUTPUT_DECODERS, decodeField} from './record-decoders.js'
import type {ConsumedRecord} from './record.js'
import {jsonSafe, parseWireFrame, type SchemaType} from './schema-wire.js'

/** A schema ready to decode (and encode) data: built by the caller from the registry's answer. */
export interface SchemaCodec {
  readonly id: number
  readonly type: SchemaType
  /** The subject (and version) the id is registered under, when the registry says. */
  readonly subject?: string
  readonly version?: number
  /** Every subject the id is registered under (one schema can be registered under several). */
  readonly subjects?: readonly string[]
  /** Decodes what follows the 5-byte header; throws when the bytes do not fit the schema. */
  decode(payload: Buffer): unknown
}

/** A key or value decoded with its schema. `value` is JSON-safe (see jsonSafe). */
export interface SchemaDecoded {
  schemaId: number
  type: SchemaType
  subject?: string
  value: unknown
}

export const SCHEMA_DECODER_NAME = 'schema-registry'

/** What the caller is told when wire-format bytes cannot be decoded. */
export interface SchemaProblem {
  schemaId: number
  reason: string
}

export class SchemaFieldDecoder implements FieldDecoder {
  readonly name = SCHEMA_DECODER_NAME
  private readonly results = new WeakMap<FieldBytes, SchemaDecoded | null>()

  /**
   * @param codec the schema of an id: a codec, or null when it could not be had (already reported)
   * @param onProblem told each time bytes of a known schema do not decode
   */
  constructor(
    private readonly codec: (schemaId: number) => SchemaCodec | null | undefined,
    private readonly onProblem: (problem: SchemaProblem) => void = () => {},
  ) {}

  canDecode(field: FieldBytes): boolean {
    return this.attempt(field) !== null
  }

  decode(field: FieldBytes): SchemaDecoded {
    const decoded = this.attempt(field)
    if (decoded === null) throw new RangeError('not decodable with a registry schema')
    return decoded
  }

  private attempt(field: FieldBytes): SchemaDecoded | null {
    const cached = this.results.get(field)
    if (cached !== undefined) return cached
    let result: SchemaDecoded | null = null
    const frame = parseWireFrame(field.bytes)
    const codec = frame === undefined ? undefined : this.codec(frame.schemaId)
    if (frame !== undefined && codec) {
      try {
        const subject = subjectFor(codec, field.record?.topic)
        result = {schemaId: codec.id, type: codec.type, ...(subject === undefined ? {} : {subject}), value: jsonSafe(codec.decode(frame.payload))}
      } catch (error) {
        this.onProblem({schemaId: frame.schemaId, reason: `does not decode with its ${codec.type} schema: ${(error as Error).message.split('\n')[0]}`})
      }
    }
    this.results.set(field, result)
    return result
  }
}

/**
 * The subject to show for a schema: the record's topic's (TopicNameStrategy, `<topic>-value` or
 * `<topic>-key`) when the schema is registered under it, else the first the registry named.
 */
function subjectFor(codec: SchemaCodec, topic: string | undefined): string | undefined {
  if (topic !== undefined && codec.subjects !== undefined) {
    const own = codec.subjects.find((s) => s === `${topic}-value` || s === `${topic}-key`)
    if (own !== undefined) return own
  }
  return codec.subject
}

/** A record's key and value as the schema decoder made them (absent: not decoded, shown raw). */
export interface RecordSchemas {
  key?: SchemaDecoded
  value?: SchemaDecoded
}

/** The output chain with the schema decoder asked first. */
export function schemaOutputChain(decoder: SchemaFieldDecoder): DecoderChain<FieldBytes> {
  return OUTPUT_DECODERS.with(decoder)
}

/** Decodes a record's key and value with a chain whose first decoder is the schema decoder. */
export function decodeRecordSchemas(chain: DecoderChain<FieldBytes>, record: ConsumedRecord): RecordSchemas {
  const out: RecordSchemas = {}
  for (const which of ['key', 'value'] as const) {
    const decoded = decodeField(chain, record[which], record)
    if (decoded?.decoder === SCHEMA_DECODER_NAME) out[which] = decoded.value as SchemaDecoded
  }
  return out
}

/**
 * The record as templates and --where see it: a decoded key or value replaced by its JSON text
 * (so %v prints the decoded value and `value.field` filters on it); the rest as it is.
 */
export function decodedView(record: ConsumedRecord, schemas: RecordSchemas): ConsumedRecord {
  if (schemas.key === undefined && schemas.value === undefined) return record
  return {
    ...record,
    key: schemas.key === undefined ? record.key : Buffer.from(JSON.stringify(schemas.key.value), 'utf8'),
    value: schemas.value === undefined ? record.value : Buffer.from(JSON.stringify(schemas.value.value), 'utf8'),
  }
}
