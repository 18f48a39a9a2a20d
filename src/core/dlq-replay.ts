/**
 * What `dlq replay` does with each DLQ record, and what `dlq inspect` reports. Pure: the use case
 * consumes, calls decideReplay per record, produces and commits; dry run just prints decisions.
 *
 * Replayed message: the original key and value, the carried (non-DLQ) headers, provenance headers
 *   kafkit-replay-source-topic / -partition / -offset   where it was read from (the DLQ record)
 *   kafkit-replay-time                                   ISO-8601 UTC of the replay
 * and `retry_count` = the record's retry count + 1 (see dlq.ts for why that name). No partition is
 * set: the partitioner places it by key, as the original producer's default partitioner did.
 *
 * Parked message (retry count >= --max-retries): the DLQ record itself — key, value and every
 * header, DLQ metadata and retry count unchanged — plus the provenance headers. The parking topic
 * is therefore a DLQ in the same format, which `dlq inspect` can read and `dlq replay` can replay
 * once the cause is fixed; parking the bare original would lose why it failed.
 */
import {Buffer} from 'node:buffer'
import {
  type ConsumedRecord,
  type JsonBytes,
  type OutgoingHeaders,
  headerValues,
  nullableBytesToJson,
} from './console-format.js'
import {type DlqFailure, type DlqFormat, RETRY_COUNT_HEADER, decodeDlqRecord, failureTime} from './dlq.js'

export const REPLAY_SOURCE_TOPIC_HEADER = 'kafkit-replay-source-topic'
export const REPLAY_SOURCE_PARTITION_HEADER = 'kafkit-replay-source-partition'
export const REPLAY_SOURCE_OFFSET_HEADER = 'kafkit-replay-source-offset'
export const REPLAY_TIME_HEADER = 'kafkit-replay-time'

export const DEFAULT_PARKING_SUFFIX = '.parking'

/** `--where name=value`: the DLQ record has a header `name` with exactly these UTF-8 bytes. */
export interface HeaderCondition {
  name: string
  value: string
}

export interface ReplayFilter {
  /** `--error-type`: the fully qualified name or the simple class name (after the last . or $). */
  errorTypes?: string[]
  /** Inclusive lower bound on failureTime (ms). */
  since?: number
  /** Exclusive upper bound on failureTime (ms). */
  until?: number
  /** All must hold. Matched against all the DLQ record's headers, DLQ metadata included. */
  where?: HeaderCondition[]
}

export interface ReplayOptions {
  /** The DLQ being read: nothing is ever sent back into it. */
  dlqTopic: string
  /** `--to`: send everything here instead of each record's original topic. */
  to?: string
  filter?: ReplayFilter
  /** `--max`: how many records to replay or park in this run. */
  max?: number
  /** `--max-retries`: records already retried this many times are parked instead. */
  maxRetries?: number
  /** `--parking-topic`; default `<original topic>.parking`. */
  parkingTopic?: string
  /** When this replay runs (ms), stamped into kafkit-replay-time. */
  replayTime: number
}

export interface OutgoingMessage {
  topic: string
  key: Buffer | null
  value: Buffer | null
  headers: OutgoingHeaders
}

export type ReplayDecision =
  | {action: 'replay'; message: OutgoingMessage; failure: DlqFailure}
  | {action: 'park'; message: OutgoingMessage; failure: DlqFailure}
  /** Did not pass --error-type/--since/--until/--where: skip it (and commit past it). */
  | {action: 'filtered'; reason: string; failure: DlqFailure}
  /** Report it and leave it in the DLQ; never dropped silently. */
  | {action: 'undecodable'; reason: string}
  /** Loop protection: its target is the DLQ being read. Report it as a failure. */
  | {action: 'refused'; reason: string; failure: DlqFailure}
  /** --max reached before this record: stop, and do not commit past it, so a re-run starts here. */
  | {action: 'limit-reached'}

