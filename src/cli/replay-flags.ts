/** `dlq replay` flags as settings: every flag mistake as one line, before any network call. */
import {type HeaderCondition, type ReplayFilter, type ReplaySettings} from '../core/dlq-replay.js'
import {compileRecordFilter, headerShorthand, type RecordFilter} from '../core/record-filter.js'
import {isValidTopicName, parseNonNegativeInteger} from '../core/topic-partition.js'
import {MAX_WAIT_MS, TIMESTAMP_FORMS, formatDuration, nonexistentTime, parseTimestamp} from '../core/units.js'
import {KafkitError} from '../errors.js'

/** The flags of `dlq replay` as oclif parses them (kebab-case, as typed). */
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
  const settings: ReplaySettings = {dlqTopic, filter}
  const optional = {to, group, max: positiveInteger('max', flags.max, '100'), rate, maxRetries, parkingTopic}
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (settings as any)[key] = value
  return settings
}
