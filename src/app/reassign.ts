/**
 * The use case behind `topics reassign` (and the throttle of `topics apply`'s replication step):
 * read the cluster through the port, let src/core/reassign-plan.ts decide, then set throttles,
 * start the moves batch by batch, wait for each, and remove the throttles it set.
 *
 * Throttles and re-runs. A throttled move sets `leader/follower.replication.throttled.rate` on
 * the brokers involved and `leader/follower.replication.throttled.replicas` on the topics. They
 * are removed when the move finishes or fails. Ctrl-C stops waiting but not the move (it runs on
 * in the cluster): the throttles stay while it runs, because removing them would let it copy at
 * full speed. A later run over the same topics finds the move (ListPartitionReassignments), waits
 * for it or cancels it (--cancel), and removes throttles left behind: a topic's throttled-replica
 * lists when none of its partitions is moving, the brokers' rates when nothing in the cluster is.
 */
import {
  batchMoves,
  bytesToMove,
  etaSeconds,
  planReassignment,
  throttleLeftovers,
  throttleSettings,
  THROTTLE_RATE_KEYS,
  THROTTLE_REPLICA_KEYS,
  LEADER_RATE,
  FOLLOWER_RATE,
  LEADER_REPLICAS,
  FOLLOWER_REPLICAS,
  addedReplicas,
  type PartitionMove,
  type ReassignTarget,
  type ThrottleLeftovers,
  type ThrottleSettings,
} from '../core/reassign-plan.js'
import {resolveTopicScopes, type TopicScope} from '../core/offset-reset.js'
import type {LiveBroker} from '../core/cluster-state.js'
import {KafkitError} from '../errors.js'
import type {KafkaClient, ReassignmentInProgress} from './kafka-client.js'

export interface ReassignRequest {
  scopes: TopicScope[]
  prefix?: string
  /** Where to; undefined only waits for (or cancels) moves in progress and removes leftovers. */
  target?: ReassignTarget
  /** Bytes per second, or undefined for no throttle. */
  throttle?: number
  /** At most this many partitions moving at a time. */
  batch?: number
}

export interface PlannedMove extends PartitionMove {
  /** Bytes this move copies (size × new replicas); undefined when not known. */
  bytes?: number
}

export interface ReassignPlan {
  brokers: LiveBroker[]
  topics: string[]
  /** Selected partitions. */
  partitions: number
  moves: PlannedMove[]
  batchSize?: number
  batches: number
  /** Total bytes the moves copy; null when not known. */
  bytes: number | null
  /** Why bytes are not known. */
  bytesUnknown?: string
  throttle: number | null
  /** The throttle configs a throttled move sets; null without --throttle. */
  throttles: ThrottleSettings | null
  /** Moves of the selected topics already running (an earlier run, or another tool). */
  inProgress: ReassignmentInProgress[]
  /** Throttle configs left by an earlier run, to be removed. */
  leftovers: ThrottleLeftovers
}

