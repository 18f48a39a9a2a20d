import {KafkaCommand} from '../../cli/base-command.js'
import {renderGroupList} from '../../cli/render-groups.js'
import {listGroups, type GroupSummary} from '../../app/groups.js'

export default class GroupsList extends KafkaCommand<typeof GroupsList> {
  static summary = 'List consumer groups with their state, protocol type, members and topics'
  static examples = ['$ kafkit groups list', '$ kafkit groups list -o json']

  async run(): Promise<GroupSummary[]> {
    const groups = await listGroups(await this.connection())
    this.render(groups, renderGroupList)
    return groups
  }
}
