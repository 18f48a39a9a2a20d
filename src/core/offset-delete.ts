/**
 * `kafkit groups delete-offsets GROUP --topic T[:P,...]`, like kafka-consumer-groups.sh
 * --delete-offsets (OffsetDelete, KIP-496): which committed offsets go, and why not. Pure.
 *
 * - `--topic T`: every partition of T the group has a committed offset for. A topic that no
 *   longer exists is allowed (its leftover offsets are the usual reason to delete), as long as
 *   the group has offsets for it.
 * - `--topic T:0,2`: those partitions; a partition T does not have is out of range, one the group
 *   has no offset for has nothing to delete. Every such problem is named in one line.
 * - The broker refuses while the group is subscribed to the topic (GROUP_SUBSCRIBED_TO_TOPIC): a
 *   member's assignment naming the topic is refused before asking, with the members named.
 */
import {KafkitError} from '../errors.js'
import {describeMembers, type GroupMemberRef} from './consumer-groups.js'
import type {CommittedOffset} from './lag.js'
import type {TopicPartitions, TopicScope} from './offset-reset.js'
import {compareTopicPartitions, describePartitionNumbers, formatTopicPartition, topicPartitionKey, type TopicPartition, type TopicPartitionOffset} from './topic-partition.js'

export interface OffsetDeleteInput {
  readonly group: string
  readonly scopes: readonly TopicScope[]
  /** The scope topics that exist, with their partitions. */
  readonly live: readonly TopicPartitions[]
  /** The group's committed offsets. */
  readonly committed: readonly CommittedOffset[]
  readonly members: readonly (GroupMemberRef & {readonly assignment: readonly TopicPartition[]})[]
}

/** The committed offsets that would be deleted, in topic, partition order. */
export function planOffsetDelete(input: OffsetDeleteInput): TopicPartitionOffset[] {
  const {group} = input
  const liveByTopic = new Map(input.live.map((t) => [t.topic, t.partitions]))
  const committedByKey = new Map<string, number>()
  const committedByTopic = new Map<string, number[]>()
  for (const c of input.committed) {
    if (c.offset === null) continue
    committedByKey.set(topicPartitionKey(c), c.offset)
    committedByTopic.set(c.topic, [...(committedByTopic.get(c.topic) ?? []), c.partition])
  }

  const subscribed = refuseSubscribed(group, [...new Set(input.scopes.map((s) => s.topic))], input.members)
  if (subscribed !== undefined) throw subscribed

  const problems: string[] = []
  const chosen = new Map<string, TopicPartitionOffset>()
  for (const scope of input.scopes) {
    const live = liveByTopic.get(scope.topic)
    const withOffsets = committedByTopic.get(scope.topic) ?? []
    if (scope.partitions === undefined) {
      if (withOffsets.length === 0) {
        problems.push(live === undefined ? `unknown topic "${scope.topic}" (and the group has no offsets for it)` : `group "${group}" has no committed offsets for ${scope.topic}`)
      }
      for (const partition of withOffsets) add(scope.topic, partition)
      continue
    }
    for (const partition of scope.partitions) {
      const tp = {topic: scope.topic, partition}
      if (committedByKey.has(topicPartitionKey(tp))) add(scope.topic, partition)
      else if (live === undefined) problems.push(`unknown topic "${scope.topic}" (and the group has no offsets for it)`)
      else if (!live.includes(partition)) problems.push(`${scope.topic} has no partition ${partition} (it has ${describePartitionNumbers(live)})`)
      else problems.push(`group "${group}" has no committed offset for ${formatTopicPartition(tp)}`)
    }
  }
  if (problems.length > 0) {
    throw new KafkitError([...new Set(problems)].join('; '), {code: 'NOTHING_TO_DELETE', hint: `kafkit groups describe ${group} shows its committed offsets`})
  }
  return [...chosen.values()].sort(compareTopicPartitions)

  function add(topic: string, partition: number): void {
    const tp = {topic, partition}
    chosen.set(topicPartitionKey(tp), {...tp, offset: committedByKey.get(topicPartitionKey(tp))!})
  }
}

/** The one line for a group still subscribed to topics whose offsets were to go; undefined when it is not. */
export function refuseSubscribed(group: string, topics: readonly string[], members: readonly (GroupMemberRef & {readonly assignment: readonly TopicPartition[]})[]): KafkitError | undefined {
  const consuming = topics.filter((t) => members.some((m) => m.assignment.some((tp) => tp.topic === t)))
  if (consuming.length === 0) return undefined
  const who = members.filter((m) => m.assignment.some((tp) => consuming.includes(tp.topic)))
  return subscribedError(group, consuming, who)
}

export function subscribedError(group: string, topics: readonly string[], members: readonly GroupMemberRef[]): KafkitError {
  const names = topics.map((t) => `"${t}"`).join(', ')
  const consumers = members.length === 0 ? '' : ` (${members.length === 1 ? '1 active member' : `${members.length} active members`}: ${describeMembers(members, 3)})`
  return new KafkitError(`cannot delete offsets of group "${group}" for ${names}: the group is subscribed to ${topics.length === 1 ? 'that topic' : 'those topics'}${consumers}`, {
    code: 'GROUP_SUBSCRIBED_TO_TOPIC',
    hint: 'Kafka deletes offsets only of topics the group no longer consumes: stop its consumers or drop the topic from their subscription first',
  })
}
