/** `cluster info | health`: the brokers, and what is wrong with the partitions. */
import {downBrokers, findPartitionProblems, type PartitionProblem} from '../core/cluster-state.js'
import {partitionsNotLedByPreferred} from '../core/leader-election.js'
import type {ClusterDescription, KafkaClient} from './kafka-client.js'

export type {ClusterDescription}

export function clusterInfo(kafka: KafkaClient): Promise<ClusterDescription> {
  return kafka.describeCluster()
}

export interface ClusterHealth {
  healthy: boolean
  brokers: number
  /** Brokers that replica lists name but that are not up (down or fenced). */
  brokersDown: number[]
  topics: number
  partitions: number
  offline: number
  underReplicated: number
  underMinIsr: number
  problems: PartitionProblem[]
  /** Partitions led by a replica other than their first (preferred) one: a note, not a problem. */
  notLedByPreferredReplica: number
}

/** One Metadata and one DescribeConfigs (min.insync.replicas) for the whole cluster. */
export async function clusterHealth(kafka: KafkaClient): Promise<ClusterHealth> {
  const cluster = await kafka.describeCluster({racks: false})
  const topics = await kafka.describeTopics({configs: ['min.insync.replicas']})
  const problems = findPartitionProblems(topics)
  const brokersDown = downBrokers({brokers: cluster.brokers, topics})
  const count = (kind: PartitionProblem['problems'][number]) => problems.filter((p) => p.problems.includes(kind)).length
  return {
    healthy: problems.length === 0 && brokersDown.length === 0,
    brokers: cluster.brokers.length,
    brokersDown,
    topics: topics.length,
    partitions: topics.reduce((n, t) => n + t.partitions.length, 0),
    offline: count('offline'),
    underReplicated: count('under-replicated'),
    underMinIsr: count('under-min-isr'),
    problems,
    notLedByPreferredReplica: partitionsNotLedByPreferred(topics),
  }
}