/** Reads the cluster and plans; a bad broker id, topic or partition is one KafkitError line. */
export async function planReassign(kafka: KafkaClient, req: ReassignRequest): Promise<ReassignPlan> {
  const names = [...new Set(req.scopes.map((s) => s.topic))]
  const [cluster, live] = await Promise.all([
    kafka.describeCluster({racks: true}),
    kafka.describeTopics({names, prefix: req.prefix, configs: [...THROTTLE_REPLICA_KEYS]}),
  ])
  const byName = new Map(live.map((t) => [t.name, t]))
  const scopes: TopicScope[] = [...req.scopes]
  if (req.prefix !== undefined) for (const t of live) if (t.name.startsWith(req.prefix) && !t.internal && !names.includes(t.name)) scopes.push({topic: t.name})
  if (scopes.length === 0) throw new KafkitError(`no topic starts with "${req.prefix}"`, {code: 'NO_TOPICS'})
  const selected = resolveTopicScopes(
    scopes,
    live.map((t) => ({topic: t.name, partitions: t.partitions.map((p) => p.partition)})),
  )
  const topics = [...new Set(selected.map((s) => s.topic))]
  const [inProgress, allMoving] = await Promise.all([kafka.listReassignments(topics), kafka.listReassignments()])
  const leftovers = await findLeftovers(kafka, {
    brokers: cluster.brokers.map((b) => b.nodeId),
    topics: topics.map((t) => ({topic: t, keys: overriddenThrottleKeys(byName.get(t)?.configs ?? {})})),
    moving: allMoving,
  })

  let moves: PlannedMove[] = []
  if (req.target) {
    // A partition being moved already: plan from where that move is taking it.
    const moving = new Map(inProgress.map((r) => [`${r.topic}:${r.partition}`, r]))
    const partitions = selected.map(({topic, partition}) => {
      const r = moving.get(`${topic}:${partition}`)
      const replicas = r ? r.replicas.filter((id) => !r.removing.includes(id)) : (byName.get(topic)!.partitions.find((p) => p.partition === partition)?.replicas ?? [])
      return {topic, partition, replicas}
    })
    const result = planReassignment(partitions, cluster.brokers, req.target)
    if (result.errors.length > 0) throw new KafkitError(result.errors.join('; '), {code: 'INVALID_REASSIGNMENT'})
    moves = result.moves
  }

  let bytes: number | null = null
  let bytesUnknown: string | undefined
  const copying = moves.filter((m) => addedReplicas(m).length > 0)
  if (copying.length > 0) {
    const sources = [...new Set(copying.flatMap((m) => m.from))].sort((a, b) => a - b)
    const sizes = await kafka.replicaSizes(sources, copying)
    const sizeOf = partitionSizes(sizes.sizes.filter((s) => copying.some((m) => m.topic === s.topic && m.partition === s.partition && m.from.includes(s.broker))))
    moves = moves.map((m) => {
      const size = sizeOf(m.topic, m.partition)
      return size === undefined ? m : {...m, bytes: size * addedReplicas(m).length}
    })
    const total = bytesToMove(moves, sizeOf)
    if (total === undefined) bytesUnknown = sizes.unknown[0] ? `broker ${sizes.unknown[0].broker}: ${sizes.unknown[0].error}` : 'a replica size was not reported'
    else bytes = total
  } else {
    bytes = 0
  }
  return {
    brokers: cluster.brokers,
    topics,
    partitions: selected.length,
    moves,
    ...(req.batch === undefined ? {} : {batchSize: req.batch}),
    batches: batchMoves(moves, req.batch).length,
    bytes,
    ...(bytesUnknown === undefined ? {} : {bytesUnknown}),
    throttle: req.throttle ?? null,
    throttles: req.throttle === undefined || moves.length === 0 ? null : throttleSettings(moves),
    inProgress,
    leftovers,
  }
}

function overriddenThrottleKeys(configs: Record<string, {value: string | null; source: string}>): string[] {
  return THROTTLE_REPLICA_KEYS.filter((k) => configs[k]?.source === 'topic' && (configs[k]?.value ?? '') !== '')
}

/** The largest reported size of each partition's replicas. */
function partitionSizes(sizes: readonly {topic: string; partition: number; bytes: number}[]): (topic: string, partition: number) => number | undefined {
  const max = new Map<string, number>()
  for (const s of sizes) {
    const key = `${s.topic}:${s.partition}`
    max.set(key, Math.max(max.get(key) ?? 0, s.bytes))
  }
  return (topic, partition) => max.get(`${topic}:${partition}`)
}

async function findLeftovers(
  kafka: KafkaClient,
  input: {brokers: number[]; topics: {topic: string; keys: string[]}[]; moving: ReassignmentInProgress[]},
): Promise<ThrottleLeftovers> {
  const rates = await kafka.brokerConfigOverrides(input.brokers, THROTTLE_RATE_KEYS)
  return throttleLeftovers({
    topics: input.topics,
    brokers: rates.map((r) => ({broker: r.broker, keys: Object.keys(r.configs)})),
    movingTopics: new Set(input.moving.map((m) => m.topic)),
    anyMoving: input.moving.length > 0,
  })
}

/** Throttle configs left over on these topics and on the brokers, read now. */
export async function currentLeftovers(kafka: KafkaClient, topics: readonly string[]): Promise<ThrottleLeftovers> {
  const [cluster, live, moving] = await Promise.all([
    kafka.describeCluster({racks: false}),
    topics.length === 0 ? Promise.resolve([]) : kafka.describeTopics({names: [...topics], configs: [...THROTTLE_REPLICA_KEYS]}),
    kafka.listReassignments(),
  ])
  return findLeftovers(kafka, {
    brokers: cluster.brokers.map((b) => b.nodeId),
    topics: live.map((t) => ({topic: t.name, keys: overriddenThrottleKeys(t.configs)})),
    moving,
  })
}

