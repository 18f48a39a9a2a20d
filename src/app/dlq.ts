/**
 * Use cases behind `kafkit dlq inspect` and `kafkit dlq replay`: read the DLQ through the adapter,
 * let the pure core decode and decide, write replays transactionally through the adapter.
 *
 * Replay progress lives in the replay group's committed offsets, moved in the same transaction as
 * the records it covers. Every record read moves the progress past it: replayed and parked ones
 * are written; filtered ones are skipped for this group; undecodable ones and ones that would loop
 * back into the DLQ are reported (partition, offset, reason) and stay only in the DLQ, and the run
 * exits 1. --max stops before the first record over the limit, so a later run starts there.
 */
import {randomBytes} from 'node:crypto'

import {DlqInspector, type DlqInspection, type SampleDecoder} from '../core/dlq-inspect.js'
import type {ConsumedRecord} from '../core/record.js'
import {decideReplay, defaultReplayGroup, replayTransactionalId, type OutgoingMessage, type ReplaySettings} from '../core/dlq-replay.js'
import {ReplayTally, type ReplayCounts} from '../core/replay-tally.js'
import {TokenBucket} from '../core/token-bucket.js'
import type {RecordFilter} from '../core/record-filter.js'
import {KafkitError} from '../errors.js'
import type {BatchHandler, KafkaClient, ReadRange, ReplayWriter} from './kafka-client.js'

// ---------------------------------------------------------------------------------------------
// inspect

/**
 * A consumer group of its own for a read that commits nothing (inspect, a replay's dry run), so it
 * never joins, and never rebalances, a group someone else uses. Deleted afterwards: an empty group
 * would otherwise stay listed until it expires.
 */
async function withThrowawayGroup<T>(kafka: KafkaClient, prefix: string, read: (groupId: string) => Promise<T>): Promise<T> {
  const groupId = `${prefix}.${randomBytes(4).toString('hex')}`
  try {
    return await read(groupId)
  } finally {
    await kafka.deleteGroups([groupId]).catch(() => {})
  }
}

export interface DlqInspectResult extends DlqInspection {
  topic: string
  partitions: number
  /** With --where: the expressions, and how many records were read (`records` counts the matches). */
  where?: {expressions: string[]; scanned: number}
}

export async function inspectDlqTopic(
  kafka: KafkaClient,
  topic: string,
  options: {sampleSize?: number; filter?: RecordFilter; schemas?: {prepare(records: readonly ConsumedRecord[]): Promise<void>; decodeSample: SampleDecoder}} = {},
): Promise<DlqInspectResult> {
  const partitions = await kafka.dlqPartitions(topic)
  const inspector = new DlqInspector(options.sampleSize, options.schemas?.decodeSample)
  const {filter} = options
  let scanned = 0
  await withThrowawayGroup(kafka, `kafkit-dlq-inspect.${topic}`, (groupId) =>
    kafka.readToEnd({
      topic,
      groupId,
      ranges: partitions.map((p) => ({partition: p.partition, from: p.start, end: p.end})),
      async handle(_partition, records) {
        scanned += records.length
        await options.schemas?.prepare(records)
        for (const record of records) if (filter === undefined || filter.test(record)) inspector.add(record)
        return {next: Number(records.at(-1)!.offset) + 1}
      },
    }),
  )
  const result: DlqInspectResult = {topic, partitions: partitions.length, ...inspector.result()}
  if (filter !== undefined) result.where = {expressions: [...filter.sources], scanned}
  return result
}

// ---------------------------------------------------------------------------------------------
// replay

export interface ReplayRequest extends ReplaySettings {
  dryRun: boolean
}

export interface ReplayPlan {
  dlqTopic: string
  group: string
  dryRun: boolean
  /** Records between the group's progress and the end measured now. */
  pending: number
  ranges: ReadRange[]
}

export interface ReplaySummary extends ReplayCounts {
  dlqTopic: string
  group: string
  dryRun: boolean
  /** Records left for this group when the run started. */
  pending: number
  /** --max stopped the run before the end. */
  stoppedAtMax: boolean
  /** A signal stopped the run; what was committed before it stays committed. */
  interrupted: boolean
  /** Destination topics that do not exist (a dry run lists them; a replay stops at the first). */
  missingTopics: string[]
}

export type ReplayProgress = Pick<ReplaySummary, 'read' | 'replayed' | 'parked' | 'filtered' | 'undecodable' | 'refused' | 'pending'>

/**
 * Checks the request and measures what is left for the replay group. Read-only: a running replay
 * of the same DLQ is not disturbed (fencing waits until the replay is confirmed and starts).
 */
