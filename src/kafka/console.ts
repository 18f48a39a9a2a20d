/**
 * The kafkajs side of `kafkit produce` and `kafkit consume`: an idempotent, acks=all producer that
 * sends whole batches, and a consumer positioned explicitly on every partition it reads.
 *
 * kafkajs quirks handled here:
 *  - Snappy, LZ4 and zstd need codecs registered before any batch is written or read.
 *  - The idempotent producer assigns sequence numbers per send; a retried send must go to the
 *    same partitions, so keyless messages get their partition from us (see ConsoleProducer).
 *  - kafkajs has no assign(): the consumer joins a group (an ephemeral one unless --group) and
 *    is seeked to the positions the use case computed, on every partition.
 */
import type {Consumer, Producer} from 'kafkajs'

import type {ConsumedRecord, ProducerMessage} from '../core/record.js'
import type {TopicPartitionOffset} from '../core/topic-partition.js'
import {explainCoordinatorNotFound} from './authorization.js'
import {boundHeapGrowth} from './heap.js'
import {registerCompressionCodecs} from './codecs.js'
import {loadKafkaJs, type KafkaConnection} from './connection.js'
import {translateKafkaError} from './errors.js'
import {kafkaJsHeaders, recordHeaders} from './kafkajs-fixes.js'

export const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
export type Compression = (typeof COMPRESSIONS)[number]

export interface ConsoleProducer {
  /** Sends one batch to `topic` with acks=all; resolves when every message is acknowledged. */
  send(topic: string, messages: readonly ProducerMessage[]): Promise<void>
}

/**
 * An idempotent producer (acks=all, retries bounded by --timeout so a dead cluster ends in an
 * error, never a hang). Call send() one batch at a time: a send that failed leaves the producer's
 * sequence numbers in doubt, so the caller must stop sending after the first failure.
 */
