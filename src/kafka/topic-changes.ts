/**
 * Batched topic writes that report failures per topic. kafkajs throws on the FIRST failed resource
 * of a batched request without saying which one (the broker applied the others); so when a batch
 * fails, each topic of it is retried alone to attribute errors. Every write here is safe to repeat.
 */
import type {Admin} from 'kafkajs'

import type {KafkaConnection} from './connection.js'
import {KafkitError} from '../errors.js'
import {keepCreateTopicsErrorMessages} from './create-topics-error-message.js'
import {translateKafkaError} from './errors.js'

keepCreateTopicsErrorMessages()

const CONFIG_RESOURCE_TOPIC = 2
/** Topics per request: keeps any single request well under the broker's size limits. */
const BATCH_SIZE = 500

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

export interface TopicOverrides {
  topic: string
  /** The COMPLETE override set: AlterConfigs replaces every override of the topic. */
  overrides: Record<string, string>
}

export interface TopicReassignment {
  topic: string
  partitions: {partition: number; replicas: number[]}[]
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += BATCH_SIZE) out.push(items.slice(i, i + BATCH_SIZE))
  return out
}

function describeError(error: unknown, conn: KafkaConnection): string {
  return translateKafkaError(error, conn.brokersLabel).message
}

/** Runs `batch` per chunk; on failure retries each item alone with `single` to name the failures. */
async function batchReportingFailures<T extends {topic: string}>(
  conn: KafkaConnection,
  what: string,
  items: T[],
  batch: (admin: Admin, items: T[]) => Promise<void>,
  single: (admin: Admin, item: T) => Promise<void> = (admin, item) => batch(admin, [item]),
): Promise<TopicFailure[]> {
  if (items.length === 0) return []
  const admin = await conn.admin()
  const failures: TopicFailure[] = []
  for (const chunk of chunks(items)) {
    try {
      await conn.run(what, () => batch(admin, chunk))
    } catch {
      for (const item of chunk) {
        try {
          await conn.run(what, () => single(admin, item))
        } catch (error) {
          failures.push({topic: item.topic, error: describeError(error, conn)})
        }
      }
    }
  }
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

/**
 * Until every partition of the new topics has a leader in the brokers' metadata, within its own
 * --timeout. Separate from the create's conn.run on purpose: a failed look must never send the
 * CreateTopics again.
 * Any error (topic not known yet, no leader yet, a broker still listed but down) means "not yet".
 */
async function waitForLeaders(conn: KafkaConnection, admin: Admin, names: string[]): Promise<void> {
  if (names.length === 0) return
  const deadline = Date.now() + conn.timeoutMs
  let lastProblem = 'no leader yet'
  for (;;) {
    try {
      // A metadata read is safe to repeat; bounded so the whole wait ends at its deadline.
      const {topics} = await conn.run('wait for leaders', () => admin.fetchTopicMetadata({topics: names}), Math.max(100, deadline - Date.now()))
      if (topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return
    } catch (error) {
      lastProblem = translateKafkaError(error, conn.brokersLabel).message
    }
    if (Date.now() >= deadline) {
      throw new KafkitError(`created ${names.join(', ')}, but not every partition had a leader within ${Math.round(conn.timeoutMs / 1000)}s (${lastProblem})`, {
        code: 'NO_LEADER',
        hint: 'check kafkit cluster health',
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** `topics create`: one topic; an existing topic is the TOPIC_ALREADY_EXISTS KafkitError. */
export async function createTopic(conn: KafkaConnection, topic: TopicToCreate): Promise<void> {
  const admin = await conn.admin()
  const created = await conn.run('create topic', () => sendCreateTopics(admin, [topic], conn.timeoutMs))
  if (!created) throw new KafkitError(`topic "${topic.topic}" already exists`, {code: 'TOPIC_ALREADY_EXISTS'})
  await waitForLeaders(conn, admin, [topic.topic])
}

export async function createTopicsReportingFailures(conn: KafkaConnection, topics: TopicToCreate[]): Promise<TopicFailure[]> {
  const failures = await batchReportingFailures(conn, 'create topics', topics, async (admin, batch) => {
    const created = await sendCreateTopics(admin, batch, conn.timeoutMs)
    // false = every topic already existed: for a single retry after a partial batch, that is ours.
    if (!created && batch.length > 1) throw new Error('topics already exist')
  })
  const failed = new Set(failures.map((f) => f.topic))
  const created = topics.map((t) => t.topic).filter((t) => !failed.has(t))
  try {
    await waitForLeaders(conn, await conn.admin(), created)
  } catch (error) {
    const message = (error as Error).message
    for (const topic of created) failures.push({topic, error: message})
  }
  return failures
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
    async (admin, item) => {
      // A partial batch may already have grown this topic; growing it again would fail.
      const {topics} = await admin.fetchTopicMetadata({topics: [item.topic]})
      if ((topics[0]?.partitions.length ?? 0) >= item.count) return
      await admin.createPartitions({timeout: conn.timeoutMs, topicPartitions: [{topic: item.topic, count: item.count, ...(item.assignments ? {assignments: item.assignments} : {})}]})
    },
  )
}

export function alterTopicConfigsReportingFailures(conn: KafkaConnection, items: TopicOverrides[]): Promise<TopicFailure[]> {
  return batchReportingFailures(conn, 'alter configs', items, async (admin, batch) => {
    await admin.alterConfigs({
      validateOnly: false,
      resources: batch.map((t) => ({
        type: CONFIG_RESOURCE_TOPIC,
        name: t.topic,
        configEntries: Object.entries(t.overrides).map(([name, value]) => ({name, value})),
      })),
    })
  })
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
    async (admin, item) => {
      try {
        await admin.deleteTopics({topics: [item.topic], timeout: conn.timeoutMs})
      } catch (error) {
        // Deleted by the partial batch already: that is success.
        if ((error as any)?.type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error
      }
    },
  )
}
