/**
 * Desired topics (a parsed topics.yaml) + live cluster state → the changes that make the cluster
 * match, as plain JSON-able data. Pure and deterministic: the same inputs give the same plan,
 * including the replica placement of a replication-factor change.
 *
 * Rules (the design note topics-yaml.md):
 * - configs compare on effective values: a declared value the broker already applies, whatever
 *   its source, is not a change; a live topic override the file does not declare is removed
 *   (unless kafkit does not know the config, see isForeignConfig);
 * - partitions only grow; a replication factor that must be placed needs that many brokers (a
 *   new topic counts the ones that are down, a replication change only the ones that are up);
 *   a topic that already has its replication factor needs nothing, even with brokers down;
 * - live topics not declared are "unmanaged" and left alone, unless pruning, and then only under
 *   managed.prefixes; internal topics and names starting with '_' are never touched.
 */
import {downBrokers, isProtectedTopic, liveReplicationFactor, type ConfigSource, type LiveBroker, type LiveClusterState, type LiveTopic} from './cluster-state.js'
import type {Problem} from './problem.js'
import {comparableConfigValue, REMOVED_TOPIC_CONFIGS, topicConfigDef} from './topic-configs.js'
import type {DesiredTopic, NormalisedSpec} from './topics-spec.js'

// ---------------------------------------------------------------------------------------------
// The plan.

export interface CreateTopicChange {
  kind: 'create'
  topic: string
  partitions: number
  replicationFactor: number
  /** Every declared config, as Kafka prints it. */
  configs: Record<string, string>
}

export interface AddPartitionsChange {
  kind: 'addPartitions'
  topic: string
  from: number
  to: number
  /**
   * Replicas of each new partition, only when the replication factor changes in the same plan
   * (otherwise Kafka places them, with the topic's current replication factor).
   */
  assignments?: number[][]
}

export interface PartitionReassignment {
  partition: number
  from: number[]
  to: number[]
}

export interface ReplicationChange {
  kind: 'replication'
  topic: string
  from: number
  to: number
  /** Only the partitions whose replica list changes, by partition number. */
  partitions: PartitionReassignment[]
}

export interface ConfigEntryChange {
  name: string
  /** set: no override yet, the inherited value differs; change: override differs; remove: override not declared. */
  action: 'set' | 'change' | 'remove'
  /** The live effective value (null when the broker did not report one). */
  from: string | null
  fromSource?: ConfigSource
  /** null for remove: the topic falls back to the broker's value. */
  to: string | null
}

export interface ConfigChange {
  kind: 'config'
  topic: string
  /** Only these keys are written (IncrementalAlterConfigs): every other override stays as it is. */
  entries: ConfigEntryChange[]
}

export interface DeleteTopicChange {
  kind: 'delete'
  topic: string
  partitions: number
  replicationFactor: number
}

export type TopicChange = CreateTopicChange | AddPartitionsChange | ReplicationChange | ConfigChange | DeleteTopicChange
export type TopicChangeKind = TopicChange['kind']

/** A plan error: always severity 'error', placed on the file line it is about. */
export interface PlanError extends Problem {
  topic?: string
}

export interface TopicPlan {
  clusterId: string
  env?: string
  /** Sorted by topic, then create, addPartitions, replication, config, delete. */
  changes: TopicChange[]
  errors: PlanError[]
  /** Live topics not declared and not deleted (internal topics left out), sorted. */
  unmanaged: string[]
  /** Declared topics that exist and need nothing. */
  inSync: number
}

const KIND_ORDER: readonly TopicChangeKind[] = ['create', 'addPartitions', 'replication', 'config', 'delete']

