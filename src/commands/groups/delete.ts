import {Args, Flags} from '@oclif/core'

import {checkGroupsDeletable, deleteGroups} from '../../app/groups.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'

export default class GroupsDelete extends KafkaCommand<typeof GroupsDelete> {
  static summary = 'Delete consumer groups and their committed offsets (asks first on a terminal; --yes for scripts)'
  static description = 'Groups with active members are refused, naming the members.'
  static examples = ['$ kafkit groups delete old-app', '$ kafkit groups delete old-app old-app-2 --yes']
  static strict = false

  static args = {group: Args.string({required: true, description: 'consumer group ids'})}
  static flags = {
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<{deleted: string[]}> {
    const {argv} = await this.parse(GroupsDelete)
    const names = [...new Set(argv as string[])]
    const conn = await this.connection()
    // Fails on unknown or active groups before asking anything.
    await checkGroupsDeletable(conn, names)
    await confirmDestructive({
      question: `Delete ${names.length} consumer group(s) and their committed offsets: ${names.join(', ')}?`,
      confirmed: this.flags.yes,
      flag: '--yes',
    })
    const result = {deleted: await deleteGroups(conn, names)}
    this.render(result, (r) => r.deleted.map((g) => `deleted group ${g}`).join('\n'))
    return result
  }
}
