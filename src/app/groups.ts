/**
 * Use cases behind `kafkit groups list | describe | lag | delete | reset-offsets`: read the groups
 * through the adapter in as few requests as the protocol allows, let the pure core compute lag and
 * reset plans, write through the adapter, and read back what was written.
 */
import {readFileSync, writeFileSync} from 'node:fs'

import {
  activeGroupError,
  groupExists,
  resetTimestamp,
  visibleGroupState,
  type ResetChoice,
} from '../core/consumer-groups.js'
import {
  computeGroupsLag,
  lagBreaches,
  nextUnconsumedOffset,
  partitionsForLag,
  timeLagMs,
  type GroupLag,
  type GroupMemberAssignment,
  type GroupOffsets,
  type LagBreach,
  type PartitionLag,
  type TopicLag,
} from '../core/lag.js'
import {
  offsetsAfterReset,
  offsetsBeforeReset,
  planOffsetReset,
  resolveTopicScopes,
  type OffsetResetPlan,
  type OffsetResetStrategy,
  type PartitionResetState,
  type TopicScope,
} from '../core/offset-reset.js'
import {formatOffsetsCsv, parseOffsetsCsv} from '../core/offsets-csv.js'
import {planOffsetDelete, subscribedError} from '../core/offset-delete.js'
import {formatTopicPartition, topicPartitionKey, type TopicPartition, type TopicPartitionOffset} from '../core/topic-partition.js'
import {KafkitError, fileErrorCause, notFound} from '../errors.js'
import type {BrokerAddress, GroupDescription, KafkaClient} from './kafka-client.js'

const GROUPS_HINT = 'kafkit groups list shows what exists'

// ---------------------------------------------------------------------------------------------
// list

export interface GroupSummary {
  group: string
  state: string
  /** 'consumer', 'connect', ...; '' for a group whose offsets were only ever committed from outside. */
  protocolType: string
  members: number
  /** Topics the members are assigned or the group has committed offsets for. */
  topics: string[]
}

/** Every group with its state, members and topics: ListGroups, then DescribeGroups and OffsetFetch per coordinator. */
export async function listGroups(kafka: KafkaClient): Promise<GroupSummary[]> {
  const client = kafka
  const listings = await client.listGroups()
  const names = listings.map((l) => l.group)
  const [descriptions, committed] = await Promise.all([client.describeGroups(names), client.committedOffsetsOfGroups(names)])
  return listings.map((listing, i) => {
    const description = descriptions[i]
    const topics = new Set([...description.members.flatMap((m) => m.assignment.map((tp) => tp.topic)), ...committed[i].map((c) => c.topic)])
    return {
      group: listing.group,
      // Listed by a broker, so it exists even when DescribeGroups cannot see it.
      state: visibleGroupState(description.state, true),
      protocolType: listing.protocolType || description.protocolType,
      members: description.members.length,
      topics: [...topics].sort(),
    }
  })
}

// ---------------------------------------------------------------------------------------------
// describe

export interface GroupDetails {
  group: string
  state: string
  protocolType: string
  /** The partition assignor in use (range, roundrobin, ...); '' without members. */
  assignor: string
  coordinator: BrokerAddress
  members: GroupMemberAssignment[]
  /** Per partition: committed offset, log end, lag and owner, as kafka-consumer-groups.sh --describe prints them. */
  partitions: PartitionLag[]
  topics: TopicLag[]
  totalLag: number
  partitionsWithoutLag: number
}

export async function describeGroup(kafka: KafkaClient, group: string): Promise<GroupDetails> {
  const client = kafka
  const [[description], committed] = await Promise.all([client.describeGroups([group]), client.committedOffsets(group)])
  if (!groupExists(description.state, committed.length)) {
    throw notFound('group', [group], kafka.brokersLabel)
  }
  const [lag] = await lagOf(client, [{group, members: description.members, committed}])
  return {
    group,
    state: visibleGroupState(description.state, true),
    protocolType: description.protocolType,
    assignor: description.protocol,
    coordinator: description.coordinator,
    members: [...description.members],
    partitions: [...lag.partitions],
    topics: [...lag.topics],
    totalLag: lag.totalLag,
    partitionsWithoutLag: lag.partitionsWithoutLag,
  }
}

// ---------------------------------------------------------------------------------------------
// lag

export interface PartitionLagWithTime extends PartitionLag {
  /** Age of the next unconsumed message (only with --time-lag); null when caught up or unreadable. */
  timeLagMs?: number | null
}