/** Deletes the leftover throttle configs; returns what it removed. */
export async function removeLeftovers(kafka: KafkaClient, leftovers: ThrottleLeftovers): Promise<ThrottleLeftovers> {
  const changes = [
    ...leftovers.brokers.map((b) => ({type: 'broker' as const, name: String(b.broker), delete: b.keys})),
    ...leftovers.topics.map((t) => ({type: 'topic' as const, name: t.topic, delete: t.keys})),
  ]
  if (changes.length === 0) return leftovers
  const results = await kafka.incrementalAlterConfigs(changes)
  const failed = results.find((r) => r.error)
  if (failed?.error) throw new KafkitError(`could not remove the throttle left on ${failed.type} ${failed.name}: ${failed.error.message}`, {code: failed.error.code})
  return leftovers
}

/** Sets a move's throttle (rates on brokers, replica lists on topics). */
export async function setThrottles(kafka: KafkaClient, settings: ThrottleSettings, rate: number): Promise<void> {
  const results = await kafka.incrementalAlterConfigs([
    ...settings.brokers.map((id) => ({type: 'broker' as const, name: String(id), set: {[LEADER_RATE]: String(rate), [FOLLOWER_RATE]: String(rate)}})),
    ...settings.topics.map((t) => ({
      type: 'topic' as const,
      name: t.topic,
      set: {[LEADER_REPLICAS]: t.leader, ...(t.follower === '' ? {} : {[FOLLOWER_REPLICAS]: t.follower})},
      ...(t.follower === '' ? {delete: [FOLLOWER_REPLICAS]} : {}),
    })),
  ])
  const failed = results.find((r) => r.error)
  if (failed?.error) {
    await removeThrottles(kafka, settings).catch(() => undefined)
    throw new KafkitError(`could not set the throttle on ${failed.type} ${failed.name}: ${failed.error.message}`, {code: failed.error.code})
  }
}

/** Removes a move's throttle: every key setThrottles may have set. */
export async function removeThrottles(kafka: KafkaClient, settings: ThrottleSettings): Promise<void> {
  const results = await kafka.incrementalAlterConfigs([
    ...settings.brokers.map((id) => ({type: 'broker' as const, name: String(id), delete: [...THROTTLE_RATE_KEYS]})),
    ...settings.topics.map((t) => ({type: 'topic' as const, name: t.topic, delete: [...THROTTLE_REPLICA_KEYS]})),
  ])
  const failed = results.find((r) => r.error)
  if (failed?.error) throw new KafkitError(`could not remove the throttle on ${failed.type} ${failed.name}: ${failed.error.message}`, {code: failed.error.code})
}

export interface ReassignProgress {
  phase: 'earlier' | 'moving' | 'cancelling'
  /** Partitions done of `total`. */
  done: number
  total: number
  batch?: {index: number; count: number}
  bytesMoved?: number
  bytesTotal?: number
  elapsedMs: number
  etaSeconds?: number
}

export interface PartitionError {
  topic: string
  partition: number
  error: string
}

export interface ReassignReport {
  /** Partitions of an earlier move waited for. */
  resumed: number
  moved: number
  failed: PartitionError[]
  /** Stopped by Ctrl-C / SIGTERM. */
  interrupted: boolean
  /** Partitions still moving when kafkit stopped waiting. */
  stillMoving: number
  /** Partitions never started (later batches after an interrupt or failure). */
  notStarted: number
  throttle: number | null
  /** Throttles set and removed by this run; `left` when the move still runs throttled. */
  throttles: (ThrottleSettings & {removed: boolean; error?: string}) | null
  leftoversRemoved: ThrottleLeftovers
  elapsedMs: number
}

export interface ExecuteOptions {
  signal?: AbortSignal
  onProgress?: (p: ReassignProgress) => void
  /** Also poll replica sizes for bytes moved (costs one DescribeLogDirs per new broker per poll). */
  bytes?: boolean
  pollMs?: number
}

const key = (p: {topic: string; partition: number}) => `${p.topic}:${p.partition}`

/** The throttle a move in progress has (or would have): from its original replicas to its target ones. */
function inProgressThrottle(moving: readonly ReassignmentInProgress[]): ThrottleSettings {
  return throttleSettings(
    moving.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      from: r.replicas.filter((id) => !r.adding.includes(id)),
      to: r.replicas.filter((id) => !r.removing.includes(id)),
    })),
  )
}

/**
 * Waits until none of `partitions` is moving (polling ListPartitionReassignments), or the signal.
 * Returns the partitions still moving. A cluster that does not answer for --timeout in a row fails.
 */
