/**
 * Decoding dead-letter records into "what failed, where it came from, what to re-send". Pure.
 *
 * Formats, tried in this order (the first whose topic marker is present decides):
 *   spring-kafka   Spring's DeadLetterPublishingRecoverer: the original key/value, the original
 *                  headers, and kafka_dlt-* headers. original-partition is a 4-byte big-endian int,
 *                  original-offset and original-timestamp 8-byte big-endian longs; Spring writes
 *                  no failure time (the DLQ record's own timestamp is used).
 *   kafka-connect  Connect's errors.deadletterqueue.context.headers.enable: the original key/value
 *                  and headers, plus __connect.errors.* headers, all UTF-8 text. No failure time.
 *   headers        Seed 003: the original key/value with original_topic, original_partition,
 *                  original_offset (decimal text), error_type, error_message and failed_at
 *                  (Python `datetime.utcnow().isoformat()`: zone-less UTC, microseconds).
 *   json-envelope  Seed 001: the value is a JSON object {original_topic, original_partition,
 *                  original_offset, original_key, original_value, error, error_timestamp,
 *                  retry_count}. The seed's consumer decodes keys to str and values with
 *                  json.loads, so original_value is embedded as a JSON value, not base64:
 *                    string      → its UTF-8 text (the usual way to embed a non-JSON payload)
 *                    {"base64"}  → those bytes (kafkit's own binary-safe form)
 *                    null        → a tombstone (an absent original_value is an error instead)
 *                    other JSON  → its compact JSON text, number literals kept exactly.
 *                  The original bytes cannot be recovered exactly from a decoded envelope (the
 *                  writer's json.dumps put spaces after ':' and ','), only an equivalent JSON text.
 *                  original_key follows the same rules; if the field is absent, the DLQ record's
 *                  key is used (seed 001 also sends the original key as the DLQ record's key).
 *                  error is a string (the message; Python's str(error) has no type) or
 *                  {"type", "message"}; error_timestamp is ISO text or epoch seconds/millis.
 *
 * Retry count: the `retry_count` header (decimal text), because seed 001's DLQ writer reads that
 * header from the failed message; the envelope's retry_count field takes precedence when present.
 * Replay writes the incremented count back into `retry_count`, so the count survives a round trip
 * through any DLQ writer that keeps headers (Spring, Connect) or reads it (seed 001). Seed 003's
 * writer, as written, drops the failed message's headers, so its count always reads 0.
 *
 * Strictness: a metadata field that is present but malformed makes the record undecodable, with
 * the field named in the reason; a field that is absent is simply absent. Guessing would replay
 * to the wrong place or defeat the parking limit.
 */
import {Buffer, isUtf8} from 'node:buffer'
import {jsonValueToBytes} from './json-bytes.js'
import {type TextSpan, jsonObjectMemberSpans} from './json-text.js'
import {type ConsumedRecord, type RecordHeaders, lastHeaderValue} from './record.js'
import {DecoderChain, type Decoder} from './record-decoders.js'

export type DlqFormat = 'spring-kafka' | 'kafka-connect' | 'headers' | 'json-envelope'

export interface DlqFailure {
  format: DlqFormat
  originalTopic: string
  originalPartition?: number
  /** 64-bit offset as a decimal string. */
  originalOffset?: string
  /** The original record's timestamp, when the DLQ writer kept it (Spring). */
  originalTimestamp?: number
  /** The key and value to re-send: the original message's. */
  key: Buffer | null
  value: Buffer | null
  /** The DLQ record's headers minus DLQ metadata (isDlqMetadataHeader), in order: the ones to carry over. */
  headers: RecordHeaders
  /** As written by the failing application: a class name (simple or fully qualified). */
  errorType?: string
  errorMessage?: string
  /** When the failure was recorded, ms since the epoch, if the DLQ writer said so. */
  failedAt?: number
  /** How many times kafkit (or the application) has already retried this message; 0 if unknown. */
  retryCount: number
}

export type DlqDecodeResult = {ok: true; failure: DlqFailure} | {ok: false; reason: string}

