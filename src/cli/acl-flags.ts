/** The flags of `kafkit acls list | create | delete`, and the core filter/binding they describe. */
import {Flags} from '@oclif/core'

import {type AclFilter, type AclPatternFilter, type AclPermission, type AclResourceType, parseAclOperations, parsePrincipal} from '../core/acls.js'
import {KafkitError} from '../errors.js'

const invalid = (message: string) => new KafkitError(message, {code: 'INVALID_ACL'})

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

/** The resource named by exactly one (create) or at most one (filters) of the resource flags. */
export function aclResourceFromFlags(
  flags: {topic?: string; group?: string; 'transactional-id'?: string; cluster?: boolean},
  opts: {required: boolean},
): {resourceType: AclResourceType; resourceName: string} | undefined {
  const given: {resourceType: AclResourceType; resourceName: string}[] = []
  if (flags.topic !== undefined) given.push({resourceType: 'topic', resourceName: flags.topic})
  if (flags.group !== undefined) given.push({resourceType: 'group', resourceName: flags.group})
  if (flags['transactional-id'] !== undefined) given.push({resourceType: 'transactional-id', resourceName: flags['transactional-id']})
  if (flags.cluster) given.push({resourceType: 'cluster', resourceName: 'kafka-cluster'})
  if (given.length > 1) throw invalid('name one resource: --topic, --group, --transactional-id or --cluster')
  for (const g of given) if (g.resourceName.trim() === '') throw invalid(`an empty --${g.resourceType} name`)
  if (given.length === 0 && opts.required) throw invalid('name the resource: --topic NAME, --group NAME, --transactional-id NAME or --cluster')
  return given[0]
}