async function waitForPartitions(
  kafka: KafkaClient,
  partitions: readonly {topic: string; partition: number}[],
  opts: {signal?: AbortSignal; pollMs?: number; onPoll?: (moving: ReassignmentInProgress[]) => Promise<void> | void},
): Promise<ReassignmentInProgress[]> {
  const wanted = new Set(partitions.map(key))
  const topics = [...new Set(partitions.map((p) => p.topic))]
  let failingSince: number | undefined
  for (;;) {
    let moving: ReassignmentInProgress[] | undefined
    try {
      moving = (await kafka.listReassignments(topics)).filter((r) => wanted.has(key(r)))
      failingSince = undefined
    } catch (error) {
      failingSince ??= Date.now()
      if (Date.now() - failingSince > kafka.timeoutMs) throw error
    }
    if (moving) {
      await opts.onPoll?.(moving)
      if (moving.length === 0 || opts.signal?.aborted) return moving
    }
    if (opts.signal?.aborted) return [...partitions].map((p) => ({...p, replicas: [], adding: [], removing: []}))
    await sleep(opts.pollMs ?? 500, opts.signal)
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })
}

/**
 * Runs a plan: waits for the selected topics' moves already in progress, removes leftover
 * throttles, sets this move's throttle, moves batch by batch, removes the throttle.
 */
export async function executeReassign(kafka: KafkaClient, plan: ReassignPlan, opts: ExecuteOptions = {}): Promise<ReassignReport> {
  const started = Date.now()
  const report: ReassignReport = {
    resumed: 0,
    moved: 0,
    failed: [],
    interrupted: false,
    stillMoving: 0,
    notStarted: 0,
    throttle: plan.throttle,
    throttles: null,
    leftoversRemoved: {topics: [], brokers: []},
    elapsedMs: 0,
  }
  const aborted = () => opts.signal?.aborted === true
  const finish = () => ({...report, interrupted: aborted(), elapsedMs: Date.now() - started})

  if (plan.inProgress.length > 0) {
    // With --throttle, the move in progress gets this run's rate (and its replica lists), and
    // this run removes them once it has finished, like its own.
    // Either way, once it has finished its throttle goes (rates on its brokers, lists on its topics).
    const resumed = inProgressThrottle(plan.inProgress)
    if (plan.throttle !== null) await setThrottles(kafka, resumed, plan.throttle)
    const total = plan.inProgress.length
    const left = await waitForPartitions(kafka, plan.inProgress, {
      signal: opts.signal,
      pollMs: opts.pollMs,
      onPoll: (moving) => opts.onProgress?.({phase: 'earlier', done: total - moving.length, total, elapsedMs: Date.now() - started}),
    })
    report.resumed = total - left.length
    if (left.length > 0) {
      report.stillMoving = left.length
      report.notStarted = plan.moves.length
      return finish()
    }
    await removeThrottles(kafka, resumed)
  }

  report.leftoversRemoved = await removeLeftovers(kafka, await currentLeftovers(kafka, plan.topics))
  if (plan.moves.length === 0 || aborted()) {
    report.notStarted = plan.moves.length
    return finish()
  }

  const settings = plan.throttle === null ? null : throttleSettings(plan.moves)
  if (settings && plan.throttle !== null) {
    await setThrottles(kafka, settings, plan.throttle)
    report.throttles = {...settings, removed: false}
  }
  const batches = batchMoves(plan.moves, plan.batchSize)
  const total = plan.moves.length
  const bytesTotal = plan.bytes ?? undefined
  let doneBytes = 0
  let moving: ReassignmentInProgress[] = []
  try {
    for (const [index, batch] of batches.entries()) {
      if (aborted()) {
        report.notStarted += batch.length
        continue
      }
      const results = await kafka.alterReassignments(batch.map((m) => ({topic: m.topic, partition: m.partition, replicas: m.to})))
      const failed = new Set<string>()
      for (const r of results) {
        if (!r.error) continue
        failed.add(key(r))
        report.failed.push({topic: r.topic, partition: r.partition, error: r.error.message})
      }
      const sent = batch.filter((m) => !failed.has(key(m)))
      const batchInfo = {index: index + 1, count: batches.length}
      let inFlightBytes = 0
      let lastSizesAt = 0
      moving = await waitForPartitions(kafka, sent, {
        signal: opts.signal,
        pollMs: opts.pollMs,
        onPoll: async (now) => {
          const stillMoving = new Set(now.map(key))
          if (opts.bytes && bytesTotal !== undefined && now.length > 0 && Date.now() - lastSizesAt >= 2000) {
            lastSizesAt = Date.now()
            inFlightBytes = await bytesCopied(kafka, sent.filter((m) => stillMoving.has(key(m))))
          }
          if (now.length === 0) inFlightBytes = 0
          const doneHere = sent.filter((m) => !stillMoving.has(key(m)))
          const moved = doneBytes + doneHere.reduce((n, m) => n + ((m as PlannedMove).bytes ?? 0), 0) + inFlightBytes
          const elapsedMs = Date.now() - started
          opts.onProgress?.({
            phase: 'moving',
            done: report.moved + doneHere.length,
            total,
            batch: batchInfo,
            ...(bytesTotal === undefined ? {} : {bytesMoved: Math.min(moved, bytesTotal), bytesTotal, etaSeconds: etaSeconds(moved, bytesTotal, elapsedMs)}),
            elapsedMs,
          })
        },
      })
      const stillMoving = new Set(moving.map(key))
      const doneHere = sent.filter((m) => !stillMoving.has(key(m)))
      report.moved += doneHere.length
      doneBytes += doneHere.reduce((n, m) => n + ((m as PlannedMove).bytes ?? 0), 0)
      report.stillMoving = moving.length
    }
  } finally {
    // The throttle goes when nothing of this move runs any more. After Ctrl-C the move goes on in
    // the cluster: the throttle stays with it (a re-run removes it).
    if (settings && report.throttles) {
      let stillRunning = moving.length > 0
      if (stillRunning) {
        try {
          const now = await kafka.listReassignments(plan.topics)
          const ours = new Set(plan.moves.map(key))
          stillRunning = now.some((r) => ours.has(key(r)))
          if (!stillRunning) {
            report.moved += report.stillMoving
            report.stillMoving = 0
          }
        } catch {
          // Unknown: leave the throttle; a re-run removes it.
        }
      }
      if (!stillRunning) {
        try {
          await removeThrottles(kafka, settings)
          report.throttles.removed = true
        } catch (error) {
          report.throttles.error = (error as Error).message
        }
      }
    }
  }
  return finish()
}

