import {listQuotas, type QuotaEntry} from '../../app/quotas.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {quotaEntityFlags, quotaListFilter} from '../../cli/quota-flags.js'
import {renderQuotaList} from '../../cli/render-quotas.js'

export default class QuotasList extends KafkaCommand<typeof QuotasList> {
  static summary = 'List client quotas of users, client ids, both, and their defaults'
  static description = `Every quota of the cluster, or those of the entities the flags name (--user alice lists alice's own
quotas and those of alice with any client id). Byte rates in bytes per second with units.`
  static examples = ['$ kafkit quotas list', '$ kafkit quotas list --user alice', '$ kafkit quotas list --user-default']
  static flags = quotaEntityFlags

  async run(): Promise<QuotaEntry[]> {
    const quotas = await listQuotas(await this.connection(), quotaListFilter(this.flags))
    this.render(quotas, renderQuotaList)
    return quotas
  }
}
