import {Flags} from '@oclif/core'

import {applyCreateAcls, planCreateAcls} from '../../app/acls.js'
import {aclResourceFlags, aclResourceFromFlags} from '../../cli/acl-flags.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderAclCreate, type AclCreateOutcome} from '../../cli/render-acls.js'
import {type AclPatternType, type AclPermission, aclBindingsToCreate, parseAclOperations, parsePrincipal} from '../../core/acls.js'

export default class AclsCreate extends KafkaCommand<typeof AclsCreate> {
  static summary = 'Grant (or deny) principals operations on a topic, group, transactional id or the cluster'
  static description = `Creates one ACL per principal and operation; ACLs already there are shown and left alone. The
cluster denies whatever no ACL allows (allow.everyone.if.no.acl.found=false), so a producer needs
Write and Describe on its topic (IdempotentWrite on --cluster for idempotence on Kafka < 3.0 brokers),
a consumer Read and Describe on its topics and Read on its group. --dry-run shows what would be
created and creates nothing.`
  static examples = [
    '$ kafkit acls create --principal User:alice --operation write,describe --topic orders.created',
    '$ kafkit acls create --principal User:alice --operation read --topic orders. --pattern prefixed',
    '$ kafkit acls create --principal User:alice --operation read --group billing',
  ]

  static flags = {
    ...aclResourceFlags,
    principal: Flags.string({description: 'the principal, TYPE:NAME (User:alice); repeat for several', multiple: true, required: true, helpValue: 'User:NAME'}),
    operation: Flags.string({description: 'operations, comma-separated or repeated: read, write, create, delete, alter, describe, describe-configs, alter-configs, idempotent-write, cluster-action, all', multiple: true, required: true, helpValue: 'OP'}),
    pattern: Flags.string({description: 'literal: exactly the name; prefixed: every name starting with it', options: ['literal', 'prefixed'], default: 'literal'}),
    deny: Flags.boolean({description: 'a DENY ACL (it wins over any ALLOW) instead of ALLOW'}),
    host: Flags.string({description: 'the client host it applies to', default: '*', helpValue: 'HOST'}),
    'dry-run': Flags.boolean({description: 'show what would be created; create nothing'}),
  }

  async run(): Promise<AclCreateOutcome> {
    const resource = aclResourceFromFlags(this.flags, {required: true})!
    const wanted = aclBindingsToCreate({
      principals: [...new Set(this.flags.principal.map(parsePrincipal))],
      operations: parseAclOperations(this.flags.operation),
      ...resource,
      patternType: this.flags.pattern as AclPatternType,
      permission: (this.flags.deny ? 'deny' : 'allow') as AclPermission,
      host: this.flags.host,
    })
    const kafka = await this.connection()
    const plan = await planCreateAcls(kafka, wanted)
    const dryRun = this.flags['dry-run']
    if (!dryRun) await applyCreateAcls(kafka, plan)
    const result: AclCreateOutcome = {...plan, dryRun, created: !dryRun && plan.create.length > 0}
    this.render(result, renderAclCreate)
    return result
  }
}
