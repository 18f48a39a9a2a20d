/**
 * Consumer-group lag, computed the way `kafka-consumer-groups.sh --describe` computes it
 * (ConsumerGroupCommand.collectGroupsOffsets / getLag), so the numbers can be cross-checked:
 *
 * - Rows: every partition assigned to a member, plus every partition with a committed offset
 *   that no member owns (Kafka prints those with `-` as consumer id, host and client id).
 *   Members without partitions add no rows (Kafka filters them out of the offsets view).
 * - LAG = LOG-END-OFFSET - CURRENT-OFFSET. Without a committed offset (or with Kafka's "none"
 *   marker -1) CURRENT-OFFSET and LAG are both unknown, printed `-` by Kafka; here they are
 *   null (`formatLagCell` prints `-`). Likewise when the log end is unknown (no leader).
 *   Such partitions are not counted in the totals; `partitionsWithoutLag` says how many.
 * - A committed offset past the log end gives a negative lag, printed as is by Kafka (it happens
 *   when a topic is re-created); we keep it too rather than hide the anomaly.
 *
 * Kafka orders rows by member; we order by topic and partition, which renderers can regroup.
 * Pure: one ListOffsets (LATEST) result is shared by all groups (see partitionsForLag).
 */
import {KafkitError} from '../errors.js'
import {compareTopicPartitions, topicPartitionKey, type TopicPartition, type TopicPartitionOffset} from './topic-partition.js'

export interface GroupMemberAssignment {
  readonly consumerId: string
  readonly host: string
  readonly clientId: string
  readonly assignment: readonly TopicPartition[]
}

export interface CommittedOffset extends TopicPartition {
  /** null (or Kafka's -1) when the group has no committed offset for the partition. */
  readonly offset: number | null
}

export interface GroupOffsets {
  readonly group: string
  readonly members: readonly GroupMemberAssignment[]
  readonly committed: readonly CommittedOffset[]
}

export type PartitionOwner = Pick<GroupMemberAssignment, 'consumerId' | 'host' | 'clientId'>

export interface PartitionLag extends TopicPartition {
  /** Kafka's CURRENT-OFFSET; null when nothing is committed. */
  readonly committed: number | null
  /** Kafka's LOG-END-OFFSET (high watermark); null when unknown. */
  readonly logEnd: number | null
  /** logEnd - committed; null when either is unknown. */
  readonly lag: number | null
  /** The member the partition is assigned to; null when unassigned. */
  readonly owner: PartitionOwner | null
}

export interface TopicLag {
  readonly topic: string
  readonly partitions: number
  /** Sum of the known lags. */
  readonly lag: number
  readonly partitionsWithoutLag: number
  /** Of those, the ones whose log end is unknown (no leader: offline): their lag is not 0, it is unknown. */
  readonly partitionsWithoutLogEnd: number
}

export interface GroupLag {
  readonly group: string
  /** In topic, partition order. */
  readonly partitions: readonly PartitionLag[]
  /** In topic order. */
  readonly topics: readonly TopicLag[]
  readonly totalLag: number
  readonly partitionsWithoutLag: number
}

export interface LagBreach {
  readonly group: string
  readonly lag: number
  readonly threshold: number
}

/** Kafka's MISSING_COLUMN_VALUE, for CURRENT-OFFSET / LOG-END-OFFSET / LAG cells that are unknown. */
export const MISSING_VALUE = '-'

export function formatLagCell(value: number | null): string {
  return value === null ? MISSING_VALUE : String(value)
}

/**
 * Every partition whose log end the groups need: the assigned and the committed ones, without
 * duplicates, so the caller can fetch them all in one ListOffsets round.
 */
export function partitionsForLag(groups: readonly GroupOffsets[]): TopicPartition[] {
  const byKey = new Map<string, TopicPartition>()
  for (const group of groups) {
    for (const tp of [...group.members.flatMap((member) => member.assignment), ...actuallyCommitted(group)]) {
      byKey.set(topicPartitionKey(tp), {topic: tp.topic, partition: tp.partition})
    }
  }
  return [...byKey.values()].sort(compareTopicPartitions)
}

export function computeGroupsLag(groups: readonly GroupOffsets[], logEndOffsets: readonly TopicPartitionOffset[]): GroupLag[] {
  const logEndByPartition = new Map(logEndOffsets.map((tp) => [topicPartitionKey(tp), tp.offset]))
  return groups.map((group) => lagOfGroup(group, logEndByPartition))
}

