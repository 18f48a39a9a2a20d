import {Flags} from '@oclif/core'

import {applyTopicPlan, finishReassignmentsInProgress, planTopics, readTopicsFile, type ApplyReport} from '../../app/declarative-topics.js'
import {applySecurityPlan, planSecurity} from '../../app/declarative-security.js'
import {renderSecurityPlanText, securitySummaryLine} from '../../cli/render-security-plan.js'
import {currentLeftovers, removeLeftovers} from '../../app/reassign.js'
import {parseThrottle} from '../../core/reassign-plan.js'
import {KafkaCommand, parseTimeoutFlag} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {renderApplyResult, type ApplyOutput} from '../../cli/render-apply.js'
import {planSummaryLine, renderPlanText} from '../../cli/render-plan.js'
import {requireValidSpec, topicsFileFlags} from '../../cli/topics-file.js'
import {formatProblems} from '../../core/problem.js'
import {hasChanges} from '../../core/topic-plan.js'
import {ExitCode, KafkitError} from '../../errors.js'

export default class TopicsApply extends KafkaCommand<typeof TopicsApply> {
  static summary = 'Make the cluster match topics.yaml (shows the plan, asks first; --yes for CI)'
  static description = `Creates topics, adds partitions, reassigns replicas (waiting for the move to finish), sets configs
(sending each topic's full override set), and with --prune deletes undeclared topics under
managed.prefixes. Batched (250 topics per request). New topics are waited for as long as leaders
keep appearing: --timeout bounds each request and each stretch without a new leader. A failure on
one topic does not stop the others; each is reported (failures sharing a reason on one line; -o json
lists all) and the exit code is 1. Ends by planning again and printing how many topics are in sync,
so a second apply of the same file is a no-op. ACLs, SCRAM users and quotas the file declares are applied
after the topics: credentials, ACLs, quotas, then (--prune) deletions, one request each.`
  static examples = ['$ kafkit topics apply --env dev', '$ kafkit topics apply -f topics.yaml --env prod --yes']

  static flags = {
    ...topicsFileFlags,
    prune: Flags.boolean({description: 'also delete live topics under managed.prefixes that the file does not declare'}),
    'update-passwords': Flags.boolean({description: 'rewrite every declared SCRAM credential from its password (passwordEnv/passwordFile)'}),
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
    // Independent reads (topics; ACLs, users, quotas): side by side.
    const [{plan, summary}, security] = await Promise.all([
      planTopics(conn, spec, {prune: this.flags.prune}),
      planSecurity(conn, spec, {prune: this.flags.prune, updatePasswords: this.flags['update-passwords']}),
    ])
    const structured = this.outputFormat !== 'table'
    const errors = [...plan.errors, ...(security?.errors ?? [])]
    if (errors.length > 0) {
      this.message(formatProblems(errors, {listAll: 'kafkit topics plan -o json lists all'}).join('\n'))
      throw new KafkitError(plan.errors.length > 0 ? planSummaryLine(summary) : securitySummaryLine(security!.summary, security!.errors.length), {code: 'PLAN_ERRORS'})
    }
    if (!structured) this.log(renderPlanText(plan, summary) + (security ? `\n\n${renderSecurityPlanText(security)}` : ''))
    const securityChanges = security?.plan.changes.length ?? 0
    if (!hasChanges(plan) && securityChanges === 0) {
      const result: ApplyOutput = {file: this.flags.file, planned: summary, applied: [], failed: [], remaining: {summary, changes: []}}
      if (security) result.security = {planned: security.summary, applied: [], failed: [], remaining: {summary: security.summary, changes: []}}
      if (structured) this.render(result, () => '')
      return result
    }
    await confirmDestructive({
      question: `Apply these changes to cluster ${plan.clusterId}${plan.env ? ` (env ${plan.env})` : ''}?`,
      confirmed: this.flags.yes,
      flag: '--yes',
    })
    const report: ApplyReport = hasChanges(plan)
      ? await applyTopicPlan(conn, spec, plan, {
          prune: this.flags.prune,
          reassignmentTimeoutMs,
          throttle,
          onProgress: (p) => this.note(`… ${p.message}`),
        })
      : {applied: [], failed: [], after: {plan, summary}}
    if (security && securityChanges > 0) this.note('… applying ACLs, credentials and quotas')
    const securityReport = security && securityChanges > 0 ? await applySecurityPlan(conn, spec, security, {prune: this.flags.prune}) : undefined
    const result: ApplyOutput = {
      file: this.flags.file,
      planned: summary,
      applied: report.applied,
      failed: report.failed,
      remaining: report.after ? {summary: report.after.summary, changes: report.after.plan.changes} : {error: report.afterError ?? 'unknown'},
    }
    if (security) {
      const after = securityReport ? securityReport.after : security
      result.security = {
        planned: security.summary,
        applied: securityReport?.applied ?? [],
        failed: securityReport?.failed ?? [],
        remaining: after ? {summary: after.summary, changes: after.plan.changes} : {error: securityReport?.afterError ?? 'unknown'},
      }
    }
    this.render(result, renderApplyResult)
    const {after} = report
    const securityLeft = result.security !== undefined && (result.security.failed.length > 0 || 'error' in result.security.remaining || result.security.remaining.changes.length > 0)
    if (report.failed.length > 0 || !after || hasChanges(after.plan) || securityLeft) process.exitCode = ExitCode.error
    return result
  }
}
