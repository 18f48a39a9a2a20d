/**
 * Use cases behind `topics lint | plan | apply | export`: read the file, read the cluster through
 * the adapter, let the pure core decide, write through the adapter.
 */
import {readFileSync} from 'node:fs'

import type {Problem} from '../core/problem.js'
import {planTopicChanges, summarisePlan, type PlanSummary, type TopicChange, type TopicPlan} from '../core/topic-plan.js'
import {exportTopicsSpec, type TopicsExport} from '../core/topics-export.js'
import {lintTopicsFile} from '../core/topics-lint.js'
import type {NormalisedSpec} from '../core/topics-spec.js'
import {KafkitError} from '../errors.js'
import type {KafkaClient, ReassignmentProgress, TopicFailure} from './kafka-client.js'
import {replanUntilShown} from './replan.js'
import {removeThrottles, setThrottles} from './reassign.js'
import {throttleSettings} from '../core/reassign-plan.js'

export interface TopicsFile {
  file: string
  /** Undefined when any problem is an error. */
  spec: NormalisedSpec | undefined
  /** Errors and warnings, in file order. */
  problems: Problem[]
}

/** Reads and lints a topics.yaml (offline). A missing or unreadable file is a KafkitError. */
export function readTopicsFile(file: string, env?: string): TopicsFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new KafkitError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`, {
      hint: code === 'ENOENT' ? 'pass the file with -f, or create topics.yaml (kafkit topics export writes one from a cluster)' : undefined,
    })
  }
  return {file, ...lintTopicsFile(text, file, {env})}
}

export interface TopicsPlanResult {
  plan: TopicPlan
  summary: PlanSummary
}

/** Compares the file with the live cluster: metadata for all topics, configs for declared ones. */
export async function planTopics(kafka: KafkaClient, spec: NormalisedSpec, opts: {prune: boolean}): Promise<TopicsPlanResult> {
  const declared = new Map(spec.topics.map((t) => [t.name, t.config]))
  // Of the entries at Kafka's default, the plan compares the declared ones and checks an
  // inherited min.insync.replicas; overrides and broker-level values are always read.
  const live = await kafka.readClusterState({
    configsFor: (name) => declared.has(name),
    defaultConfigsFor: (topic, name) => name === 'min.insync.replicas' || declared.get(topic)?.[name] !== undefined,
  })
  const plan = planTopicChanges(spec, live, opts)
  return {plan, summary: summarisePlan(plan)}
}

export interface ChangeFailure extends TopicFailure {
  kind: TopicChange['kind']
}

export interface ApplyReport {
  /** Changes that were sent and acknowledged. */
  applied: {topic: string; kind: TopicChange['kind']}[]
  failed: ChangeFailure[]
  /** The plan computed again after applying: what is left (should be nothing). */
  after: TopicsPlanResult | undefined
  /** Why the cluster could not be read again after applying. */
  afterError?: string
}

export interface ApplyProgress {
  step: TopicChange['kind']
  message: string
  reassignment?: ReassignmentProgress
}

function changesOf<K extends TopicChange['kind']>(plan: TopicPlan, kind: K): Extract<TopicChange, {kind: K}>[] {
  return plan.changes.filter((c): c is Extract<TopicChange, {kind: K}> => c.kind === kind)
}

/**
 * Executes a plan in dependency order (create, add partitions, reassign replicas, configs,
 * delete), batched (see topic-changes.ts). A failure on one topic does not stop the others; a
 * topic whose earlier step failed skips its later steps. Ends by planning again.
 */
export async function applyTopicPlan(
  kafka: KafkaClient,
  spec: NormalisedSpec,
  plan: TopicPlan,
  opts: {prune: boolean; reassignmentTimeoutMs: number; onProgress?: (p: ApplyProgress) => void; throttle?: number},
): Promise<ApplyReport> {
  if (plan.errors.length > 0) throw new KafkitError('the plan has errors; nothing was applied')
  const applied: ApplyReport['applied'] = []
  const failed: ChangeFailure[] = []
  const progress = (step: TopicChange['kind'], message: string, reassignment?: ReassignmentProgress) => opts.onProgress?.({step, message, reassignment})
  /** Topics with a failed step: their later steps are skipped. */
  const failedTopics = new Set<string>()
  const record = (kind: TopicChange['kind'], topics: string[], failures: TopicFailure[]) => {
    const failedNow = new Set(failures.map((f) => f.topic))
    for (const f of failures) {
      failed.push({...f, kind})
      failedTopics.add(f.topic)
    }
    for (const topic of topics) if (!failedNow.has(topic)) applied.push({topic, kind})
  }
  const notFailed = <T extends {topic: string}>(items: T[]) => items.filter((i) => !failedTopics.has(i.topic))

  const creates = changesOf(plan, 'create')
  if (creates.length > 0) {
    progress('create', `creating ${creates.length} topic(s)`)
    const items = creates.map((c) => ({topic: c.topic, partitions: c.partitions, replicationFactor: c.replicationFactor, configs: c.configs}))
    record('create', creates.map((c) => c.topic), await kafka.createTopics(items, {onProgress: (m) => progress('create', m)}))
  }

  const growths = notFailed(changesOf(plan, 'addPartitions'))
  if (growths.length > 0) {
    progress('addPartitions', `adding partitions to ${growths.length} topic(s)`)
    const items = growths.map((g) => ({topic: g.topic, count: g.to, assignments: g.assignments}))
    record('addPartitions', growths.map((g) => g.topic), await kafka.addPartitions(items))
  }

  const moves = notFailed(changesOf(plan, 'replication'))
  if (moves.length > 0) {
    const total = moves.reduce((n, m) => n + m.partitions.length, 0)
    progress('replication', `reassigning ${total} partition(s) of ${moves.length} topic(s)`)
    const items = moves.map((m) => ({topic: m.topic, partitions: m.partitions.map((p) => ({partition: p.partition, replicas: p.to}))}))
    // --throttle: the same configs as topics reassign sets, removed once the wait ends (moved,
    // failed or timed out); a throttle left by a crash is removed by the next apply --throttle.
    const throttle = opts.throttle === undefined ? undefined : throttleSettings(moves.flatMap((m) => m.partitions.map((p) => ({topic: m.topic, ...p}))))
    if (throttle && opts.throttle !== undefined) await setThrottles(kafka, throttle, opts.throttle)
    let throttleError: string | undefined
    try {
      const sendFailures = await kafka.reassignPartitions(items)
      const started = moves.map((m) => m.topic).filter((t) => !sendFailures.some((f) => f.topic === t))
      const waitFailures = await kafka.waitForReassignments(started, {
        total,
        timeoutMs: opts.reassignmentTimeoutMs,
        onProgress: (p) => progress('replication', `reassigning: ${p.total - p.remaining}/${p.total} partitions done`, p),
      })
      record('replication', moves.map((m) => m.topic), [...sendFailures, ...waitFailures])
    } finally {
      if (throttle) {
        try {
          await removeThrottles(kafka, throttle)
        } catch (error) {
          throttleError = (error as Error).message
        }
      }
    }
    if (throttleError) failed.push({topic: moves[0].topic, kind: 'replication', error: `${throttleError} (run apply --throttle again to remove it)`})
  }

  const configs = notFailed(changesOf(plan, 'config'))
  if (configs.length > 0) {
    progress('config', `changing configs of ${configs.length} topic(s)`)
    // Only the keys the plan changes: an override someone else set since the plan stays as it is.
    const items = configs.map((c) => ({
      topic: c.topic,
      set: Object.fromEntries(c.entries.flatMap((e) => (e.to === null ? [] : [[e.name, e.to]]))),
      delete: c.entries.filter((e) => e.to === null).map((e) => e.name),
    }))
    record('config', configs.map((c) => c.topic), await kafka.alterTopicConfigs(items))
  }

  const deletes = changesOf(plan, 'delete')
  if (deletes.length > 0) {
    progress('delete', `deleting ${deletes.length} topic(s)`)
    record('delete', deletes.map((d) => d.topic), await kafka.deleteTopicsReportingFailures(deletes.map((d) => d.topic)))
  }

  // The report of what was done must survive a cluster that fails right after.
  try {
    // Re-plan until what was applied shows (replan.ts), --timeout (at most 10s) without progress.
    // Only exactly what was applied, on topics where nothing failed, can be expected to show.
    const awaited = new Set(applied.filter((a) => !failedTopics.has(a.topic)).map((a) => `${a.kind} ${a.topic}`))
    // For configs, only the keys written: an override someone else changed since the plan shows
    // as drift in the re-plan, and waiting would never see it go.
    const writtenKeys = new Map(changesOf(plan, 'config').map((c) => [c.topic, new Set(c.entries.map((e) => e.name))]))
    const expected = (c: TopicChange) =>
      awaited.has(`${c.kind} ${c.topic}`) && (c.kind !== 'config' || c.entries.some((e) => writtenKeys.get(c.topic)?.has(e.name)))
    const stillShowing = (result: TopicsPlanResult) => result.plan.changes.filter(expected).length
    const after = await replanUntilShown(() => planTopics(kafka, spec, {prune: opts.prune}), stillShowing, Math.min(kafka.timeoutMs, 10_000))
    return {applied, failed, after}
  } catch (error) {
    return {applied, failed, after: undefined, afterError: (error as Error).message}
  }
}

/**
 * Reassignments of declared topics still running (an interrupted earlier apply, an operator's
 * kafka-reassign-partitions): metadata already shows their target replicas, so a plan would call
 * them in sync. Apply waits for them first, and fails if they do not finish.
 */
export async function finishReassignmentsInProgress(
  kafka: KafkaClient,
  spec: NormalisedSpec,
  opts: {timeoutMs: number; onProgress?: (p: ApplyProgress) => void},
): Promise<void> {
  const failures = await kafka.waitForReassignments(spec.topics.map((t) => t.name), {
    timeoutMs: opts.timeoutMs,
    onProgress: (p) => {
      if (p.remaining > 0) opts.onProgress?.({step: 'replication', message: `waiting for ${p.remaining} partition reassignment(s) already in progress`, reassignment: p})
    },
  })
  if (failures.length > 0) {
    // One clause per distinct error, not per topic: a cluster that cannot answer fails every topic alike.
    const byError = new Map<string, string[]>()
    for (const f of failures) {
      const topics = byError.get(f.error)
      if (topics) topics.push(f.topic)
      else byError.set(f.error, [f.topic])
    }
    const clauses = [...byError].map(([error, topics]) => `${topics.length === 1 ? topics[0] : `${topics.length} topics`} (${error})`)
    throw new KafkitError(`reassignments already in progress did not finish: ${clauses.join('; ')}`, {
      hint: 'check the brokers (kafkit cluster health), then run apply again',
    })
  }
}

/** The live cluster as a topics.yaml (only non-default configs). */
export async function exportTopics(kafka: KafkaClient, opts: {prefix?: string; schema?: string; sections?: Record<string, unknown>}): Promise<TopicsExport> {
  const {prefix} = opts
  // An export writes overrides only.
  const live = await kafka.readClusterState({configsFor: (name) => prefix === undefined || name.startsWith(prefix), defaultConfigsFor: () => false})
  return exportTopicsSpec(live, {prefix, schema: opts.schema, sections: opts.sections})
}
