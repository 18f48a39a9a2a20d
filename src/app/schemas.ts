/**
 * Use cases of the Schema Registry: decoding consumed records (consume, dlq inspect), encoding
 * produce input, and `kafkit schemas list|get|check`. The registry is reached through the
 * registry adapter (src/registry); decoding itself is the pure core's (core/schema-decoder).
 */
import type {SchemaRegistrySpec} from '../core/contexts.js'
import {decodeWithDlqDecoders} from '../core/dlq.js'
import {decodeField, type DecoderChain, type FieldBytes} from '../core/record-decoders.js'
import type {ConsumedRecord} from '../core/record.js'
import {
  decodeRecordSchemas,
  decodedView,
  SCHEMA_DECODER_NAME,
  SchemaFieldDecoder,
  schemaOutputChain,
  type RecordSchemas,
  type SchemaDecoded,
  type SchemaProblem,
} from '../core/schema-decoder.js'
import {parseWireFrame, SCHEMA_TYPES, type SchemaType} from '../core/schema-wire.js'
import {forEachConcurrently} from '../core/concurrency.js'
import type {Problem} from '../core/problem.js'
import type {DesiredTopic} from '../core/topics-spec.js'
import {KafkitError} from '../errors.js'
import {registryConnection, RegistryHttpError, SchemaRegistryClient, type RegistrySchema} from '../registry/client.js'
import {compileSchema, type SchemaEncoder} from './schema-codecs.js'

export type ResolvedRegistry = SchemaRegistrySpec & {source: string}
export type {SchemaRegistryClient}

/** The client for a resolved registry (credentials read now, from env vars or files). */
export function openSchemaRegistry(spec: ResolvedRegistry, timeoutMs: number): SchemaRegistryClient {
  return new SchemaRegistryClient(registryConnection(spec, timeoutMs))
}

function schemaType(raw: string | undefined): SchemaType {
  const type = (raw ?? 'AVRO').toUpperCase() as SchemaType
  return SCHEMA_TYPES.includes(type) ? type : 'AVRO'
}

// ---------------------------------------------------------------------------------------------
// decoding

/**
 * Schemas by id for one run: each id is fetched once (one GET, plus one for its subject), a
 * failure is remembered (null) and reported once, so a run with a missing schema prints its
 * records raw with one warning rather than one per record.
 */
export class SchemaCache {
  private readonly codecs = new Map<number, SchemaEncoder | null>()
  private readonly inflight = new Map<number, Promise<void>>()
  private readonly warned = new Set<number>()
  /** GET requests sent, by kind (what tests count). */
  readonly requests = {schemas: 0}

  constructor(
    private readonly client: SchemaRegistryClient,
    private readonly warn: (line: string) => void,
  ) {}

  get(id: number): SchemaEncoder | null | undefined {
    return this.codecs.get(id)
  }

  /**
   * Fetches and compiles the schemas of ids not seen yet (a few at a time). Batches prepared at
   * the same time (several partitions) share one request per id.
   */
  async prefetch(ids: Iterable<number>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.codecs.has(id))
    const missing = wanted.filter((id) => !this.inflight.has(id))
    const others = wanted.filter((id) => this.inflight.has(id)).map((id) => this.inflight.get(id))
    await Promise.all([
      ...others,
      forEachConcurrently(missing, 4, async (id) => {
        const fetched = this.fetch(id).then((codec) => {
          this.codecs.set(id, codec)
        })
        this.inflight.set(id, fetched)
        await fetched
        this.inflight.delete(id)
      }),
    ])
  }

  private async fetch(id: number): Promise<SchemaEncoder | null> {
    try {
      this.requests.schemas++
      const found = await this.client.schemaById(id)
      const registered = await this.client.idVersions(id).catch(() => [])
      const where = registered[0]
      const subjects = registered.map((r) => r.subject)
      return await compileSchema({id, type: schemaType(found.schemaType), schema: found.schema, subject: where?.subject, version: where?.version, subjects})
    } catch (error) {
      const reason = error instanceof RegistryHttpError && error.notFound ? `schema id ${id} is not in ${this.client.url} (deleted?)` : (error as Error).message
      this.problem({schemaId: id, reason})
      return null
    }
  }

  /** One line per schema id, the first time it has a problem. */
  problem({schemaId, reason}: SchemaProblem): void {
    if (this.warned.has(schemaId)) return
    this.warned.add(schemaId)
    this.warn(`${reason.startsWith('schema id') ? reason : `schema id ${schemaId}: ${reason}`}; records with schema id ${schemaId} are printed raw`)
  }
}

