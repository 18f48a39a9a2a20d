/**
 * ACLs as kafkit speaks them: principals (User:alice), resources (topic, group, cluster,
 * transactional-id) with a literal or prefixed pattern, operations and allow/deny. Parsing of what
 * the user typed, the operations each resource type takes (as Kafka's AclCommand checks them),
 * and the create/delete plans. Pure: no client, no I/O.
 */
import {didYouMean} from './did-you-mean.js'
import {KafkitError} from '../errors.js'

export const ACL_RESOURCE_TYPES = ['topic', 'group', 'cluster', 'transactional-id'] as const
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number]

export const ACL_OPERATIONS = [
  'all',
  'read',
  'write',
  'create',
  'delete',
  'alter',
  'describe',
  'cluster-action',
  'describe-configs',
  'alter-configs',
  'idempotent-write',
] as const
export type AclOperation = (typeof ACL_OPERATIONS)[number]

export type AclPermission = 'allow' | 'deny'
export type AclPatternType = 'literal' | 'prefixed'
/** Filters also take `any` (exactly this name, literal or prefixed) and `match` (every ACL that applies to the name). */
export type AclPatternFilter = AclPatternType | 'any' | 'match'

/** One ACL binding: a principal may (or may not) do one operation on a resource pattern from a host. */
export interface AclBinding {
  readonly principal: string
  readonly host: string
  readonly resourceType: AclResourceType
  readonly resourceName: string
  readonly patternType: AclPatternType
  readonly operation: AclOperation
  readonly permission: AclPermission
}

/** Which ACLs to list or delete: an absent field matches anything. */
export interface AclFilter {
  readonly principal?: string
  readonly host?: string
  readonly resourceType?: AclResourceType
  readonly resourceName?: string
  readonly patternType: AclPatternFilter
  /** Any of these operations (absent or empty: any operation). */
  readonly operations?: readonly AclOperation[]
  readonly permission?: AclPermission
}

/** The operations Kafka's AclCommand accepts per resource type (the broker itself checks less). */
export const OPERATIONS_OF: Record<AclResourceType, readonly AclOperation[]> = {
  topic: ['read', 'write', 'create', 'describe', 'delete', 'describe-configs', 'alter-configs', 'all'],
  group: ['read', 'describe', 'delete', 'all'],
  cluster: ['create', 'cluster-action', 'describe-configs', 'alter-configs', 'idempotent-write', 'alter', 'describe', 'all'],
  'transactional-id': ['describe', 'write', 'all'],
}

/** Kafka's spelling of an operation (AclCommand, kafka-acls --list): Read, IdempotentWrite, ... */
export function kafkaOperationName(op: AclOperation): string {
  return op
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')
}

/** Kafka's spelling of a resource type: Topic, Group, Cluster, TransactionalId. */
export function kafkaResourceTypeName(type: AclResourceType): string {
  return kafkaOperationName(type as AclOperation)
}

const invalid = (message: string) => new KafkitError(message, {code: 'INVALID_ACL'})
const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '')

/** `read`, `Read`, `IdempotentWrite`, `idempotent-write`, `DESCRIBE_CONFIGS`: one operation. */
export function parseAclOperation(text: string): AclOperation {
  const found = ACL_OPERATIONS.find((op) => squash(op) === squash(text))
  if (!found) throw invalid(`unknown ACL operation "${text}"${didYouMean(text, ACL_OPERATIONS)}; one of ${ACL_OPERATIONS.join(', ')}`)
  return found
}

/** Operations from repeated and comma-separated flags, without duplicates, in the order given. */
export function parseAclOperations(values: readonly string[]): AclOperation[] {
  const ops = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean).map(parseAclOperation)
  return [...new Set(ops)]
}

