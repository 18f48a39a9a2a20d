/**
 * ACLs through kafkajs's admin (DescribeAcls, CreateAcls, DeleteAcls v1, which kafkajs sends to
 * the controller; in KRaft a broker forwards them). kafkit's names (core/acls.ts) are mapped to
 * Kafka's protocol codes here; nothing of kafkajs leaves this module.
 */
import type {AclBinding, AclFilter, AclOperation, AclPatternFilter, AclResourceType} from '../core/acls.js'
import type {KafkaConnection} from './connection.js'

// Kafka's protocol codes (org.apache.kafka.common.acl / resource), as kafkajs's enums number them.
const RESOURCE_CODE: Record<AclResourceType | 'any', number> = {any: 1, topic: 2, group: 3, cluster: 4, 'transactional-id': 5}
const OPERATION_CODE: Record<AclOperation | 'any', number> = {
  any: 1,
  all: 2,
  read: 3,
  write: 4,
  create: 5,
  delete: 6,
  alter: 7,
  describe: 8,
  'cluster-action': 9,
  'describe-configs': 10,
  'alter-configs': 11,
  'idempotent-write': 12,
}
const PERMISSION_CODE = {any: 1, deny: 2, allow: 3} as const
const PATTERN_CODE: Record<AclPatternFilter, number> = {any: 1, match: 2, literal: 3, prefixed: 4}

const nameOf = <K extends string>(table: Record<K, number>, code: number): K | undefined => (Object.keys(table) as K[]).find((k) => table[k] === code)

interface WireAcl {
  resourceType: number
  resourceName: string
  resourcePatternType: number
  principal: string
  host: string
  operation: number
  permissionType: number
}

const toWire = (b: AclBinding): WireAcl => ({
  resourceType: RESOURCE_CODE[b.resourceType],
  resourceName: b.resourceName,
  resourcePatternType: PATTERN_CODE[b.patternType],
  principal: b.principal,
  host: b.host,
  operation: OPERATION_CODE[b.operation],
  permissionType: PERMISSION_CODE[b.permission],
})

/** An ACL the broker holds with a type or operation kafkit does not name (delegation token, ...) is left out. */
function fromWire(w: WireAcl): AclBinding | undefined {
  const resourceType = nameOf(RESOURCE_CODE, w.resourceType)
  const operation = nameOf(OPERATION_CODE, w.operation)
  const patternType = nameOf(PATTERN_CODE, w.resourcePatternType)
  const permission = nameOf(PERMISSION_CODE, w.permissionType)
  if (!resourceType || resourceType === 'any' || !operation || operation === 'any' || (patternType !== 'literal' && patternType !== 'prefixed') || !permission || permission === 'any') return undefined
  return {principal: w.principal, host: w.host, resourceType, resourceName: w.resourceName, patternType, operation, permission}
}

const filterToWire = (f: AclFilter) => ({
  resourceType: RESOURCE_CODE[f.resourceType ?? 'any'],
  resourceName: f.resourceName,
  resourcePatternType: PATTERN_CODE[f.patternType],
  principal: f.principal,
  host: f.host,
  operation: OPERATION_CODE[f.operations?.length === 1 ? f.operations[0] : 'any'],
  permissionType: PERMISSION_CODE[f.permission ?? 'any'],
})

/** Every ACL matching the filter: one DescribeAcls request (several operations: any operation asked, the others left out here). */
export async function describeAcls(conn: KafkaConnection, filter: AclFilter): Promise<AclBinding[]> {
  const admin = await conn.admin()
  const res = await conn.run('describe ACLs', () => admin.describeAcls(filterToWire(filter) as any))
  const ops = new Set(filter.operations ?? [])
  return res.resources
    .flatMap((r) => r.acls.map((a) => fromWire({...r, ...a} as WireAcl)))
    .filter((b): b is AclBinding => b !== undefined && (ops.size === 0 || ops.has(b.operation)))
}

/** Creates the bindings in one CreateAcls request (the broker refuses all of it or takes all). */
export async function createAcls(conn: KafkaConnection, bindings: readonly AclBinding[]): Promise<void> {
  if (bindings.length === 0) return
  const admin = await conn.admin()
  await conn.run('create ACLs', () => admin.createAcls({acl: bindings.map(toWire) as any}))
}

/** Deletes exactly these bindings (each as an exact filter) in one DeleteAcls request; the ones deleted. */
export async function deleteAcls(conn: KafkaConnection, bindings: readonly AclBinding[]): Promise<AclBinding[]> {
  if (bindings.length === 0) return []
  const admin = await conn.admin()
  const res = await conn.run('delete ACLs', () => admin.deleteAcls({filters: bindings.map(toWire) as any}))
  return res.filterResponses.flatMap((r) => r.matchingAcls.map((m) => fromWire(m as WireAcl))).filter((b): b is AclBinding => b !== undefined)
}
