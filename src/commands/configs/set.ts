import {Args, Flags} from '@oclif/core'

import {applyConfigPlan, planConfigChange} from '../../app/configs.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {configResourceFlags} from '../../cli/config-resource-flags.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {configChangeQuestion, renderConfigChange, type ConfigChangeOutcome} from '../../cli/render-configs.js'
import {parseKeyValues, resourceFromFlags} from '../../core/config-changes.js'

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
  static flags = {
    ...configResourceFlags,
    'dry-run': Flags.boolean({description: 'show what would change (old -> new); change nothing'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<ConfigChangeOutcome> {
    const {argv} = await this.parse(ConfigsSet)
    const resource = resourceFromFlags(this.flags)
    const pairs = parseKeyValues(argv as string[])
    const kafka = await this.connection()
    const plan = await planConfigChange(kafka, resource, {set: pairs})
    const changing = plan.changes.filter((c) => !c.unchanged)
    let applied = false
    if (!this.flags['dry-run'] && changing.length > 0) {
      await confirmDestructive({question: configChangeQuestion(plan), confirmed: this.flags.yes, flag: '--yes (or --dry-run to only see the change)'})
      await applyConfigPlan(kafka, plan)
      applied = true
    }
    const result: ConfigChangeOutcome = {...plan, dryRun: this.flags['dry-run'], applied}
    this.render(result, renderConfigChange)
    return result
  }
}
