/**
 * What `topics reassign` needs from the cluster beyond the port's topic writes: the reassignments
 * in progress with their adding/removing replicas (kafkajs ListPartitionReassignments), starting
 * and cancelling reassignments per partition (./protocol/alter-partition-reassignments.ts: kafkajs
 * cannot cancel), replica sizes per broker (./protocol/describe-log-dirs.ts: kafkajs lacks
 * DescribeLogDirs) and the per-broker throttle rates (kafkajs DescribeConfigs, which sends a
 * broker's resource to that broker).
 */
import {KafkitError, type ErrorCode} from '../errors.js'
import type {KafkaConnection} from './connection.js'
import {kafkaErrorOfCode, translateKafkaError} from './errors.js'
import {connectionCluster} from './groups.js'
import {sendAlterPartitionReassignments, type PartitionTarget} from './protocol/alter-partition-reassignments.js'
import {sendDescribeLogDirs, type LogDirTopic} from './protocol/describe-log-dirs.js'
import type {ProtocolCluster} from './protocol/wire.js'

export type {PartitionTarget} from './protocol/alter-partition-reassignments.js'

export interface ReassignmentInProgress {
  topic: string
  partition: number
  /** Every replica now: the target ones plus those being removed. */
  replicas: number[]
  adding: number[]
  removing: number[]
}

export interface PartitionTargetResult {
  topic: string
  partition: number
  /** One line in kafkit's words, or null. */
  error: {code: ErrorCode; message: string} | null
}

export interface ReplicaSize {
  broker: number
  topic: string
  partition: number
  bytes: number
}

export interface ReplicaSizes {
  sizes: ReplicaSize[]
  /** Brokers that could not say (unreachable, a Kafka without DescribeLogDirs v2): one line each. */
  unknown: {broker: number; error: string}[]
}

/** Per-broker dynamic configs (not the cluster-wide default) among `names`, by broker id. */
export interface BrokerConfigOverrides {
  broker: number
  configs: Record<string, string>
}

/** Reassignments in progress (of these topics, or all). */
export async function listReassignments(conn: KafkaConnection, topics?: readonly string[]): Promise<ReassignmentInProgress[]> {
  const admin = await conn.admin()
  const {topics: moving} = await conn.run('list reassignments', () => admin.listPartitionReassignments({topics: null as any, timeout: conn.timeoutMs}))
  const wanted = topics === undefined ? undefined : new Set(topics)
  const out: ReassignmentInProgress[] = []
  for (const t of moving) {
    // kafkajs's types say `topic`, but the decoded response carries the name as `name`.
    const topic = (t as unknown as {name?: string}).name ?? t.topic
    if (wanted && !wanted.has(topic)) continue
    for (const p of t.partitions as unknown as {partition: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[]}[]) {
      out.push({topic, partition: p.partition, replicas: [...p.replicas], adding: [...p.addingReplicas], removing: [...p.removingReplicas]})
    }
  }
  return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
}

/** Starts (replicas) or cancels (null) reassignments: one request to the controller, an answer per partition. */
export async function alterReassignments(conn: KafkaConnection, targets: readonly PartitionTarget[]): Promise<PartitionTargetResult[]> {
  if (targets.length === 0) return []
  const what = targets.every((t) => t.replicas === null) ? 'cancel reassignments' : 'reassign partitions'
  return conn.run(what, async () => {
    const cluster = (await connectionCluster(conn)) as unknown as ProtocolCluster
    const controller = await cluster.findControllerBroker()
    const response = await sendAlterPartitionReassignments(controller, targets, conn.timeoutMs)
    if (response.errorCode !== 0) {
      const {code, message} = kafkaErrorOfCode(response.errorCode, response.errorMessage)
      throw new KafkitError(`${what}: ${message}`, {code})
    }
    const answered = new Map(response.partitions.map((p) => [`${p.topic}:${p.partition}`, p]))
    return targets.map((t) => {
      const p = answered.get(`${t.topic}:${t.partition}`)
      if (!p) return {topic: t.topic, partition: t.partition, error: {code: 'NO_ANSWER', message: 'the controller did not answer for this partition'}}
      return {topic: t.topic, partition: t.partition, error: p.errorCode === 0 ? null : kafkaErrorOfCode(p.errorCode, p.errorMessage)}
    })
  })
}

/** The size of each replica of these partitions on each of these brokers: one DescribeLogDirs per broker, in parallel. */
export async function replicaSizes(conn: KafkaConnection, brokers: readonly number[], partitions: readonly {topic: string; partition: number}[]): Promise<ReplicaSizes> {
  const byTopic = new Map<string, number[]>()
  for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition])
  const request: LogDirTopic[] = [...byTopic].map(([topic, ps]) => ({topic, partitions: ps}))
  const sizes: ReplicaSize[] = []
  const unknown: {broker: number; error: string}[] = []
  const cluster = (await connectionCluster(conn)) as unknown as ProtocolCluster
  await Promise.all(
    brokers.map(async (broker) => {
      try {
        const response = await conn.run('describe log dirs', async () => sendDescribeLogDirs(await cluster.findBroker({nodeId: String(broker)}), request))
        for (const r of response.replicas) if (!r.future) sizes.push({broker, topic: r.topic, partition: r.partition, bytes: r.size})
      } catch (error) {
        unknown.push({broker, error: translateKafkaError(error, conn.brokersLabel).message})
      }
    }),
  )
  return {sizes, unknown}
}

/** Each broker's own dynamic overrides of these configs (DescribeConfigs per broker). */
export async function brokerConfigOverrides(conn: KafkaConnection, brokers: readonly number[], names: readonly string[]): Promise<BrokerConfigOverrides[]> {
  if (brokers.length === 0) return []
  const admin = await conn.admin()
  const {resources} = await conn.run('describe broker configs', () =>
    admin.describeConfigs({includeSynonyms: false, resources: brokers.map((id) => ({type: 4, name: String(id), configNames: [...names]}))}),
  )
  const wanted = new Set(names)
  return resources.map((r) => ({
    broker: Number(r.resourceName),
    configs: Object.fromEntries(
      r.configEntries
        // configSource 2 = DYNAMIC_BROKER_CONFIG: set on this broker (not the cluster-wide default, 4).
        .filter((e) => wanted.has(e.configName) && (e as {configSource?: number}).configSource === 2 && e.configValue !== null)
        .map((e) => [e.configName, e.configValue]),
    ),
  }))
}