export async function planReplay(kafka: KafkaClient, request: ReplayRequest): Promise<ReplayPlan> {
  const {dlqTopic, to, parkingTopic, dryRun} = request
  const group = request.group ?? defaultReplayGroup(dlqTopic)
  const ranges = await pendingRanges(kafka, dlqTopic, group)
  const given = [to, parkingTopic].filter((t): t is string => t !== undefined)
  const existing = await kafka.existingTopics(given)
  for (const [flag, topic] of [['--to', to], ['--parking-topic', parkingTopic]] as const) {
    if (topic !== undefined && !existing.has(topic)) {
      throw new KafkitError(`${flag} topic "${topic}" does not exist on ${kafka.brokersLabel}`, {code: 'TOPIC_NOT_FOUND', hint: `create it first (kafkit topics create ${topic})`})
    }
  }
  return {dlqTopic, group, dryRun, pending: sumPending(ranges), ranges}
}

/**
 * Per partition: from the group's committed progress (clamped to the log) to the end now, or to
 * the ends given (those the user confirmed: records that arrived since wait for the next run).
 */
async function pendingRanges(kafka: KafkaClient, dlqTopic: string, group: string, ends?: ReadonlyMap<number, number>): Promise<ReadRange[]> {
  const partitions = await kafka.dlqPartitions(dlqTopic)
  const committed = new Map(
    (await kafka.committedOffsets(group, partitions.map((p) => ({topic: dlqTopic, partition: p.partition}))))
      .filter((c) => c.topic === dlqTopic)
      .map((c) => [c.partition, c.offset]),
  )
  return partitions.map((p) => {
    const end = Math.min(ends?.get(p.partition) ?? p.end, p.end)
    return {partition: p.partition, from: Math.min(Math.max(committed.get(p.partition) ?? p.start, p.start), end), end}
  })
}

const sumPending = (ranges: readonly ReadRange[]): number => ranges.reduce((sum, r) => sum + (r.end - r.from), 0)

/**
 * One transaction covers records of any partitions read since the last one, up to these bounds:
 * each transaction costs about five round trips (AddPartitionsToTxn, Produce, AddOffsetsToTxn,
 * TxnOffsetCommit, EndTxn), so at 500 records per transaction those were most of a replay's time.
 * The age bound keeps a slowly read DLQ committing steadily.
 */
const CHUNK_RECORDS = 2000
const CHUNK_BYTES = 1024 * 1024
const CHUNK_AGE_MS = 1000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function messageBytes(message: OutgoingMessage): number {
  let size = (message.key?.length ?? 0) + (message.value?.length ?? 0)
  for (const {name, value} of message.headers) size += name.length + (value?.length ?? 0)
  return size
}

