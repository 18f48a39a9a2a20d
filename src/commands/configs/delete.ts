import {Args, Flags} from '@oclif/core'

import {applyConfigPlan, planConfigChange} from '../../app/configs.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {configResourceFlags} from '../../cli/config-resource-flags.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {configChangeQuestion, renderConfigChange, type ConfigChangeOutcome} from '../../cli/render-configs.js'
import {parseKeys, resourceFromFlags} from '../../core/config-changes.js'

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
  static flags = {
    ...configResourceFlags,
    'dry-run': Flags.boolean({description: 'show what would change (old -> new); change nothing'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<ConfigChangeOutcome> {
    const {argv} = await this.parse(ConfigsDelete)
    const resource = resourceFromFlags(this.flags)
    const keys = parseKeys(argv as string[], 'delete')
    const kafka = await this.connection()
    const plan = await planConfigChange(kafka, resource, {delete: keys})
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