/** The schema ids of the keys and values in the wire format among `records`. */
export function wireSchemaIds(records: Iterable<ConsumedRecord>): Set<number> {
  const ids = new Set<number>()
  for (const record of records) {
    const key = parseWireFrame(record.key)
    const value = parseWireFrame(record.value)
    if (key !== undefined) ids.add(key.schemaId)
    if (value !== undefined) ids.add(value.schemaId)
  }
  return ids
}

/**
 * Registry decoding for a stream of records: `prepare` a batch (fetch its new schema ids) before
 * `decode` (synchronous) meets its records. The last record's result is kept, since the filter
 * and the renderer ask about the same record in turn.
 */
export class RecordSchemaDecoding {
  readonly cache: SchemaCache
  readonly chain: DecoderChain<FieldBytes>
  private last?: {record: ConsumedRecord; schemas: RecordSchemas}

  constructor(client: SchemaRegistryClient, warn: (line: string) => void) {
    this.cache = new SchemaCache(client, warn)
    this.chain = schemaOutputChain(new SchemaFieldDecoder((id) => this.cache.get(id), (p) => this.cache.problem(p)))
  }

  prepare(records: readonly ConsumedRecord[]): Promise<void> {
    return this.cache.prefetch(wireSchemaIds(records))
  }

  decode(record: ConsumedRecord): RecordSchemas {
    if (this.last?.record === record) return this.last.schemas
    const schemas = decodeRecordSchemas(this.chain, record)
    this.last = {record, schemas}
    return schemas
  }

  /** A DLQ batch: the schemas of the DLQ records' keys and values and of the original ones inside envelopes. */
  prepareDlq(records: readonly ConsumedRecord[]): Promise<void> {
    const ids = wireSchemaIds(records)
    for (const record of records) {
      const decoded = decodeWithDlqDecoders(record)
      if (!decoded.ok) continue
      for (const bytes of [decoded.failure.key, decoded.failure.value]) {
        const frame = parseWireFrame(bytes)
        if (frame !== undefined) ids.add(frame.schemaId)
      }
    }
    return this.cache.prefetch(ids)
  }

  /** Some bytes of a record (a DLQ record's original key or value) decoded with their schema. */
  decodeBytes(bytes: Buffer | null, record: ConsumedRecord): SchemaDecoded | undefined {
    const decoded = decodeField(this.chain, bytes, record)
    return decoded?.decoder === SCHEMA_DECODER_NAME ? (decoded.value as SchemaDecoded) : undefined
  }

  /** The record with decoded key/value as JSON text (templates, --where). */
  view(record: ConsumedRecord): ConsumedRecord {
    return decodedView(record, this.decode(record))
  }
}

// ---------------------------------------------------------------------------------------------
// schemas list | get | check

export interface SubjectRow {
  subject: string
  versions: number[]
  latest: {version: number; id: number; type: SchemaType}
}

export async function listSubjects(client: SchemaRegistryClient, prefix?: string): Promise<SubjectRow[]> {
  const subjects = (await client.subjects()).filter((s) => prefix === undefined || s.startsWith(prefix)).sort()
  const rows = new Map<string, SubjectRow>()
  await forEachConcurrently(subjects, 4, async (subject) => {
    try {
      const [versions, latest] = await Promise.all([client.versions(subject), client.subjectVersion(subject, 'latest')])
      rows.set(subject, {subject, versions, latest: {version: latest.version!, id: latest.id, type: schemaType(latest.schemaType)}})
    } catch (error) {
      // Deleted between the two calls.
      if (!(error instanceof RegistryHttpError && error.notFound)) throw error
    }
  })
  return subjects.flatMap((s) => rows.get(s) ?? [])
}

export interface SchemaInfo {
  id: number
  type: SchemaType
  schema: string
  /** Where it is registered: the subject and version asked for, or every one the registry names for an id. */
  subjects: Array<{subject: string; version: number}>
  references?: RegistrySchema['references']
}