/** The retry counter, read from DLQ records and written on replayed messages (see module comment). */
export const RETRY_COUNT_HEADER = 'retry_count'

type PartitionEncoding = 'decimal-text' | 'int32-be'
type LongEncoding = 'decimal-text' | 'int64-be'

/** One header-based DLQ convention: which header holds what, and how it is encoded. */
interface HeaderConvention {
  format: Exclude<DlqFormat, 'json-envelope'>
  topic: string
  partition: {header: string; encoding: PartitionEncoding}
  offset: {header: string; encoding: LongEncoding}
  errorType: string
  errorMessage: string
  /** Text time (ISO or epoch) of the failure. */
  failedAt?: string
  /** 8-byte big-endian epoch millis of the original record. */
  originalTimestamp?: string
  /** Every header this convention's writer adds, so none of them is re-sent on replay. */
  isMetadata: (name: string) => boolean
}

const SPRING_PREFIX = 'kafka_dlt-'
const CONNECT_PREFIX = '__connect.errors.'
const SEED_003_HEADERS = ['original_topic', 'original_partition', 'original_offset', 'error_type', 'error_message', 'failed_at']

/** Most specific first: seed 003's generic names could also be an application's own headers. */
const HEADER_CONVENTIONS: readonly HeaderConvention[] = [
  {
    format: 'spring-kafka',
    topic: `${SPRING_PREFIX}original-topic`,
    partition: {header: `${SPRING_PREFIX}original-partition`, encoding: 'int32-be'},
    offset: {header: `${SPRING_PREFIX}original-offset`, encoding: 'int64-be'},
    errorType: `${SPRING_PREFIX}exception-fqcn`,
    errorMessage: `${SPRING_PREFIX}exception-message`,
    originalTimestamp: `${SPRING_PREFIX}original-timestamp`,
    // Also -original-timestamp-type, -original-consumer-group, -exception-stacktrace, -key-exception-*.
    isMetadata: (name) => name.startsWith(SPRING_PREFIX),
  },
  {
    format: 'kafka-connect',
    topic: `${CONNECT_PREFIX}topic`,
    partition: {header: `${CONNECT_PREFIX}partition`, encoding: 'decimal-text'},
    offset: {header: `${CONNECT_PREFIX}offset`, encoding: 'decimal-text'},
    errorType: `${CONNECT_PREFIX}exception.class.name`,
    errorMessage: `${CONNECT_PREFIX}exception.message`,
    // Also connector.name, task.id, stage, class.name, exception.stacktrace.
    isMetadata: (name) => name.startsWith(CONNECT_PREFIX),
  },
  {
    format: 'headers',
    topic: 'original_topic',
    partition: {header: 'original_partition', encoding: 'decimal-text'},
    offset: {header: 'original_offset', encoding: 'decimal-text'},
    errorType: 'error_type',
    errorMessage: 'error_message',
    failedAt: 'failed_at',
    isMetadata: (name) => SEED_003_HEADERS.includes(name),
  },
]

/**
 * Headers that describe a failure rather than belong to the message: every convention's metadata
 * and the retry counter. Stripped from every format, not just the detected one, so stale metadata
 * from an earlier trip through another DLQ is not re-sent and later misread.
 */
export function isDlqMetadataHeader(name: string): boolean {
  return name === RETRY_COUNT_HEADER || HEADER_CONVENTIONS.some((convention) => convention.isMetadata(name))
}

/** When a record failed: the DLQ writer's failure time, else the DLQ record's own timestamp. */
export function failureTime(record: ConsumedRecord, failure: DlqFailure): number {
  return failure.failedAt ?? Number(record.timestamp)
}

// Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973).
const EPOCH_SECONDS_LIMIT = 1e11

/**
 * A failure time as DLQ writers spell it: ISO-8601 with `T` or a space, with or without a zone —
 * zone-less means UTC because seed 001 and 003 write `datetime.utcnow().isoformat()` — and any
 * number of fractional digits (truncated to ms); or epoch seconds (Python's time.time(), may have
 * a fraction) or epoch millis. undefined if it is none of these.
 */