/** Bytes the new replicas of these moving partitions hold so far (sizes on their new brokers). */
async function bytesCopied(kafka: KafkaClient, moves: readonly PlannedMove[]): Promise<number> {
  const targets = [...new Set(moves.flatMap(addedReplicas))]
  if (targets.length === 0) return 0
  try {
    const {sizes} = await kafka.replicaSizes(targets, moves)
    let total = 0
    for (const m of moves) {
      const added = new Set(addedReplicas(m))
      for (const s of sizes) if (s.topic === m.topic && s.partition === m.partition && added.has(s.broker)) total += Math.min(s.bytes, (m.bytes ?? Infinity) / Math.max(1, added.size))
    }
    return total
  } catch {
    return 0
  }
}

export interface CancelReport {
  cancelled: {topic: string; partition: number}[]
  failed: PartitionError[]
  /** Partitions still listed as moving after the wait (should be none). */
  stillMoving: number
  leftoversRemoved: ThrottleLeftovers
}

/** Cancels the selected topics' moves in progress (their replicas go back), then removes leftover throttles. */
export async function cancelReassign(kafka: KafkaClient, plan: ReassignPlan, opts: {signal?: AbortSignal; pollMs?: number} = {}): Promise<CancelReport> {
  if (plan.inProgress.length === 0) {
    throw new KafkitError(`no reassignment in progress for ${plan.topics.length === 1 ? `topic "${plan.topics[0]}"` : `the ${plan.topics.length} selected topics`}: nothing to cancel`, {
      code: 'NOTHING_TO_CANCEL',
    })
  }
  const results = await kafka.alterReassignments(plan.inProgress.map((r) => ({topic: r.topic, partition: r.partition, replicas: null})))
  const failed = results.filter((r) => r.error).map((r) => ({topic: r.topic, partition: r.partition, error: r.error!.message}))
  const cancelled = results.filter((r) => !r.error).map((r) => ({topic: r.topic, partition: r.partition}))
  const deadline = AbortSignal.timeout(kafka.timeoutMs)
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline
  const left = await waitForPartitions(kafka, cancelled, {signal, pollMs: opts.pollMs ?? 200})
  if (left.length === 0) await removeThrottles(kafka, inProgressThrottle(plan.inProgress.filter((r) => cancelled.some((c) => key(c) === key(r)))))
  const leftoversRemoved = await removeLeftovers(kafka, await currentLeftovers(kafka, plan.topics))
  return {cancelled, failed, stillMoving: left.length, leftoversRemoved}
}
