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

import {
  DlqInspector,
  ReplayTally,
  TokenBucket,
  decideReplay,
  defaultReplayGroup,
  replayTransactionalId,
  type DlqInspection,
  type OutgoingMessage,
  type ReplayCounts,
  type ReplayFilter,
  type ReplayOptions,
} from '../core/dlq-replay.js'
import {KafkitError} from '../errors.js'
import type {KafkaConnection} from '../kafka/connection.js'
import {
  committedOffsets,
  dlqPartitions,
  existingTopics,
  openReplayWriter,
  readToEnd,
  type BatchHandler,
  type ReadRange,
  type ReplayWriter,
} from '../kafka/dlq.js'

// ---------------------------------------------------------------------------------------------
// inspect

export interface DlqInspectResult extends DlqInspection {
  topic: string
  partitions: number
}

export async function inspectDlqTopic(conn: KafkaConnection, topic: string, options: {sampleSize?: number} = {}): Promise<DlqInspectResult> {
  const partitions = await dlqPartitions(conn, topic)
  const inspector = new DlqInspector(options.sampleSize)
  await readToEnd(conn, {
    topic,
    // Never commits, so Kafka forgets it as soon as the consumer leaves.
    groupId: `kafkit-dlq-inspect.${topic}.${randomBytes(4).toString('hex')}`,
    ranges: partitions.map((p) => ({partition: p.partition, from: p.start, end: p.end})),
    async handle(_partition, records) {
      for (const record of records) inspector.add(record)
      return {next: Number(records.at(-1)!.offset) + 1}
    },
  })
  return {topic, partitions: partitions.length, ...inspector.result()}
}

// ---------------------------------------------------------------------------------------------
// replay

export interface ReplayRequest {
  dlqTopic: string
  /** Default: defaultReplayGroup(dlqTopic). */
  group?: string
  to?: string
  filter: ReplayFilter
  max?: number
  /** Records per second. */
  rate?: number
  maxRetries?: number
  parkingTopic?: string
  dryRun: boolean
}

export interface ReplayPlan {
  dlqTopic: string
  group: string
  dryRun: boolean
  /** Records between the group's progress and the end measured now. */
  pending: number
  ranges: ReadRange[]
  writer?: ReplayWriter
}

export interface ReplaySummary extends ReplayCounts {
  dlqTopic: string
  group: string
  dryRun: boolean
  /** Records left for this group when the run started. */
  pending: number
  /** --max stopped the run before the end. */
  stoppedAtMax: boolean
}

export type ReplayProgress = Pick<ReplaySummary, 'read' | 'replayed' | 'parked' | 'filtered' | 'undecodable' | 'refused' | 'pending'>

/**
 * Checks the request, fences an earlier run of the same replay (not for --dry-run, which writes
 * nothing) and measures what is left. Nothing is written to any topic.
 */
export async function planReplay(conn: KafkaConnection, request: ReplayRequest): Promise<ReplayPlan> {
  const {dlqTopic, to, parkingTopic, dryRun} = request
  const group = request.group ?? defaultReplayGroup(dlqTopic)
  const partitions = await dlqPartitions(conn, dlqTopic)
  const given = [to, parkingTopic].filter((t): t is string => t !== undefined)
  const existing = await existingTopics(conn, given)
  for (const [flag, topic] of [['--to', to], ['--parking-topic', parkingTopic]] as const) {
    if (topic !== undefined && !existing.has(topic)) {
      throw new KafkitError(`${flag} topic "${topic}" does not exist on ${conn.brokersLabel}`, {code: 'TOPIC_NOT_FOUND', hint: `create it first (kafkit topics create ${topic})`})
    }
  }
  // Fencing first: it aborts a killed run's open transaction, so the offsets read next are final.
  const writer = dryRun ? undefined : await openReplayWriter(conn, {transactionalId: replayTransactionalId(group, dlqTopic), groupId: group, dlqTopic})
  const committed = await committedOffsets(conn, group, dlqTopic, partitions.map((p) => p.partition))
  const ranges = partitions.map((p) => {
    const from = Math.min(Math.max(committed.get(p.partition) ?? p.start, p.start), p.end)
    return {partition: p.partition, from, end: p.end}
  })
  const pending = ranges.reduce((sum, r) => sum + (r.end - r.from), 0)
  return {dlqTopic, group, dryRun, pending, ranges, writer}
}