export interface GroupLagReport {
  group: string
  state: string
  members: number
  totalLag: number
  partitionsWithoutLag: number
  /** The largest time lag of the group's partitions (only with --time-lag). */
  maxTimeLagMs?: number | null
  topics: (TopicLag & {maxTimeLagMs?: number | null})[]
  partitions: PartitionLagWithTime[]
}

export interface GroupsLagResult {
  groups: GroupLagReport[]
  /** --fail-above N; null when not given. */
  threshold: number | null
  /** Groups whose total lag exceeds the threshold, worst first. */
  breaches: LagBreach[]
}

export interface GroupsLagOptions {
  /** Named groups; ignored with allGroups. */
  groups: readonly string[]
  allGroups: boolean
  timeLag: boolean
  failAbove?: number
  now?: () => number
}

/**
 * Lag of many groups with few requests: one OffsetFetch and one DescribeGroups per coordinator,
 * and one ListOffsets per leader for the union of every group's partitions.
 */
export async function groupsLag(kafka: KafkaClient, opts: GroupsLagOptions): Promise<GroupsLagResult> {
  if (!opts.allGroups && opts.groups.length === 0) {
    throw new KafkitError('no groups given', {code: 'INVALID_FLAG', hint: 'name groups (kafkit groups lag orders-app billing) or pass --all-groups'})
  }
  if (opts.allGroups && opts.groups.length > 0) {
    throw new KafkitError('name groups or pass --all-groups, not both', {code: 'INVALID_FLAG'})
  }
  if (opts.failAbove !== undefined) lagBreaches([], opts.failAbove) // validates the threshold before any request

  const client = kafka
  const names = opts.allGroups ? (await client.listGroups()).map((l) => l.group) : [...new Set(opts.groups)]
  const [descriptions, committed] = await Promise.all([client.describeGroups(names), client.committedOffsetsOfGroups(names)])
  const missing = names.filter((_, i) => !groupExists(descriptions[i].state, committed[i].length))
  if (!opts.allGroups && missing.length > 0) {
    throw notFound('group', missing, kafka.brokersLabel)
  }

  const lags = await lagOf(
    client,
    names.map((group, i) => ({group, members: descriptions[i].members, committed: committed[i]})),
  )
  const timeLags = opts.timeLag ? await timeLagsOf(client, lags, (opts.now ?? Date.now)()) : undefined

  const groups = lags.map((lag, i): GroupLagReport => {
    const report: GroupLagReport = {
      group: lag.group,
      state: visibleGroupState(descriptions[i].state, true),
      members: descriptions[i].members.length,
      totalLag: lag.totalLag,
      partitionsWithoutLag: lag.partitionsWithoutLag,
      topics: [...lag.topics],
      partitions: [...lag.partitions],
    }
    if (!timeLags) return report
    const partitions = lag.partitions.map((row) => ({...row, timeLagMs: timeLags.get(`${lag.group}\n${topicPartitionKey(row)}`) ?? null}))
    const maxOf = (rows: PartitionLagWithTime[]) => rows.reduce<number | null>((max, r) => (r.timeLagMs == null ? max : Math.max(max ?? 0, r.timeLagMs)), null)
    return {
      ...report,
      maxTimeLagMs: maxOf(partitions),
      topics: lag.topics.map((t) => ({...t, maxTimeLagMs: maxOf(partitions.filter((p) => p.topic === t.topic))})),
      partitions,
    }
  })
  const breaches = opts.failAbove === undefined ? [] : lagBreaches(lags, opts.failAbove)
  return {groups, threshold: opts.failAbove ?? null, breaches}
}

async function lagOf(client: KafkaClient, groups: GroupOffsets[]): Promise<GroupLag[]> {
  const logEnds = await client.logOffsets(partitionsForLag(groups), 'latest')
  return computeGroupsLag(groups, logEnds)
}

/**
 * Age of the next unconsumed message of every lagging partition, keyed `group\ntopic:partition`.
 * A committed offset below the log start (retention deleted what the group had not read) is
 * read from the log start, where the group's consumers will resume.
 */
async function timeLagsOf(client: KafkaClient, lags: readonly GroupLag[], now: number): Promise<Map<string, number | null>> {
  const lagging = lags.flatMap((lag) =>
    lag.partitions.flatMap((row) => {
      const offset = nextUnconsumedOffset(row)
      return offset === null ? [] : [{group: lag.group, topic: row.topic, partition: row.partition, offset}]
    }),
  )
  if (lagging.length === 0) return new Map()
  const uniquePartitions = [...new Map(lagging.map((p) => [topicPartitionKey(p), {topic: p.topic, partition: p.partition}])).values()]
  const logStart = new Map((await client.logOffsets(uniquePartitions, 'earliest')).map((o) => [topicPartitionKey(o), o.offset]))
  const positions = lagging.map((p) => ({...p, offset: Math.max(p.offset, logStart.get(topicPartitionKey(p)) ?? p.offset)}))
  const timestamps = await client.nextMessageTimestamps(positions)
  return new Map(positions.map((p, i) => [`${p.group}\n${topicPartitionKey(p)}`, timeLagMs(timestamps[i], now)]))
}

