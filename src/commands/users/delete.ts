import {Args, Flags} from '@oclif/core'

import {deleteUser, userMechanisms, userNotFound} from '../../app/users.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {renderUserChange, type UserChangeOutcome} from '../../cli/render-users.js'
import {KafkitError} from '../../errors.js'

export default class UsersDelete extends KafkaCommand<typeof UsersDelete> {
  static summary = 'Delete a SCRAM user (asks first; --yes for scripts)'
  static description = `Deletes the user's credentials (every mechanism, or only --mechanism). Its ACLs stay: kafkit acls delete
--principal User:NAME removes them. Connections already authenticated stay open until they close.`
  static examples = ['$ kafkit users delete alice --yes', '$ kafkit users delete alice --mechanism scram-sha-256 --dry-run']

  static args = {user: Args.string({required: true, description: 'the user name'})}
  static flags = {
    mechanism: Flags.string({description: 'only this mechanism', options: ['scram-sha-512', 'scram-sha-256']}),
    'dry-run': Flags.boolean({description: 'say what would be deleted; delete nothing'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<UserChangeOutcome> {
    const user = this.args.user
    const kafka = await this.connection()
    const has = await userMechanisms(kafka, user)
    const mechanisms = this.flags.mechanism ? has.filter((m) => m === this.flags.mechanism!.toUpperCase()) : has
    if (has.length === 0) throw userNotFound([user], kafka.brokersLabel)
    if (mechanisms.length === 0) throw new KafkitError(`user "${user}" has no ${this.flags.mechanism!.toUpperCase()} credential (it has ${has.join(', ')})`, {code: 'USER_NOT_FOUND'})
    const result: UserChangeOutcome = {user, mechanisms, action: 'deleted', dryRun: this.flags['dry-run']}
    if (!result.dryRun) {
      await confirmDestructive({question: `Delete user ${user} (${mechanisms.join(', ')})?`, confirmed: this.flags.yes, flag: '--yes (or --dry-run to only see it)'})
      await deleteUser(kafka, user, mechanisms)
    }
    this.render(result, renderUserChange)
    return result
  }
}
