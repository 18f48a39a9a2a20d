/**
 * The record decoder chain of `consume` and `dlq inspect`, like kafkactl's deserializer chain: each
 * decoder says whether it can decode some bytes and decodes them; a chain asks its decoders in
 * order and the first that can decodes. Today: JSON, UTF-8 text and raw bytes for keys, values and
 * header values, and the DLQ envelope for whole records (dlq.ts). A Schema Registry decoder will
 * go in front of a chain (`chain.with(decoder)`): it sees the record, so it knows the topic. Pure.
 */
import {type Buffer, isUtf8} from 'node:buffer'
import type {ConsumedRecord} from './record.js'

/** Which decoder decoded the bytes, and what it made of them. */
export interface Decoded {
  decoder: string
  value: unknown
}

/**
 * Bytes to decode (a key, value or header value) with the record they belong to. Their UTF-8 text
 * and JSON parse are worked out at most once, whichever decoders ask.
 */
export class FieldBytes {
  private decodedText?: string | null
  private parsedJson?: {ok: true; value: unknown} | {ok: false}

  constructor(
    readonly bytes: Buffer,
    readonly record?: ConsumedRecord,
  ) {}

  /** The UTF-8 text, or null when the bytes are not UTF-8 (overlong forms and surrogates included). */
  text(): string | null {
    if (this.decodedText === undefined) {
      // Decoding first and checking only when a replacement character shows up saves a second pass.
      const decoded = this.bytes.toString('utf8')
      this.decodedText = decoded.includes('\uFFFD') && !isUtf8(this.bytes) ? null : decoded
    }
    return this.decodedText
  }

  /** The text parsed as JSON, when it is a JSON document. */
  json(): {ok: true; value: unknown} | {ok: false} {
    if (this.parsedJson === undefined) this.parsedJson = parseJsonText(this.text())
    return this.parsedJson
  }
}

function parseJsonText(text: string | null): {ok: true; value: unknown} | {ok: false} {
  if (text === null) return {ok: false}
  // Only text that can start a JSON document is tried: plain text is common and a throw is slow.
  let i = 0
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 9)) i++
  const first = text.charCodeAt(i)
  const jsonStart = first === 123 || first === 91 || first === 34 || first === 45 || (first >= 48 && first <= 57) || first === 116 || first === 102 || first === 110
  if (!jsonStart) return {ok: false}
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch {
    return {ok: false}
  }
}

export interface Decoder<In> {
  readonly name: string
  canDecode(input: In): boolean
  decode(input: In): unknown
}

/** Bytes of a key, value or header value. */
export type FieldDecoder = Decoder<FieldBytes>

/** A JSON document (object, array, string, number, boolean, null): its parsed value. */
export const jsonDecoder: FieldDecoder = {
  name: 'json',
  canDecode: (field) => field.json().ok,
  decode: (field) => (field.json() as {value: unknown}).value,
}

/** UTF-8 text: the string. */
export const utf8Decoder: FieldDecoder = {
  name: 'utf8',
  canDecode: (field) => field.text() !== null,
  decode: (field) => field.text(),
}

/** Any bytes: the bytes themselves (the last decoder of every chain). */
export const bytesDecoder: FieldDecoder = {
  name: 'bytes',
  canDecode: () => true,
  decode: (field) => field.bytes,
}

export class DecoderChain<In> {
  constructor(readonly decoders: ReadonlyArray<Decoder<In>>) {}

  /** The first decoder that can decode the input decodes it; undefined when none can. */
  decode(input: In): Decoded | undefined {
    for (const decoder of this.decoders) if (decoder.canDecode(input)) return {decoder: decoder.name, value: decoder.decode(input)}
    return undefined
  }

  /** This chain with `decoder` asked first (e.g. a Schema Registry decoder). */
  with(decoder: Decoder<In>): DecoderChain<In> {
    return new DecoderChain([decoder, ...this.decoders])
  }
}

/** Output (consume -o json, dlq inspect samples): text as text, anything else as bytes (base64). */
export const OUTPUT_DECODERS = new DecoderChain<FieldBytes>([utf8Decoder, bytesDecoder])

/** --where: JSON when it is JSON, else the text, else the bytes (which the filter sees as null). */
export const FILTER_DECODERS = new DecoderChain<FieldBytes>([jsonDecoder, utf8Decoder, bytesDecoder])

/** Decodes nullable field bytes with a chain whose last decoder takes any bytes; null stays null. */
export function decodeField(chain: DecoderChain<FieldBytes>, bytes: Buffer | null, record?: ConsumedRecord): Decoded | null {
  if (bytes === null) return null
  const decoded = chain.decode(new FieldBytes(bytes, record))
  if (decoded === undefined) throw new RangeError('the decoder chain has no decoder for these bytes')
  return decoded
}
