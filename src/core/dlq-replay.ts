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
import {type JsonBytes, nullableBytesToJson} from './json-bytes.js'
import {type ConsumedRecord, type RecordHeaders, headerValues} from './record.js'
import {KafkitError} from '../errors.js'
import {type DlqFailure, type DlqFormat, RETRY_COUNT_HEADER, decodeDlqRecord, failureTime} from './dlq.js'
import {compileRecordFilter, headerShorthand, type RecordFilter} from './record-filter.js'
import {isValidTopicName, parseNonNegativeInteger} from './topic-partition.js'
import {MAX_WAIT_MS, TIMESTAMP_FORMS, formatDuration, nonexistentTime, parseTimestamp} from './units.js'

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

/** `headers` in order without any earlier replay's provenance, then this replay's provenance. */
function withProvenance(headers: RecordHeaders, record: ConsumedRecord, replayTime: number): RecordHeaders {
  return [
    ...headers.filter((header) => !PROVENANCE_HEADERS.includes(header.name)),
    {name: REPLAY_SOURCE_TOPIC_HEADER, value: Buffer.from(record.topic, 'utf8')},
    {name: REPLAY_SOURCE_PARTITION_HEADER, value: Buffer.from(String(record.partition))},
    {name: REPLAY_SOURCE_OFFSET_HEADER, value: Buffer.from(record.offset)},
    {name: REPLAY_TIME_HEADER, value: Buffer.from(isoTime(replayTime))},
  ]
}

/** The original message again; provenance from an earlier replay is replaced, not duplicated. */
export function buildReplayMessage(record: ConsumedRecord, failure: DlqFailure, topic: string, replayTime: number): OutgoingMessage {
  return {
    topic,
    key: failure.key,
    value: failure.value,
    headers: [...withProvenance(failure.headers, record, replayTime), {name: RETRY_COUNT_HEADER, value: Buffer.from(String(failure.retryCount + 1))}],
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

// ---------------------------------------------------------------------------------------------
// dlq replay: names, pacing and the summary

/** The default replay group: its committed offsets are the replay's progress. */
export function defaultReplayGroup(dlqTopic: string): string {
  return `kafkit-dlq-replay.${dlqTopic}`
}

/** One transactional id per (group, DLQ): a new run fences the previous one of the same replay. */
export function replayTransactionalId(group: string, dlqTopic: string): string {
  return `kafkit-dlq-replay:${group}:${dlqTopic}`
}

/**
 * `--rate N`: a token bucket holding at most `burst` tokens (default a tenth of a second's worth,
 * at least 1), refilled at N per second. Pure: the caller passes the clock and does the waiting.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    now: number,
    private readonly burst = Math.max(1, perSecond / 10),
  ) {
    if (!(perSecond > 0)) throw new RangeError('rate must be positive')
    this.tokens = this.burst
    this.last = now
  }

  /** Takes one token; returns how many ms to wait before using it (0: at once). */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000)
    this.last = now
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond)
  }
}

/** A record that was not replayed or parked and stays only in the DLQ. */
export interface ReplayProblem {
  partition: number
  offset: string
  action: 'undecodable' | 'refused'
  reason: string
}

export interface ReplayDestination {
  topic: string
  action: 'replay' | 'park'
  count: number
}

export interface ReplayCounts {
  /** DLQ records looked at in this run. */
  read: number
  replayed: number
  parked: number
  filtered: number
  undecodable: number
  refused: number
  /** Sorted by topic, then action. */
  destinations: ReplayDestination[]
  /** The first problems (up to the tally's limit), in the order met. */
  problems: ReplayProblem[]
}

/** Counts decisions for the summary, in constant memory (destinations grow with topics, not records). */
export class ReplayTally {
  private readonly counts = {read: 0, replayed: 0, parked: 0, filtered: 0, undecodable: 0, refused: 0}
  private readonly destinations = new Map<string, ReplayDestination>()
  private readonly problems: ReplayProblem[] = []

  constructor(private readonly problemLimit = 20) {}

  /** Records decided so far that were replayed or parked: what --max counts. */
  get selected(): number {
    return this.counts.replayed + this.counts.parked
  }

  add(record: ConsumedRecord, decision: ReplayDecision): void {
    if (decision.action === 'limit-reached') return
    this.counts.read++
    switch (decision.action) {
      case 'replay':
      case 'park': {
        if (decision.action === 'replay') this.counts.replayed++
        else this.counts.parked++
        const key = `${decision.message.topic}\u0000${decision.action}`
        const destination = this.destinations.get(key) ?? {topic: decision.message.topic, action: decision.action, count: 0}
        destination.count++
        this.destinations.set(key, destination)
        break
      }
      case 'filtered':
        this.counts.filtered++
        break
      case 'undecodable':
      case 'refused':
        this.counts[decision.action]++
        if (this.problems.length < this.problemLimit) {
          this.problems.push({partition: record.partition, offset: record.offset, action: decision.action, reason: decision.reason})
        }
        break
    }
  }

