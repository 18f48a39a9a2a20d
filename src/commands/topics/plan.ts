import {Flags} from '@oclif/core'

import {planTopics, readTopicsFile} from '../../app/declarative-topics.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderPlanMarkdown, renderPlanText} from '../../cli/render-plan.js'
import {requireValidSpec, topicsFileFlags} from '../../cli/topics-file.js'
import {formatProblems} from '../../core/problem.js'
import {hasChanges, type PlanSummary, type TopicPlan} from '../../core/topic-plan.js'
import {ExitCode} from '../../errors.js'

export interface PlanOutput extends TopicPlan {
  file: string
  summary: PlanSummary
}

export default class TopicsPlan extends KafkaCommand<typeof TopicsPlan> {
  static summary = 'Show what applying topics.yaml would change on the cluster'
  static description = `Compares effective values: a declared value the broker already applies is not a change; a live
override the file does not declare is removed. Live topics not in the file are listed as unmanaged and
left alone, unless --prune, and then only under managed.prefixes (internal topics never).
Exit codes: 0 no changes (or changes without --detailed-exitcode), 2 changes with --detailed-exitcode, 1 errors.`
  static examples = [
    '$ kafkit topics plan --env dev',
    '$ kafkit topics plan -f topics.yaml --env prod --detailed-exitcode -o markdown > plan.md',
    '$ kafkit topics plan --prune -o json',
  ]

  static flags = {
    ...topicsFileFlags,
    prune: Flags.boolean({description: 'plan deletion of live topics under managed.prefixes that the file does not declare'}),
    'detailed-exitcode': Flags.boolean({description: 'exit 2 when there are changes (0 none, 1 error)'}),
    output: Flags.string({char: 'o', description: 'output format', options: ['table', 'json', 'yaml', 'markdown'], default: 'table', helpGroup: 'GLOBAL'}),
  }

  async run(): Promise<PlanOutput> {
    const spec = requireValidSpec(readTopicsFile(this.flags.file, this.flags.env))
    const {plan, summary} = await planTopics(await this.connection(), spec, {prune: this.flags.prune})
    const result: PlanOutput = {file: this.flags.file, summary, ...plan}
    if (plan.errors.length > 0) this.message(formatProblems(plan.errors, {listAll: '-o json lists all'}).join('\n'))
    if (this.outputFormat === 'markdown') this.log(renderPlanMarkdown(plan, summary, {file: this.flags.file}))
    else this.render(result, () => renderPlanText(plan, summary))
    if (plan.errors.length > 0) process.exitCode = ExitCode.error
    else if (this.flags['detailed-exitcode'] && hasChanges(plan)) process.exitCode = ExitCode.changesPending
    return result
  }
}
