import {Args, Flags} from '@oclif/core'

import {executeTopicTruncate, planTopicTruncate} from '../../app/topic-records.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {parseOffsetFlag, parsePartitionFlags, parseTimeFlag} from '../../cli/topic-records-flags.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {describeTruncateTarget, renderTruncatePlan} from '../../cli/render-records.js'
import type {TruncatePlan, TruncateTarget} from '../../core/topic-records.js'
import {KafkitError} from '../../errors.js'

export interface TruncateResult extends TruncatePlan {
  executed: boolean
}

export default class TopicsTruncate extends KafkaCommand<typeof TopicsTruncate> {
  static summary = 'Delete the records before an offset or a time (dry run unless --execute), like kafka-delete-records.sh'
  static description = `Exactly one of --before-offset N (the same offset in every chosen partition) or --to-time T (per partition, the first record at or after T; a partition with no record that late loses all its records).
-p chooses partitions (default: all). The plan shows per partition the log start now, the new start and how many records go.
An offset past a partition's end is refused; topics with cleanup.policy=compact alone are refused (Kafka deletes by offset only under the delete policy).
--execute deletes (on a terminal it asks first; --yes does not ask). Deleted records cannot be brought back.`
  static examples = [
    '$ kafkit topics truncate orders --to-time 7d',
    '$ kafkit topics truncate orders -p 0 --before-offset 1200 --execute --yes',
    '$ kafkit topics truncate orders --to-time 2026-11-01T00:00:00Z --execute',
  ]

  static args = {topic: Args.string({required: true, description: 'topic name'})}
  static flags = {
    partition: Flags.string({char: 'p', multiple: true, description: 'only these partitions: -p 0,2 or -p 0-3 (repeatable; default all)'}),
    'before-offset': Flags.string({description: 'delete every record before this offset (it becomes the log start)'}),
    'to-time': Flags.string({description: 'delete every record before this time: ISO-8601 with a zone, epoch millis, or a duration ago (7d)'}),
    execute: Flags.boolean({description: 'delete the records (default: only show the plan)'}),
    yes: Flags.boolean({char: 'y', description: 'with --execute: do not ask on a terminal'}),
  }

  async run(): Promise<TruncateResult> {
    const target = targetFromFlags(this.flags)
    const partitions = parsePartitionFlags(this.flags.partition)
    if (this.flags.yes && !this.flags.execute) throw new KafkitError('--yes only confirms --execute', {code: 'INVALID_FLAG', hint: 'add --execute to delete, or drop --yes for a dry run'})
    const kafka = await this.connection()
    const plan = await planTopicTruncate(kafka, {topic: this.args.topic, partitions, target})
    let executed = false
    if (this.flags.execute && plan.records > 0) {
      await confirmDestructive({
        question: `Delete ${plan.records} record(s) of ${plan.topic} ${describeTruncateTarget(target)} in ${plan.partitionsChanged} partition(s)? They cannot be brought back.`,
        // --execute is the confirmation for scripts; a person at a terminal is asked once more.
        confirmed: this.flags.yes || !process.stdin.isTTY || !process.stderr.isTTY,
        flag: '--yes',
      })
      await executeTopicTruncate(kafka, plan)
      executed = true
    }
    const result: TruncateResult = {...plan, executed}
    this.render(result, (r) => renderTruncatePlan(r, r))
    return result
  }
}

function targetFromFlags(flags: {'before-offset'?: string; 'to-time'?: string}): TruncateTarget {
  const before = flags['before-offset']
  const toTime = flags['to-time']
  if (before !== undefined && toTime !== undefined) {
    throw new KafkitError('--before-offset and --to-time cannot be combined', {code: 'INVALID_FLAG', hint: 'choose one'})
  }
  if (before !== undefined) return {kind: 'offset', offset: parseOffsetFlag('before-offset', before)}
  if (toTime !== undefined) return {kind: 'time', timestamp: parseTimeFlag('to-time', toTime, Date.now())}
  throw new KafkitError('nothing to truncate to', {code: 'INVALID_FLAG', hint: 'add --before-offset N or --to-time T (e.g. --to-time 7d)'})
}