export function parseFailureTime(text: string): number | undefined {
  const s = text.trim()
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s)
    return Math.trunc(n < EPOCH_SECONDS_LIMIT ? n * 1000 : n)
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s)
  if (!m) return undefined
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = m
  const local = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, Number(fraction.padEnd(3, '0').slice(0, 3)))
  const check = new Date(local)
  // Date.UTC rolls Feb 30 over to Mar 1; a DLQ timestamp like that is corrupt, not a date.
  if (check.getUTCMonth() !== +month - 1 || check.getUTCDate() !== +day || +hour > 23 || +minute > 59 || +second > 59) {
    return undefined
  }
  if (zone.toUpperCase() === 'Z') return local
  const sign = zone[0] === '-' ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return local - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
}

// ---------------------------------------------------------------------------------------------
// Shared field validation. Each format only finds its raw fields (text or binary) and names
// them; these turn them into DlqFailure values, or throw Undecodable with the name in the reason.

class Undecodable extends Error {}

/** `where` names the field for the reason: `header original_partition`, `field original_offset`. */
function decimal(where: string, text: string): bigint {
  if (!/^\d+$/.test(text)) throw new Undecodable(`${where} is not a non-negative integer: ${JSON.stringify(text)}`)
  return BigInt(text)
}

function toPartition(where: string, n: bigint): number {
  if (n < 0n || n > 2_147_483_647n) throw new Undecodable(`${where} is not a valid partition: ${n}`)
  return Number(n)
}

function toOffset(where: string, n: bigint): string {
  if (n < 0n) throw new Undecodable(`${where} is not a valid offset: ${n}`)
  return n.toString()
}

function toRetryCount(where: string, n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Undecodable(`${where} is too large: ${n}`)
  return Number(n)
}

function toFailedAt(where: string, text: string): number {
  const t = parseFailureTime(text)
  if (t === undefined) throw new Undecodable(`${where} is not a time (ISO-8601 or epoch): ${JSON.stringify(text)}`)
  return t
}

function utf8Text(where: string, bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new Undecodable(`${where} is not UTF-8 text`)
  return bytes.toString('utf8')
}

function bigEndian(where: string, bytes: Buffer, size: 4 | 8): bigint {
  if (bytes.length !== size) {
    throw new Undecodable(`${where} should be a ${size}-byte big-endian integer, got ${bytes.length} bytes`)
  }
  return size === 4 ? BigInt(bytes.readInt32BE(0)) : bytes.readBigInt64BE(0)
}

/** A metadata header's bytes (its last value), undefined when absent; a null value is malformed. */
function metadataHeader(record: ConsumedRecord, header: string): Buffer | undefined {
  const bytes = lastHeaderValue(record.headers, header)
  if (bytes === null) throw new Undecodable(`header ${header} has a null value`)
  return bytes
}

function headerInteger(record: ConsumedRecord, header: string, encoding: PartitionEncoding | LongEncoding): bigint | undefined {
  const bytes = metadataHeader(record, header)
  if (bytes === undefined) return undefined
  const where = `header ${header}`
  if (encoding === 'int32-be') return bigEndian(where, bytes, 4)
  if (encoding === 'int64-be') return bigEndian(where, bytes, 8)
  return decimal(where, utf8Text(where, bytes))
}

function headerText(record: ConsumedRecord, header: string): string | undefined {
  const bytes = metadataHeader(record, header)
  return bytes === undefined ? undefined : utf8Text(`header ${header}`, bytes)
}

function carriedHeaders(record: ConsumedRecord): RecordHeaders {
  return record.headers.filter((header) => !isDlqMetadataHeader(header.name))
}

function retryCountFromHeader(record: ConsumedRecord): number {
  const n = headerInteger(record, RETRY_COUNT_HEADER, 'decimal-text')
  return n === undefined ? 0 : toRetryCount(`header ${RETRY_COUNT_HEADER}`, n)
}

