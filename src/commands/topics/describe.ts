import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {renderKeyValues, renderTable} from '../../cli/render.js'
import {liveReplicationFactor, type LivePartition} from '../../core/cluster-state.js'
import {describeTopics} from '../../kafka/topics.js'

export interface TopicDescription {
  name: string
  internal: boolean
  partitions: LivePartition[]
  replicationFactor: number
  /** Configs whose value does not come from Kafka's built-in default, with where it comes from. */
  configs: {name: string; value: string | null; source: string}[]
}

export default class TopicsDescribe extends KafkaCommand<typeof TopicsDescribe> {
  static summary = 'Show partitions (leader, replicas, ISR) and the configs that differ from defaults'
  static examples = ['$ kafkit topics describe orders.payment.completed', '$ kafkit topics describe orders.payment.completed --all-configs -o yaml']

  static args = {topic: Args.string({required: true, description: 'topic name'})}
  static flags = {
    'all-configs': Flags.boolean({description: 'show every config, defaults included'}),
  }

  async run(): Promise<TopicDescription> {
    const [topic] = await describeTopics(await this.connection(), {names: [this.args.topic], configs: 'all'})
    const result: TopicDescription = {
      name: topic.name,
      internal: topic.internal,
      replicationFactor: liveReplicationFactor(topic),
      partitions: topic.partitions,
      configs: Object.entries(topic.configs)
        .filter(([, e]) => this.flags['all-configs'] || e.source !== 'default')
        .map(([name, e]) => ({name, value: e.sensitive ? '[sensitive]' : e.value, source: e.source}))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }
    this.render(result, (r) =>
      [
        renderKeyValues([
          ['topic', r.name],
          ['partitions', r.partitions.length],
          ['replication factor', r.replicationFactor],
        ]),
        '',
        renderTable(
          ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'OFFLINE'],
          r.partitions.map((p) => [p.partition, p.leader < 0 ? 'none' : p.leader, p.replicas.join(','), p.isr.join(','), p.offlineReplicas?.join(',')]),
        ),
        '',
        r.configs.length === 0
          ? 'configs: all at Kafka defaults'
          : renderTable(['CONFIG', 'VALUE', 'SOURCE'], r.configs.map((c) => [c.name, c.value, c.source])),
      ].join('\n'),
    )
    return result
  }
}
