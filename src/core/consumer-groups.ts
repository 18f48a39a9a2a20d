/**
 * Pure rules about consumer groups that the adapter and the use cases share: where a group's
 * coordinator lives, which states allow an offset reset, how active members are named in one
 * line, and the reset strategy the reset flags (cli/reset-flags.ts) choose.
 */
import {KafkitError} from '../errors.js'
import type {GroupMemberAssignment} from './lag.js'
import type {OffsetResetStrategy, TopicScope} from './offset-reset.js'

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
// Reset strategy (the flags: cli/reset-flags.ts)

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
