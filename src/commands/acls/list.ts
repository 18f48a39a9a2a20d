import {Flags} from '@oclif/core'

import {listAcls} from '../../app/acls.js'
import {aclFilterFlags, aclFilterFromFlags} from '../../cli/acl-flags.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderAclList} from '../../cli/render-acls.js'
import type {AclBinding} from '../../core/acls.js'

export default class AclsList extends KafkaCommand<typeof AclsList> {
  static summary = 'List ACLs, filtered by principal, resource, operation, permission or host'
  static description = `With a resource name, --pattern any (the default) lists the ACLs of exactly that name, literal or
prefixed; --pattern match lists every ACL that applies to it (literal, prefixed and *).`
  static examples = ['$ kafkit acls list', '$ kafkit acls list --principal User:alice', '$ kafkit acls list --topic orders.created --pattern match']

  static flags = {
    ...aclFilterFlags,
    pattern: Flags.string({description: 'how --topic/--group/--transactional-id match', options: ['any', 'match', 'literal', 'prefixed'], default: 'any'}),
  }

  async run(): Promise<AclBinding[]> {
    const filter = aclFilterFromFlags(this.flags, 'any')
    const acls = await listAcls(await this.connection(), filter)
    this.render(acls, renderAclList)
    return acls
  }
}
