import {Args, Flags} from '@oclif/core'

import {upsertUser, userMechanisms, type ScramMechanismName} from '../../app/users.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {passwordAsArgument, readPassword} from '../../cli/password-source.js'
import {renderUserChange, type UserChangeOutcome} from '../../cli/render-users.js'
import {KafkitError} from '../../errors.js'

export default class UsersCreate extends KafkaCommand<typeof UsersCreate> {
  static summary = 'Create a SCRAM user (password from stdin, a file or an env var; never an argument)'
  static description = `The password is salted and hashed by kafkit (PBKDF2, --iterations) and only the hash is sent.
A user who already has a credential of this mechanism gets a new password only after a question
(or --yes without a terminal). --dry-run reads the password and says what would happen.`
  static examples = [
    '$ printf %s "$ALICE_PASSWORD" | kafkit users create alice --password-stdin',
    '$ kafkit users create alice --password-env ALICE_PASSWORD --mechanism scram-sha-256',
    '$ kafkit users create alice --password-file /run/secrets/alice',
  ]
  static strict = false

  static args = {user: Args.string({required: true, description: 'the user name (its principal is User:NAME)'})}
  static flags = {
    'password-stdin': Flags.boolean({description: 'read the password from stdin (one trailing newline is dropped)'}),
    'password-file': Flags.string({description: 'read the password from this file', helpValue: 'FILE'}),
    'password-env': Flags.string({description: 'read the password from this env var', helpValue: 'VAR'}),
    password: Flags.string({hidden: true, description: 'refused: a password is never an argument'}),
    mechanism: Flags.string({description: 'SCRAM mechanism', options: ['scram-sha-512', 'scram-sha-256'], default: 'scram-sha-512'}),
    iterations: Flags.integer({description: 'PBKDF2 iterations (Kafka: 4096 to 16384)', default: 8192, min: 4096, max: 16_384}),
    'dry-run': Flags.boolean({description: 'say what would happen; change nothing'}),
    yes: Flags.boolean({char: 'y', description: 'replace an existing password without asking'}),
  }

  async run(): Promise<UserChangeOutcome> {
    const {argv} = await this.parse(UsersCreate)
    if (argv.length > 1 || this.flags.password !== undefined) throw passwordAsArgument()
    const user = argv[0] as string
    if (user.trim() === '') throw new KafkitError('an empty user name', {code: 'INVALID_FLAG'})
    const password = await readPassword(this.flags)
    const mechanism = this.flags.mechanism as ScramMechanismName
    const wire = mechanism.toUpperCase()
    const kafka = await this.connection()
    const exists = (await userMechanisms(kafka, user)).includes(wire)
    const result: UserChangeOutcome = {user, mechanisms: [wire], action: exists ? 'updated' : 'created', dryRun: this.flags['dry-run']}
    if (!result.dryRun) {
      if (exists) await confirmDestructive({question: `User ${user} already has a ${wire} credential: replace its password?`, confirmed: this.flags.yes, flag: '--yes to replace the password'})
      await upsertUser(kafka, {user, mechanism, password, iterations: this.flags.iterations})
    }
    this.render(result, renderUserChange)
    return result
  }
}
