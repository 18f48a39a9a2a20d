import {Flags} from '@oclif/core'

import {applyTopicPlan, finishReassignmentsInProgress, planTopics, readTopicsFile, type ChangeFailure} from '../../app/declarative-topics.js'
import {KafkaCommand, parseTimeoutFlag} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {planSummaryLine, renderPlanText} from '../../cli/render-plan.js'
import {requireValidSpec, topicsFileFlags} from '../../cli/topics-file.js'
import {formatProblems} from '../../core/problem.js'
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
managed.prefixes. One batched request per step. A failure on one topic does not stop the others;
each is reported and the exit code is 1. Ends by planning again and printing how many topics are in
sync, so a second apply of the same file is a no-op.`
  static examples = ['$ kafkit topics apply --env dev', '$ kafkit topics apply -f topics.yaml --env prod --yes']

  static flags = {
    ...topicsFileFlags,
    prune: Flags.boolean({description: 'also delete live topics under managed.prefixes that the file does not declare'}),
    yes: Flags.boolean({char: 'y', description: 'apply without asking (required when stdin is not a terminal)'}),
    'reassignment-timeout': Flags.string({description: 'how long to wait for replica reassignments', default: '10m'}),
  }

  async run(): Promise<ApplyOutput> {
    const reassignmentTimeoutMs = parseTimeoutFlag(this.flags['reassignment-timeout'], 'reassignment-timeout')
    const spec = requireValidSpec(readTopicsFile(this.flags.file, this.flags.env))
    const conn = await this.connection()
    await finishReassignmentsInProgress(conn, spec, {timeoutMs: reassignmentTimeoutMs, onProgress: (p) => this.note(`… ${p.message}`)})
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
      const lines = [`Applied ${r.applied.length} change(s).`]
      for (const f of r.failed) lines.push(`FAILED ${f.kind} ${f.topic}: ${f.error}`)
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
