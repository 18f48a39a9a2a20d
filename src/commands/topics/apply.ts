import {Flags} from '@oclif/core'

import {applyTopicPlan, finishReassignmentsInProgress, planTopics, readTopicsFile, type ChangeFailure} from '../../app/declarative-topics.js'
import {currentLeftovers, removeLeftovers} from '../../app/reassign.js'
import {parseThrottle} from '../../core/reassign-plan.js'
import {KafkaCommand, parseTimeoutFlag} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {planSummaryLine, renderPlanText} from '../../cli/render-plan.js'
import {requireValidSpec, topicsFileFlags} from '../../cli/topics-file.js'
import {GROUP_ABOVE, formatProblems} from '../../core/problem.js'
import {hasChanges, type PlanSummary, type TopicChange} from '../../core/topic-plan.js'
import {ExitCode, KafkitError} from '../../errors.js'

export interface ApplyOutput {
  file: string
  planned: PlanSummary
  applied: {topic: string; kind: TopicChange['kind']}[]
  failed: ChangeFailure[]
  /** The plan again after applying: what is still not in sync (normally nothing). */
  remaining: {summary: PlanSummary; changes: TopicChange[]} | {error: string}
}

export default class TopicsApply extends KafkaCommand<typeof TopicsApply> {
  static summary = 'Make the cluster match topics.yaml (shows the plan, asks first; --yes for CI)'
  static description = `Creates topics, adds partitions, reassigns replicas (waiting for the move to finish), sets configs
(sending each topic's full override set), and with --prune deletes undeclared topics under
managed.prefixes. Batched (250 topics per request). New topics are waited for as long as leaders
keep appearing: --timeout bounds each request and each stretch without a new leader. A failure on
one topic does not stop the others; each is reported (failures sharing a reason on one line; -o json
lists all) and the exit code is 1. Ends by planning again and printing how many topics are in sync,
so a second apply of the same file is a no-op.`
  static examples = ['$ kafkit topics apply --env dev', '$ kafkit topics apply -f topics.yaml --env prod --yes']

  static flags = {
    ...topicsFileFlags,
    prune: Flags.boolean({description: 'also delete live topics under managed.prefixes that the file does not declare'}),
    yes: Flags.boolean({char: 'y', description: 'apply without asking (required when stdin is not a terminal)'}),
    'reassignment-timeout': Flags.string({description: 'how long to wait for replica reassignments', default: '10m'}),
    throttle: Flags.string({description: 'replication throttle for replica reassignments, e.g. 50MiB/s (removed when they end)'}),
  }

  async run(): Promise<ApplyOutput> {
    const reassignmentTimeoutMs = parseTimeoutFlag(this.flags['reassignment-timeout'], 'reassignment-timeout')
    const throttle = this.flags.throttle === undefined ? undefined : parseThrottle(this.flags.throttle)
    const spec = requireValidSpec(readTopicsFile(this.flags.file, this.flags.env))
    const conn = await this.connection()
    await finishReassignmentsInProgress(conn, spec, {timeoutMs: reassignmentTimeoutMs, onProgress: (p) => this.note(`… ${p.message}`)})
    if (throttle !== undefined) {
      // Throttles an interrupted apply --throttle (or topics reassign) left on these topics and the brokers.
      const removed = await removeLeftovers(conn, await currentLeftovers(conn, spec.topics.map((t) => t.name)))
      if (removed.topics.length + removed.brokers.length > 0) this.note(`… removed throttles left by an earlier move (${removed.topics.length} topic(s), ${removed.brokers.length} broker(s))`)
    }
    const {plan, summary} = await planTopics(conn, spec, {prune: this.flags.prune})
    const structured = this.outputFormat !== 'table'
    if (plan.errors.length > 0) {
      process.stderr.write(`${formatProblems(plan.errors, {listAll: 'kafkit topics plan -o json lists all'}).join('\n')}\n`)
      throw new KafkitError(`${planSummaryLine(summary)}`, {code: 'PLAN_ERRORS'})
    }
    if (!structured) this.log(renderPlanText(plan, summary))
    if (!hasChanges(plan)) {
      const result: ApplyOutput = {file: this.flags.file, planned: summary, applied: [], failed: [], remaining: {summary, changes: []}}
      if (structured) this.render(result, () => '')
      return result
    }
    await confirmDestructive({
      question: `Apply these changes to cluster ${plan.clusterId}${plan.env ? ` (env ${plan.env})` : ''}?`,
      confirmed: this.flags.yes,
      flag: '--yes',
    })
    const report = await applyTopicPlan(conn, spec, plan, {
      prune: this.flags.prune,
      reassignmentTimeoutMs,
      throttle,
      onProgress: (p) => this.note(`… ${p.message}`),
    })
    const result: ApplyOutput = {
      file: this.flags.file,
      planned: summary,
      applied: report.applied,
      failed: report.failed,
      remaining: report.after ? {summary: report.after.summary, changes: report.after.plan.changes} : {error: report.afterError ?? 'unknown'},
    }
    const {after} = report
    this.render(result, (r) => {
      const lines = applyOutcomeLines(r.applied, r.failed)
      if (!after) lines.push(`could not plan again after applying: ${report.afterError}`)
      else if (hasChanges(after.plan)) lines.push(`${after.summary.inSync} topics in sync; ${after.summary.topicsChanged} still differ (run kafkit topics plan)`)
      // A reassignment that did not finish already shows its target replicas in metadata.
      else if (r.failed.length > 0) lines.push(`${after.summary.inSync} topics match the file by metadata, but ${r.failed.length} change(s) failed: fix the cause and run apply again`)
      else lines.push(`${after.summary.inSync} topics in sync.`)
      return lines.join('\n')
    })
    if (report.failed.length > 0 || !after || hasChanges(after.plan)) process.exitCode = ExitCode.error
    return result
  }
}

