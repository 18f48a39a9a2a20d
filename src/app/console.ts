/**
 * Use cases behind `kafkit produce` and `kafkit consume`: stream lines into batches for the
 * producer with bounded memory, and stream consumed records to an output with back-pressure.
 * Parsing and rendering are the pure core's (core/record, producer-input); Kafka is the adapter's.
 */
import type {Writable} from 'node:stream'

import {parseProducerJsonLine, parseProducerLine} from '../core/producer-input.js'
import type {ConsumedRecord, ProducerMessage} from '../core/record.js'
import type {TopicPartitionOffset} from '../core/topic-partition.js'
import {KafkitError} from '../errors.js'
import type {Compression, KafkaClient} from './kafka-client.js'

/** The topic's partition ids; one clear line when it does not exist. */
async function topicPartitions(kafka: KafkaClient, topic: string): Promise<number[]> {
  const [live] = await kafka.describeTopics({names: [topic], configs: false})
  return live.partitions.map((p) => p.partition)
}

function checkPartition(partition: number | undefined, partitions: readonly number[], topic: string, where = '--partition'): void {
  if (partition !== undefined && !partitions.includes(partition)) {
    throw new KafkitError(`${where}: topic "${topic}" has no partition ${partition} (${partitions.length === 1 ? 'it has only partition 0' : `it has ${partitions.length}: 0-${partitions.length - 1}`})`)
  }
}

// ---------------------------------------------------------------------------------------------
// produce

export interface ProduceOptions {
  topic: string
  /** Raw input chunks (stdin or a file stream); read only as fast as Kafka acknowledges. */
  input: AsyncIterable<Buffer>
  format: 'lines' | 'json'
  keySeparator?: string
  /** Added to every message (after a JSON line's own headers). */
  headers: ReadonlyArray<{name: string; value: string}>
  partition?: number
  compression: Compression
  /** Aborted on SIGINT/SIGTERM: stop reading, send what was read, wait for the acknowledgements. */
  signal: AbortSignal
  /** Called after every acknowledged batch. */
  onProgress?(sent: number): void
}

export interface ProduceResult {
  topic: string
  /** Acknowledged by Kafka (acks=all). */
  sent: number
  /** Read but not acknowledged. */
  failed: number
  /** Input lines read (including blank ones). */
  lines: number
  interrupted: boolean
  /** Why producing stopped before the end of the input. */
  error?: KafkitError
}

/** Bounds of one send: big enough for throughput, below the default max.message.bytes (1 MiB) per partition. */
const BATCH_MAX_MESSAGES = 10_000
const BATCH_MAX_BYTES = 512 * 1024