  result(): ReplayCounts {
    const destinations = [...this.destinations.values()]
      .map((d) => ({...d}))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.action.localeCompare(b.action))
    return {...this.counts, destinations, problems: [...this.problems]}
  }
}

// ---------------------------------------------------------------------------------------------
// dlq replay flags

export interface ReplayFlags {
  to?: string
  group?: string
  'error-type'?: string[]
  since?: string
  until?: string
  where?: string[]
  max?: string
  rate?: string
  'max-retries'?: string
  'parking-topic'?: string
}

export interface ReplaySettings {
  to?: string
  group?: string
  filter: ReplayFilter
  max?: number
  /** Records per second. */
  rate?: number
  maxRetries?: number
  parkingTopic?: string
}

function badFlag(flag: string, value: string, expected: string): KafkitError {
  return new KafkitError(`--${flag}: "${value}" is not ${expected}`, {code: 'INVALID_FLAG'})
}

function topicFlag(flag: string, value: string | undefined, dlqTopic: string): string | undefined {
  if (value === undefined) return undefined
  if (!isValidTopicName(value)) throw badFlag(flag, value, 'a valid topic name')
  if (value === dlqTopic) {
    throw new KafkitError(`--${flag} ${value} is the DLQ being replayed; that would loop`, {code: 'INVALID_FLAG', hint: `name another topic`})
  }
  return value
}

function positiveInteger(flag: string, value: string | undefined, example: string): number | undefined {
  if (value === undefined) return undefined
  const n = parseNonNegativeInteger(value.trim())
  if (n === undefined || n === 0) throw badFlag(flag, value, `a positive whole number (e.g. --${flag} ${example})`)
  return n
}

function timeFlag(flag: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const t = parseTimestamp(value, now)
  if (t === undefined) throw badFlag(flag, value, `a time: ${nonexistentTime(value) ?? TIMESTAMP_FORMS}`)
  return t
}

/** Every flag mistake of `dlq replay`, as one line, before any network call. */
export function replaySettingsFromFlags(dlqTopic: string, flags: ReplayFlags, now: number = Date.now()): ReplaySettings {
  const to = topicFlag('to', flags.to, dlqTopic)
  const parkingTopic = topicFlag('parking-topic', flags['parking-topic'], dlqTopic)
  const maxRetriesText = flags['max-retries']
  const maxRetries = maxRetriesText === undefined ? undefined : parseNonNegativeInteger(maxRetriesText.trim())
  if (maxRetriesText !== undefined && maxRetries === undefined) throw badFlag('max-retries', maxRetriesText, 'a whole number (e.g. --max-retries 3)')
  if (parkingTopic !== undefined && maxRetries === undefined) {
    throw new KafkitError('--parking-topic needs --max-retries (nothing is parked without a retry limit)', {code: 'INVALID_FLAG'})
  }
  const rateText = flags.rate
  let rate: number | undefined
  if (rateText !== undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/s)?\s*$/.exec(rateText)
    rate = m === null ? undefined : Number(m[1])
    if (rate === undefined || !(rate > 0)) throw badFlag('rate', rateText, 'a rate in records per second (e.g. --rate 100 or --rate 100/s)')
    // The pause between two records must fit a timer (a longer one fired after 1 ms: no limit at all).
    if (1000 / rate > MAX_WAIT_MS) throw badFlag('rate', rateText, `a rate kafkit can pace: at least one record per ${formatDuration(MAX_WAIT_MS)}`)
  }
  const since = timeFlag('since', flags.since, now)
  const until = timeFlag('until', flags.until, now)
  if (since !== undefined && until !== undefined && since >= until) {
    throw new KafkitError(`--since ${flags.since} is not before --until ${flags.until}`, {code: 'INVALID_FLAG'})
  }
  // name=value is a header condition, as it always was; anything else is an expression.
  const where: HeaderCondition[] = []
  const expressions: string[] = []
  for (const text of flags.where ?? []) {
    const shorthand = headerShorthand(text)
    if (shorthand === undefined) expressions.push(text)
    else where.push(shorthand)
  }
  let expression: RecordFilter | undefined
  if (expressions.length > 0) {
    const compiled = compileRecordFilter(expressions)
    if (!compiled.ok) throw new KafkitError(`--where: ${compiled.error}`, {code: 'INVALID_FLAG'})
    expression = compiled.filter
  }
  const errorTypes = (flags['error-type'] ?? []).map((t) => t.trim()).filter((t) => t !== '')
  const group = flags.group?.trim()
  if (group === '') throw badFlag('group', flags.group ?? '', 'a group id')
  const filter: ReplayFilter = {}
  if (errorTypes.length > 0) filter.errorTypes = errorTypes
  if (since !== undefined) filter.since = since
  if (until !== undefined) filter.until = until
  if (where.length > 0) filter.where = where
  if (expression !== undefined) filter.expression = expression
  const settings: ReplaySettings = {filter}
  const optional = {to, group, max: positiveInteger('max', flags.max, '100'), rate, maxRetries, parkingTopic}
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (settings as any)[key] = value
  return settings
}
