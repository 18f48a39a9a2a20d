/**
 * Batched topic writes that report failures per topic, at any scale (10,000 topics in one apply).
 *
 * - CreateTopics goes in chunks (CREATE_CHUNK_TOPICS topics and at most CREATE_CHUNK_PARTITIONS
 *   partitions per request); kafkajs names each failed topic of a chunk, so a failure is reported
 *   on its own topic, with the broker's reason, and nothing is re-sent.
 * - The other writes: kafkajs throws on the FIRST failed resource of a batched request without
 *   saying which one (the broker applied the others); so when a batch fails, its topics are
 *   retried alone to attribute the errors. Every write here is safe to repeat.
 * - Config changes go as IncrementalAlterConfigs, which kafkajs lacks and which answers per topic
 *   (see alterTopicConfigsReportingFailures).
 * - A failure of the cluster itself (timeout, unreachable, not authorised) stops the step: the
 *   topics of later batches are reported as not sent, instead of waiting --timeout for each.
 */
import type {Admin} from 'kafkajs'

import {adminExtra} from './admin-extra.js'
import type {KafkaConnection} from './connection.js'
import {KafkitError} from '../errors.js'
import {keepCreateTopicsErrorMessages} from './create-topics-error-message.js'
import {translateKafkaError} from './errors.js'

keepCreateTopicsErrorMessages()

/**
 * Topics per request of the other batched writes. A broker applies each request's changes as one
 * step too (a config change of 1,000 topics showed only after >10 s on one loaded broker, which
 * scans all its logs for each topic), so the same size as CreateTopics.
 */
const BATCH_SIZE = 250
/**
 * Topics per CreateTopics request (KAFKIT_CREATE_CHUNK overrides it, for bench/scale-apply.mjs).
 * The controller answers any size at once; a broker then shows a request's topics all together,
 * after creating every log of it (two fsyncs per partition), so the chunk is also the step in
 * which leaders appear: small enough that a loaded broker shows each well within --timeout.
 */
export const CREATE_CHUNK_TOPICS = Number(process.env.KAFKIT_CREATE_CHUNK) || 250
/** KRaft refuses a CreateTopics of more than 10,000 partitions ("Excessively large number of partitions per request"). */
export const CREATE_CHUNK_PARTITIONS = 5000
/** Errors of the cluster, not of a topic: sending the rest of a step would only fail the same way, --timeout after --timeout. */
const CLUSTER_ERRORS = new Set(['TIMEOUT', 'UNREACHABLE', 'BROKER_UNREACHABLE', 'TLS', 'AUTH', 'CLUSTER_AUTHORIZATION_FAILED'])

export interface TopicFailure {
  topic: string
  error: string
}

export interface TopicToCreate {
  topic: string
  partitions: number
  replicationFactor: number
  configs: Record<string, string>
}

export interface PartitionsToAdd {
  topic: string
  /** The new total, as Kafka's CreatePartitions takes it (not an increment). */
  count: number
  /** Replicas of each new partition, when the plan places them. */
  assignments?: number[][]
}

/** The config keys of one topic that the plan changes: the topic's other overrides are left alone. */
export interface TopicConfigChanges {
  topic: string
  /** Overrides to set (new or changed), with their values. */
  set: Record<string, string>
  /** Overrides to delete (the topic falls back to the broker's value). */
  delete: string[]
}

export interface TopicReassignment {
  topic: string
  partitions: {partition: number; replicas: number[]}[]
}

/** How far a long step has got: for a progress note. */
export type StepProgress = (message: string) => void