export async function produce(kafka: KafkaClient, opts: ProduceOptions): Promise<ProduceResult> {
  const partitions = await topicPartitions(kafka, opts.topic)
  checkPartition(opts.partition, partitions, opts.topic)
  const producer = await kafka.openConsoleProducer({compression: opts.compression})
  const result: ProduceResult = {topic: opts.topic, sent: 0, failed: 0, lines: 0, interrupted: false}

  // Keyless messages go to one partition per batch, rotating (Java's sticky partitioner): bigger
  // batches, and a retried send goes to the same partition, which idempotence needs.
  let sticky = Math.floor(Math.random() * partitions.length)
  let batch: ProducerMessage[] = []
  let batchBytes = 0
  let inFlight: Promise<void> | undefined
  let failure: KafkitError | undefined

  const dispatch = async (): Promise<void> => {
    if (inFlight) await inFlight
    if (failure || batch.length === 0) return
    const messages = batch
    const partition = partitions[sticky]
    sticky = (sticky + 1) % partitions.length
    for (const m of messages) if (m.partition === undefined && m.key === null) m.partition = partition
    batch = []
    batchBytes = 0
    inFlight = producer.send(opts.topic, messages).then(
      () => {
        result.sent += messages.length
        opts.onProgress?.(result.sent)
      },
      (error: KafkitError) => {
        result.failed += messages.length
        failure ??= error
      },
    )
  }

  const flagHeaders = opts.headers
  const addLine = (line: Buffer, lineNo: number): KafkitError | undefined => {
    let message: ProducerMessage | null
    if (opts.format === 'json') {
      const parsed = parseProducerJsonLine(line.toString('utf8'), lineNo)
      if (!parsed.ok) return new KafkitError(parsed.error, {code: 'BAD_INPUT'})
      message = parsed.message
      if (message?.partition !== undefined && !partitions.includes(message.partition)) {
        return new KafkitError(`line ${lineNo}: field "partition": topic "${opts.topic}" has no partition ${message.partition}`, {code: 'BAD_INPUT'})
      }
    } else {
      if (line.length === 0) return undefined
      const parsed = parseProducerLine(line, {keySeparator: opts.keySeparator})
      if (!parsed.ok) return new KafkitError(`line ${lineNo}: ${parsed.error}`, {code: 'BAD_INPUT'})
      message = parsed.message
    }
    if (message === null) return undefined
    for (const h of flagHeaders) message.headers.push({name: h.name, value: Buffer.from(h.value, 'utf8')})
    if (message.partition === undefined && opts.partition !== undefined) message.partition = opts.partition
    batch.push(message)
    batchBytes += (message.key?.length ?? 0) + (message.value?.length ?? 0) + 64
    return undefined
  }

  let inputError: KafkitError | undefined
  let pending: Buffer[] = []
  try {
    read: for await (const chunk of opts.input) {
      let start = 0
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        let line = chunk.subarray(start, nl)
        if (pending.length > 0) {
          line = Buffer.concat([...pending, line])
          pending = []
        }
        start = nl + 1
        result.lines++
        inputError = addLine(line, result.lines)
        if (inputError) break read
        if (batch.length >= BATCH_MAX_MESSAGES || batchBytes >= BATCH_MAX_BYTES) {
          await dispatch()
          if (failure || opts.signal.aborted) break read
        }
      }
      if (start < chunk.length) pending.push(chunk.subarray(start))
      if (opts.signal.aborted) break
    }
    if (!inputError && !failure && !opts.signal.aborted && pending.length > 0) {
      result.lines++
      inputError = addLine(Buffer.concat(pending), result.lines)
    }
  } catch (error) {
    // The input stream was destroyed by the signal, or could not be read.
    if (!opts.signal.aborted) {
      inputError = new KafkitError(`cannot read input: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
    }
  }
  result.interrupted = opts.signal.aborted
  // Flush: what was read before an input error or a signal is still sent and acknowledged.
  await dispatch()
  await inFlight
  if (failure) {
    result.failed += batch.length
    result.error = failure
  } else if (inputError) {
    result.error = inputError
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// consume

export type StartPosition =
  | {kind: 'default'}
  | {kind: 'beginning'}
  /** N ≥ 0: that offset; N < 0: |N| messages before the end (kcat's -o -N). */
  | {kind: 'offset'; offset: number}
  | {kind: 'time'; timestamp: number}

export interface ConsumeOptions {
  topic: string
  partition?: number
  position: StartPosition
  group?: string
  maxMessages?: number
  exitAtEnd: boolean
  render(record: ConsumedRecord): Buffer
  /** --where: only records it keeps are printed and counted by -n; the others are only scanned. */
  filter?(record: ConsumedRecord): boolean
  /** Awaited before a batch's records are filtered and rendered (e.g. fetch their registry schemas). */
  prepare?(records: readonly ConsumedRecord[]): Promise<void>
  output: Writable
  signal: AbortSignal
  /** consumed: printed (matched); scanned: read, matched or not. */
  onProgress?(consumed: number, scanned: number): void
  /** Told before reading which partitions cannot be read (no leader). */
  onOffline?(partitions: readonly number[]): void
}

export interface ConsumeResult {
  /** Printed: with --where, the records that matched. */
  consumed: number
  /** Read, matched or not. */
  scanned: number
  /** Partitions not read because they have no leader (offline); they would never reach their end. */
  offline: number[]
  /** Why it stopped: -n reached, -e reached the end, a signal, or the output was closed. */
  reason: 'max-messages' | 'end' | 'interrupted' | 'output-closed'
}

/**
 * Start offsets for each partition read. Explicit flags win over a group's committed offsets;
 * with no flag a group resumes where it committed, anything else starts at the end.
 */
async function startOffsets(kafka: KafkaClient, opts: ConsumeOptions, partitions: number[]) {
  const client = kafka
  const tps = partitions.map((partition) => ({topic: opts.topic, partition}))
  const [earliest, latest] = await Promise.all([client.logOffsets(tps, 'earliest'), client.logOffsets(tps, 'latest')])
  const low = new Map(earliest.map((o) => [o.partition, o.offset]))
  const high = new Map(latest.map((o) => [o.partition, o.offset]))
  let chosen: Map<number, number>
  const {position} = opts
  if (position.kind === 'beginning') {
    chosen = low
  } else if (position.kind === 'offset') {
    chosen = new Map(
      partitions.map((p) => {
        const wanted = position.offset >= 0 ? position.offset : high.get(p)! + position.offset
        return [p, Math.min(Math.max(wanted, low.get(p)!), high.get(p)!)]
      }),
    )
  } else if (position.kind === 'time') {
    const found = await client.logOffsets(tps, {timestamp: position.timestamp})
    chosen = new Map(partitions.map((p) => [p, found.find((o) => o.partition === p)?.offset ?? high.get(p)!]))
  } else if (opts.group !== undefined) {
    const committed = await client.committedOffsets(opts.group, tps)
    chosen = new Map(partitions.map((p) => [p, committed.find((c) => c.partition === p)?.offset ?? high.get(p)!]))
  } else {
    chosen = high
  }
  // A partition without a leader has no log offsets: it cannot be read now (offline).
  const offline = partitions.filter((p) => !low.has(p) || !high.has(p))
  const starts: TopicPartitionOffset[] = partitions.filter((p) => !offline.includes(p)).map((partition) => ({topic: opts.topic, partition, offset: chosen.get(partition)!}))
  return {starts, high, offline}
}

export async function consume(kafka: KafkaClient, opts: ConsumeOptions): Promise<ConsumeResult> {
  const all = await topicPartitions(kafka, opts.topic)
  checkPartition(opts.partition, all, opts.topic)
  const partitions = opts.partition === undefined ? all : [opts.partition]
  const {starts, high, offline} = await startOffsets(kafka, opts, partitions)
  if (starts.length === 0) {
    throw new KafkitError(
      `${opts.partition === undefined ? `every partition of ${opts.topic}` : `partition ${opts.topic}:${opts.partition}`} has no leader (offline): nothing can be read`,
      {code: 'LEADER_NOT_AVAILABLE', hint: 'kafkit cluster health shows which brokers are down'},
    )
  }
  // The healthy partitions are read; the offline ones are reported by the caller.
  opts.onOffline?.(offline)
  if (opts.group !== undefined && opts.position.kind !== 'default') await commitStartsBeforeJoining(kafka, opts.group, starts)

  let consumed = 0
  let scanned = 0
  const {filter} = opts
  let finish: (reason: ConsumeResult['reason']) => void = () => {}
  let finishedReason: ConsumeResult['reason'] | undefined
  const finished = new Promise<ConsumeResult['reason']>((resolve) => {
    finish = (reason) => {
      finishedReason ??= reason
      resolve(finishedReason)
    }
  })

  // -e: the partitions still short of the end offset they had when we started.
  const remaining = new Set(starts.filter((s) => s.offset < high.get(s.partition)!).map((s) => s.partition))
  const reached = (partition: number, lastOffset: number): void => {
    if (!opts.exitAtEnd || !remaining.has(partition) || lastOffset < high.get(partition)! - 1) return
    remaining.delete(partition)
    if (remaining.size === 0) finish('end')
  }
  if (opts.exitAtEnd && remaining.size === 0) return {consumed, scanned: 0, reason: 'end', offline}
  if (opts.maxMessages === 0) return {consumed, scanned: 0, reason: 'max-messages', offline}

  const {output} = opts
  let outputClosed = false
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    outputClosed = true
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') finish('output-closed')
    else finish('output-closed')
  }
  output.on('error', onOutputError)
  const onAbort = (): void => finish('interrupted')
  opts.signal.addEventListener('abort', onAbort)

  const consumer = await kafka.startConsoleConsumer({
    topic: opts.topic,
    group: opts.group,
    partitions: all,
    starts,
    onProgress: reached,
    onBatch: async ({partition, records, heartbeat, resolveOffset}) => {
      if (opts.prepare !== undefined) await opts.prepare(records)
      const chunks: Buffer[] = []
      let size = 0
      const flush = async (): Promise<boolean> => {
        if (chunks.length === 0) return !outputClosed
        const ok = output.write(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
        chunks.length = 0
        size = 0
        if (!ok && !outputClosed) await drained(output, heartbeat, () => finishedReason !== undefined)
        return !outputClosed && finishedReason === undefined
      }
      for (const record of records) {
        if (finishedReason !== undefined) break
        scanned++
        if (filter !== undefined && !filter(record)) {
          resolveOffset(record.offset)
          reached(partition, Number(record.offset))
          continue
        }
        const bytes = opts.render(record)
        chunks.push(bytes)
        size += bytes.length
        consumed++
        resolveOffset(record.offset)
        const last = opts.maxMessages !== undefined && consumed >= opts.maxMessages
        if (size >= 64 * 1024 || last) {
          if (!(await flush())) break
        }
        if (last) {
          finish('max-messages')
          break
        }
        reached(partition, Number(record.offset))
      }
      await flush()
      opts.onProgress?.(consumed, scanned)
    },
  })
  let reason: ConsumeResult['reason']
  try {
    reason = await Promise.race([finished, consumer.crashed])
  } finally {
    opts.signal.removeEventListener('abort', onAbort)
    await consumer.stop()
    output.off('error', onOutputError)
  }
  // Counted once the consumer stopped: `{consumed, reason: await ...}` read `consumed` (0) before the wait.
  return {consumed, scanned, reason, offline}
}

/**
 * A group told where to start (--from-beginning, --offset, --from-time) gets those positions
 * committed before it joins. Left to kafkajs's seek, the commit happens inside its fetch loop and
 * races its own lookup of a start for partitions without a committed offset (one fetcher per
 * broker): under load a partition started at its end, and -e waited for it forever.
 */
async function commitStartsBeforeJoining(kafka: KafkaClient, group: string, starts: readonly TopicPartitionOffset[]): Promise<void> {
  const client = kafka
  await client.commitOffsetsWhileInactive(group, starts, 'choose where consume starts for')
}

/** Waits for 'drain' (or the end of consuming), sending group heartbeats meanwhile. */
async function drained(output: Writable, heartbeat: () => Promise<void>, stopped: () => boolean): Promise<void> {
  let done = false
  const drain = new Promise<void>((resolve) => output.once('drain', resolve)).then(() => {
    done = true
  })
  while (!done && !stopped() && !output.destroyed) {
    await Promise.race([drain, new Promise((resolve) => setTimeout(resolve, 1000))])
    if (!done) await heartbeat().catch(() => {})
  }
}