export async function openConsoleProducer(conn: KafkaConnection, opts: {compression: Compression}): Promise<ConsoleProducer> {
  boundHeapGrowth()
  const kafkajs = await loadKafkaJs()
  registerCompressionCodecs(kafkajs)
  const compression = {
    none: kafkajs.CompressionTypes.None,
    gzip: kafkajs.CompressionTypes.GZIP,
    snappy: kafkajs.CompressionTypes.Snappy,
    lz4: kafkajs.CompressionTypes.LZ4,
    zstd: kafkajs.CompressionTypes.ZSTD,
  }[opts.compression]
  const producer: Producer = await conn.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    // Leader elections take seconds; keep retrying for about --timeout, then report failure.
    retry: {retries: 12, initialRetryTime: 100, maxRetryTime: Math.max(1000, Math.floor(conn.timeoutMs / 4))},
  })
  return {
    async send(topic, messages) {
      try {
        await producer.send({
          topic,
          acks: -1,
          compression,
          timeout: Math.max(conn.timeoutMs, 30_000),
          messages: messages.map((m) => ({
            key: m.key,
            value: m.value,
            headers: kafkaJsHeaders(m.headers),
            ...(m.partition === undefined ? {} : {partition: m.partition}),
            ...(m.timestamp === undefined ? {} : {timestamp: m.timestamp}),
          })),
        })
      } catch (error) {
        throw translateKafkaError(error, conn.brokersLabel)
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// consume

export interface ConsumerBatch {
  partition: number
  records: ConsumedRecord[]
  /** Keeps the group membership alive while the output is slow. */
  heartbeat(): Promise<void>
  /** Marks a record as processed: with a real group, committed after the batch. */
  resolveOffset(offset: string): void
}

export interface ConsoleConsumerOptions {
  topic: string
  /** A real group (offsets committed as consumed) or undefined for an ephemeral, never-committing one. */
  group?: string
  /** Every partition of the topic. */
  partitions: readonly number[]
  /** Where to start on each partition read; partitions not listed are paused (never fetched). */
  starts: readonly TopicPartitionOffset[]
  /** Called per fetched batch, in offset order per partition; one batch at a time. */
  onBatch(batch: ConsumerBatch): Promise<void>
  /** Called with the last offset of every processed batch, including batches of only control records. */
  onProgress(partition: number, lastOffset: number): void
}

export interface RunningConsumer {
  /** Stops fetching, leaves the group (and deletes it when ephemeral). Safe to call twice. */
  stop(): Promise<void>
  /** Rejects when the consumer crashes (a non-retriable error). */
  crashed: Promise<never>
}

/**
 * kafkajs has no assign(): consume joins a group. Its round-robin assigner gave this member every
 * partition, and kafkajs then looks up a start offset for each assigned partition, paused or not;
 * for an offline one (no leader) that lookup fails on every fetch, so nothing was read at all.
 * This assigner gives each member exactly the partitions it asked for (sent in its join metadata),
 * members in id order: partitions nobody reads (-p, offline) are never assigned.
 */
const CONSOLE_ASSIGNER = 'KafkitConsoleAssigner'
function wantedPartitionsAssigner(kafkajs: Awaited<ReturnType<typeof loadKafkaJs>>, topic: string, wanted: readonly number[]) {
  const {MemberMetadata, MemberAssignment} = kafkajs.AssignerProtocol
  return () => ({
    name: CONSOLE_ASSIGNER,
    version: 1,
    protocol({topics}: {topics: string[]}) {
      return {name: CONSOLE_ASSIGNER, metadata: MemberMetadata.encode({version: 1, topics, userData: Buffer.from(JSON.stringify(wanted))})}
    },
    async assign({members}: {members: Array<{memberId: string; memberMetadata: Buffer}>}) {
      const taken = new Set<number>()
      return [...members]
        .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
        .map(({memberId, memberMetadata}) => {
          const asked = JSON.parse(MemberMetadata.decode(memberMetadata)?.userData?.toString() || '[]') as number[]
          const mine = asked.filter((p) => !taken.has(p))
          for (const p of mine) taken.add(p)
          return {memberId, memberAssignment: MemberAssignment.encode({version: 1, assignment: {[topic]: mine}, userData: Buffer.alloc(0)})}
        })
    },
  })
}

export async function startConsoleConsumer(conn: KafkaConnection, opts: ConsoleConsumerOptions): Promise<RunningConsumer> {
  boundHeapGrowth()
  const kafkajs = await loadKafkaJs()
  registerCompressionCodecs(kafkajs)
  const ephemeral = opts.group === undefined
  const groupId = opts.group ?? `kafkit-console-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  const consumer: Consumer = await conn.consumer({
    groupId,
    partitionAssigners: [wantedPartitionsAssigner(kafkajs, opts.topic, opts.starts.map((s) => s.partition))],
    allowAutoTopicCreation: false,
    // 1 MiB per partition per fetch keeps memory flat while the output is slow.
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 8 * 1024 * 1024,
    maxWaitTimeInMs: 500,
    sessionTimeout: 30_000,
    rebalanceTimeout: 30_000,
    heartbeatInterval: 3000,
    retry: {retries: 5, initialRetryTime: 100, maxRetryTime: Math.max(1000, Math.floor(conn.timeoutMs / 2))},
  })
  let crash: (error: unknown) => void = () => {}
  const crashed = new Promise<never>((_, reject) => {
    crash = reject
  })
  crashed.catch(() => {})
  // kafkajs restarts a consumer after a retriable crash (e.g. the coordinator of a brand-new
  // __consumer_offsets is still loading); a few restarts are fine, a loop is an error.
  let restarts = 0
  consumer.on(consumer.events.CRASH, (event: any) => {
    const {error, restart} = event.payload ?? {}
    if (restart === false || ++restarts > 3) {
      void explainCoordinatorNotFound(conn, groupId, error).then((e) => crash(translateKafkaError(e, conn.brokersLabel)))
    }
  })
  // Where each partition read continues: the start offset, then one past the last record handed over.
  const next = new Map(opts.starts.map((s) => [s.partition, s.offset]))
  const wanted = new Set(next.keys())
  // No assign() in kafkajs: on every join (the first one, and again after a restart or a
  // rebalance) pause the partitions not read and seek the others. Called before any fetch.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    const paused = opts.partitions.filter((p) => !wanted.has(p))
    if (paused.length > 0) consumer.pause([{topic: opts.topic, partitions: paused}])
    for (const [partition, offset] of next) consumer.seek({topic: opts.topic, partition, offset: String(offset)})
  })
  consumer.on(consumer.events.END_BATCH_PROCESS, (event: any) => {
    const {partition, lastOffset} = event.payload
    if (lastOffset !== null && lastOffset !== undefined) opts.onProgress(partition, Number(lastOffset))
  })

  await conn.run('subscribe', () => consumer.subscribe({topics: [opts.topic], fromBeginning: false}))
  await consumer.run({
    autoCommit: !ephemeral,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({batch, heartbeat, resolveOffset, isRunning, isStale}) => {
      if (!isRunning() || isStale() || !wanted.has(batch.partition)) return
      // kafkajs turns every resolved offset into a Long and back to a string: resolve only the
      // last processed record of the batch (what a commit uses anyway), once.
      let resolved: string | undefined
      try {
        await opts.onBatch({
          partition: batch.partition,
          heartbeat,
          resolveOffset: (offset) => {
            resolved = offset
          },
          records: batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            timestamp: m.timestamp,
            key: m.key ?? null,
            value: m.value ?? null,
            headers: recordHeaders(m),
          })),
        })
      } finally {
        // Also when the batch handler failed part-way: what was printed stays printed once.
        if (resolved !== undefined) {
          resolveOffset(resolved)
          next.set(batch.partition, Number(resolved) + 1)
        }
      }
    },
  })
  let stopping: Promise<void> | undefined
  return {
    crashed,
    stop() {
      stopping ??= (async () => {
        await consumer.disconnect().catch(() => {})
        if (ephemeral) {
          const admin = await conn.admin().catch(() => undefined)
          await admin?.deleteGroups([groupId]).catch(() => {})
        }
      })()
      return stopping
    },
  }
}
