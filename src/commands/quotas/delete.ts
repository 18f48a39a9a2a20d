import {Args} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {changeQuotas, quotaChangeFlags, quotaEntityFromFlags} from '../../cli/quota-flags.js'
import {renderQuotaChange, type QuotaChangeOutcome} from '../../cli/render-quotas.js'
import {parseQuotaKeys} from '../../core/quotas.js'

export default class QuotasDelete extends KafkaCommand<typeof QuotasDelete> {
  static summary = 'Remove client quotas of a user, a client id, both, or a default (asks first; --yes for scripts)'
  static description = `Each key removed falls back to the next matching entity (a user's default, then the client id's,
then no quota). Keys not named stay. --dry-run shows old -> new and changes nothing.`
  static examples = ['$ kafkit quotas delete --user alice producer_byte_rate --yes', '$ kafkit quotas delete --user-default request_percentage --dry-run']
  static strict = false

  static args = {key: Args.string({required: true, description: 'quota keys to remove'})}
  static flags = quotaChangeFlags

  async run(): Promise<QuotaChangeOutcome> {
    const {argv} = await this.parse(QuotasDelete)
    const entity = quotaEntityFromFlags(this.flags)
    const keys = parseQuotaKeys(argv as string[])
    const result = await changeQuotas(await this.connection(), entity, {delete: keys}, this.flags)
    this.render(result, renderQuotaChange)
    return result
  }
}