const STEPS: TopicChange['kind'][] = ['create', 'addPartitions', 'replication', 'config', 'delete']
/** Failure lines a human sees before the rest is only counted (every failure is in -o json). */
const FAILURE_LINES = 20
const NAMES_SHOWN = 3

/**
 * What apply did, for a human, in O(steps + distinct failures) lines: the count of applied
 * changes, the counts per step when a step failed or several ran, and the failures. A failure line
 * names its own topic and reason; a reason shared by more than GROUP_ABOVE topics of a step is
 * one line with the count and the first names (10,000 topics without leaders are one line).
 */
export function applyOutcomeLines(applied: ApplyOutput['applied'], failed: ChangeFailure[]): string[] {
  const lines = [`Applied ${applied.length} change(s).`]
  const done = new Map<string, number>()
  const failing = new Map<string, number>()
  for (const a of applied) done.set(a.kind, (done.get(a.kind) ?? 0) + 1)
  for (const f of failed) failing.set(f.kind, (failing.get(f.kind) ?? 0) + 1)
  const steps = STEPS.filter((k) => done.has(k) || failing.has(k))
  if (failed.length > 0 || steps.length > 1) {
    lines.push(`By step: ${steps.map((k) => `${k} ${done.get(k) ?? 0} applied${failing.has(k) ? `, ${failing.get(k)} failed` : ''}`).join('; ')}.`)
  }
  const groups = new Map<string, {kind: string; error: string; topics: string[]}>()
  for (const f of failed) {
    const key = `${f.kind}\u0000${f.error}`
    const group = groups.get(key)
    if (group) group.topics.push(f.topic)
    else groups.set(key, {kind: f.kind, error: f.error, topics: [f.topic]})
  }
  const failureLines: {text: string; count: number}[] = []
  for (const g of groups.values()) {
    if (g.topics.length > GROUP_ABOVE) {
      const names = g.topics.slice(0, NAMES_SHOWN).map((t) => `"${t}"`).join(', ')
      const text = `FAILED ${g.kind} of ${g.topics.length} topics: ${g.error} (${names} and ${g.topics.length - NAMES_SHOWN} more; -o json lists all)`
      failureLines.push({text, count: g.topics.length})
    } else {
      for (const topic of g.topics) failureLines.push({text: `FAILED ${g.kind} ${topic}: ${g.error}`, count: 1})
    }
  }
  const shown = failureLines.slice(0, FAILURE_LINES)
  lines.push(...shown.map((l) => l.text))
  const notShown = failed.length - shown.reduce((n, l) => n + l.count, 0)
  if (notShown > 0) lines.push(`… and ${notShown} more failed change(s) (-o json lists all)`)
  return lines
}
