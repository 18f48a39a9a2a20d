/**
 * Fixtures for the consumer-group integration tests: real topics, real messages (with chosen
 * timestamps), real consumers committing real offsets — and Kafka's own kafka-consumer-groups
 * output parsed for cross-checks. Nothing here is a stand-in for Kafka.
 */
import {inject} from 'vitest'

import type {Consumer} from 'kafkajs'

import {KafkaConnection} from '../src/kafka/connection.js'
import {createTopic as createTopicOnCluster} from '../src/kafka/topic-changes.js'
import {kafkaTool} from './helpers.js'

export function connect(bootstrap = inject('kafkaBootstrap')): KafkaConnection {
  return new KafkaConnection({settings: {brokers: bootstrap.split(','), clientId: 'kafkit-test', source: 'test'}, timeoutMs: 30_000})
}

export async function withConnection<T>(bootstrap: string, fn: (conn: KafkaConnection) => Promise<T>): Promise<T> {
  const conn = connect(bootstrap)
  try {
    return await fn(conn)
  } finally {
    await conn.close()
  }
}

/** Through kafkit's own adapter, which waits for leaders even when metadata lags the create. */
export async function createTopic(bootstrap: string, topic: string, partitions: number, replicationFactor = 1): Promise<void> {
  await withConnection(bootstrap, (conn) => createTopicOnCluster(conn, {topic, partitions, replicationFactor, configs: {}}))
}

export interface TestMessage {
  partition: number
  /** Epoch ms; the broker's append time when absent. */
  timestamp?: number
  value?: string
}

/** Produces the messages in order, one acked batch per call (acks=all). */
export async function produce(bootstrap: string, topic: string, messages: readonly TestMessage[]): Promise<void> {
  await withConnection(bootstrap, async (conn) => {
    // Idempotent: a send retried right after topic creation (a leader not ready yet) must not
    // write the partitions that succeeded the first time again; fixtures need exact counts.
    const producer = await conn.producer({allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1})
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m, i) => ({
        partition: m.partition,
        value: m.value ?? `message-${i}`,
        ...(m.timestamp === undefined ? {} : {timestamp: String(m.timestamp)}),
      })),
    })
  })
}

/** `count` messages on each partition: counts[p] messages on partition p. */
export function messagesPerPartition(counts: readonly number[], timestampOf?: (partition: number, index: number) => number): TestMessage[] {
  return counts.flatMap((count, partition) =>
    Array.from({length: count}, (_, index) => ({partition, value: `p${partition}-m${index}`, timestamp: timestampOf?.(partition, index)})),
  )
}

const FAST_GROUP = {sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 1000, retry: {retries: 5}}

/**
 * A consumer of `group` that reads `topic` from the beginning, commits each of the first `count`
 * messages it processes (offset + 1, as Kafka consumers do) and then leaves the group. Which
 * partitions those messages come from is up to the assignor; the committed total is `count`.
 */
export async function consumeAndCommit(bootstrap: string, group: string, topics: readonly string[], count: number): Promise<void> {
  await withConnection(bootstrap, async (conn) => {
    const consumer = await conn.consumer({groupId: group, ...FAST_GROUP})
    await consumer.subscribe({topics: [...topics], fromBeginning: true})
    let consumed = 0
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({topic, partition, message}) => {
            if (consumed >= count) return
            consumed++
            await consumer.commitOffsets([{topic, partition, offset: (BigInt(message.offset) + 1n).toString()}])
            if (consumed === count) resolve()
          },
        })
        .catch(reject)
    })
    await consumer.disconnect()
  })
}

export interface LiveMember {
  consumer: Consumer
  stop(): Promise<void>
}

/** A member that stays in the group (it consumes nothing it commits) until stop(). */
export async function startMember(bootstrap: string, group: string, topics: readonly string[]): Promise<LiveMember> {
  const conn = connect(bootstrap)
  // Short fetch waits keep heartbeats regular on a busy machine, so the member does not time out.
  const consumer = await conn.consumer({groupId: group, ...FAST_GROUP, maxWaitTimeInMs: 200})
  await consumer.subscribe({topics: [...topics], fromBeginning: false})
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()))
  await consumer.run({autoCommit: false, eachMessage: async () => {}})
  await joined
  return {consumer, stop: () => conn.close()}
}

/** One row of `kafka-consumer-groups --describe`: the columns as Kafka prints them. */
export interface KafkaDescribeRow {
  topic: string
  partition: number
  current: string
  logEnd: string
  lag: string
  consumerId: string
  host: string
  clientId: string
}

/** Runs Kafka's own `kafka-consumer-groups --describe` and parses its table, keyed `topic:partition`. */
export function kafkaDescribe(group: string, bootstrap = inject('kafkaBootstrap')): Map<string, KafkaDescribeRow> {
  const res = kafkaTool('consumerGroups', ['--describe', '--group', group], {bootstrap})
  if (res.status !== 0) throw new Error(`kafka-consumer-groups --describe ${group} exited ${res.status}: ${res.stderr}`)
  return parseKafkaDescribe(res.stdout, group)
}

export function parseKafkaDescribe(stdout: string, group?: string): Map<string, KafkaDescribeRow> {
  const rows = new Map<string, KafkaDescribeRow>()
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s+/)
    if (cells.length < 9 || cells[0] === 'GROUP' || (group !== undefined && cells[0] !== group)) continue
    const [, topic, partition, current, logEnd, lag, consumerId, host, clientId] = cells
    rows.set(`${topic}:${partition}`, {topic, partition: Number(partition), current, logEnd, lag, consumerId, host, clientId})
  }
  return rows
}

/** Kafka's view of one group's committed offsets: `topic:partition` → offset ('-' when none). */
export function kafkaCommitted(group: string, bootstrap = inject('kafkaBootstrap')): Record<string, string> {
  return Object.fromEntries([...kafkaDescribe(group, bootstrap)].map(([key, row]) => [key, row.current]))
}

/** Kafka's `--describe --state` coordinator column: `host:port  (id)` → id. */
export function kafkaCoordinatorId(group: string, bootstrap = inject('kafkaBootstrap')): number {
  const res = kafkaTool('consumerGroups', ['--describe', '--group', group, '--state'], {bootstrap})
  const m = /\((\d+)\)/.exec(res.stdout.split('\n').find((l) => l.startsWith(group)) ?? '')
  if (!m) throw new Error(`no coordinator in kafka-consumer-groups --describe --state output: ${res.stdout}${res.stderr}`)
  return Number(m[1])
}

/** kafkit's partition rows in Kafka's column format, keyed like kafkaDescribe. */
export function asKafkaRows(partitions: readonly any[]): Map<string, KafkaDescribeRow> {
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v))
  return new Map(
    partitions.map((p) => [
      `${p.topic}:${p.partition}`,
      {
        topic: p.topic,
        partition: p.partition,
        current: cell(p.committed),
        logEnd: cell(p.logEnd),
        lag: cell(p.lag),
        consumerId: cell(p.owner?.consumerId),
        host: cell(p.owner?.host),
        clientId: cell(p.owner?.clientId),
      },
    ]),
  )
}