/** Drops undefined members so a failure's JSON and toEqual comparisons show only what is known. */
function withoutUndefined<T extends object>(value: T): T {
  // A loop, not Object.entries/fromEntries: this runs for every DLQ record (6 % of a replay's CPU).
  const defined: Record<string, unknown> = {}
  for (const name in value) if (Object.hasOwn(value, name) && value[name] !== undefined) defined[name] = value[name]
  return defined as T
}

// ---------------------------------------------------------------------------------------------
// Header conventions

function decodeWithConvention(record: ConsumedRecord, convention: HeaderConvention, originalTopic: string): DlqFailure {
  const partition = headerInteger(record, convention.partition.header, convention.partition.encoding)
  const offset = headerInteger(record, convention.offset.header, convention.offset.encoding)
  const failedAtText = convention.failedAt === undefined ? undefined : headerText(record, convention.failedAt)
  const originalTimestamp =
    convention.originalTimestamp === undefined ? undefined : headerInteger(record, convention.originalTimestamp, 'int64-be')
  return withoutUndefined({
    format: convention.format,
    originalTopic,
    originalPartition: partition === undefined ? undefined : toPartition(`header ${convention.partition.header}`, partition),
    originalOffset: offset === undefined ? undefined : toOffset(`header ${convention.offset.header}`, offset),
    originalTimestamp: originalTimestamp === undefined ? undefined : Number(originalTimestamp),
    key: record.key,
    value: record.value,
    headers: carriedHeaders(record),
    errorType: headerText(record, convention.errorType),
    errorMessage: headerText(record, convention.errorMessage),
    failedAt: failedAtText === undefined ? undefined : toFailedAt(`header ${convention.failedAt}`, failedAtText),
    retryCount: retryCountFromHeader(record),
  })
}

// ---------------------------------------------------------------------------------------------
// JSON envelope

/** The envelope's own members plus their source text, for exact numbers and embedded JSON. */
interface Envelope {
  fields: Record<string, unknown>
  raw: (name: string) => string
}

function readEnvelope(value: Buffer | null): Envelope | string {
  if (value === null) return 'value is null'
  if (!isUtf8(value)) return 'value is not UTF-8 text'
  const text = value.toString('utf8')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return 'value is not JSON'
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'value is JSON but not an object'
  const fields = parsed as Record<string, unknown>
  if (typeof fields.original_topic !== 'string' || fields.original_topic === '') {
    return 'value is a JSON object without an original_topic string'
  }
  // Scanned only when a field needs its source text (numbers, embedded JSON).
  let spans: Map<string, TextSpan> | undefined
  return {
    fields,
    raw: (name) => {
      const span = (spans ??= jsonObjectMemberSpans(text)).get(name)!
      return text.slice(span.start, span.end)
    },
  }
}

/** A JSON integer field (number or decimal string), from its source text so 64-bit values stay exact. */
function envelopeInteger(envelope: Envelope, name: string): bigint | undefined {
  const value = envelope.fields[name]
  if (value === undefined || value === null) return undefined
  const where = `field ${name}`
  if (typeof value === 'number') return decimal(where, envelope.raw(name))
  if (typeof value === 'string') return decimal(where, value)
  throw new Undecodable(`${where} is not an integer: ${envelope.raw(name)}`)
}

function envelopeBytes(envelope: Envelope, name: string): Buffer | null {
  const value = envelope.fields[name]
  if (value === null) return null
  const bytes = jsonValueToBytes(value, () => envelope.raw(name))
  if (!bytes.ok) throw new Undecodable(`field ${name}: ${bytes.error}`)
  return bytes.bytes
}

function envelopeError(envelope: Envelope): {errorType?: string; errorMessage?: string} {
  const error = envelope.fields.error
  if (error === undefined || error === null) return {}
  if (typeof error === 'string') return {errorMessage: error}
  if (typeof error === 'object' && !Array.isArray(error)) {
    const {type, message} = error as Record<string, unknown>
    if ((type === undefined || typeof type === 'string') && (message === undefined || typeof message === 'string')) {
      return {errorType: type, errorMessage: message}
    }
  }
  throw new Undecodable(`field error should be a string or {"type", "message"} strings, got ${envelope.raw('error')}`)
}

