import {Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {renderTable} from '../../cli/render.js'
import {liveReplicationFactor} from '../../core/cluster-state.js'
import {describeTopics} from '../../kafka/topics.js'

export interface TopicListEntry {
  name: string
  partitions: number
  replicationFactor: number
  internal: boolean
}

export default class TopicsList extends KafkaCommand<typeof TopicsList> {
  static summary = 'List topics with their partition count and replication factor'
  static examples = ['$ kafkit topics list', '$ kafkit topics list --prefix orders. -o json', '$ kafkit topics list --internal']

  static flags = {
    internal: Flags.boolean({description: 'include internal topics (__consumer_offsets, names starting with _)'}),
    prefix: Flags.string({description: 'only topics whose name starts with this'}),
  }

  async run(): Promise<TopicListEntry[]> {
    const topics = await describeTopics(await this.connection(), {configs: false})
    const result = topics
      .filter((t) => this.flags.internal || !t.internal)
      .filter((t) => !this.flags.prefix || t.name.startsWith(this.flags.prefix))
      .map((t) => ({name: t.name, partitions: t.partitions.length, replicationFactor: liveReplicationFactor(t), internal: t.internal}))
    this.render(result, (r) =>
      r.length === 0 ? 'no topics' : renderTable(['TOPIC', 'PARTITIONS', 'RF'], r.map((t) => [t.name, t.partitions, t.replicationFactor])),
    )
    return result
  }
}
