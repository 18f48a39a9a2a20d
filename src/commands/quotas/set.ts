import {Args} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {changeQuotas, quotaChangeFlags, quotaEntityFromFlags} from '../../cli/quota-flags.js'
import {renderQuotaChange, type QuotaChangeOutcome} from '../../cli/render-quotas.js'
import {parseQuotaAssignments} from '../../core/quotas.js'

export default class QuotasSet extends KafkaCommand<typeof QuotasSet> {
  static summary = 'Set client quotas of a user, a client id, both, or a default (asks first; --yes for scripts)'
  static description = `Keys: producer_byte_rate and consumer_byte_rate (bytes per second: 1MiB/s, 512KiB/s, 1048576),
request_percentage (of one request-handler thread's time: 200 = two threads), controller_mutation_rate
(partitions created or deleted per second). Other keys of the entity stay. A client over its quota is
throttled (delayed), not refused. --dry-run shows old -> new and changes nothing.`
  static examples = [
    '$ kafkit quotas set --user alice producer_byte_rate=1MiB/s consumer_byte_rate=2MiB/s',
    '$ kafkit quotas set --user-default request_percentage=50 --yes',
    '$ kafkit quotas set --user alice --client-id billing-app consumer_byte_rate=512KiB/s --dry-run',
  ]
  static strict = false

  static args = {assignment: Args.string({required: true, description: 'KEY=VALUE pairs'})}
  static flags = quotaChangeFlags

  async run(): Promise<QuotaChangeOutcome> {
    const {argv} = await this.parse(QuotasSet)
    const entity = quotaEntityFromFlags(this.flags)
    const set = parseQuotaAssignments(argv as string[])
    const result = await changeQuotas(await this.connection(), entity, {set}, this.flags)
    this.render(result, renderQuotaChange)
    return result
  }
}
