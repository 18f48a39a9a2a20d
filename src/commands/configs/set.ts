import {Args} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {changeConfigs, configChangeFlags, resourceFromFlags} from '../../cli/config-resource-flags.js'
import {renderConfigChange, type ConfigChangeOutcome} from '../../cli/render-configs.js'
import {parseKeyValues} from '../../core/config-changes.js'

export default class ConfigsSet extends KafkaCommand<typeof ConfigsSet> {
  static summary = 'Set config keys of a broker, the cluster-wide broker default, or a topic (asks first; --yes for scripts)'
  static description = `Only the keys given change (IncrementalAlterConfigs); every other override stays. Values take kafkit's
units where the key is a duration (*.ms: 7d, 12h, 500ms) or a size (*.bytes: 1GiB, 512KiB). Unknown keys
get a did-you-mean (topic keys from Kafka's topic config list, broker keys from the broker's own list),
read-only broker keys are refused, and the broker validates the change before kafkit asks.
--dry-run shows old -> new and changes nothing.`
  static examples = [
    '$ kafkit configs set --topic orders.created retention.ms=3d max.message.bytes=2MiB',
    '$ kafkit configs set --broker 1 log.cleaner.threads=2 --dry-run',
    '$ kafkit configs set --broker-default log.retention.ms=7d --yes',
  ]
  static strict = false

  static args = {assignment: Args.string({required: true, description: 'KEY=VALUE pairs'})}
  static flags = configChangeFlags

  async run(): Promise<ConfigChangeOutcome> {
    const {argv} = await this.parse(ConfigsSet)
    const resource = resourceFromFlags(this.flags)
    const pairs = parseKeyValues(argv as string[])
    const result = await changeConfigs(await this.connection(), resource, {set: pairs}, this.flags)
    this.render(result, renderConfigChange)
    return result
  }
}
