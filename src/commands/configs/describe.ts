import {Args, Flags} from '@oclif/core'

import {describeResourceConfigs, type ConfigsDescription} from '../../app/configs.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {configResourceFlags, resourceFromFlags} from '../../cli/config-resource-flags.js'
import {renderConfigsDescription} from '../../cli/render-configs.js'
import {parseKeys} from '../../core/config-changes.js'

export default class ConfigsDescribe extends KafkaCommand<typeof ConfigsDescribe> {
  static summary = 'Show the configs of a broker, the cluster-wide broker default, or a topic'
  static description = `Lists the overrides set at that level (like kafka-configs --describe); --all lists every config with
its source (topic, dynamic-broker, dynamic-default-broker, static-broker, default); KEY arguments
show just those keys. Sensitive values (passwords) are never printed.`
  static examples = [
    '$ kafkit configs describe --broker 1',
    '$ kafkit configs describe --broker-default',
    '$ kafkit configs describe --topic orders.created --all',
    '$ kafkit configs describe --broker 1 log.retention.ms num.io.threads -o json',
  ]
  static strict = false

  static args = {key: Args.string({description: 'config keys to show (default: the overrides)'})}
  static flags = {
    ...configResourceFlags,
    all: Flags.boolean({description: 'every config with its source, not only the overrides'}),
  }

  async run(): Promise<ConfigsDescription> {
    const {argv} = await this.parse(ConfigsDescribe)
    const resource = resourceFromFlags(this.flags)
    const keys = parseKeys(argv as string[], 'describe')
    const result = await describeResourceConfigs(await this.connection(), resource, {all: this.flags.all, keys})
    this.render(result, renderConfigsDescription)
    return result
  }
}
