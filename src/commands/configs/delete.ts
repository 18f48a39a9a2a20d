import {Args} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {changeConfigs, configChangeFlags, resourceFromFlags} from '../../cli/config-resource-flags.js'
import {renderConfigChange, type ConfigChangeOutcome} from '../../cli/render-configs.js'
import {parseKeys} from '../../core/config-changes.js'

export default class ConfigsDelete extends KafkaCommand<typeof ConfigsDelete> {
  static summary = 'Remove config overrides of a broker, the cluster-wide broker default, or a topic (asks first; --yes for scripts)'
  static description = `Each key falls back to the next level: a topic to the broker's value, a broker to the cluster-wide
default, then to server.properties and Kafka's default. A key with no override at this level is left
as it is. --dry-run shows old -> new and changes nothing.`
  static examples = [
    '$ kafkit configs delete --topic orders.created retention.ms',
    '$ kafkit configs delete --broker 1 log.cleaner.threads --dry-run',
  ]
  static strict = false

  static args = {key: Args.string({required: true, description: 'config keys whose override to remove'})}
  static flags = configChangeFlags

  async run(): Promise<ConfigChangeOutcome> {
    const {argv} = await this.parse(ConfigsDelete)
    const resource = resourceFromFlags(this.flags)
    const keys = parseKeys(argv as string[], 'delete')
    const result = await changeConfigs(await this.connection(), resource, {delete: keys}, this.flags)
    this.render(result, renderConfigChange)
    return result
  }
}
