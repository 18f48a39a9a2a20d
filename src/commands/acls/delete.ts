import {Flags} from '@oclif/core'

import {applyDeleteAcls, planDeleteAcls} from '../../app/acls.js'
import {aclFilterFlags, aclFilterFromFlags} from '../../cli/acl-flags.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {confirmDestructive} from '../../cli/confirm.js'
import {aclDeleteQuestion, aclLine, renderAclDelete, type AclDeleteOutcome} from '../../cli/render-acls.js'

export default class AclsDelete extends KafkaCommand<typeof AclsDelete> {
  static summary = 'Delete the ACLs matching a filter (shows them, asks first; --yes for scripts)'
  static description = `The filter is the one of acls list; --pattern defaults to literal (--pattern prefixed for a prefixed
ACL, any for both). kafkit lists the matching ACLs, asks (or needs --yes without a terminal), and
deletes exactly those: an ACL created meanwhile is not caught. With several --operation, the ACLs of
each are deleted.`
  static examples = [
    '$ kafkit acls delete --principal User:alice --topic orders.created --yes',
    '$ kafkit acls delete --principal User:alice --operation write --topic orders.created --dry-run',
  ]

  static flags = {
    ...aclFilterFlags,
    pattern: Flags.string({description: 'how --topic/--group/--transactional-id match', options: ['literal', 'prefixed', 'any', 'match'], default: 'literal'}),
    'dry-run': Flags.boolean({description: 'show what would be deleted; delete nothing'}),
    yes: Flags.boolean({char: 'y', description: 'do not ask for confirmation (required without a terminal)'}),
  }

  async run(): Promise<AclDeleteOutcome> {
    const filter = aclFilterFromFlags(this.flags, 'literal')
    const kafka = await this.connection()
    const matched = (await planDeleteAcls(kafka, filter))
    const dryRun = this.flags['dry-run']
    let deleted: AclDeleteOutcome['deleted'] = []
    if (!dryRun && matched.length > 0) {
      // (the bindings a person at a terminal is asked about)
      if (!this.flags.yes && process.stdin.isTTY) this.note(matched.map((b) => `- ${aclLine(b)}`).join('\n'))
      await confirmDestructive({question: aclDeleteQuestion(matched), confirmed: this.flags.yes, flag: '--yes (or --dry-run to only see what matches)'})
      deleted = await applyDeleteAcls(kafka, matched)
    }
    const result: AclDeleteOutcome = {matched, deleted, dryRun}
    this.render(result, renderAclDelete)
    return result
  }
}