function chunks<T>(items: T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function describeError(error: unknown, conn: KafkaConnection): string {
  return translateKafkaError(error, conn.brokersLabel).message
}

function notSent(cause: KafkitError): string {
  return `not sent: an earlier request of this step failed (${cause.message})`
}

/**
 * Runs `batch` per chunk; when a chunk fails, finds the topics that failed, each alone with
 * `single`. A cluster error fails the chunk and marks the later chunks not sent.
 */
async function batchReportingFailures<T extends {topic: string}>(
  conn: KafkaConnection,
  what: string,
  items: T[],
  batch: (admin: Admin, items: T[]) => Promise<void>,
  opts: {single?: (admin: Admin, item: T) => Promise<void>} = {},
): Promise<TopicFailure[]> {
  if (items.length === 0) return []
  const admin = await conn.admin()
  const single = opts.single ?? ((a: Admin, item: T) => batch(a, [item]))
  const failures: TopicFailure[] = []
  let stopped: KafkitError | undefined
  const attempt = async (part: T[], alone: boolean): Promise<KafkitError | undefined> => {
    try {
      await conn.run(what, () => (alone ? single(admin, part[0]) : batch(admin, part)))
      return undefined
    } catch (error) {
      const e = translateKafkaError(error, conn.brokersLabel)
      if (CLUSTER_ERRORS.has(e.code)) stopped ??= e
      return e
    }
  }
  const send = async (part: T[]): Promise<void> => {
    if (stopped) {
      failures.push(...part.map((i) => ({topic: i.topic, error: notSent(stopped!)})))
      return
    }
    const error = await attempt(part, part.length === 1)
    if (!error) return
    if (part.length === 1 || stopped) {
      failures.push(...part.map((i) => ({topic: i.topic, error: error.message})))
    } else {
      for (const item of part) await send([item])
    }
  }
  for (const chunk of chunks(items)) await send(chunk)
  return failures
}

/** One CreateTopics request (no wait); false when every topic already existed. */
function sendCreateTopics(admin: Admin, topics: TopicToCreate[], timeoutMs: number): Promise<boolean> {
  return admin.createTopics({
    // kafkajs's own wait fails the whole call when the broker it asks has not yet learned of the
    // new topic (UNKNOWN_TOPIC_OR_PARTITION), although the topic was created: see waitForLeaders.
    waitForLeaders: false,
    timeout: timeoutMs,
    topics: topics.map((t) => ({
      topic: t.topic,
      numPartitions: t.partitions,
      replicationFactor: t.replicationFactor,
      configEntries: Object.entries(t.configs).map(([name, value]) => ({name, value})),
    })),
  })
}

/** Chunks of at most CREATE_CHUNK_TOPICS topics and CREATE_CHUNK_PARTITIONS partitions (a bigger topic goes alone). */
export function createChunks(topics: TopicToCreate[]): TopicToCreate[][] {
  const out: TopicToCreate[][] = []
  let current: TopicToCreate[] = []
  let partitions = 0
  for (const t of topics) {
    if (current.length > 0 && (current.length >= CREATE_CHUNK_TOPICS || partitions + t.partitions > CREATE_CHUNK_PARTITIONS)) {
      out.push(current)
      current = []
      partitions = 0
    }
    current.push(t)
    partitions += t.partitions
  }
  if (current.length > 0) out.push(current)
  return out
}

/**
 * The topics of a failed CreateTopics that the broker refused, each with its own reason (kafkajs
 * throws one aggregate error naming every failed topic); undefined when the request itself failed.
 * TOPIC_ALREADY_EXISTS is not a failure here: the plan saw the topic missing, so it is ours from
 * an earlier attempt or another writer's; the re-plan after apply compares it with the file.
 */
function refusedTopics(error: unknown, conn: KafkaConnection): TopicFailure[] | undefined {
  const errors = (error as {errors?: unknown})?.errors
  if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e?.topic === 'string')) return undefined
  return errors.filter((e) => e.type !== 'TOPIC_ALREADY_EXISTS').map((e) => ({topic: e.topic as string, error: describeError(e, conn)}))
}

/** Topics known to exist and their partition count, for the leader wait. */
interface CreatedTopic {
  topic: string
  partitions: number
}

