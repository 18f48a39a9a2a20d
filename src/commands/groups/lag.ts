import {Args, Flags} from '@oclif/core'

import {groupsLag, type GroupsLagResult} from '../../app/groups.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderGroupsLag} from '../../cli/render-groups.js'
import {parseNonNegativeInteger} from '../../core/topic-partition.js'
import {ExitCode, KafkitError} from '../../errors.js'

export default class GroupsLag extends KafkaCommand<typeof GroupsLag> {
  static summary = 'Lag of many groups in a few requests; exit 3 when a group is above --fail-above'
  static description = `One OffsetFetch and one DescribeGroups per group coordinator for all groups (OffsetFetch v8, Kafka 3.0+; older brokers get one per group), one ListOffsets per broker for all partitions.
Lag of a group = sum over its partitions of log end - committed offset (partitions without a committed offset are not counted).
Exit codes: 0 ok, 3 some group's lag is above --fail-above, 1 error.`
  static examples = [
    '$ kafkit groups lag orders-app billing',
    '$ kafkit groups lag --all-groups --fail-above 10000',
    '$ kafkit groups lag orders-app --time-lag -o json',
  ]
  static strict = false

  static args = {group: Args.string({required: false, description: 'consumer group ids'})}
  static flags = {
    'all-groups': Flags.boolean({description: 'every group of the cluster'}),
    'fail-above': Flags.string({description: "exit 3 when a group's total lag is above this many messages"}),
    'time-lag': Flags.boolean({description: 'also show how old the next unconsumed message is (reads one message per lagging partition)'}),
  }

  async run(): Promise<GroupsLagResult> {
    const {argv} = await this.parse(GroupsLag)
    const timeLag = this.flags['time-lag']
    const failAbove = this.flags['fail-above']
    const threshold = failAbove === undefined ? undefined : parseNonNegativeInteger(failAbove.trim())
    if (failAbove !== undefined && threshold === undefined) {
      throw new KafkitError(`--fail-above: "${failAbove}" is not a number of messages`, {hint: 'e.g. --fail-above 10000'})
    }
    const result = await groupsLag(await this.connection(), {
      groups: argv as string[],
      allGroups: this.flags['all-groups'],
      timeLag,
      failAbove: threshold,
    })
    this.render(result, (r) => renderGroupsLag(r, {timeLag}))
    if (result.breaches.length > 0) process.exitCode = ExitCode.thresholdBreached
    return result
  }
}
