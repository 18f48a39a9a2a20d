/**
 * What `dlq replay` does with each DLQ record. Pure: the use case consumes, calls decideReplay per
 * record, produces and commits; dry run just prints decisions. (`dlq inspect`: dlq-inspect.ts;
 * pacing: token-bucket.ts; the summary: replay-tally.ts; the flags: cli/replay-flags.ts.)
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
import {type ConsumedRecord, type RecordHeaders, headerValues} from './record.js'
import {type DlqFailure, RETRY_COUNT_HEADER, decodeWithDlqDecoders, failureTime} from './dlq.js'
import type {RecordFilter} from './record-filter.js'

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
  /** `--where EXPR` (not name=value): must hold for the DLQ record as read (see record-filter.ts). */
  expression?: RecordFilter
}

/** What a replay does: `dlq replay`'s flags as data (cli/replay-flags.ts), used by the use case and here. */
export interface ReplaySettings {
  /** The DLQ being read: nothing is ever sent back into it. */
  dlqTopic: string
  /** `--group`: the replay group holding the progress; default defaultReplayGroup(dlqTopic). */
  group?: string
  /** `--to`: send everything here instead of each record's original topic. */
  to?: string
  filter: ReplayFilter
  /** `--max`: how many records to replay or park in this run. */
  max?: number
  /** `--rate`: records per second. */
  rate?: number
  /** `--max-retries`: records already retried this many times are parked instead. */
  maxRetries?: number
  /** `--parking-topic`; default `<original topic>.parking`. */
  parkingTopic?: string
}

export interface OutgoingMessage {
  topic: string
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeaders
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
    if (!headerValues(record.headers, condition.name).some((value) => value?.equals(wanted))) {
      return `header ${condition.name} is not ${JSON.stringify(condition.value)}`
    }
  }
  const {expression} = filter
  if (expression !== undefined && !expression.test(record)) {
    return `--where ${expression.sources.map((source) => JSON.stringify(source)).join(' and ')} does not hold`
  }
  return undefined
}

const PROVENANCE_HEADERS = [REPLAY_SOURCE_TOPIC_HEADER, REPLAY_SOURCE_PARTITION_HEADER, REPLAY_SOURCE_OFFSET_HEADER, REPLAY_TIME_HEADER]

/**
 * The bytes of a header value that is the same for many records (the DLQ topic, a partition, the
 * replay time): made once, shared by every message (header values are never written to).
 */
const sharedValues = new Map<string, Buffer>()
function sharedValue(text: string): Buffer {
  let bytes = sharedValues.get(text)
  if (bytes === undefined) {
    if (sharedValues.size >= 1024) sharedValues.clear()
    bytes = Buffer.from(text, 'utf8')
    sharedValues.set(text, bytes)
  }
  return bytes
}

let lastReplayTime: number | undefined
let lastReplayTimeText = ''

/** `headers` in order without any earlier replay's provenance, then this replay's provenance. */
function withProvenance(headers: RecordHeaders, record: ConsumedRecord, replayTime: number): RecordHeaders {
  if (replayTime !== lastReplayTime) {
    lastReplayTime = replayTime
    lastReplayTimeText = isoTime(replayTime)
  }
  const list: RecordHeaders = []
  for (const header of headers) if (!PROVENANCE_HEADERS.includes(header.name)) list.push(header)
  list.push(
    {name: REPLAY_SOURCE_TOPIC_HEADER, value: sharedValue(record.topic)},
    {name: REPLAY_SOURCE_PARTITION_HEADER, value: sharedValue(String(record.partition))},
    {name: REPLAY_SOURCE_OFFSET_HEADER, value: Buffer.from(record.offset)},
    {name: REPLAY_TIME_HEADER, value: sharedValue(lastReplayTimeText)},
  )
  return list
}

/** The original message again; provenance from an earlier replay is replaced, not duplicated. */
export function buildReplayMessage(record: ConsumedRecord, failure: DlqFailure, topic: string, replayTime: number): OutgoingMessage {
  return {
    topic,
    key: failure.key,
    value: failure.value,
    headers: [...withProvenance(failure.headers, record, replayTime), {name: RETRY_COUNT_HEADER, value: sharedValue(String(failure.retryCount + 1))}],
  }
}

/** The DLQ record as it is, plus provenance (see the module comment for why). */
export function buildParkedMessage(record: ConsumedRecord, topic: string, replayTime: number): OutgoingMessage {
  return {topic, key: record.key, value: record.value, headers: withProvenance(record.headers, record, replayTime)}
}

export function shouldPark(failure: DlqFailure, maxRetries: number | undefined): boolean {
  return maxRetries !== undefined && failure.retryCount >= maxRetries
}

/**
 * The decision for one DLQ record. `replayTime` (ms) is when this replay runs, stamped into
 * kafkit-replay-time. `selectedSoFar` is how many records this run has already replayed or parked
 * (the use case counts; this stays pure), for --max.
 */
export function decideReplay(record: ConsumedRecord, options: ReplaySettings & {replayTime: number}, selectedSoFar: number): ReplayDecision {
  if (options.max !== undefined && selectedSoFar >= options.max) return {action: 'limit-reached'}
  const decoded = decodeWithDlqDecoders(record)
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
// Names

/** The default replay group: its committed offsets are the replay's progress. */
export function defaultReplayGroup(dlqTopic: string): string {
  return `kafkit-dlq-replay.${dlqTopic}`
}

/** One transactional id per (group, DLQ): a new run fences the previous one of the same replay. */
export function replayTransactionalId(group: string, dlqTopic: string): string {
  return `kafkit-dlq-replay:${group}:${dlqTopic}`
}