/**
 * Creates the topics in chunks, then waits for their leaders. Returns every topic that failed,
 * each with its own reason: refused by the broker, not sent, or created without leaders in time.
 */
export async function createTopicsReportingFailures(conn: KafkaConnection, topics: TopicToCreate[], opts: {onProgress?: StepProgress} = {}): Promise<TopicFailure[]> {
  if (topics.length === 0) return []
  const admin = await conn.admin()
  const failures: TopicFailure[] = []
  const created: CreatedTopic[] = []
  let stopped: KafkitError | undefined
  let sent = 0
  for (const chunk of createChunks(topics)) {
    if (stopped) {
      failures.push(...chunk.map((t) => ({topic: t.topic, error: notSent(stopped!)})))
      continue
    }
    let refused: TopicFailure[] | undefined
    // Once more after a failure of the cluster (a timeout may have been slow, not lost): a topic
    // the first try did create comes back as TOPIC_ALREADY_EXISTS, which is success.
    for (let tries = 1; ; tries++) {
      try {
        refused = await conn.run('create topics', async () => {
          try {
            await sendCreateTopics(admin, chunk, conn.timeoutMs)
            return []
          } catch (error) {
            const perTopic = refusedTopics(error, conn)
            if (perTopic) return perTopic
            throw error
          }
        })
        break
      } catch (error) {
        const e = translateKafkaError(error, conn.brokersLabel)
        if (tries >= 2 || !CLUSTER_ERRORS.has(e.code)) {
          if (CLUSTER_ERRORS.has(e.code)) stopped = e
          failures.push(...chunk.map((t) => ({topic: t.topic, error: e.message})))
          break
        }
      }
    }
    if (refused) {
      failures.push(...refused)
      const failed = new Set(refused.map((f) => f.topic))
      for (const t of chunk) if (!failed.has(t.topic)) created.push({topic: t.topic, partitions: t.partitions})
    }
    sent += chunk.length
    if (sent < topics.length) opts.onProgress?.(`creating topics: ${sent}/${topics.length} sent`)
  }
  failures.push(...(await waitForLeaders(conn, admin, created, {onProgress: opts.onProgress})))
  return failures
}

/**
 * Waits until every partition of the created topics has a leader in the brokers' metadata, for
 * as long as leaders keep appearing: a broker applies a large creation in steps (one local broker
 * showed 500 more topics every ~5 s), so --timeout bounds each stretch without progress, not the
 * whole wait. Returns the topics still without leaders, each with the same short reason.
 *
 * Separate from the create's conn.run on purpose: a failed look must never send CreateTopics
 * again. Any error (topic not known yet, no leader yet, a broker still listed but down) means
 * "not yet". Each look is one Metadata request: for a few topics by name, for more for all topics
 * (a request naming a topic the broker does not know yet fails as a whole).
 */
export async function waitForLeaders(
  conn: KafkaConnection,
  admin: Admin,
  topics: CreatedTopic[],
  opts: {onProgress?: StepProgress; pollMs?: number} = {},
): Promise<TopicFailure[]> {
  const pending = new Map(topics.map((t) => [t.topic, t.partitions]))
  const total = pending.size
  const started = Date.now()
  let progressAt = started
  let reportedAt = started
  let lastProblem: string | undefined
  while (pending.size > 0) {
    const before = pending.size
    try {
      const names = pending.size <= 50 ? [...pending.keys()] : []
      const {topics: live} = await conn.run('wait for leaders', () => admin.fetchTopicMetadata({topics: names}))
      for (const t of live) {
        const want = pending.get(t.name)
        if (want !== undefined && t.partitions.length >= want && t.partitions.every((p) => p.leader >= 0)) pending.delete(t.name)
      }
      lastProblem = undefined
    } catch (error) {
      lastProblem = describeError(error, conn)
    }
    if (pending.size < before) {
      progressAt = Date.now()
      if (pending.size > 0 && progressAt - reportedAt >= 2000) {
        reportedAt = progressAt
        opts.onProgress?.(`waiting for leaders: ${total - pending.size}/${total} topics ready`)
      }
    }
    if (pending.size === 0) break
    if (Date.now() >= progressAt + conn.timeoutMs) {
      const waited = Math.round((Date.now() - started) / 1000)
      const stalled = Math.round(conn.timeoutMs / 1000)
      const reason = `created, but without a leader for every partition after ${waited}s (none appeared in the last ${stalled}s${lastProblem ? `: ${lastProblem}` : ''})`
      return [...pending.keys()].map((topic) => ({topic, error: reason}))
    }
    // A look at thousands of topics costs the broker too (it serialises all their metadata).
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? (pending.size > 50 ? 1000 : 200)))
  }
  return []
}

