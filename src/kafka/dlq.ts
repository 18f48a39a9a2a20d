/**
 * Reading a DLQ to its end and writing replays transactionally: the kafkajs side of `dlq inspect`
 * and `dlq replay`.
 *
 * Reading: kafkajs has no manual partition assignment, so a consumer joins a group — the replay
 * group (whose committed offsets are the replay's progress) or, for inspect, a throwaway group
 * that never commits (Kafka drops an empty group without offsets as soon as it is left). Reading
 * is read_committed and stops at the end offsets measured before the start, so a run never chases
 * records that arrive while it runs.
 *
 * Writing: one transactional producer per (replay group, DLQ topic). Its transactional id fences
 * an earlier run of the same replay: initialising it aborts whatever that run left open, before the
 * committed offsets are read. Each chunk of replayed records and the group's new offsets are
 * committed in one transaction (TxnOffsetCommit through sendOffsets), so a crash leaves either both
 * or neither.
 */
import type {Consumer, EachBatchPayload, Message, Producer} from 'kafkajs'

import type {ConsumedRecord} from '../core/record.js'
import type {OutgoingMessage} from '../core/dlq-replay.js'
import {KafkitError, notFound} from '../errors.js'
import {registerCompressionCodecs} from './codecs.js'
import {boundHeapGrowth} from './heap.js'
import {loadKafkaJs, type KafkaConnection} from './connection.js'
import {translateKafkaError} from './errors.js'
import {kafkaJsHeaders, recordHeaders} from './kafkajs-fixes.js'
import {offsetsClient} from './groups.js'

export interface DlqPartition {
  partition: number
  /** The log start offset. */
  start: number
  /** The log end offset when measured: where reading stops. */
  end: number
}

/** The DLQ's partitions with their current start and end offsets; a one-line error if it does not exist. */
export async function dlqPartitions(conn: KafkaConnection, topic: string): Promise<DlqPartition[]> {
  const client = await offsetsClient(conn)
  const [found] = client.topicPartitions([topic])
  if (found === undefined) {
    throw notFound('topic', [topic], conn.brokersLabel)
  }
  const partitions = found.partitions.map((partition) => ({topic, partition}))
  const [starts, ends] = await Promise.all([client.logOffsets(partitions, 'earliest'), client.logOffsets(partitions, 'latest')])
  const startOf = new Map(starts.map((o) => [o.partition, o.offset]))
  const endOf = new Map(ends.map((o) => [o.partition, o.offset]))
  return found.partitions.map((partition) => {
    const end = endOf.get(partition)
    if (end === undefined) throw new KafkitError(`partition ${topic}:${partition} has no leader; try again when the cluster has recovered`, {code: 'LEADER_NOT_AVAILABLE'})
    return {partition, start: startOf.get(partition) ?? 0, end}
  })
}

/** The group's committed offset per partition of the topic (null where it has none). */
export async function committedOffsets(conn: KafkaConnection, group: string, topic: string, partitions: readonly number[]): Promise<Map<number, number | null>> {
  const client = await offsetsClient(conn)
  const committed = await client.committedOffsets(group, partitions.map((partition) => ({topic, partition})))
  return new Map(committed.filter((c) => c.topic === topic).map((c) => [c.partition, c.offset]))
}

/** Which of these topics exist (from the metadata read when the connection first asked). */
export async function existingTopics(conn: KafkaConnection, topics: readonly string[]): Promise<Set<string>> {
  const client = await offsetsClient(conn)
  return new Set(client.topicPartitions(topics).map((t) => t.topic))
}

// ---------------------------------------------------------------------------------------------
// Reading to the end

export interface ReadRange {
  partition: number
  /** Where reading starts (the group's committed offset or the log start). */
  from: number
  /** Exclusive: records at or after it are left for a later run. */
  end: number
}

export interface BatchContext {
  /** Keeps the group membership alive during a long (rate-limited) batch. */
  heartbeat(): Promise<void>
}

/**
 * Handles the records of one partition, in offset order. Returns the offset it got to (the next
 * offset to read) and whether to stop the whole read (--max reached).
 */
export type BatchHandler = (partition: number, records: ConsumedRecord[], context: BatchContext) => Promise<{next: number; stop?: boolean}>

export interface ReadOptions {
  topic: string
  groupId: string
  ranges: readonly ReadRange[]
  handle: BatchHandler
}

/** Kafka's minimum session timeout is 6 s; 10 s lets a run that follows a killed one join soon. */
const SESSION_TIMEOUT_MS = 10_000