// ---------------------------------------------------------------------------------------------
// delete

/**
 * Checks before asking: every group must exist and have no members (Kafka refuses to delete an
 * active group; saying who is still there beats its NON_EMPTY_GROUP).
 */
export async function checkGroupsDeletable(kafka: KafkaClient, groups: readonly string[]): Promise<GroupDescription[]> {
  const client = kafka
  const names = [...new Set(groups)]
  const descriptions = await client.describeGroups(names)
  // Only a Dead answer leaves doubt (absent, or a KIP-848 group): its offsets decide.
  const committed = await Promise.all(descriptions.map((d) => (d.state === 'Dead' ? client.committedOffsets(d.group) : Promise.resolve([]))))
  const missing = names.filter((_, i) => !groupExists(descriptions[i].state, committed[i].length))
  if (missing.length > 0) {
    throw notFound('group', missing, kafka.brokersLabel)
  }
  const active = descriptions.filter((d) => d.members.length > 0)
  if (active.length === 1) throw activeGroupError(active[0].group, active[0].members, 'delete')
  if (active.length > 1) {
    throw new KafkitError(`cannot delete groups with active members: ${active.map((d) => `"${d.group}" (${d.members.length})`).join(', ')}`, {
      code: 'GROUP_ACTIVE',
      hint: 'stop their consumers first; kafkit groups describe GROUP names them',
    })
  }
  return descriptions
}

export async function deleteGroups(kafka: KafkaClient, groups: readonly string[]): Promise<string[]> {
  const results = await kafka.deleteGroups(groups)
  const failed = results.filter((r) => r.error !== null)
  if (failed.length > 0) {
    const deleted = results.filter((r) => r.error === null).map((r) => r.group)
    throw new KafkitError(
      `could not delete ${failed.map((r) => `"${r.group}" (${describeDeleteError(r.error!)})`).join(', ')}` +
        (deleted.length > 0 ? `; deleted ${deleted.map((g) => `"${g}"`).join(', ')}` : ''),
      {code: 'DELETE_GROUPS_FAILED'},
    )
  }
  return results.map((r) => r.group)
}

function describeDeleteError(type: string): string {
  if (type === 'NON_EMPTY_GROUP') return 'it has active members'
  if (type === 'GROUP_ID_NOT_FOUND') return 'it does not exist'
  if (type === 'GROUP_AUTHORIZATION_FAILED') return 'not authorized'
  return type
}

// ---------------------------------------------------------------------------------------------
// reset-offsets

export interface GroupResetRequest {
  group: string
  choice: ResetChoice
  now?: number
}

export interface GroupResetPlan {
  group: string
  /** false: the group has no state on the brokers yet; executing creates it with these offsets. */
  groupExists: boolean
  /** When the strategy reads offsets for a time: that time (ISO-8601). */
  timestamp: string | null
  plan: OffsetResetPlan
}

/**
 * Reads everything the reset depends on and lets the core plan it: the scope's partitions,
 * the committed offsets, log start and end (one ListOffsets per leader each) and, for a
 * datetime or duration, the offsets for that time (one more per leader).
 */