export async function executeReplay(
  kafka: KafkaClient,
  plan: ReplayPlan,
  request: ReplayRequest,
  onProgress: (progress: ReplayProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<ReplaySummary> {
  const {dlqTopic, group} = plan
  let {ranges, pending: pendingAtStart} = plan
  let writer: ReplayWriter | undefined
  if (!plan.dryRun) {
    // Fencing first: it aborts a killed run's open transaction (and stops a running one), so the
    // progress measured next is final.
    writer = await kafka.openReplayWriter({transactionalId: replayTransactionalId(group, dlqTopic), groupId: group, dlqTopic})
    ranges = await pendingRanges(kafka, dlqTopic, group, new Map(plan.ranges.map((r) => [r.partition, r.end])))
    pendingAtStart = sumPending(ranges)
  }
  const options = {...request, dlqTopic, replayTime: Date.now()}
  const tally = new ReplayTally()
  const bucket = request.rate === undefined ? undefined : new TokenBucket(request.rate, Date.now())
  // Under --rate, commit about five times a second so the target sees a steady flow.
  const chunkRecords = request.rate === undefined ? CHUNK_RECORDS : Math.max(1, Math.min(CHUNK_RECORDS, Math.ceil(request.rate / 5)))
  const committedTo = new Map(ranges.map((r) => [r.partition, r.from]))
  let stoppedAtMax = false
  let interrupted = false
  const progress = () => {
    const {read, replayed, parked, filtered, undecodable, refused} = tally.result()
    onProgress({read, replayed, parked, filtered, undecodable, refused, pending: pendingAtStart})
  }

  // What the next transaction holds: messages of any partitions, and where each partition got to.
  let pending: OutgoingMessage[] = []
  let pendingBytes = 0
  let pendingSince = 0
  const pendingTo = new Map<number, number>()
  // At most one transaction in flight while the next chunk is read (the read overlaps the commit).
  let committing: Promise<void> | undefined
  let commitError: unknown
  const settled = async () => {
    if (committing !== undefined) await committing
    if (commitError !== undefined) throw commitError
  }
  /** Starts committing what is pending (after the one in flight); `wait` also waits for it. */
  const flush = async (wait: boolean) => {
    const messages = pending
    const offsets = [...pendingTo].filter(([partition, next]) => next > committedTo.get(partition)!).map(([partition, offset]) => ({partition, offset}))
    pending = []
    pendingBytes = 0
    pendingTo.clear()
    pendingSince = Date.now()
    await settled()
    if (writer !== undefined && offsets.length > 0) {
      const w = writer
      committing = w.commit(messages, offsets).then(
        () => {
          for (const {partition, offset} of offsets) committedTo.set(partition, offset)
          progress()
        },
        (error: unknown) => {
          commitError ??= error
        },
      )
    } else {
      progress()
    }
    if (wait) await settled()
  }
  const advance = (partition: number, next: number) => {
    pendingTo.set(partition, next)
  }

  const known = await kafka.existingTopics([])
  const checkDestination = async (topic: string, where: string) => {
    if (known.has(topic) || (await kafka.existingTopics([topic])).has(topic)) {
      known.add(topic)
      return
    }
    throw new KafkitError(`topic "${topic}" does not exist (destination of ${where}); the replay stopped before that record`, {
      code: 'TOPIC_NOT_FOUND',
      hint: `create it (kafkit topics create ${topic}) or choose one with --to / --parking-topic, then run again`,
    })
  }

  const handle: BatchHandler = async (partition, records, context) => {
    // A failed transaction stops the read at once (its records are re-read by the next run).
    if (commitError !== undefined) await settled()
    // A chunk's age counts from its first record.
    if (pending.length === 0 && pendingTo.size === 0) pendingSince = Date.now()
    let next = Number(records[0].offset)
    for (const record of records) {
      if (signal?.aborted) {
        // Ctrl-C: commit what is already read and stop cleanly at a record boundary.
        interrupted = true
        advance(partition, next)
        await flush(true)
        return {next, stop: true}
      }
      const decision = decideReplay(record, options, tally.selected)
      if (decision.action === 'limit-reached') {
        stoppedAtMax = true
        advance(partition, next)
        await flush(true)
        return {next, stop: true}
      }
      if (decision.action === 'replay' || decision.action === 'park') {
        if (writer !== undefined) {
          try {
            await checkDestination(decision.message.topic, `${dlqTopic}:${partition}@${record.offset}`)
          } catch (error) {
            advance(partition, next)
            await flush(true)
            throw error
          }
        }
        const wait = bucket?.take(Date.now()) ?? 0
        if (wait > 0) {
          // Commit what is waiting before pausing, so the target is not held back by the pause.
          if (pending.length > 0 && wait > 100) {
            advance(partition, next)
            await flush(true)
          }
          await sleep(wait)
          await context.heartbeat()
        }
        pending.push(decision.message)
        pendingBytes += messageBytes(decision.message)
      }
      tally.add(record, decision)
      next = Number(record.offset) + 1
      if (pending.length >= chunkRecords || pendingBytes >= CHUNK_BYTES) {
        advance(partition, next)
        await flush(false)
      }
    }
    advance(partition, next)
    // The end of a fetched batch: commit if the chunk is old enough or this partition is done
    // (the last batch of the read is committed after it, below); else keep reading into it.
    if (bucket !== undefined || Date.now() - pendingSince >= CHUNK_AGE_MS) await flush(false)
    else progress()
    return {next}
  }

  if (pendingAtStart > 0) {
    const read = (groupId: string) => kafka.readToEnd({topic: dlqTopic, groupId, ranges, handle})
    // A dry run reads with a group of its own: joining the replay group would rebalance a running replay.
    try {
      await (plan.dryRun ? withThrowawayGroup(kafka, `kafkit-dlq-dry-run.${dlqTopic}`, read) : read(group))
    } catch (error) {
      // The transaction in flight still lands (or fails) before the error is reported.
      await committing
      throw commitError ?? error
    }
    // The read reached every end: what is left is committed before the summary.
    if (pending.length > 0 || pendingTo.size > 0) await flush(true)
    await settled()
  }
  const counts = tally.result()
  // A replay stops at the first missing destination; a dry run names every one it would meet.
  const destinations = [...new Set(counts.destinations.map((d) => d.topic))]
  const found = plan.dryRun ? await kafka.existingTopics(destinations) : new Set(destinations)
  const missingTopics = destinations.filter((t) => !found.has(t))
  return {dlqTopic, group, dryRun: plan.dryRun, pending: pendingAtStart, stoppedAtMax, interrupted, missingTopics, ...counts}
}
