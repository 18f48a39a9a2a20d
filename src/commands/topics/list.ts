import {Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {renderTopicList} from '../../cli/render-topics.js'
import {listTopics, type TopicListEntry} from '../../app/topics.js'

export type {TopicListEntry}

export default class TopicsList extends KafkaCommand<typeof TopicsList> {
  static summary = 'List topics with their partition count and replication factor'
  static examples = ['$ kafkit topics list', '$ kafkit topics list --prefix orders. -o json', '$ kafkit topics list --internal']

  static flags = {
    internal: Flags.boolean({description: 'include internal topics (__consumer_offsets, names starting with _)'}),
    prefix: Flags.string({description: 'only topics whose name starts with this'}),
  }

  async run(): Promise<TopicListEntry[]> {
    const result = await listTopics(await this.connection(), {internal: this.flags.internal, prefix: this.flags.prefix})
    this.render(result, renderTopicList)
    return result
  }
}
