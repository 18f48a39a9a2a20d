import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {renderKeyValues, renderTable} from '../../cli/render.js'
import {liveReplicationFactor, type LivePartition, type LiveTopic} from '../../core/cluster-state.js'
import {KafkitError} from '../../errors.js'
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
    const conn = await this.connection()
    const topics = await describeTopics(conn, {names: named, prefix, configs: 'all'})
    if (topics.length === 0) throw new KafkitError(`no topic starts with "${prefix}" on ${conn.brokersLabel}`, {hint: 'kafkit topics list shows what exists'})
    const results = topics.map((topic) => this.describe(topic))
    const single = named.length === 1 && prefix === undefined
    this.render(single ? results[0] : results, (r) => (Array.isArray(r) ? r : [r]).map(renderTopic).join('\n\n'))
    return single ? results[0] : results
  }

  private describe(topic: LiveTopic): TopicDescription {
    return {
      name: topic.name,
      internal: topic.internal,
      replicationFactor: liveReplicationFactor(topic),
      partitions: topic.partitions,
      configs: Object.entries(topic.configs)
        .filter(([, e]) => this.flags['all-configs'] || e.source !== 'default')
        .map(([name, e]) => ({name, value: e.sensitive ? '[sensitive]' : e.value, source: e.source}))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }
  }
}

function renderTopic(r: TopicDescription): string {
  return [
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
    r.configs.length === 0 ? 'configs: all at Kafka defaults' : renderTable(['CONFIG', 'VALUE', 'SOURCE'], r.configs.map((c) => [c.name, c.value, c.source])),
  ].join('\n')
}