/** Records per transaction: big enough to amortise the commit, small enough to keep it short. */
const CHUNK_RECORDS = 500
const CHUNK_BYTES = 4 * 1024 * 1024

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function messageBytes(message: OutgoingMessage): number {
  let size = (message.key?.length ?? 0) + (message.value?.length ?? 0)
  for (const [name, value] of Object.entries(message.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) size += name.length + v.length
  }
  return size
}

export async function executeReplay(
  conn: KafkaConnection,
  plan: ReplayPlan,
  request: ReplayRequest,
  onProgress: (progress: ReplayProgress) => void = () => {},
): Promise<ReplaySummary> {
  const {dlqTopic, group, writer} = plan
  const options: ReplayOptions = {
    dlqTopic,
    to: request.to,
    filter: request.filter,
    max: request.max,
    maxRetries: request.maxRetries,
    parkingTopic: request.parkingTopic,
    replayTime: Date.now(),
  }
  const tally = new ReplayTally()
  const bucket = request.rate === undefined ? undefined : new TokenBucket(request.rate, Date.now())
  // Under --rate, commit about five times a second so the target sees a steady flow.
  const chunkRecords = request.rate === undefined ? CHUNK_RECORDS : Math.max(1, Math.min(CHUNK_RECORDS, Math.ceil(request.rate / 5)))
  const committedTo = new Map(plan.ranges.map((r) => [r.partition, r.from]))
  let stoppedAtMax = false
  const progress = () => {
    const {read, replayed, parked, filtered, undecodable, refused} = tally.result()
    onProgress({read, replayed, parked, filtered, undecodable, refused, pending: plan.pending})
  }

  let pending: OutgoingMessage[] = []
  let pendingBytes = 0
  const flush = async (partition: number, next: number) => {
    if (writer !== undefined && next > committedTo.get(partition)!) {
      await writer.commit(pending, [{partition, offset: next}])
      committedTo.set(partition, next)
    }
    pending = []
    pendingBytes = 0
    progress()
  }

  const known = await existingTopics(conn, [])
  const checkDestination = async (topic: string, where: string) => {
    if (known.has(topic) || (await existingTopics(conn, [topic])).has(topic)) {
      known.add(topic)
      return
    }
    throw new KafkitError(`topic "${topic}" does not exist (destination of ${where}); the replay stopped before that record`, {
      code: 'TOPIC_NOT_FOUND',
      hint: `create it (kafkit topics create ${topic}) or choose one with --to / --parking-topic, then run again`,
    })
  }

  const handle: BatchHandler = async (partition, records, context) => {
    let next = Number(records[0].offset)
    for (const record of records) {
      const decision = decideReplay(record, options, tally.selected)
      if (decision.action === 'limit-reached') {
        stoppedAtMax = true
        await flush(partition, next)
        return {next, stop: true}
      }
      if (decision.action === 'replay' || decision.action === 'park') {
        if (writer !== undefined) {
          try {
            await checkDestination(decision.message.topic, `${dlqTopic}:${partition}@${record.offset}`)
          } catch (error) {
            await flush(partition, next)
            throw error
          }
        }
        const wait = bucket?.take(Date.now()) ?? 0
        if (wait > 0) {
          // Commit what is waiting before pausing, so the target is not held back by the pause.
          if (pending.length > 0 && wait > 100) await flush(partition, next)
          await sleep(wait)
          await context.heartbeat()
        }
        pending.push(decision.message)
        pendingBytes += messageBytes(decision.message)
      }
      tally.add(record, decision)
      next = Number(record.offset) + 1
      if (pending.length >= chunkRecords || pendingBytes >= CHUNK_BYTES) await flush(partition, next)
    }
    await flush(partition, next)
    return {next}
  }

  if (plan.pending > 0) await readToEnd(conn, {topic: dlqTopic, groupId: group, ranges: plan.ranges, handle})
  return {dlqTopic, group, dryRun: plan.dryRun, pending: plan.pending, stoppedAtMax, ...tally.result()}
}