export function computeGroupLag(group: GroupOffsets, logEndOffsets: readonly TopicPartitionOffset[]): GroupLag {
  return computeGroupsLag([group], logEndOffsets)[0]
}

/** Groups whose total lag exceeds the threshold (strictly), worst first: what --fail-above exits 3 on. */
export function lagBreaches(groups: readonly GroupLag[], threshold: number): LagBreach[] {
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new KafkitError(`lag threshold must be a non-negative integer, got ${threshold}`, {code: 'INVALID_THRESHOLD'})
  }
  return groups
    .filter((group) => group.totalLag > threshold)
    .map((group) => ({group: group.group, lag: group.totalLag, threshold}))
    .sort((a, b) => b.lag - a.lag || (a.group < b.group ? -1 : 1))
}

/** The offset whose message's timestamp gives the time lag; null when caught up or unknown. */
export function nextUnconsumedOffset(row: PartitionLag): number | null {
  return row.lag !== null && row.lag > 0 ? row.committed : null
}

/**
 * Time lag: how old the next unconsumed message is. null when there is no such message
 * (caught up). Clamped at 0 because producer and local clocks can disagree.
 */
export function timeLagMs(nextUnconsumedTimestamp: number | null | undefined, now: number): number | null {
  if (nextUnconsumedTimestamp === null || nextUnconsumedTimestamp === undefined) return null
  return Math.max(0, now - nextUnconsumedTimestamp)
}

function lagOfGroup(group: GroupOffsets, logEndByPartition: ReadonlyMap<string, number>): GroupLag {
  const committedByPartition = new Map<string, number>()
  for (const entry of actuallyCommitted(group)) committedByPartition.set(topicPartitionKey(entry), entry.offset)

  const rowPartitions = new Map<string, {tp: TopicPartition; owner: PartitionOwner | null}>()
  for (const member of group.members) {
    const owner = {consumerId: member.consumerId, host: member.host, clientId: member.clientId}
    for (const tp of member.assignment) {
      // Two owners only show up mid-rebalance; the first one listed is as good as any.
      const key = topicPartitionKey(tp)
      if (!rowPartitions.has(key)) rowPartitions.set(key, {tp, owner})
    }
  }
  for (const tp of actuallyCommitted(group)) {
    const key = topicPartitionKey(tp)
    if (!rowPartitions.has(key)) rowPartitions.set(key, {tp, owner: null})
  }

  const partitions = [...rowPartitions.entries()]
    .map(([key, {tp, owner}]): PartitionLag => {
      const committed = committedByPartition.get(key) ?? null
      const logEnd = logEndByPartition.get(key) ?? null
      const lag = committed === null || logEnd === null ? null : logEnd - committed
      return {topic: tp.topic, partition: tp.partition, committed, logEnd, lag, owner}
    })
    .sort(compareTopicPartitions)

  const topics = new Map<string, TopicLag>()
  for (const row of partitions) {
    const total = topics.get(row.topic) ?? {topic: row.topic, partitions: 0, lag: 0, partitionsWithoutLag: 0, partitionsWithoutLogEnd: 0}
    topics.set(row.topic, {
      topic: row.topic,
      partitions: total.partitions + 1,
      lag: total.lag + (row.lag ?? 0),
      partitionsWithoutLag: total.partitionsWithoutLag + (row.lag === null ? 1 : 0),
      partitionsWithoutLogEnd: total.partitionsWithoutLogEnd + (row.logEnd === null ? 1 : 0),
    })
  }
  const topicTotals = [...topics.values()]
  return {
    group: group.group,
    partitions,
    topics: topicTotals,
    totalLag: topicTotals.reduce((sum, topic) => sum + topic.lag, 0),
    partitionsWithoutLag: topicTotals.reduce((sum, topic) => sum + topic.partitionsWithoutLag, 0),
  }
}

/**
 * The committed entries that hold an offset. Kafka's getLag treats -1 as "none", and some
 * adapters (kafkajs's fetchOffsets with topics) list every partition with -1; those must not
 * add unassigned rows that Kafka's tool, which only sees stored offsets, would not print.
 */
function actuallyCommitted(group: GroupOffsets): TopicPartitionOffset[] {
  return group.committed.flatMap((entry) =>
    entry.offset !== null && entry.offset >= 0 ? [{topic: entry.topic, partition: entry.partition, offset: entry.offset}] : [],
  )
}