export function planTopicChanges(desired: NormalisedSpec, live: LiveClusterState, options: {prune: boolean}): TopicPlan {
  const plan: TopicPlan = {clusterId: live.clusterId, ...(desired.env === undefined ? {} : {env: desired.env}), changes: [], errors: [], unmanaged: [], inSync: 0}
  const fail = (location: {line: number; col: number}, message: string, topic?: string) =>
    plan.errors.push({file: desired.file, ...location, severity: 'error', message, ...(topic === undefined ? {} : {topic})})

  // Wrong cluster: any plan against it would mislead (and a prune would delete the wrong topics).
  if (desired.cluster !== undefined && desired.cluster.id !== live.clusterId) {
    fail(desired.cluster.location, `cluster.id is "${desired.cluster.id}" but the cluster reached has id "${live.clusterId}": wrong cluster? check --bootstrap-server and --env`)
    return plan
  }

  const liveByName = new Map(live.topics.map((topic) => [topic.name, topic]))
  const placement = new ReplicaPlacement(live)
  const down = downBrokers(live)
  const brokers = {registered: live.brokers.length + down.length, down}
  const declared = [...desired.topics].sort((a, b) => compareNames(a.name, b.name))

  for (const topic of declared) {
    const errorsBefore = plan.errors.length
    const topicFail = (message: string) => fail(topic.location, `topic "${topic.name}": ${message}`, topic.name)
    const liveTopic = liveByName.get(topic.name)
    if (liveTopic === undefined) {
      // Kafka places a new topic's replicas itself, on fenced (down) brokers too when it must.
      const problem = replicationProblem(topic.replicationFactor, brokers.registered, brokers.down)
      if (problem) topicFail(problem)
      else plan.changes.push({kind: 'create', topic: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor, configs: {...topic.config}})
      continue
    }
    if (isProtectedTopic(liveTopic)) {
      topicFail('is internal to Kafka (or starts with "_"); kafkit never changes it, remove it from the file')
      continue
    }

    const changes: TopicChange[] = []
    // Only a replica count that changes needs brokers: a topic that already has its replication
    // factor is never an error, whatever brokers are down (a rolling restart must not block apply).
    // kafkit places new replicas itself, on brokers that are up.
    const needsReplication = liveTopic.partitions.some((p) => p.replicas.length !== topic.replicationFactor)
    const replicationError = needsReplication ? replicationProblem(topic.replicationFactor, live.brokers.length, brokers.down) : undefined
    if (replicationError) topicFail(replicationError)
    const replication = needsReplication && !replicationError ? planReplication(topic, liveTopic, placement) : undefined
    const livePartitions = liveTopic.partitions.length
    if (topic.partitions < livePartitions) {
      topicFail(
        `partitions cannot decrease from ${livePartitions} to ${topic.partitions}: Kafka cannot remove partitions. ` +
          `Keep ${livePartitions}, or create a new topic with ${topic.partitions} and move producers and consumers to it ` +
          '(deleting and recreating this topic loses its data)',
      )
    } else if (topic.partitions > livePartitions) {
      const assignments = replication === undefined ? undefined : placement.newPartitions(topic.partitions - livePartitions, topic.replicationFactor)
      changes.push({kind: 'addPartitions', topic: topic.name, from: livePartitions, to: topic.partitions, ...(assignments ? {assignments} : {})})
    }
    if (replication !== undefined) changes.push(replication)

    const isrProblem = replication === undefined ? undefined : insyncReplicasProblem(topic, liveTopic)
    if (isrProblem !== undefined) topicFail(isrProblem)

    const config = planConfig(topic, liveTopic)
    if (config !== undefined) changes.push(config)

    plan.changes.push(...changes)
    if (changes.length === 0 && plan.errors.length === errorsBefore) plan.inSync++
  }

  const declaredNames = new Set(desired.topics.map((topic) => topic.name))
  const undeclared = live.topics.filter((topic) => !declaredNames.has(topic.name) && !isProtectedTopic(topic)).sort((a, b) => compareNames(a.name, b.name))
  for (const topic of undeclared) {
    if (options.prune && desired.managedPrefixes.some((prefix) => topic.name.startsWith(prefix))) {
      plan.changes.push({kind: 'delete', topic: topic.name, partitions: topic.partitions.length, replicationFactor: liveReplicationFactor(topic)})
    } else {
      plan.unmanaged.push(topic.name)
    }
  }

  plan.changes.sort((a, b) => compareNames(a.topic, b.topic) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
  return plan
}

/**
 * Why `replicationFactor` replicas cannot be placed on `available` brokers, or undefined.
 * Names the brokers that are down: waiting for them is the fix, not editing the file.
 */
function replicationProblem(replicationFactor: number, available: number, down: readonly number[]): string | undefined {
  if (replicationFactor <= available) return undefined
  const s = (n: number) => (n === 1 ? '' : 's')
  if (down.length === 0) return `replicationFactor ${replicationFactor} is more than the ${available} broker${s(available)} in the cluster (each replica needs its own broker)`
  return (
    `replicationFactor ${replicationFactor} is more than the ${available} broker${s(available)} it can use now (each replica needs its own broker): ` +
    `broker${s(down.length)} ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down; apply again when ${down.length === 1 ? 'it is' : 'they are'} back`
  )
}

/** Byte order, not locale order, so the plan is the same on every machine. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// ---------------------------------------------------------------------------------------------
// Replication factor changes: keep what is there, move as little as possible.

/**
 * Replica counts per broker across the cluster, kept up to date as the plan places replicas so
 * that one topic's new replicas do not all land on the same broker.
 */
class ReplicaPlacement {
  private readonly load = new Map<number, number>()
  private readonly brokers: LiveBroker[]

  constructor(live: LiveClusterState) {
    this.brokers = [...live.brokers].sort((a, b) => a.nodeId - b.nodeId)
    for (const broker of this.brokers) this.load.set(broker.nodeId, 0)
    for (const topic of live.topics) {
      for (const p of topic.partitions) for (const id of p.replicas) this.load.set(id, (this.load.get(id) ?? 0) + 1)
    }
  }

  /**
   * Adds replicas at the end (the first replica, the preferred leader, stays first), each on the
   * broker that is, in order: in a rack the partition does not use yet, least loaded, lowest id.
   */
  grow(replicas: readonly number[], target: number): number[] {
    const result = [...replicas]
    while (result.length < target) {
      const usedRacks = new Set(result.map((id) => this.rackOf(id)).filter((rack) => rack !== undefined))
      const candidates = this.brokers.filter((broker) => !result.includes(broker.nodeId))
      if (candidates.length === 0) break
      const score = (broker: LiveBroker) => [broker.rack !== undefined && usedRacks.has(broker.rack) ? 1 : 0, this.load.get(broker.nodeId) ?? 0, broker.nodeId]
      const best = candidates.reduce((a, b) => (compareScores(score(b), score(a)) < 0 ? b : a))
      result.push(best.nodeId)
      this.load.set(best.nodeId, (this.load.get(best.nodeId) ?? 0) + 1)
    }
    return result
  }

  /**
   * Drops replicas from the end, never the first replica (preferred leader) nor the current
   * leader; when only those two remain and one must go, the current leader stays.
   */
  shrink(replicas: readonly number[], target: number, leader: number): number[] {
    let result = [...replicas]
    const keep = new Set([replicas[0], leader])
    for (let i = result.length - 1; i >= 0 && result.length > target; i--) {
      if (!keep.has(result[i])) result.splice(i, 1)
    }
    if (result.length > target) result = [replicas.includes(leader) ? leader : replicas[0]]
    for (const id of replicas) if (!result.includes(id)) this.load.set(id, (this.load.get(id) ?? 0) - 1)
    return result
  }

  newPartitions(count: number, replicationFactor: number): number[][] {
    return Array.from({length: count}, () => this.grow([], replicationFactor))
  }

  private rackOf(nodeId: number): string | undefined {
    return this.brokers.find((broker) => broker.nodeId === nodeId)?.rack
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

function planReplication(topic: DesiredTopic, live: LiveTopic, placement: ReplicaPlacement): ReplicationChange | undefined {
  const target = topic.replicationFactor
  const partitions: PartitionReassignment[] = []
  for (const p of [...live.partitions].sort((a, b) => a.partition - b.partition)) {
    if (p.replicas.length === target) continue
    const to = p.replicas.length < target ? placement.grow(p.replicas, target) : placement.shrink(p.replicas, target, p.leader)
    partitions.push({partition: p.partition, from: [...p.replicas], to})
  }
  if (partitions.length === 0) return undefined
  return {kind: 'replication', topic: topic.name, from: liveReplicationFactor(live), to: target, partitions}
}

/**
 * min.insync.replicas above the replication factor makes acks=all writes impossible. Lint sees
 * declared values; only the plan sees one inherited from the broker (e.g. RF 3 → 1 on a cluster
 * whose brokers set min.insync.replicas=2). Checked when the plan changes the replication
 * factor: a topic already in that state is not made worse by an unrelated change.
 */
function insyncReplicasProblem(topic: DesiredTopic, live: LiveTopic): string | undefined {
  if (topic.config['min.insync.replicas'] !== undefined) return undefined // lint's job
  const inherited = live.configs['min.insync.replicas']
  if (inherited === undefined || inherited.source === 'topic' || inherited.value === null) return undefined
  const isr = Number(inherited.value)
  return isr > topic.replicationFactor
    ? `min.insync.replicas ${isr} (from the broker, ${inherited.source}) is greater than replicationFactor ${topic.replicationFactor}: producers with acks=all could never write; declare min.insync.replicas for this topic`
    : undefined
}

// ---------------------------------------------------------------------------------------------
// Configs.

/**
 * An override of a config this table does not know (a newer Kafka's, a plugin's): the file
 * cannot declare it, so kafkit keeps it rather than deleting what it does not understand.
 * Configs Kafka 4.0 removed are not kept: a 4.x broker would reject them.
 */
function isForeignConfig(name: string): boolean {
  return topicConfigDef(name) === undefined && !(name in REMOVED_TOPIC_CONFIGS)
}

function planConfig(topic: DesiredTopic, live: LiveTopic): ConfigChange | undefined {
  const entries: ConfigEntryChange[] = []
  for (const [name, value] of Object.entries(topic.config)) {
    const entry = live.configs[name]
    const current = comparableConfigValue(name, entry?.value ?? null)
    if (current === value) continue
    entries.push({
      name,
      action: entry?.source === 'topic' ? 'change' : 'set',
      from: current,
      ...(entry === undefined ? {} : {fromSource: entry.source}),
      to: value,
    })
  }
  // Overrides of configs kafkit does not know (a vendor's) are kept, never removed.
  for (const [name, entry] of Object.entries(live.configs)) {
    if (entry.source !== 'topic' || name in topic.config || isForeignConfig(name)) continue
    entries.push({name, action: 'remove', from: comparableConfigValue(name, entry.value), fromSource: 'topic', to: null})
  }
  if (entries.length === 0) return undefined
  entries.sort((a, b) => compareNames(a.name, b.name))
  return {kind: 'config', topic: topic.name, entries}
}

// ---------------------------------------------------------------------------------------------
// Helpers for callers.

export interface PlanSummary {
  create: number
  addPartitions: number
  replication: number
  config: number
  delete: number
  /** Distinct topics with at least one change. */
  topicsChanged: number
  unmanaged: number
  inSync: number
  errors: number
}

export function summarisePlan(plan: TopicPlan): PlanSummary {
  const count = (kind: TopicChangeKind) => plan.changes.filter((change) => change.kind === kind).length
  return {
    create: count('create'),
    addPartitions: count('addPartitions'),
    replication: count('replication'),
    config: count('config'),
    delete: count('delete'),
    topicsChanged: new Set(plan.changes.map((change) => change.topic)).size,
    unmanaged: plan.unmanaged.length,
    inSync: plan.inSync,
    errors: plan.errors.length,
  }
}

export function hasChanges(plan: TopicPlan): boolean {
  return plan.changes.length > 0
}