export function parseAclResourceType(text: string): AclResourceType {
  const found = ACL_RESOURCE_TYPES.find((t) => squash(t) === squash(text))
  if (!found) throw invalid(`unknown ACL resource type "${text}"${didYouMean(text, ACL_RESOURCE_TYPES)}; one of ${ACL_RESOURCE_TYPES.join(', ')}`)
  return found
}

/**
 * `User:alice` (the type, a colon, a name; `User:*` is every user). A bare name is refused rather
 * than guessed: the broker would store it and it would never match anyone.
 */
export function parsePrincipal(text: string): string {
  const m = /^([A-Za-z][\w-]*):(.+)$/.exec(text.trim())
  if (!m || /\s/.test(m[2])) {
    throw invalid(`malformed principal "${text}": expected TYPE:NAME, e.g. User:alice (User:* for every user)`)
  }
  return `${m[1]}:${m[2]}`
}

/** Every binding of `create`: each principal × each operation on the one resource; wrong operations for the type refused. */
export function aclBindingsToCreate(spec: {
  principals: readonly string[]
  operations: readonly AclOperation[]
  resourceType: AclResourceType
  resourceName: string
  patternType: AclPatternType
  permission: AclPermission
  host: string
}): AclBinding[] {
  if (spec.principals.length === 0) throw invalid('name the principal: --principal User:NAME')
  if (spec.operations.length === 0) throw invalid('name the operations: --operation read,describe (or repeat --operation)')
  const allowed = OPERATIONS_OF[spec.resourceType]
  const wrong = spec.operations.filter((op) => !allowed.includes(op))
  if (wrong.length > 0) {
    throw invalid(`${kafkaResourceTypeName(spec.resourceType)} does not take ${wrong.map(kafkaOperationName).join(', ')}; it takes ${allowed.map(kafkaOperationName).join(', ')}`)
  }
  if (spec.resourceType === 'cluster' && spec.patternType === 'prefixed') throw invalid('the cluster resource takes no prefixed pattern')
  return spec.principals.flatMap((principal) =>
    spec.operations.map((operation) => ({
      principal,
      host: spec.host,
      resourceType: spec.resourceType,
      resourceName: spec.resourceName,
      patternType: spec.patternType,
      operation,
      permission: spec.permission,
    })),
  )
}

export function aclKey(b: AclBinding): string {
  return [b.principal, b.host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission].join('\u0000')
}

export interface AclCreatePlan {
  /** Bindings the cluster does not have yet. */
  readonly create: AclBinding[]
  /** Bindings it already has (nothing to do). */
  readonly existing: AclBinding[]
}

/** What create changes: the requested bindings split by whether the cluster already has each. */
export function planAclCreate(wanted: readonly AclBinding[], live: readonly AclBinding[]): AclCreatePlan {
  const have = new Set(live.map(aclKey))
  return {create: wanted.filter((b) => !have.has(aclKey(b))), existing: wanted.filter((b) => have.has(aclKey(b)))}
}

/** Order for display: principal, resource type, name, pattern, permission, operation. */
export function sortAcls(acls: readonly AclBinding[]): AclBinding[] {
  const opIndex = (op: AclOperation) => ACL_OPERATIONS.indexOf(op)
  return [...acls].sort(
    (a, b) =>
      a.principal.localeCompare(b.principal) ||
      ACL_RESOURCE_TYPES.indexOf(a.resourceType) - ACL_RESOURCE_TYPES.indexOf(b.resourceType) ||
      a.resourceName.localeCompare(b.resourceName) ||
      a.patternType.localeCompare(b.patternType) ||
      a.permission.localeCompare(b.permission) ||
      opIndex(a.operation) - opIndex(b.operation) ||
      a.host.localeCompare(b.host),
  )
}

/** True when a filter names nothing: delete refuses it (it would remove every ACL of the cluster). */
export function isEmptyAclFilter(f: AclFilter): boolean {
  return f.principal === undefined && f.resourceType === undefined && (f.operations ?? []).length === 0 && f.host === undefined
}
