import {Args, Flags} from '@oclif/core'

import {executeGroupOffsetDelete, exportOffsetsBeforeDelete, planGroupOffsetDelete, type GroupOffsetDeletePlan} from '../../app/groups.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderOffsetDeletePlan} from '../../cli/render-groups.js'
import {parseTopicScope} from '../../core/offset-reset.js'
import {KafkitError} from '../../errors.js'

export interface DeleteOffsetsResult extends GroupOffsetDeletePlan {
  executed: boolean
  exportedTo: string | null
}

export default class GroupsDeleteOffsets extends KafkaCommand<typeof GroupsDeleteOffsets> {
  static summary = "Delete a group's committed offsets of topics (dry run unless --execute), like kafka-consumer-groups.sh --delete-offsets"
  static description = `--topic NAME deletes every committed offset the group has for the topic (also of a topic that no longer exists); NAME:0,2 only those partitions.
Kafka refuses while the group is subscribed to the topic (GROUP_SUBSCRIBED_TO_TOPIC): stop its consumers, or drop the topic from their subscription, first.
--export FILE writes the offsets before the delete (topic,partition,offset): groups reset-offsets GROUP --from-file FILE --execute puts them back.`
  static examples = [
    '$ kafkit groups delete-offsets orders-app --topic orders.old',
    '$ kafkit groups delete-offsets orders-app --topic orders:0,1 --export before.csv --execute',
  ]

  static args = {group: Args.string({required: true, description: 'consumer group id'})}
  static flags = {
    topic: Flags.string({multiple: true, multipleNonGreedy: true, required: true, description: 'topic whose offsets go, optionally with partitions: orders or orders:0,2 (repeatable)'}),
    execute: Flags.boolean({description: 'delete the offsets (default: only show the plan)'}),
    export: Flags.string({description: 'write the offsets before the delete to this CSV file (undo with reset-offsets --from-file)'}),
  }

  async run(): Promise<DeleteOffsetsResult> {
    const scopes = this.flags.topic.map(parseTopicScope)
    if (this.flags.export !== undefined && this.flags.export.trim() === '') throw new KafkitError('--export: no file name given', {code: 'INVALID_FLAG'})
    const kafka = await this.connection()
    const plan = await planGroupOffsetDelete(kafka, this.args.group, scopes)
    // Before deleting, so the undo file exists even if the delete fails.
    const exportedTo = this.flags.export ?? null
    if (exportedTo !== null) exportOffsetsBeforeDelete(exportedTo, plan)
    const executed = this.flags.execute ?? false
    if (executed) await executeGroupOffsetDelete(kafka, plan)
    const result: DeleteOffsetsResult = {...plan, executed, exportedTo}
    this.render(result, (r) => renderOffsetDeletePlan(r, r))
    return result
  }
}
