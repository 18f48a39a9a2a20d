/** `groups reset-offsets` flags (named like kafka-consumer-groups.sh's) as one reset choice. */
import type {ResetChoice, ResetStrategyChoice} from '../core/consumer-groups.js'
import {parseTopicScope} from '../core/offset-reset.js'
import {parseNonNegativeInteger} from '../core/topic-partition.js'
import {nonexistentTime, parseDuration, parseTimestamp} from '../core/units.js'
import {KafkitError} from '../errors.js'

/** The reset flags as the command received them; names follow kafka-consumer-groups.sh. */
export interface ResetFlags {
  readonly 'to-earliest'?: boolean
  readonly 'to-latest'?: boolean
  readonly 'to-offset'?: string
  readonly 'shift-by'?: string
  readonly 'to-datetime'?: string
  readonly 'by-duration'?: string
  readonly 'from-file'?: string
  readonly 'to-group'?: string
  readonly topic?: readonly string[]
  readonly 'all-topics'?: boolean
}

export const RESET_STRATEGY_FLAGS = ['to-earliest', 'to-latest', 'to-offset', 'shift-by', 'to-datetime', 'by-duration', 'from-file', 'to-group'] as const

const STRATEGY_HINT = 'choose exactly one of --to-earliest, --to-latest, --to-offset N, --shift-by N, --to-datetime T, --by-duration D, --from-file F, --to-group G'

/**
 * Exactly one strategy, exactly one of --topic/--all-topics (optional with --from-file, whose lines
 * name the partitions), and well-formed values — each mistake as one line, before any network call.
 */
export function resetChoiceFromFlags(flags: ResetFlags): ResetChoice {
  const given = RESET_STRATEGY_FLAGS.filter((name) => flags[name] !== undefined && flags[name] !== false)
  if (given.length === 0) throw new KafkitError('no reset strategy given', {code: 'INVALID_RESET', hint: STRATEGY_HINT})
  if (given.length > 1) {
    throw new KafkitError(`${given.map((f) => `--${f}`).join(' and ')} cannot be combined`, {code: 'INVALID_RESET', hint: STRATEGY_HINT})
  }
  const strategy = strategyFromFlag(given[0], flags)

  const topics = flags.topic ?? []
  if (topics.length > 0 && flags['all-topics']) {
    throw new KafkitError('--topic and --all-topics cannot be combined', {code: 'INVALID_RESET', hint: 'name topics with --topic, or pass --all-topics alone'})
  }
  if (topics.length === 0 && !flags['all-topics'] && strategy.kind !== 'file') {
    throw new KafkitError('no topics to reset', {code: 'INVALID_RESET', hint: 'add --topic NAME[:0,1,...] (repeatable) or --all-topics'})
  }
  const scope = topics.length > 0 ? topics.map(parseTopicScope) : flags['all-topics'] ? 'all' : 'file'
  return {strategy, scope}
}

function strategyFromFlag(flag: (typeof RESET_STRATEGY_FLAGS)[number], flags: ResetFlags): ResetStrategyChoice {
  const value = String(flags[flag] ?? '')
  switch (flag) {
    case 'to-earliest':
      return {kind: 'earliest'}
    case 'to-latest':
      return {kind: 'latest'}
    case 'to-offset': {
      const offset = parseNonNegativeInteger(value.trim())
      if (offset === undefined) throw invalidValue(flag, value, 'a non-negative offset, e.g. --to-offset 1200')
      return {kind: 'offset', offset}
    }
    case 'shift-by': {
      const by = /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
      if (!Number.isSafeInteger(by)) throw invalidValue(flag, value, 'a whole number of messages, e.g. --shift-by -100 or --shift-by 50')
      return {kind: 'shift', by}
    }
    case 'to-datetime': {
      const timestamp = parseTimestamp(value)
      if (timestamp === undefined) {
        const problem = nonexistentTime(value)
        if (problem !== undefined) throw new KafkitError(`--${flag}: "${value}" is not valid`, {code: 'INVALID_RESET', hint: problem})
        throw invalidValue(flag, value, 'an ISO-8601 time with a zone, e.g. 2026-11-01T10:00:00Z or 2026-11-01T12:00:00+02:00')
      }
      return {kind: 'datetime', timestamp}
    }
    case 'by-duration': {
      const ms = parseDuration(value)
      if (ms === undefined) throw invalidValue(flag, value, 'a duration, e.g. PT1H, 90m, 2d')
      return {kind: 'duration', ms}
    }
    case 'from-file':
      if (value.trim() === '') throw invalidValue(flag, value, 'a file of topic,partition,offset lines')
      return {kind: 'file', path: value}
    case 'to-group':
      if (value.trim() === '') throw invalidValue(flag, value, 'the consumer group whose committed offsets to copy')
      return {kind: 'group', group: value}
  }
}

function invalidValue(flag: string, value: string, expected: string): KafkitError {
  return new KafkitError(`--${flag}: "${value}" is not valid`, {code: 'INVALID_RESET', hint: `expected ${expected}`})
}