/**
 * Reads every partition from its range's `from` to its `end` through a consumer of `groupId`,
 * positioned explicitly (the group's committed offsets are not used). Resolves when every
 * partition has reached its end or the handler says stop; rejects with the handler's error or the
 * consumer's, after which nothing more is handled.
 */
export async function readToEnd(conn: KafkaConnection, options: ReadOptions): Promise<void> {
  const {topic, groupId, handle} = options
  const ends = new Map(options.ranges.map((r) => [r.partition, r.end]))
  const pending = new Set(options.ranges.filter((r) => r.from < r.end).map((r) => r.partition))
  if (pending.size === 0) return
  boundHeapGrowth()

  let finished = false
  let settle!: (error?: unknown) => void
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => {
      if (finished) return
      finished = true
      if (error === undefined) resolve()
      else reject(error)
    }
  })
  const reached = (partition: number, next: number) => {
    if (next >= (ends.get(partition) ?? 0)) pending.delete(partition)
    if (pending.size === 0) settle()
  }

  // DLQ writers may have compressed with any codec.
  registerCompressionCodecs(await loadKafkaJs())
  const consumer: Consumer = await conn.consumer({
    groupId,
    sessionTimeout: SESSION_TIMEOUT_MS,
    rebalanceTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: 1000,
    allowAutoTopicCreation: false,
    readUncommitted: false,
    // One fetch (and the records decoded from it) at a time is most of a replay's live memory.
    maxBytes: 1024 * 1024,
    maxBytesPerPartition: 256 * 1024,
  })
  // Batches emptied by filtering (transaction markers, aborted records) never reach eachBatch.
  consumer.on(consumer.events.START_BATCH_PROCESS, ({payload}) => {
    if (!finished && payload.topic === topic && payload.batchSize === 0) reached(payload.partition, Number(payload.lastOffset) + 1)
  })
  consumer.on(consumer.events.CRASH, ({payload}) => {
    if (!payload.restart) settle(payload.error)
  })
  // Where each partition continues: its range's start, then past every handled batch. Sought on
  // each join, so any group (a dry run's throwaway one too) reads exactly the ranges asked for.
  const position = new Map(options.ranges.map((r) => [r.partition, r.from]))
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const partition of pending) consumer.seek({topic, partition, offset: String(position.get(partition))})
  })

  const eachBatch = async ({batch, heartbeat, resolveOffset}: EachBatchPayload) => {
    if (finished || !pending.has(batch.partition)) return
    const end = ends.get(batch.partition)!
    // After the group coordinator moves, kafkajs rejoins and may fetch again from the group's
    // committed offset, behind what was already handed over (and is being or was replayed): those
    // records are never handed over twice, or a replay would commit them twice.
    const from = position.get(batch.partition)!
    const records: ConsumedRecord[] = []
    for (const m of batch.messages) {
      if (Number(m.offset) < from) continue
      if (Number(m.offset) >= end) break
      records.push({
        topic,
        partition: batch.partition,
        offset: m.offset,
        timestamp: m.timestamp,
        key: m.key ?? null,
        value: m.value ?? null,
        headers: recordHeaders(m),
      })
    }
    try {
      const {next, stop} = records.length === 0 ? {next: 0} : await handle(batch.partition, records, {heartbeat})
      if (stop) return settle()
      // Everything below the end has been seen once the batch reaches past it.
      const through = Math.max(from, next, Math.min(Number(batch.lastOffset()) + 1, end))
      // The consumer's next fetch starts after the last resolved offset (nothing is auto-resolved):
      // without this, a partition larger than one fetch would be read from its first batch forever.
      if (through > Number(batch.firstOffset() ?? through)) resolveOffset(String(through - 1))
      position.set(batch.partition, through)
      reached(batch.partition, through)
    } catch (error) {
      settle(error)
    }
  }

  await conn.run('subscribe', () => consumer.subscribe({topics: [topic], fromBeginning: true}))
  // A member of a killed earlier run holds the group until its session times out.
  await conn.run(`join group ${groupId}`, () => consumer.run({eachBatch, eachBatchAutoResolve: false, autoCommit: false}), conn.timeoutMs + SESSION_TIMEOUT_MS)
  try {
    await done
  } finally {
    await consumer.disconnect().catch(() => {})
  }
}

// ---------------------------------------------------------------------------------------------
// Transactional writes

export interface ReplayWriter {
  /** One transaction: the messages, and the group's offset of `dlqTopic` moved to `offsets`. */
  commit(messages: readonly OutgoingMessage[], offsets: ReadonlyArray<{partition: number; offset: number}>): Promise<void>
}

