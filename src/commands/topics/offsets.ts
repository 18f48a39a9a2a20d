import {Args, Flags} from '@oclif/core'

import {topicOffsets, type TopicOffsetsResult} from '../../app/topic-records.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {parsePartitionFlags, parseTimeFlag} from '../../cli/topic-records-flags.js'
import {renderTopicOffsets} from '../../cli/render-records.js'

export default class TopicsOffsets extends KafkaCommand<typeof TopicsOffsets> {
  static summary = "Each partition's earliest and latest offset, and the offset for a time (like kafka-get-offsets.sh and kcat -Q)"
  static description = `EARLIEST is the log start, LATEST the log end (high watermark), RECORDS the difference.
--time adds AT TIME: the first offset whose record's timestamp is at or after the time ("-" when no record is that late).
One ListOffsets request per partition leader for each column.`
  static examples = [
    '$ kafkit topics offsets orders',
    '$ kafkit topics offsets orders -p 0,2 --time 1h',
    '$ kafkit topics offsets orders --time 2026-11-01T10:00:00Z -o json',
  ]

  static args = {topic: Args.string({required: true, description: 'topic name'})}
  static flags = {
    partition: Flags.string({char: 'p', multiple: true, description: 'only these partitions: -p 0,2 or -p 0-3 (repeatable)'}),
    time: Flags.string({description: 'also the offset for this time: ISO-8601 with a zone, epoch millis, or a duration ago (1h)'}),
  }

  async run(): Promise<TopicOffsetsResult> {
    // Flag mistakes before connecting.
    const partitions = parsePartitionFlags(this.flags.partition)
    const timestamp = this.flags.time === undefined ? undefined : parseTimeFlag('time', this.flags.time, Date.now())
    const result = await topicOffsets(await this.connection(), {topic: this.args.topic, partitions, timestamp})
    this.render(result, renderTopicOffsets)
    return result
  }
}
