import {Flags} from '@oclif/core'

import {planTopics, readTopicsFile} from '../../app/declarative-topics.js'
import {planSecurity, type SecurityPlanResult} from '../../app/declarative-security.js'
import {renderSecurityPlanMarkdown, renderSecurityPlanText, securitySummaryLine} from '../../cli/render-security-plan.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderPlanMarkdown, renderPlanText} from '../../cli/render-plan.js'
import {requireValidSpec, topicsFileFlags} from '../../cli/topics-file.js'
import {formatProblems} from '../../core/problem.js'
import {hasChanges, type PlanSummary, type TopicPlan} from '../../core/topic-plan.js'
import {ExitCode} from '../../errors.js'

export interface PlanOutput extends TopicPlan {
  file: string
  summary: PlanSummary
  /** ACLs, users and quotas: only for a file that declares them (or their managed scope). */
  security?: SecurityPlanResult
}

export default class TopicsPlan extends KafkaCommand<typeof TopicsPlan> {
  static summary = 'Show what applying topics.yaml would change on the cluster'
  static description = `Compares effective values: a declared value the broker already applies is not a change; a live
override the file does not declare is removed. Live topics not in the file are listed as unmanaged and
left alone, unless --prune, and then only under managed.prefixes (internal topics never).
ACLs, SCRAM users and quotas the file declares are planned too (--prune: only under managed.principals,
managed.users, managed.quotas); a credential is written when missing, when its iterations differ, or
with --update-passwords (a stored SCRAM credential cannot be compared with a password).
Exit codes: 0 no changes (or changes without --detailed-exitcode), 2 changes with --detailed-exitcode, 1 errors.`
  static examples = [
    '$ kafkit topics plan --env dev',
    '$ kafkit topics plan -f topics.yaml --env prod --detailed-exitcode -o markdown > plan.md',
    '$ kafkit topics plan --prune -o json',
  ]

  static flags = {
    ...topicsFileFlags,
    prune: Flags.boolean({description: 'plan deletion of live topics under managed.prefixes that the file does not declare'}),
    'update-passwords': Flags.boolean({description: 'plan rewriting every declared SCRAM credential from its password (passwordEnv/passwordFile)'}),
    'detailed-exitcode': Flags.boolean({description: 'exit 2 when there are changes (0 none, 1 error)'}),
    output: Flags.string({char: 'o', description: 'output format', options: ['table', 'json', 'yaml', 'markdown'], default: 'table', helpGroup: 'GLOBAL'}),
  }

  async run(): Promise<PlanOutput> {
    const spec = requireValidSpec(readTopicsFile(this.flags.file, this.flags.env))
    const conn = await this.connection()
    // Independent reads (topics; ACLs, users, quotas): side by side.
    const [{plan, summary}, security] = await Promise.all([
      planTopics(conn, spec, {prune: this.flags.prune}),
      planSecurity(conn, spec, {prune: this.flags.prune, updatePasswords: this.flags['update-passwords']}),
    ])
    const result: PlanOutput = {file: this.flags.file, summary, ...plan, ...(security ? {security} : {})}
    const errors = [...plan.errors, ...(security?.errors ?? [])]
    if (errors.length > 0) this.message(formatProblems(errors, {listAll: '-o json lists all'}).join('\n'))
    if (this.outputFormat === 'markdown') {
      const alsoSummary = security ? securitySummaryLine(security.summary, security.errors.length) : undefined
      this.log(renderPlanMarkdown(plan, summary, {file: this.flags.file, alsoSummary}) + (security ? renderSecurityPlanMarkdown(security) : ''))
    } else {
      this.render(result, () => renderPlanText(plan, summary) + (security ? `\n\n${renderSecurityPlanText(security)}` : ''))
    }
    if (errors.length > 0) process.exitCode = ExitCode.error
    else if (this.flags['detailed-exitcode'] && (hasChanges(plan) || (security?.plan.changes.length ?? 0) > 0)) process.exitCode = ExitCode.changesPending
    return result
  }
}
