import {Args} from '@oclif/core'

import {describeGroup, type GroupDetails} from '../../app/groups.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderGroupDetails} from '../../cli/render-groups.js'

export default class GroupsDescribe extends KafkaCommand<typeof GroupsDescribe> {
  static summary = 'Show a group: state, coordinator, members and, per partition, committed offset, log end, lag and owner'
  static description = 'The offsets and lags are the numbers kafka-consumer-groups.sh --describe prints for the same group.'
  static examples = ['$ kafkit groups describe orders-app', '$ kafkit groups describe orders-app -o json']

  static args = {group: Args.string({required: true, description: 'consumer group id'})}

  async run(): Promise<GroupDetails> {
    const details = await describeGroup(await this.connection(), this.args.group)
    this.render(details, renderGroupDetails)
    return details
  }
}
