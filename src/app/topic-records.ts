/**
 * Use cases behind `kafkit topics offsets` (kafka-get-offsets.sh, kcat -Q) and `kafkit topics
 * truncate` (kafka-delete-records.sh): read the partitions' log start, end and offsets for a
 * time with one ListOffsets per leader each, plan in the core, delete with one DeleteRecords per
 * leader, and read the log starts back.
 */
import {
  choosePartitions,
  partitionOffsetsRow,
  planTruncate,
  refuseCompactedOnly,
  type PartitionLogState,
  type PartitionOffsets,
  type TruncatePlan,
  type TruncateTarget,
} from '../core/topic-records.js'
import type {TopicPartition, TopicPartitionOffset} from '../core/topic-partition.js'
import {KafkitError} from '../errors.js'
import type {KafkaClient, LogOffsetSpec} from './kafka-client.js'

export interface TopicOffsetsRequest {
  topic: string
  /** -p; undefined = every partition. */
  partitions?: readonly number[]
  /** --time (epoch ms); undefined = no time column. */
  timestamp?: number
}

export interface TopicOffsetsResult {
  topic: string
  /** The --time as ISO-8601 (UTC); null without --time. */
  time: string | null
  partitions: PartitionOffsets[]
}

/** Log start, end and (with a time) the offset for it, per chosen partition: one ListOffsets per leader for each. */
export async function topicOffsets(kafka: KafkaClient, request: TopicOffsetsRequest): Promise<TopicOffsetsResult> {
  const {topic, timestamp} = request
  const partitions = await chosenPartitions(kafka, topic, request.partitions, false)
  const tps = partitions.map((partition) => ({topic, partition}))
  const [earliest, latest, forTime] = await Promise.all([
    readOffsets(kafka, tps, 'earliest'),
    readOffsets(kafka, tps, 'latest'),
    timestamp === undefined ? Promise.resolve(undefined) : kafka.logOffsets(tps, {timestamp}).then(byPartition),
  ])
  return {
    topic,
    time: timestamp === undefined ? null : new Date(timestamp).toISOString(),
    partitions: partitions.map((p) => partitionOffsetsRow(p, earliest.get(p)!, latest.get(p)!, forTime === undefined ? undefined : (forTime.get(p) ?? null))),
  }
}

export interface TruncateRequest {
  topic: string
  partitions?: readonly number[]
  target: TruncateTarget
}

/**
 * The dry run: checks the topic (it exists, it is not compacted only, the partitions exist),
 * reads start and end (and the offsets for the time) and plans per partition.
 */
export async function planTopicTruncate(kafka: KafkaClient, request: TruncateRequest): Promise<TruncatePlan> {
  const {topic, target} = request
  const partitions = await chosenPartitions(kafka, topic, request.partitions, true)
  const tps = partitions.map((partition) => ({topic, partition}))
  const [earliest, latest, forTime] = await Promise.all([
    readOffsets(kafka, tps, 'earliest'),
    readOffsets(kafka, tps, 'latest'),
    target.kind === 'time' ? kafka.logOffsets(tps, {timestamp: target.timestamp}).then(byPartition) : Promise.resolve(undefined),
  ])
  const states: PartitionLogState[] = partitions.map((p) => ({
    partition: p,
    start: earliest.get(p)!,
    end: latest.get(p)!,
    ...(forTime === undefined ? {} : {offsetForTime: forTime.get(p) ?? null}),
  }))
  return planTruncate(topic, states, target)
}

export interface TruncateOutcome {
  /** The log start of each changed partition, read back after the delete. */
  partitions: {partition: number; start: number}[]
}

/**
 * Deletes the records of the plan (partitions where nothing goes are not sent) with one
 * DeleteRecords per leader, then reads the log starts back: done only when each is at least the
 * planned one. A partition the broker refused is named with Kafka's reason; the others are done.
 */
export async function executeTopicTruncate(kafka: KafkaClient, plan: TruncatePlan): Promise<TruncateOutcome> {
  const items: TopicPartitionOffset[] = plan.rows.filter((r) => r.records > 0).map((r) => ({topic: plan.topic, partition: r.partition, offset: r.newStart}))
  if (items.length === 0) return {partitions: []}
  const results = await kafka.deleteRecords(items)
  const failed = results.filter((r) => r.error !== null)
  if (failed.length > 0) {
    const done = results.filter((r) => r.error === null).map((r) => r.partition)
    throw new KafkitError(
      `could not truncate ${failed.map((r) => `${plan.topic}:${r.partition} (${r.error!.message})`).join(', ')}` +
        (done.length > 0 ? `; truncated partition${done.length === 1 ? '' : 's'} ${done.join(', ')}` : ''),
      {code: failed[0].error!.code},
    )
  }
  const starts = await readOffsets(
    kafka,
    items.map(({topic, partition}) => ({topic, partition})),
    'earliest',
  )
  const behind = items.filter((i) => starts.get(i.partition)! < i.offset)
  if (behind.length > 0) {
    throw new KafkitError(
      `${behind.map((i) => `${plan.topic}:${i.partition} starts at ${starts.get(i.partition)} (planned ${i.offset})`).join(', ')} after the delete`,
      {code: 'TRUNCATE_NOT_VERIFIED', hint: 'run kafkit topics offsets to see the log starts now'},
    )
  }
  return {partitions: items.map((i) => ({partition: i.partition, start: starts.get(i.partition)!}))}
}

async function chosenPartitions(kafka: KafkaClient, topic: string, chosen: readonly number[] | undefined, withPolicy: boolean): Promise<number[]> {
  // Unknown topics are one line from describeTopics (UNKNOWN_TOPIC, "topic ... not found on ...").
  const [live] = await kafka.describeTopics({names: [topic], configs: withPolicy ? ['cleanup.policy'] : false})
  if (withPolicy) refuseCompactedOnly(topic, live.configs['cleanup.policy']?.value)
  return choosePartitions(
    topic,
    live.partitions.map((p) => p.partition),
    chosen,
  )
}

/** Offsets by partition; a partition without a leader (left out by logOffsets) is one line. */
async function readOffsets(kafka: KafkaClient, tps: readonly TopicPartition[], spec: LogOffsetSpec): Promise<Map<number, number>> {
  const found = byPartition(await kafka.logOffsets(tps, spec))
  const missing = tps.filter((tp) => !found.has(tp.partition))
  if (missing.length > 0) {
    throw new KafkitError(`cannot read the log ${spec === 'earliest' ? 'start' : 'end'} of ${missing.map((tp) => `${tp.topic}:${tp.partition}`).join(', ')} (no leader?)`, {
      code: 'OFFSETS_UNAVAILABLE',
      hint: 'kafkit cluster health shows offline partitions',
    })
  }
  return found
}

function byPartition(offsets: readonly TopicPartitionOffset[]): Map<number, number> {
  return new Map(offsets.map((o) => [o.partition, o.offset]))
}