/** `topics create`: one topic; an existing topic is the TOPIC_ALREADY_EXISTS KafkitError. */
export async function createTopic(conn: KafkaConnection, topic: TopicToCreate): Promise<void> {
  const admin = await conn.admin()
  const created = await conn.run('create topic', () => sendCreateTopics(admin, [topic], conn.timeoutMs))
  if (!created) throw new KafkitError(`topic "${topic.topic}" already exists`, {code: 'TOPIC_ALREADY_EXISTS'})
  const [failure] = await waitForLeaders(conn, admin, [{topic: topic.topic, partitions: topic.partitions}])
  if (failure) throw new KafkitError(failure.error, {code: 'LEADER_NOT_AVAILABLE', hint: 'check kafkit cluster health'})
}

export async function addPartitionsReportingFailures(conn: KafkaConnection, items: PartitionsToAdd[]): Promise<TopicFailure[]> {
  return batchReportingFailures(
    conn,
    'add partitions',
    items,
    (admin, batch) =>
      admin.createPartitions({
        timeout: conn.timeoutMs,
        topicPartitions: batch.map((p) => ({topic: p.topic, count: p.count, ...(p.assignments ? {assignments: p.assignments} : {})})),
      }) as Promise<any>,
    {
      single: async (admin, item) => {
        // A partial batch may already have grown this topic; growing it again would fail.
        const {topics} = await admin.fetchTopicMetadata({topics: [item.topic]})
        if ((topics[0]?.partitions.length ?? 0) >= item.count) return
        await admin.createPartitions({timeout: conn.timeoutMs, topicPartitions: [{topic: item.topic, count: item.count, ...(item.assignments ? {assignments: item.assignments} : {})}]})
      },
    },
  )
}

/**
 * IncrementalAlterConfigs (./protocol/incremental-alter-configs.ts) sets and deletes exactly the
 * keys the plan changes, so an override someone else set or changed between plan and apply stays
 * (AlterConfigs, which kafkajs speaks, replaces every override of the topic and would revert it).
 * The broker answers per topic, so a failed topic is named without re-sending anything; a
 * failure of the whole request (the cluster, or a broker older than Kafka 2.4) fails its chunk
 * and stops the step. Setting and deleting keys is idempotent.
 */
export async function alterTopicConfigsReportingFailures(conn: KafkaConnection, items: TopicConfigChanges[]): Promise<TopicFailure[]> {
  const todo = items.filter((i) => Object.keys(i.set).length > 0 || i.delete.length > 0)
  if (todo.length === 0) return []
  const extra = adminExtra(conn)
  const failures: TopicFailure[] = []
  let stopped: KafkitError | undefined
  for (const chunk of chunks(todo)) {
    if (stopped) {
      failures.push(...chunk.map((i) => ({topic: i.topic, error: notSent(stopped!)})))
      continue
    }
    try {
      const results = await extra.incrementalAlterConfigs(chunk.map((i) => ({type: 'topic' as const, name: i.topic, set: i.set, delete: i.delete})))
      for (const r of results) if (r.error) failures.push({topic: r.name, error: r.error.message})
    } catch (error) {
      const e = translateKafkaError(error, conn.brokersLabel)
      if (CLUSTER_ERRORS.has(e.code) || e.code === 'UNSUPPORTED_BY_BROKER') stopped = e
      failures.push(...chunk.map((i) => ({topic: i.topic, error: e.message})))
    }
  }
  return failures
}

