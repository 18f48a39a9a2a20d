import {Args, Flags} from '@oclif/core'

import {executeGroupReset, exportOffsetsBeforeReset, planGroupReset, type GroupResetPlan} from '../../app/groups.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderResetPlan} from '../../cli/render-groups.js'
import {resetChoiceFromFlags} from '../../cli/reset-flags.js'

export interface ResetOffsetsResult extends GroupResetPlan {
  executed: boolean
  exportedTo: string | null
}

export default class GroupsResetOffsets extends KafkaCommand<typeof GroupsResetOffsets> {
  static summary = "Reset a group's committed offsets (dry run unless --execute), like kafka-consumer-groups.sh --reset-offsets"
  static description = `Exactly one strategy: --to-earliest, --to-latest, --to-offset N, --shift-by N, --to-datetime T, --by-duration D, --from-file F or --to-group G.
Scope: --topic NAME or NAME:0,2,5 (repeatable) or --all-topics (the partitions the group has offsets for); --from-file alone resets the partitions in the file.
Offsets outside [log start, log end] are clamped to it, as Kafka does; the CLAMPED column says where and why.
--to-datetime and --by-duration take the first message at or after the time; partitions with none go to the log end.
--to-group G copies G's committed offsets of the partitions in scope (--all-topics: every partition G has an offset for); a partition where G has none is refused.
The group must have no active members. --export FILE writes the offsets before the change (topic,partition,offset) for --from-file to undo it.`
  static examples = [
    '$ kafkit groups reset-offsets orders-app --topic orders --to-earliest',
    '$ kafkit groups reset-offsets orders-app --topic orders:0,1 --shift-by -100 --execute',
    '$ kafkit groups reset-offsets orders-app --all-topics --to-datetime 2026-11-01T10:00:00Z --export before.csv --execute',
    '$ kafkit groups reset-offsets orders-app --from-file before.csv --execute',
    '$ kafkit groups reset-offsets orders-app-v2 --all-topics --to-group orders-app --export before.csv --execute',
  ]

  static args = {group: Args.string({required: true, description: 'consumer group id'})}
  static flags = {
    topic: Flags.string({multiple: true, multipleNonGreedy: true, description: 'topic to reset, optionally with partitions: orders or orders:0,2,5 (repeatable)', helpGroup: 'SCOPE'}),
    'all-topics': Flags.boolean({description: 'every partition the group has a committed offset for', helpGroup: 'SCOPE'}),
    'to-earliest': Flags.boolean({description: 'to the log start', helpGroup: 'STRATEGY'}),
    'to-latest': Flags.boolean({description: 'to the log end (skip everything not yet consumed)', helpGroup: 'STRATEGY'}),
    'to-offset': Flags.string({description: 'to this offset on every partition in scope', helpGroup: 'STRATEGY'}),
    'shift-by': Flags.string({description: 'move the committed offsets by N (negative re-consumes); --shift-by=-100', helpGroup: 'STRATEGY'}),
    'to-datetime': Flags.string({description: 'to the first message at or after this time (ISO-8601 with zone, e.g. 2026-11-01T10:00:00Z)', helpGroup: 'STRATEGY'}),
    'by-duration': Flags.string({description: 'to the first message at or after now minus this (PT1H, 90m, 2d)', helpGroup: 'STRATEGY'}),
    'from-file': Flags.string({description: 'to the offsets in this CSV (topic,partition,offset), e.g. an --export file', helpGroup: 'STRATEGY'}),
    'to-group': Flags.string({description: "to another group's committed offsets (copies them)", helpGroup: 'STRATEGY'}),
    execute: Flags.boolean({description: 'commit the new offsets (default: only show the plan)'}),
    export: Flags.string({description: 'write the offsets before the reset to this CSV file (undo with --from-file)'}),
  }

  async run(): Promise<ResetOffsetsResult> {
    // Every flag mistake is reported before connecting.
    const choice = resetChoiceFromFlags(this.flags)
    const conn = await this.connection()
    const reset = await planGroupReset(conn, {group: this.args.group, choice})
    if (!reset.groupExists) this.warning(`group "${reset.group}" does not exist yet; --execute creates it with these offsets`)
    // Before executing, so the undo file exists even if the commit fails.
    const exportedTo = this.flags.export ?? null
    if (exportedTo !== null) exportOffsetsBeforeReset(exportedTo, reset)
    const executed = this.flags.execute ?? false
    if (executed) await executeGroupReset(conn, reset)
    const result: ResetOffsetsResult = {...reset, executed, exportedTo}
    this.render(result, (r) => renderResetPlan(r, r))
    return result
  }
}