export async function getSchema(client: SchemaRegistryClient, what: {id: number} | {subject: string; version: number | 'latest'}): Promise<SchemaInfo> {
  if ('id' in what) {
    const found = await notFoundAs(client.schemaById(what.id), `schema id ${what.id} is not in ${client.url}`)
    return {id: what.id, type: schemaType(found.schemaType), schema: found.schema, subjects: await client.idVersions(what.id).catch(() => []), ...refs(found)}
  }
  const found = await notFoundAs(client.subjectVersion(what.subject, what.version), `subject "${what.subject}"${what.version === 'latest' ? '' : ` version ${what.version}`} is not in ${client.url}`)
  return {id: found.id, type: schemaType(found.schemaType), schema: found.schema, subjects: [{subject: found.subject!, version: found.version!}], ...refs(found)}
}

const refs = (s: RegistrySchema) => (s.references && s.references.length > 0 ? {references: s.references} : {})

async function notFoundAs<T>(call: Promise<T>, message: string): Promise<T> {
  try {
    return await call
  } catch (error) {
    if (error instanceof RegistryHttpError && error.notFound) throw new KafkitError(message, {code: 'SCHEMA_NOT_FOUND', hint: 'kafkit schemas list shows what is registered'})
    throw error
  }
}

export interface CompatibilityResult {
  subject: string
  version: number | 'latest'
  type: SchemaType
  file: string
  compatible: boolean
  messages: string[]
}

/** A local schema against a subject's version: the registry's own compatibility rules decide. */
export async function checkCompatibility(
  client: SchemaRegistryClient,
  input: {subject: string; version: number | 'latest'; type: SchemaType; schema: string; file: string},
): Promise<CompatibilityResult> {
  // Parse locally first: a typo is one line about the file, not the registry's 422.
  await compileSchema({id: 0, type: input.type, schema: input.schema}).catch((error: Error) => {
    throw new KafkitError(`${input.file}: not a valid ${input.type} schema: ${error.message.replace(/^schema id 0 \(\w+\): /, '')}`, {code: 'SCHEMA_INVALID'})
  })
  const {compatible, messages} = await notFoundAs(
    client.checkCompatibility(input.subject, input.version, {schema: input.schema, schemaType: input.type}),
    `subject "${input.subject}"${input.version === 'latest' ? '' : ` version ${input.version}`} is not in ${client.url}: nothing to check against`,
  )
  return {subject: input.subject, version: input.version, type: input.type, file: input.file, compatible, messages}
}

// ---------------------------------------------------------------------------------------------
// produce

/** The schema a produce encodes with: a subject's latest or given version. */
export async function encoderFor(client: SchemaRegistryClient, subject: string, version: number | 'latest'): Promise<SchemaEncoder> {
  const found = await notFoundAs(client.subjectVersion(subject, version), `subject "${subject}"${version === 'latest' ? '' : ` version ${version}`} is not in ${client.url}`)
  return compileSchema({id: found.id, type: schemaType(found.schemaType), schema: found.schema, subject: found.subject, version: found.version})
}

// ---------------------------------------------------------------------------------------------
// topics lint --schema-registry

/**
 * The keySchema / valueSchema subjects declared in topics.yaml that the registry does not have,
 * as lint problems at the line that names them. Each subject is asked about once.
 */
export async function checkDeclaredSubjects(client: SchemaRegistryClient, file: string, topics: readonly DesiredTopic[]): Promise<{problems: Problem[]; checked: number}> {
  const declared = topics.flatMap((topic) => (topic.schemas ?? []).map((s) => ({topic: topic.name, ...s})))
  const subjects = [...new Set(declared.map((d) => d.subject))]
  const missing = new Set<string>()
  await forEachConcurrently(subjects, 4, async (subject) => {
    try {
      await client.versions(subject)
    } catch (error) {
      if (error instanceof RegistryHttpError && error.notFound) missing.add(subject)
      else throw error
    }
  })
  const problems: Problem[] = declared
    .filter((d) => missing.has(d.subject))
    .map((d) => ({
      file,
      line: d.location.line,
      col: d.location.col,
      severity: 'error' as const,
      message: `topic "${d.topic}": ${d.field} subject "${d.subject}" is not in the schema registry ${client.url}`,
      path: ['topics', d.topic, d.field],
      topic: d.topic,
    }))
  return {problems, checked: subjects.length}
}