export async function planGroupReset(kafka: KafkaClient, request: GroupResetRequest): Promise<GroupResetPlan> {
  const {group, choice} = request
  const now = request.now ?? Date.now()
  // Read and check the file before any request: its mistakes are the user's to fix first.
  const fileEntries = choice.strategy.kind === 'file' ? parseOffsetsCsv(readTextFile(choice.strategy.path), choice.strategy.path) : undefined
  const client = kafka
  const sourceGroup = choice.strategy.kind === 'group' ? choice.strategy.group : undefined
  if (sourceGroup === group) {
    throw new KafkitError(`--to-group names group "${group}" itself: there is nothing to copy`, {code: 'INVALID_RESET', hint: 'name the group whose offsets to copy'})
  }

  const [[description], allCommitted, sourceOffsets] = await Promise.all([
    client.describeGroups([group]),
    client.committedOffsets(group),
    sourceGroup === undefined ? Promise.resolve(undefined) : committedOffsetsToCopy(client, sourceGroup),
  ])
  if (description.members.length > 0) throw activeGroupError(group, description.members, 'reset offsets of')

  let scope: TopicPartition[]
  if (choice.scope === 'all' && sourceOffsets !== undefined) {
    // --to-group with --all-topics: every partition the other group has an offset for.
    scope = sourceOffsets.map(({topic, partition}) => ({topic, partition}))
    if (scope.length === 0) {
      throw new KafkitError(`group "${sourceGroup}" has no committed offsets, so there is nothing to copy`, {code: 'EMPTY_SCOPE'})
    }
  } else if (choice.scope === 'all') {
    // Kafka's --all-topics: the partitions the group has committed offsets for.
    scope = allCommitted.filter((c) => c.offset !== null).map(({topic, partition}) => ({topic, partition}))
    if (scope.length === 0) {
      throw new KafkitError(`group "${group}" has no committed offsets, so --all-topics selects nothing`, {
        code: 'EMPTY_SCOPE',
        hint: 'name the topics with --topic',
      })
    }
  } else {
    const scopes = choice.scope === 'file' ? [...new Set(fileEntries!.map((e) => e.topic))].map((topic) => ({topic})) : choice.scope
    scope = resolveTopicScopes(scopes, await client.topicPartitions(scopes.map((s) => s.topic)))
  }

  const timestamp = resetTimestamp(choice.strategy, now)
  const [earliest, latest, forTime] = await Promise.all([
    client.logOffsets(scope, 'earliest'),
    client.logOffsets(scope, 'latest'),
    timestamp === undefined ? Promise.resolve(undefined) : client.logOffsets(scope, {timestamp}),
  ])
  const committedByPartition = offsetMap(allCommitted)
  const earliestByPartition = offsetMap(earliest)
  const latestByPartition = offsetMap(latest)
  const forTimeByPartition = forTime && offsetMap(forTime)
  const leaderless = scope.filter((tp) => !earliestByPartition.has(topicPartitionKey(tp)) || !latestByPartition.has(topicPartitionKey(tp)))
  if (leaderless.length > 0) {
    throw new KafkitError(`cannot read the log start/end of ${leaderless.map(formatTopicPartition).join(', ')} (no leader?)`, {
      code: 'OFFSETS_UNAVAILABLE',
      hint: 'check kafkit cluster health, then run again',
    })
  }

  const partitions: PartitionResetState[] = scope.map((tp) => {
    const key = topicPartitionKey(tp)
    return {
      ...tp,
      committed: committedByPartition.get(key) ?? null,
      earliest: earliestByPartition.get(key)!,
      latest: latestByPartition.get(key)!,
      ...(forTimeByPartition ? {offsetForTime: forTimeByPartition.get(key) ?? null} : {}),
    }
  })
  const strategy: OffsetResetStrategy =
    choice.strategy.kind === 'file'
      ? {kind: 'file', offsets: fileEntries!}
      : choice.strategy.kind === 'group'
        ? {kind: 'group', group: choice.strategy.group, offsets: sourceOffsets!}
        : choice.strategy
  return {
    group,
    groupExists: groupExists(description.state, allCommitted.length),
    timestamp: timestamp === undefined ? null : new Date(timestamp).toISOString(),
    plan: planOffsetReset({partitions, strategy}),
  }
}

/** The committed offsets of the group `--to-group` copies from; a group that does not exist is one line. */
async function committedOffsetsToCopy(client: KafkaClient, group: string): Promise<TopicPartitionOffset[]> {
  const [[description], committed] = await Promise.all([client.describeGroups([group]), client.committedOffsets(group)])
  if (!groupExists(description.state, committed.length)) {
    throw new KafkitError(`consumer group "${group}" (--to-group) not found on ${client.brokersLabel}`, {code: 'GROUP_NOT_FOUND', hint: GROUPS_HINT})
  }
  return committed.flatMap((c) => (c.offset === null ? [] : [{topic: c.topic, partition: c.partition, offset: c.offset}]))
}

/** Writes the offsets before the reset in the CSV `--from-file` reads: the undo file. */
export function exportOffsetsBeforeReset(path: string, reset: GroupResetPlan): number {
  const rows = offsetsBeforeReset(reset.plan)
  try {
    writeFileSync(path, formatOffsetsCsv(rows))
  } catch (error) {
    throw new KafkitError(`cannot write ${path}: ${fileErrorCause(error)}`, {code: 'EXPORT_FAILED'})
  }
  return rows.length
}