function envelopeFailedAt(envelope: Envelope): number | undefined {
  const value = envelope.fields.error_timestamp
  if (value === undefined || value === null) return undefined
  const where = 'field error_timestamp'
  if (typeof value === 'string') return toFailedAt(where, value)
  if (typeof value === 'number') return toFailedAt(where, envelope.raw('error_timestamp'))
  throw new Undecodable(`${where} is not a time: ${envelope.raw('error_timestamp')}`)
}

function decodeEnvelope(record: ConsumedRecord, envelope: Envelope): DlqFailure {
  // An absent value must not become a tombstone: on a compacted topic that deletes the key.
  if (!('original_value' in envelope.fields)) throw new Undecodable('field original_value is missing')
  const partition = envelopeInteger(envelope, 'original_partition')
  const offset = envelopeInteger(envelope, 'original_offset')
  const retryCount = envelopeInteger(envelope, 'retry_count')
  return withoutUndefined({
    format: 'json-envelope' as const,
    originalTopic: envelope.fields.original_topic as string,
    originalPartition: partition === undefined ? undefined : toPartition('field original_partition', partition),
    originalOffset: offset === undefined ? undefined : toOffset('field original_offset', offset),
    key: 'original_key' in envelope.fields ? envelopeBytes(envelope, 'original_key') : record.key,
    value: envelopeBytes(envelope, 'original_value'),
    headers: carriedHeaders(record),
    ...envelopeError(envelope),
    failedAt: envelopeFailedAt(envelope),
    retryCount: retryCount === undefined ? retryCountFromHeader(record) : toRetryCount('field retry_count', retryCount),
  })
}

// ---------------------------------------------------------------------------------------------

const TOPIC_HEADERS = HEADER_CONVENTIONS.map((convention) => convention.topic).join(', ')

export function decodeDlqRecord(record: ConsumedRecord): DlqDecodeResult {
  try {
    for (const convention of HEADER_CONVENTIONS) {
      const topicBytes = metadataHeader(record, convention.topic)
      if (topicBytes === undefined) continue
      const originalTopic = utf8Text(`header ${convention.topic}`, topicBytes)
      if (originalTopic === '') throw new Undecodable(`header ${convention.topic} is empty`)
      return {ok: true, failure: decodeWithConvention(record, convention, originalTopic)}
    }
    const envelope = readEnvelope(record.value)
    if (typeof envelope === 'string') return {ok: false, reason: `${envelope} and there is no DLQ header (${TOPIC_HEADERS})`}
    return {ok: true, failure: decodeEnvelope(record, envelope)}
  } catch (error) {
    if (error instanceof Undecodable) return {ok: false, reason: error.message}
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// The DLQ envelope as a record decoder (record-decoders.ts)

/** decodeDlqRecord once per record, however often the chain asks (whether it can, then the failure). */
const decodedRecords = new WeakMap<ConsumedRecord, DlqDecodeResult>()

function decodeOnce(record: ConsumedRecord): DlqDecodeResult {
  let result = decodedRecords.get(record)
  if (result === undefined) {
    result = decodeDlqRecord(record)
    decodedRecords.set(record, result)
  }
  return result
}

/** A DLQ record (metadata headers, or a JSON envelope value) decodes to its DlqFailure. */
export const dlqDecoder: Decoder<ConsumedRecord> = {
  name: 'dlq',
  canDecode: (record) => decodeOnce(record).ok,
  decode(record) {
    const result = decodeOnce(record)
    if (!result.ok) throw new RangeError(result.reason)
    return result.failure
  },
}

/** The record decoders of `dlq inspect` and `dlq replay`. */
export const DLQ_DECODERS = new DecoderChain<ConsumedRecord>([dlqDecoder])

/** The failure, or why no DLQ decoder can decode the record. */
export function decodeWithDlqDecoders(record: ConsumedRecord): DlqDecodeResult {
  const decoded = DLQ_DECODERS.decode(record)
  return decoded === undefined ? {ok: false, reason: (decodeOnce(record) as {reason: string}).reason} : {ok: true, failure: decoded.value as DlqFailure}
}
