/**
 * DeleteRecords (what kafka-delete-records.sh sends) on the connection's borrowed kafkajs Cluster:
 * one request per partition leader for all its partitions, the per-partition answers (the new
 * log start, or an error in kafkit's words) returned as data.
 *
 * kafkajs's admin.deleteTopicRecords is not used: it sends two more ListOffsets per call, works
 * on its own metadata (a topic created since the admin connected has "no leader"), logs a
 * warning for offsets below the start, and drops the new log start the broker answers with.
 */
import type {TopicPartition, TopicPartitionOffset} from '../core/topic-partition.js'
import {kafkaErrorName, type ErrorCode} from '../errors.js'
import type {KafkaConnection} from './connection.js'
import {kafkaErrorOfCode} from './errors.js'
import {connectionCluster} from './groups.js'

/** The broker answers once the new start is on this many replicas' logs or this passes. */
const DELETE_RECORDS_TIMEOUT_MS = 30_000

interface WireDeleteRecordsError {
  name?: string
  partitions?: {partition: number; error?: {type?: string; code?: number}}[]
}

interface RecordsBroker {
  deleteRecords(request: {
    topics: {topic: string; partitions: {partition: number; offset: string}[]}[]
    timeout?: number
  }): Promise<{topics: {topic: string; partitions: {partition: number; lowWatermark: string; errorCode: number}[]}[]}>
}

interface RecordsCluster {
  refreshMetadata(): Promise<void>
  findBroker(request: {nodeId: string}): Promise<RecordsBroker>
  findTopicPartitionMetadata(topic: string): {partitionId: number; leader: number | null}[]
}

export interface RecordsDeletion extends TopicPartition {
  /** The new log start (null when the partition failed). */
  readonly lowWatermark: number | null
  readonly error: {readonly code: ErrorCode; readonly message: string} | null
}

/**
 * Deletes every record before `offset` in each partition (the offsets are the new log starts).
 * Results in the order given; a partition without a leader fails alone (LEADER_NOT_AVAILABLE).
 */
export function deleteRecords(conn: KafkaConnection, items: readonly TopicPartitionOffset[]): Promise<RecordsDeletion[]> {
  if (items.length === 0) return Promise.resolve([])
  return conn.run('delete records', async () => {
    const cluster = (await connectionCluster(conn)) as unknown as RecordsCluster
    // The borrowed Cluster read the metadata when it was created; leaders may have moved since.
    await cluster.refreshMetadata()
    const found = new Map<string, RecordsDeletion>()
    const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`
    const byLeader = new Map<number, TopicPartitionOffset[]>()
    const leadersOf = new Map<string, Map<number, number | null>>()
    for (const item of items) {
      let leaders = leadersOf.get(item.topic)
      if (!leaders) {
        leaders = new Map(cluster.findTopicPartitionMetadata(item.topic).map((p) => [p.partitionId, p.leader]))
        leadersOf.set(item.topic, leaders)
      }
      const leader = leaders.get(item.partition)
      if (leader === undefined || leader === null || leader < 0) {
        const {code, message} = kafkaErrorOfCode(leader === undefined ? 3 : 5)
        found.set(key(item), {topic: item.topic, partition: item.partition, lowWatermark: null, error: {code, message}})
        continue
      }
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), item])
    }
    await Promise.all(
      [...byLeader].map(async ([leader, batch]) => {
        const broker = await cluster.findBroker({nodeId: String(leader)})
        // kafkajs's DeleteRecords response parser handles one topic per request: send one per topic.
        const topics = [...new Set(batch.map((b) => b.topic))]
        for (const topic of topics) {
          const partitions = batch.filter((b) => b.topic === topic).map((b) => ({partition: b.partition, offset: String(b.offset)}))
          try {
            const response = await broker.deleteRecords({topics: [{topic, partitions}], timeout: DELETE_RECORDS_TIMEOUT_MS})
            for (const t of response.topics) {
              for (const p of t.partitions) {
                found.set(key({topic: t.topic, partition: p.partition}), {topic: t.topic, partition: p.partition, lowWatermark: Number(p.lowWatermark), error: null})
              }
            }
          } catch (error) {
            const failed = (error as WireDeleteRecordsError)?.name === 'KafkaJSDeleteTopicRecordsError' ? (error as WireDeleteRecordsError).partitions : undefined
            if (failed === undefined) throw error
            // kafkajs throws for the whole topic when one partition fails: the others succeeded.
            const failedPartitions = new Set(failed.map((f) => f.partition))
            for (const f of failed) {
              const {code, message} = kafkaErrorOfCode(f.error?.code ?? -1)
              found.set(key({topic, partition: f.partition}), {topic, partition: f.partition, lowWatermark: null, error: {code: f.error?.type === undefined ? code : kafkaErrorName(f.error.type), message}})
            }
            for (const p of partitions) {
              if (!failedPartitions.has(p.partition)) found.set(key({topic, partition: p.partition}), {topic, partition: p.partition, lowWatermark: null, error: null})
            }
          }
        }
      }),
    )
    return items.map(
      (item) =>
        found.get(key(item)) ?? {topic: item.topic, partition: item.partition, lowWatermark: null, error: {code: 'NO_ANSWER', message: 'the leader did not answer for this partition'}},
    )
  })
}