/**
 * Commits the plan in one OffsetCommit while the group is inactive, then reads the offsets back:
 * a reset is only reported done when the coordinator returns exactly the planned offsets.
 */
export async function executeGroupReset(kafka: KafkaClient, reset: GroupResetPlan): Promise<TopicPartitionOffset[]> {
  const client = kafka
  const target = offsetsAfterReset(reset.plan)
  await client.commitOffsetsWhileInactive(reset.group, target)
  const committed = offsetMap(await client.committedOffsets(reset.group, target))
  const wrong = target.filter((t) => committed.get(topicPartitionKey(t)) !== t.offset)
  if (wrong.length > 0) {
    throw new KafkitError(
      `group "${reset.group}": committed offsets differ from the plan at ${wrong
        .map((t) => `${formatTopicPartition(t)} (planned ${t.offset}, found ${committed.get(topicPartitionKey(t)) ?? 'none'})`)
        .join(', ')}`,
      {code: 'RESET_NOT_VERIFIED', hint: 'did a consumer of the group start meanwhile? kafkit groups describe shows the offsets now'},
    )
  }
  return target
}

function offsetMap(offsets: readonly {topic: string; partition: number; offset: number | null}[]): Map<string, number> {
  const map = new Map<string, number>()
  for (const o of offsets) if (o.offset !== null) map.set(topicPartitionKey(o), o.offset)
  return map
}

function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new KafkitError(`${path}: ${fileErrorCause(error)}`, {
      code: 'FILE_UNREADABLE',
    })
  }
}

// ---------------------------------------------------------------------------------------------
// delete-offsets

export interface GroupOffsetDeletePlan {
  group: string
  /** The committed offsets that go, in topic, partition order. */
  offsets: TopicPartitionOffset[]
}

/**
 * The dry run of `groups delete-offsets`: the group must exist and not consume the topics (Kafka
 * refuses with GROUP_SUBSCRIBED_TO_TOPIC); the offsets to delete are its committed ones in scope.
 */
export async function planGroupOffsetDelete(kafka: KafkaClient, group: string, scopes: readonly TopicScope[]): Promise<GroupOffsetDeletePlan> {
  const [[description], committed, live] = await Promise.all([
    kafka.describeGroups([group]),
    kafka.committedOffsets(group),
    kafka.topicPartitions([...new Set(scopes.map((s) => s.topic))]),
  ])
  if (!groupExists(description.state, committed.length)) {
    throw notFound('group', [group], kafka.brokersLabel)
  }
  return {group, offsets: planOffsetDelete({group, scopes, live, committed, members: description.members})}
}

/**
 * Deletes the plan's offsets with one OffsetDelete to the coordinator, then reads them back: done
 * only when none is left. The broker's GROUP_SUBSCRIBED_TO_TOPIC (a consumer started meanwhile)
 * is the same line the dry run gives.
 */
export async function executeGroupOffsetDelete(kafka: KafkaClient, plan: GroupOffsetDeletePlan): Promise<void> {
  const results = await kafka.deleteGroupOffsets(plan.group, plan.offsets)
  const subscribed = [...new Set(results.filter((r) => r.error?.code === 'GROUP_SUBSCRIBED_TO_TOPIC').map((r) => r.topic))]
  if (subscribed.length > 0) {
    const [description] = await kafka.describeGroups([plan.group])
    throw subscribedError(plan.group, subscribed, description.members)
  }
  const failed = results.filter((r) => r.error !== null)
  if (failed.length > 0) {
    throw new KafkitError(`could not delete offsets of group "${plan.group}" for ${failed.map((r) => `${formatTopicPartition(r)} (${r.error!.message})`).join(', ')}`, {
      code: failed[0].error!.code,
    })
  }
  const left = (await kafka.committedOffsets(plan.group, plan.offsets)).filter((c) => c.offset !== null)
  if (left.length > 0) {
    throw new KafkitError(`group "${plan.group}" still has offsets for ${left.map(formatTopicPartition).join(', ')} after the delete`, {
      code: 'DELETE_NOT_VERIFIED',
      hint: 'did a consumer of the group commit meanwhile? kafkit groups describe shows the offsets now',
    })
  }
}

/** Writes the offsets that go to the CSV `reset-offsets --from-file` reads: the undo file. */
export function exportOffsetsBeforeDelete(path: string, plan: GroupOffsetDeletePlan): number {
  try {
    writeFileSync(path, formatOffsetsCsv(plan.offsets))
  } catch (error) {
    throw new KafkitError(`cannot write ${path}: ${fileErrorCause(error)}`, {code: 'EXPORT_FAILED'})
  }
  return plan.offsets.length
}
