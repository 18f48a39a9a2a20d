/** The entity flags of `kafkit quotas list | set | delete`. */
import {Flags} from '@oclif/core'

export const quotaEntityFlags = {
  user: Flags.string({description: 'a user (its principal name, e.g. alice)', helpValue: 'NAME'}),
  'user-default': Flags.boolean({description: 'the default of every user without a quota of its own'}),
  'client-id': Flags.string({description: 'a client id (with --user: that user\'s clients with this id)', helpValue: 'ID'}),
  'client-id-default': Flags.boolean({description: 'the default of every client id without a quota of its own'}),
}