/**
 * Test seam: hold every transaction open this long before committing, so a crash test can kill
 * the process while records are written but not committed. Never set outside tests.
 */
const PAUSE_IN_TRANSACTION_MS = Number(process.env.KAFKIT_TEST_PAUSE_IN_TRANSACTION_MS ?? 0)

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTIONAL_ID_FENCED'])

function fencedOr(error: unknown, groupId: string): unknown {
  const type = (error as {type?: string})?.type ?? ''
  if (FENCED.has(type)) {
    return new KafkitError(`another dlq replay with group ${groupId} started and took over (this one was fenced); nothing of this run's open transaction was written`, {code: 'FENCED'})
  }
  return error
}

/**
 * AddOffsetsToTxn, the first request of a transaction that replays nothing (every record of the
 * chunk filtered), answers CONCURRENT_TRANSACTIONS while the coordinator is still completing the
 * previous commit (writing its markers) — and kafkajs retries it only for InitProducerId and
 * AddPartitionsToTxn, not here. The broker changed nothing: the transaction is still open, empty
 * or with only this run's records, so the same sendOffsets is sent again after a backoff, as the
 * Java client does, until the deadline. Only this error is retried; the commit itself never is.
 */
async function sendOffsetsRetrying(send: () => Promise<void>, giveUpAt: number): Promise<void> {
  for (let backoffMs = 20; ; backoffMs = Math.min(backoffMs * 2, 500)) {
    try {
      return await send()
    } catch (error) {
      if ((error as {type?: string})?.type !== 'CONCURRENT_TRANSACTIONS' || Date.now() + backoffMs >= giveUpAt) throw error
      await new Promise((resolve) => setTimeout(resolve, backoffMs))
    }
  }
}

/**
 * A transaction that failed once it had begun (e.g. its coordinator died during the commit) is
 * never retried here: the producer is left mid-transaction, and whether the commit landed is
 * known only to the next coordinator. Its records and its progress land together or not at all,
 * so the answer is a re-run, which resumes from the committed progress.
 */
function transactionFailed(error: unknown, conn: KafkaConnection, groupId: string): unknown {
  const fenced = fencedOr(error, groupId)
  if (fenced !== error) return fenced
  const cause = translateKafkaError(error, conn.brokersLabel).message
  return new KafkitError(`a replay transaction failed (${cause}); its records and progress were committed together or not at all`, {
    code: 'TRANSACTION_FAILED',
    hint: `run the same dlq replay again: it resumes from what group ${groupId} committed`,
  })
}

/**
 * A transactional producer for this replay. Creating it fences any earlier run with the same
 * transactional id and aborts that run's open transaction, so offsets read afterwards are final.
 */
export async function openReplayWriter(
  conn: KafkaConnection,
  options: {transactionalId: string; groupId: string; dlqTopic: string},
): Promise<ReplayWriter> {
  const {transactionalId, groupId, dlqTopic} = options
  const producer: Producer = await conn.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    transactionTimeout: 60_000,
  })
  await conn.run('initialise the replay transaction', async () => {
    try {
      const txn = await producer.transaction()
      await txn.abort()
    } catch (error) {
      throw fencedOr(error, groupId)
    }
  })
  return {
    async commit(messages, offsets) {
      // A little before run()'s own deadline, so a retry that cannot finish reports its cause.
      const giveUpAt = Date.now() + conn.timeoutMs - 1000
      await conn.run('commit a replay transaction', async () => {
        const txn = await producer.transaction()
        try {
          const byTopic = new Map<string, Message[]>()
          for (const m of messages) {
            const list = byTopic.get(m.topic) ?? []
            list.push({key: m.key, value: m.value, headers: kafkaJsHeaders(m.headers)})
            byTopic.set(m.topic, list)
          }
          if (byTopic.size > 0) await txn.sendBatch({acks: -1, topicMessages: [...byTopic].map(([topic, list]) => ({topic, messages: list}))})
          const topics = [{topic: dlqTopic, partitions: offsets.map((o) => ({partition: o.partition, offset: String(o.offset)}))}]
          await sendOffsetsRetrying(() => txn.sendOffsets({consumerGroupId: groupId, topics}), giveUpAt)
          if (PAUSE_IN_TRANSACTION_MS > 0) await new Promise((resolve) => setTimeout(resolve, PAUSE_IN_TRANSACTION_MS))
          await txn.commit()
        } catch (error) {
          if (txn.isActive()) await txn.abort().catch(() => {})
          throw transactionFailed(error, conn, groupId)
        }
      })
    },
  }
}
