/** The flags of `kafkit acls list | create | delete`, and the core filter/binding they describe. */
import {Flags} from '@oclif/core'

import {type AclFilter, type AclPatternFilter, type AclPermission, aclResourceFromFlags, parseAclOperations, parsePrincipal} from '../core/acls.js'

export const aclResourceFlags = {
  topic: Flags.string({description: 'a topic (with --pattern prefixed: every topic starting with it; * is every topic)', helpValue: 'NAME'}),
  group: Flags.string({description: 'a consumer group', helpValue: 'NAME'}),
  'transactional-id': Flags.string({description: 'a transactional id', helpValue: 'ID'}),
  cluster: Flags.boolean({description: 'the cluster resource (IdempotentWrite, Create, Describe, Alter, ...)'}),
}

export const aclFilterFlags = {
  ...aclResourceFlags,
  principal: Flags.string({description: 'the principal, TYPE:NAME (User:alice)', helpValue: 'User:NAME'}),
  operation: Flags.string({description: 'operations, comma-separated or repeated: read, write, describe, idempotent-write, ...', multiple: true, helpValue: 'OP'}),
  permission: Flags.string({description: 'allow or deny (default: both)', options: ['allow', 'deny']}),
  host: Flags.string({description: 'the host the ACL applies to (* is every host)', helpValue: 'HOST'}),
}

export interface AclFilterFlagValues {
  topic?: string
  group?: string
  'transactional-id'?: string
  cluster?: boolean
  principal?: string
  operation?: string[]
  permission?: string
  host?: string
  pattern?: string
}

/** A list/delete filter: one operation at most (Kafka filters take one), `pattern` defaulting as the command says. */
export function aclFilterFromFlags(flags: AclFilterFlagValues, defaultPattern: AclPatternFilter): AclFilter {
  const resource = aclResourceFromFlags(flags, {required: false})
  const ops = parseAclOperations(flags.operation ?? [])
  return {
    principal: flags.principal === undefined ? undefined : parsePrincipal(flags.principal),
    host: flags.host,
    resourceType: resource?.resourceType,
    resourceName: resource?.resourceName,
    patternType: (flags.pattern as AclPatternFilter | undefined) ?? defaultPattern,
    operations: ops,
    permission: flags.permission as AclPermission | undefined,
  }
}