export function reassignPartitionsReportingFailures(conn: KafkaConnection, items: TopicReassignment[]): Promise<TopicFailure[]> {
  return batchReportingFailures(conn, 'reassign partitions', items, async (admin, batch) => {
    await admin.alterPartitionReassignments({
      timeout: conn.timeoutMs,
      topics: batch.map((t) => ({topic: t.topic, partitionAssignment: t.partitions.map((p) => ({partition: p.partition, replicas: p.replicas}))})),
    })
  })
}

export interface ReassignmentProgress {
  /** Partitions of the given topics still moving. */
  remaining: number
  total: number
}

/**
 * Polls ListPartitionReassignments (one request per poll for all topics) until none of `topics`
 * is moving or `timeoutMs` passes; returns the topics still moving at the end.
 */
export async function waitForReassignments(
  conn: KafkaConnection,
  topics: string[],
  opts: {timeoutMs: number; pollMs?: number; total?: number; onProgress?: (p: ReassignmentProgress) => void},
): Promise<TopicFailure[]> {
  if (topics.length === 0) return []
  const admin = await conn.admin()
  const wanted = new Set(topics)
  const firstPollAt = Date.now()
  const deadline = firstPollAt + opts.timeoutMs
  let total = opts.total
  let lastError: string | undefined
  let stillMoving: {topic: string; partitions: unknown[]}[] = []
  for (;;) {
    try {
      const {topics: moving} = await conn.run('list reassignments', () => admin.listPartitionReassignments({topics: null as any, timeout: conn.timeoutMs}))
      // kafkajs's types say `topic`, but the decoded response carries the name as `name`.
      stillMoving = moving
        .map((t) => ({topic: (t as unknown as {name?: string}).name ?? t.topic, partitions: t.partitions}))
        .filter((t) => wanted.has(t.topic) && t.partitions.length > 0)
      lastError = undefined
      const remaining = stillMoving.reduce((n, t) => n + t.partitions.length, 0)
      total ??= remaining
      opts.onProgress?.({remaining, total})
      if (remaining === 0) return []
    } catch (error) {
      // A broker going away mid-reassignment (often the one we are moving onto) is exactly when
      // this wait matters: keep polling until the deadline rather than abandon the report.
      lastError = describeError(error, conn)
    }
    // But a cluster that has never answered within --timeout is not worth a silent
    // --reassignment-timeout (10 minutes by default): say why now.
    const neverAnswered = total === undefined && lastError !== undefined && Date.now() >= firstPollAt + conn.timeoutMs
    if (Date.now() >= deadline || neverAnswered) {
      const seconds = Math.round((Date.now() - firstPollAt) / 1000)
      if (lastError !== undefined) return topics.map((topic) => ({topic, error: `reassignment not confirmed after ${seconds}s: ${lastError}`}))
      return stillMoving.map((t) => ({topic: t.topic, error: `reassignment of ${t.partitions.length} partition(s) still in progress after ${seconds}s`}))
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500))
  }
}

export function deleteTopicsReportingFailures(conn: KafkaConnection, names: string[]): Promise<TopicFailure[]> {
  return batchReportingFailures(
    conn,
    'delete topics',
    names.map((topic) => ({topic})),
    (admin, batch) => admin.deleteTopics({topics: batch.map((t) => t.topic), timeout: conn.timeoutMs}),
    {
      single: async (admin, item) => {
        try {
          await admin.deleteTopics({topics: [item.topic], timeout: conn.timeoutMs})
        } catch (error) {
          // Deleted by the partial batch already: that is success.
          if ((error as any)?.type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error
        }
      },
    },
  )
}
