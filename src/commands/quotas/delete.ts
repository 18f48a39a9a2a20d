import {Args, Flags} from '@oclif/core'

import {applyQuotas, planQuotas} from '../../app/quotas.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {quotaEntityFlags, quotaEntityFromFlags} from '../../cli/quota-flags.js'
import {quotaChangeQuestion, renderQuotaChange, type QuotaChangeOutcome} from '../../cli/render-quotas.js'
import {parseQuotaKeys} from '../../core/quotas.js'

export default class QuotasDelete extends KafkaCommand<typeof QuotasDelete> {
  static summary = 'Remove client quotas of a user, a client id, both, or a default (asks first; --yes for scripts)'
  static description = `Each key removed falls back to the next matching entity (a user's default, then the client id's,
then no quota). Keys not named stay. --dry-run shows old -> new and changes nothing.`
  static examples = ['$ kafkit quotas delete --user alice producer_byte_rate --yes', '$ kafkit quotas delete --user-default request_percentage --dry-run']
  static strict = false

  static args = {key: Args.string({required: true, description: 'quota keys to remove'})}
  static flags = {
    ...quotaEntityFlags,
    'dry-run': Flags.boolean({description: 'show what would change (old -> new); change nothing'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<QuotaChangeOutcome> {
    const {argv} = await this.parse(QuotasDelete)
    const entity = quotaEntityFromFlags(this.flags)
    const keys = parseQuotaKeys(argv as string[])
    const kafka = await this.connection()
    const plan = await planQuotas(kafka, entity, {delete: keys})
    let applied = false
    if (!this.flags['dry-run'] && plan.changes.some((c) => !c.unchanged)) {
      await confirmDestructive({question: quotaChangeQuestion(plan), confirmed: this.flags.yes, flag: '--yes (or --dry-run to only see the change)'})
      await applyQuotas(kafka, plan)
      applied = true
    }
    const result: QuotaChangeOutcome = {...plan, dryRun: this.flags['dry-run'], applied}
    this.render(result, renderQuotaChange)
    return result
  }
}
