import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {renderTopicDescriptions} from '../../cli/render-topics.js'
import {describeTopicsNamed, type TopicDescription} from '../../app/topics.js'
import {KafkitError} from '../../errors.js'

export type {TopicDescription}

export default class TopicsDescribe extends KafkaCommand<typeof TopicsDescribe> {
  static summary = 'Show partitions (leader, replicas, ISR) and the configs that differ from defaults'
  static description = `Any number of topics (and --prefix) in two requests: one Metadata, one DescribeConfigs.
With one topic named, -o json/yaml prints that topic's object; with several or --prefix, a list.
A partition without a leader (offline) shows LEADER none, as kafka-topics --describe does.`
  static examples = [
    '$ kafkit topics describe orders.payment.completed',
    '$ kafkit topics describe orders.payment.completed orders.refund.issued',
    '$ kafkit topics describe --prefix orders. -o yaml',
    '$ kafkit topics describe orders.payment.completed --all-configs -o yaml',
  ]
  static strict = false

  static args = {topic: Args.string({description: 'topic names'})}
  static flags = {
    prefix: Flags.string({description: 'also every topic whose name starts with this'}),
    'all-configs': Flags.boolean({description: 'show every config, defaults included'}),
  }

  async run(): Promise<TopicDescription | TopicDescription[]> {
    const {argv} = await this.parse(TopicsDescribe)
    const named = [...new Set(argv as string[])]
    const {prefix} = this.flags
    if (named.length === 0 && prefix === undefined) throw new KafkitError('missing required argument: topic (topic names), or --prefix')
    const results = await describeTopicsNamed(await this.connection(), {names: named, prefix, allConfigs: this.flags['all-configs']})
    const single = named.length === 1 && prefix === undefined
    this.render(single ? results[0] : results, renderTopicDescriptions)
    return single ? results[0] : results
  }
}
