import {Args, Flags} from '@oclif/core'

import {KafkaCommand} from '../../cli/base-command.js'
import {KafkitError} from '../../errors.js'
import {normaliseConfigFlags} from '../../cli/config-flags.js'
import {createTopic, type TopicToCreate} from '../../app/topics.js'

export default class TopicsCreate extends KafkaCommand<typeof TopicsCreate> {
  static summary = 'Create a topic'
  static examples = [
    '$ kafkit topics create orders.payment.completed --partitions 6 --replication-factor 3 --config retention.ms=7d --config min.insync.replicas=2',
  ]

  static args = {topic: Args.string({required: true, description: 'topic name'})}
  static flags = {
    // Kafka's CreateTopics fields: partitions INT32, replication factor INT16.
    partitions: Flags.integer({char: 'p', description: 'number of partitions', required: true, min: 1, max: 2_147_483_647}),
    'replication-factor': Flags.integer({char: 'r', description: 'replicas per partition', required: true, min: 1, max: 32_767}),
    config: Flags.string({char: 'c', description: 'topic config key=value (repeatable); 7d, 1GiB accepted for *.ms and *.bytes', multiple: true, multipleNonGreedy: true}),
    'if-not-exists': Flags.boolean({description: 'succeed when the topic already exists'}),
  }

  async run(): Promise<TopicToCreate & {created: boolean}> {
    const topic: TopicToCreate = {
      topic: this.args.topic,
      partitions: this.flags.partitions,
      replicationFactor: this.flags['replication-factor'],
      configs: normaliseConfigFlags(this.flags.config ?? []),
    }
    let created = true
    try {
      await createTopic(await this.connection(), topic)
    } catch (error) {
      if (!(this.flags['if-not-exists'] && error instanceof KafkitError && error.code === 'TOPIC_ALREADY_EXISTS')) {
        throw error instanceof KafkitError ? new KafkitError(`cannot create topic "${topic.topic}": ${error.message}`, {code: error.code}) : error
      }
      created = false
    }
    const result = {...topic, created}
    this.render(result, (r) => (r.created ? `created topic ${r.topic} (${r.partitions} partition${r.partitions === 1 ? '' : 's'}, RF ${r.replicationFactor})` : `topic ${r.topic} already exists`))
    return result
  }
}
