/**
 * The live cluster as plain data, as the Kafka adapter reads it. Every pure module that
 * compares against the cluster (plan, health, export) takes these types.
 */

export interface LiveBroker {
  nodeId: number
  host: string
  port: number
  rack?: string
}

export interface LivePartition {
  partition: number
  /** -1 when the partition has no leader (offline). */
  leader: number
  replicas: number[]
  isr: number[]
  offlineReplicas?: number[]
}

export type ConfigSource = 'topic' | 'dynamic-broker' | 'dynamic-default-broker' | 'static-broker' | 'default' | 'unknown'

export interface LiveConfigEntry {
  value: string | null
  source: ConfigSource
  readOnly?: boolean
  sensitive?: boolean
}

export interface LiveTopic {
  name: string
  internal: boolean
  partitions: LivePartition[]
  /** Every entry DescribeConfigs returned, so effective values (and their source) are known. */
  configs: Record<string, LiveConfigEntry>
}

export interface LiveClusterState {
  clusterId: string
  brokers: LiveBroker[]
  topics: LiveTopic[]
}

/**
 * Brokers that hold replicas but are not among the live brokers: down (or fenced). Metadata
 * lists only live brokers, so a registered broker that is down is seen only through the
 * replica lists that name it. Sorted.
 */
export function downBrokers(live: Pick<LiveClusterState, 'brokers' | 'topics'>): number[] {
  const up = new Set(live.brokers.map((b) => b.nodeId))
  const down = new Set<number>()
  for (const topic of live.topics) for (const p of topic.partitions) for (const id of p.replicas) if (!up.has(id)) down.add(id)
  return [...down].sort((a, b) => a - b)
}

/** Kafka's own (`__consumer_offsets`, `__transaction_state`) and by convention any `_`-prefixed name. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('_')
}

/** Internal topics and names starting with '_' (__consumer_offsets, _schemas): never touched. */
export function isProtectedTopic(topic: Pick<LiveTopic, 'name' | 'internal'>): boolean {
  return topic.internal || isInternalTopic(topic.name)
}

/** The most frequent value; ties go to the smaller one; 0 for none. */
export function mostCommon(values: readonly number[]): number {
  // Nearly always every value is the same (a topic's replica counts): no map, no sort.
  if (values.every((value) => value === values[0])) return values.length === 0 ? 0 : values[0]
  const counts = new Map<number, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  let best = 0
  let bestCount = 0
  for (const [value, count] of [...counts].sort(([a], [b]) => a - b)) {
    if (count > bestCount) [best, bestCount] = [value, count]
  }
  return best
}

/** The replica count most partitions have (partitions can differ after an interrupted reassignment). */
export function liveReplicationFactor(topic: Pick<LiveTopic, 'partitions'>): number {
  return mostCommon(topic.partitions.map((p) => p.replicas.length))
}

/** Configs set on the topic itself (what `kafka-configs --describe` lists as overrides). */
export function topicOverrides(topic: Pick<LiveTopic, 'configs'>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, entry] of Object.entries(topic.configs)) {
    if (entry.source === 'topic' && entry.value !== null) out[name] = entry.value
  }
  return out
}

export interface PartitionProblem {
  topic: string
  partition: number
  leader: number
  replicas: number[]
  isr: number[]
  minIsr?: number
  problems: ('offline' | 'under-replicated' | 'under-min-isr')[]
}

/**
 * Health like `kafka-topics --describe --under-replicated-partitions / --unavailable-partitions /
 * --under-min-isr-partitions`, as one pass over the metadata.
 */
export function findPartitionProblems(topics: LiveTopic[]): PartitionProblem[] {
  const out: PartitionProblem[] = []
  for (const t of topics) {
    const minIsrValue = t.configs['min.insync.replicas']?.value
    const minIsr = minIsrValue === null || minIsrValue === undefined ? undefined : Number(minIsrValue)
    for (const p of t.partitions) {
      const problems: PartitionProblem['problems'] = []
      if (p.leader < 0) problems.push('offline')
      if (p.isr.length < p.replicas.length) problems.push('under-replicated')
      if (minIsr !== undefined && p.isr.length < minIsr) problems.push('under-min-isr')
      if (problems.length > 0) out.push({topic: t.name, partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, minIsr, problems})
    }
  }
  return out
}