function simpleClassName(name: string): string {
  return name.split(/[.$]/).pop()!
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

/** Why a record does not pass the filter, or undefined if it does. */
export function filterRejection(record: ConsumedRecord, failure: DlqFailure, filter: ReplayFilter = {}): string | undefined {
  const {errorTypes, since, until, where} = filter
  if (errorTypes !== undefined && errorTypes.length > 0) {
    const actual = failure.errorType
    const matches = actual !== undefined && errorTypes.some((wanted) => actual === wanted || simpleClassName(actual) === wanted)
    if (!matches) return `error type ${actual ?? '(none)'} is not ${errorTypes.join(' or ')}`
  }
  const time = failureTime(record, failure)
  if (since !== undefined && time < since) return `failed at ${isoTime(time)}, before --since ${isoTime(since)}`
  if (until !== undefined && time >= until) return `failed at ${isoTime(time)}, not before --until ${isoTime(until)}`
  for (const condition of where ?? []) {
    const wanted = Buffer.from(condition.value, 'utf8')
    if (!headerValues(record.headers[condition.name]).some((value) => value.equals(wanted))) {
      return `header ${condition.name} is not ${JSON.stringify(condition.value)}`
    }
  }
  return undefined
}

function provenanceHeaders(record: ConsumedRecord, replayTime: number): OutgoingHeaders {
  return {
    [REPLAY_SOURCE_TOPIC_HEADER]: Buffer.from(record.topic, 'utf8'),
    [REPLAY_SOURCE_PARTITION_HEADER]: Buffer.from(String(record.partition)),
    [REPLAY_SOURCE_OFFSET_HEADER]: Buffer.from(record.offset),
    [REPLAY_TIME_HEADER]: Buffer.from(isoTime(replayTime)),
  }
}

/** The original message again; provenance from an earlier replay is overwritten, not duplicated. */
export function buildReplayMessage(record: ConsumedRecord, failure: DlqFailure, topic: string, replayTime: number): OutgoingMessage {
  return {
    topic,
    key: failure.key,
    value: failure.value,
    headers: {
      ...failure.headers,
      ...provenanceHeaders(record, replayTime),
      [RETRY_COUNT_HEADER]: Buffer.from(String(failure.retryCount + 1)),
    },
  }
}

/** The DLQ record as it is, plus provenance (see the module comment for why). */
export function buildParkedMessage(record: ConsumedRecord, topic: string, replayTime: number): OutgoingMessage {
  const headers: OutgoingHeaders = {}
  for (const [name, value] of Object.entries(record.headers)) if (value !== undefined) headers[name] = value
  return {topic, key: record.key, value: record.value, headers: {...headers, ...provenanceHeaders(record, replayTime)}}
}

export function shouldPark(failure: DlqFailure, maxRetries: number | undefined): boolean {
  return maxRetries !== undefined && failure.retryCount >= maxRetries
}

/**
 * The decision for one DLQ record. `selectedSoFar` is how many records this run has already
 * replayed or parked (the use case counts; this stays pure), for --max.
 */
export function decideReplay(record: ConsumedRecord, options: ReplayOptions, selectedSoFar: number): ReplayDecision {
  if (options.max !== undefined && selectedSoFar >= options.max) return {action: 'limit-reached'}
  const decoded = decodeDlqRecord(record)
  if (!decoded.ok) return {action: 'undecodable', reason: decoded.reason}
  const {failure} = decoded
  const rejection = filterRejection(record, failure, options.filter)
  if (rejection !== undefined) return {action: 'filtered', reason: rejection, failure}
  const park = shouldPark(failure, options.maxRetries)
  const topic = park
    ? options.parkingTopic ?? `${failure.originalTopic}${DEFAULT_PARKING_SUFFIX}`
    : options.to ?? failure.originalTopic
  if (topic === options.dlqTopic) {
    const role = park ? 'parking topic' : 'target topic'
    return {action: 'refused', reason: `${role} ${topic} is the DLQ being replayed; sending it there would loop`, failure}
  }
  return park
    ? {action: 'park', message: buildParkedMessage(record, topic, options.replayTime), failure}
    : {action: 'replay', message: buildReplayMessage(record, failure, topic, options.replayTime), failure}
}

// ---------------------------------------------------------------------------------------------
// dlq inspect

export interface DlqSample {
  /** Where the sample sits in the DLQ. */
  partition: number
  offset: string
  failedAt: number
  format: DlqFormat
  originalTopic: string
  originalPartition?: number
  originalOffset?: string
  errorType?: string
  errorMessage?: string
  retryCount: number
  /** Binary-safe, as in `consume -o json`. */
  key: JsonBytes | null
  value: JsonBytes | null
}

export interface UndecodableSample {
  partition: number
  offset: string
  reason: string
}

export interface DlqInspection {
  records: number
  decoded: number
  undecodable: number
  /** Every list below is sorted by count, largest first, then by name. */
  formats: Array<{format: DlqFormat; count: number}>
  originalTopics: Array<{topic: string; count: number}>
  /** null: the DLQ writer recorded no error type (seed 001's string errors). */
  errorTypes: Array<{errorType: string | null; count: number}>
  /** Sorted by retry count, ascending. */
  retryCounts: Array<{retryCount: number; count: number}>
  /** Over decoded records, by failureTime. */
  firstFailureAt?: number
  lastFailureAt?: number
  /** The first record of each distinct (original topic, error type), up to sampleSize. */
  samples: DlqSample[]
  undecodableSamples: UndecodableSample[]
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

function byCountThenName<K>(counts: Map<K, number>): Array<[K, number]> {
  return [...counts].sort(([a, countA], [b, countB]) => countB - countA || String(a).localeCompare(String(b)))
}

/**
 * Accumulates an inspection record by record, so a DLQ of any size is inspected in constant
 * memory (the counters grow with distinct topics and error types, not records).
 */
export class DlqInspector {
  private records = 0
  private undecodable = 0
  private readonly formats = new Map<DlqFormat, number>()
  private readonly topics = new Map<string, number>()
  private readonly errorTypes = new Map<string | null, number>()
  private readonly retryCounts = new Map<number, number>()
  private firstFailureAt?: number
  private lastFailureAt?: number
  private readonly samples: DlqSample[] = []
  private readonly sampledKinds = new Set<string>()
  private readonly undecodableSamples: UndecodableSample[] = []

  constructor(private readonly sampleSize = 5) {}

  add(record: ConsumedRecord): void {
    this.records++
    const decoded = decodeDlqRecord(record)
    if (!decoded.ok) {
      this.undecodable++
      if (this.undecodableSamples.length < this.sampleSize) {
        this.undecodableSamples.push({partition: record.partition, offset: record.offset, reason: decoded.reason})
      }
      return
    }
    const {failure} = decoded
    increment(this.formats, failure.format)
    increment(this.topics, failure.originalTopic)
    increment(this.errorTypes, failure.errorType ?? null)
    increment(this.retryCounts, failure.retryCount)
    const time = failureTime(record, failure)
    if (this.firstFailureAt === undefined || time < this.firstFailureAt) this.firstFailureAt = time
    if (this.lastFailureAt === undefined || time > this.lastFailureAt) this.lastFailureAt = time
    const kind = JSON.stringify([failure.originalTopic, failure.errorType ?? null])
    if (this.samples.length < this.sampleSize && !this.sampledKinds.has(kind)) {
      this.sampledKinds.add(kind)
      this.samples.push(this.sample(record, failure, time))
    }
  }

  private sample(record: ConsumedRecord, failure: DlqFailure, failedAt: number): DlqSample {
    const {format, originalTopic, originalPartition, originalOffset, errorType, errorMessage, retryCount} = failure
    const optional = {originalPartition, originalOffset, errorType, errorMessage}
    return {
      partition: record.partition,
      offset: record.offset,
      failedAt,
      format,
      originalTopic,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      retryCount,
      key: nullableBytesToJson(failure.key),
      value: nullableBytesToJson(failure.value),
    }
  }

  result(): DlqInspection {
    const inspection: DlqInspection = {
      records: this.records,
      decoded: this.records - this.undecodable,
      undecodable: this.undecodable,
      formats: byCountThenName(this.formats).map(([format, count]) => ({format, count})),
      originalTopics: byCountThenName(this.topics).map(([topic, count]) => ({topic, count})),
      errorTypes: byCountThenName(this.errorTypes).map(([errorType, count]) => ({errorType, count})),
      retryCounts: [...this.retryCounts].sort(([a], [b]) => a - b).map(([retryCount, count]) => ({retryCount, count})),
      samples: [...this.samples],
      undecodableSamples: [...this.undecodableSamples],
    }
    if (this.firstFailureAt !== undefined) inspection.firstFailureAt = this.firstFailureAt
    if (this.lastFailureAt !== undefined) inspection.lastFailureAt = this.lastFailureAt
    return inspection
  }
}

export function inspectDlq(records: Iterable<ConsumedRecord>, options: {sampleSize?: number} = {}): DlqInspection {
  const inspector = new DlqInspector(options.sampleSize)
  for (const record of records) inspector.add(record)
  return inspector.result()
}
