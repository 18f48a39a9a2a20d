import {Args} from '@oclif/core'

import {listUsers, type UserListing} from '../../app/users.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderUserList} from '../../cli/render-users.js'

export default class UsersList extends KafkaCommand<typeof UsersList> {
  static summary = 'List SCRAM users and their mechanisms (never a password or hash)'
  static examples = ['$ kafkit users list', '$ kafkit users list alice']
  static strict = false
  static args = {user: Args.string({description: 'only these users (one not found is an error)'})}

  async run(): Promise<UserListing[]> {
    const {argv} = await this.parse(UsersList)
    const users = await listUsers(await this.connection(), argv as string[])
    this.render(users, renderUserList)
    return users
  }
}
