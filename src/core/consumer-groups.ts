/**
 * Pure rules about consumer groups that the adapter and the use cases share: where a group's
 * coordinator lives, which states allow an offset reset, how active members are named in one
 * line, and how the reset flags (named like kafka-consumer-groups.sh's) become one strategy.
 */
import {KafkitError} from '../errors.js'
import type {GroupMemberAssignment} from './lag.js'
import {parseTopicScope, type OffsetResetStrategy, type TopicScope} from './offset-reset.js'
import {parseNonNegativeInteger} from './topic-partition.js'
import {nonexistentTime, parseDuration, parseTimestamp} from './units.js'

/**
 * The __consumer_offsets partition that holds a group, whose leader is the group's coordinator:
 * Kafka's `Utils.abs(groupId.hashCode()) % partitionCount` (GroupCoordinatorService.partitionFor),
 * with Java's String.hashCode over UTF-16 code units and Utils.abs mapping MIN_VALUE to 0.
 */
export function offsetsTopicPartitionFor(groupId: string, partitionCount: number): number {
  if (!Number.isSafeInteger(partitionCount) || partitionCount <= 0) throw new Error(`partition count must be positive, got ${partitionCount}`)
  let hash = 0
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(31, hash) + groupId.charCodeAt(i)) | 0
  const abs = hash === -2147483648 ? 0 : Math.abs(hash)
  return abs % partitionCount
}

/**
 * The state to show. kafkajs speaks DescribeGroups up to v2, which reports a group using the
 * KIP-848 consumer protocol as Dead with no members, exactly like a group that does not exist.
 * A "Dead" group that is listed or has committed offsets is therefore one kafkit cannot see into.
 */
export function visibleGroupState(describedState: string, groupExists: boolean): string {
  return describedState === 'Dead' && groupExists ? UNKNOWN_GROUP_STATE : describedState
}

export const UNKNOWN_GROUP_STATE = 'Unknown'

/** A group exists when the coordinator knows it (any state but Dead) or it holds committed offsets. */
export function groupExists(describedState: string, committedOffsets: number): boolean {
  return describedState !== 'Dead' || committedOffsets > 0
}

/** `850ms`, `12s`, `3m12s`, `2h05m`, `3d4h`: a time lag at a glance. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`
  return `${Math.floor(h / 24)}d${h % 24}h`
}

/** Kafka only accepts offsets from outside the group (generation -1) while it has no members. */
export const RESETTABLE_GROUP_STATES: readonly string[] = ['Empty', 'Dead']

export type GroupMemberRef = Pick<GroupMemberAssignment, 'consumerId' | 'host' | 'clientId'>

/** `consumer-1-4f2c… (client consumer-1, host /10.0.0.7), …` — at most `max` named, then "and N more". */
export function describeMembers(members: readonly GroupMemberRef[], max = 5): string {
  const named = members.slice(0, max).map((m) => `${m.consumerId} (client ${m.clientId || '-'}, host ${m.host || '-'})`)
  const more = members.length > max ? `, and ${members.length - max} more` : ''
  return `${named.join(', ')}${more}`
}

/** The one line for a group that must be inactive (reset, delete) but is not. */
export function activeGroupError(group: string, members: readonly GroupMemberRef[], action: string): KafkitError {
  const count = members.length === 1 ? '1 active member' : `${members.length} active members`
  return new KafkitError(`cannot ${action} group "${group}": it has ${count}: ${describeMembers(members)}`, {
    code: 'GROUP_ACTIVE',
    hint: 'stop those consumers first; one stopped without leaving the group stays a member until its session times out',
  })
}

// ---------------------------------------------------------------------------------------------
// Reset flags → strategy

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

/** A reset strategy before any file is read: --from-file is still a path here. */
export type ResetStrategyChoice =
  | Exclude<OffsetResetStrategy, {kind: 'file'} | {kind: 'group'}>
  | {readonly kind: 'file'; readonly path: string}
  /** --to-group: the other group's offsets are read when planning. */
  | {readonly kind: 'group'; readonly group: string}

export interface ResetChoice {
  readonly strategy: ResetStrategyChoice
  /** The --topic scopes, 'all' for --all-topics, or 'file' when only --from-file says which partitions. */
  readonly scope: readonly TopicScope[] | 'all' | 'file'
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

/**
 * The time whose offsets a datetime or duration reset needs (ListOffsets by timestamp);
 * undefined for the other strategies. --by-duration counts back from `now`, like Kafka's tool.
 */
export function resetTimestamp(strategy: OffsetResetStrategy | ResetStrategyChoice, now: number): number | undefined {
  if (strategy.kind === 'datetime') return strategy.timestamp
  // Before 1970 is "every message" (a negative timestamp means something else to ListOffsets).
  if (strategy.kind === 'duration') return Math.max(0, now - strategy.ms)
  return undefined
}
