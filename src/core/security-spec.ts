/**
 * The security part of topics.yaml: `acls:`, `users:`, `quotas:` and the managed scope of each
 * (`managed.principals`, `managed.users`, `managed.quotas`). Read from the parsed data after the
 * schema check; every value the schema cannot judge (operations, resource types, principals,
 * quota values) is checked here and reported on its own node. Pure: passwords are only named
 * (env var or file), never read here.
 *
 * Roles are expanded into plain bindings here, so plan, lint and apply see one kind of ACL:
 * - producer of a topic (or prefix): Write + Describe on it, IdempotentWrite on the cluster
 *   (kafkajs and the Java client are idempotent by default: InitProducerId needs it);
 * - consumer: Read + Describe on the topic (or prefix), Read on its group.
 */
import {
  type AclBinding,
  type AclOperation,
  type AclPatternType,
  type AclResourceType,
  kafkaOperationName,
  kafkaResourceTypeName,
  OPERATIONS_OF,
  parseAclOperation,
  parseAclResourceType,
  parsePrincipal,
} from './acls.js'
import {parseQuotaValue, QUOTA_KEYS, type QuotaComponent, type QuotaKey} from './quotas.js'

export interface SpecLocation {
  line: number
  col: number
}

/** What the spec parser hands over: report a problem on a node, locate a node. */
export interface SpecReader {
  report(severity: 'error' | 'warning', path: Array<string | number>, message: string, options?: {key?: boolean}): void
  locate(path: Array<string | number>): SpecLocation
}

export interface DeclaredAcl extends AclBinding {
  /** The entry under `acls:` it comes from. */
  readonly location: SpecLocation
  /** Set when it comes from a role's expansion. */
  readonly role?: 'producer' | 'consumer'
}

export type ScramMechanismWire = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'
export const SCRAM_MECHANISMS: readonly ScramMechanismWire[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512']
/** What kafkit writes when the file does not say (as `kafkit users create`). */
export const DEFAULT_SCRAM_ITERATIONS = 8192

export interface DeclaredUser {
  readonly name: string
  readonly mechanism: ScramMechanismWire
  /** Undefined: any iteration count the live credential has is in sync; DEFAULT_SCRAM_ITERATIONS on create. */
  readonly iterations?: number
  readonly password: {readonly env: string} | {readonly file: string}
  readonly location: SpecLocation
}

export interface DeclaredQuota {
  readonly entity: QuotaComponent[]
  readonly values: Partial<Record<QuotaKey, number>>
  readonly location: SpecLocation
  /** Where each key is written (lint points there). */
  readonly keyLocations: Partial<Record<QuotaKey, SpecLocation>>
}

/** A quota entity pattern of managed.quotas: each component it names must equal the entity's. */
export interface ManagedQuotaPattern {
  readonly user?: string | null
  readonly clientId?: string | null
}

export interface SecuritySpec {
  /** Expanded, without duplicates, in file order. */
  readonly acls: DeclaredAcl[]
  readonly users: DeclaredUser[]
  readonly quotas: DeclaredQuota[]
  readonly managed: {readonly principals: string[]; readonly users: string[]; readonly quotas: ManagedQuotaPattern[]}
  /** Which parts the plan must read from the cluster (a file without ACLs never calls DescribeAcls). */
  readonly reads: {readonly acls: boolean; readonly users: boolean; readonly quotas: boolean}
}

type Path = Array<string | number>

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const errorMessage = (error: unknown) => (error as Error).message
/** The cluster resource's only name. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster'
export const DEFAULT_ENTITY = '<default>'

/**
 * Where a node is, worked out when first read: the fast reader of a large file knows only where
 * topics are, and asking it for anything else parses the whole file with the yaml library (about
 * half a second at 10,000 topics). Only a change to show or a problem to report reads it.
 */
function lazyLocation(reader: SpecReader, path: Path): SpecLocation {
  let at: SpecLocation | undefined
  const get = () => (at ??= reader.locate(path))
  return {
    get line() {
      return get().line
    },
    get col() {
      return get().col
    },
  }
}

function readPrincipal(reader: SpecReader, raw: unknown, path: Path): string | undefined {
  if (typeof raw !== 'string') return undefined // reported by the schema
  try {
    const principal = parsePrincipal(raw)
    const type = principal.slice(0, principal.indexOf(':'))
    // Kafka compares the type exactly: an ACL for user:alice never matches anyone.
    if (type !== 'User' && type.toLowerCase() === 'user') {
      reader.report('error', path, `${where(path)}: principal "${raw}": the type is "User" (did you mean "User${principal.slice(type.length)}"?); Kafka matches it exactly`)
      return undefined
    }
    return principal
  } catch (error) {
    reader.report('error', path, `${where(path)}: ${errorMessage(error)}`)
    return undefined
  }
}

const where = (path: Path) => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')

function readPattern(raw: unknown): AclPatternType {
  return raw === 'prefixed' ? 'prefixed' : 'literal'
}

/** A role's topic: `producer: orders.created` or `producer: {topic: orders., pattern: prefixed}`. */
function roleTarget(raw: unknown): {topic?: string; pattern: AclPatternType; group?: string; groupPattern: AclPatternType} {
  if (typeof raw === 'string') return {topic: raw, pattern: 'literal', groupPattern: 'literal'}
  if (!isRecord(raw)) return {pattern: 'literal', groupPattern: 'literal'}
  return {
    ...(typeof raw.topic === 'string' ? {topic: raw.topic} : {}),
    pattern: readPattern(raw.pattern),
    ...(typeof raw.group === 'string' ? {group: raw.group} : {}),
    groupPattern: readPattern(raw.groupPattern),
  }
}

function readAcls(reader: SpecReader, raw: unknown): DeclaredAcl[] {
  if (!Array.isArray(raw)) return []
  const out: DeclaredAcl[] = []
  const seen = new Set<string>()
  raw.forEach((entry: unknown, index) => {
    const path: Path = ['acls', index]
    if (!isRecord(entry)) return
    const principal = readPrincipal(reader, entry.principal, [...path, 'principal'])
    const forms = ['producer', 'consumer', 'resource'].filter((k) => k in entry)
    if (forms.length !== 1) {
      reader.report('error', path, `${where(path)}: give exactly one of producer, consumer or resource (with operations)${forms.length > 1 ? `, not ${forms.join(' and ')}` : ''}`)
      return
    }
    const host = typeof entry.host === 'string' ? entry.host : '*'
    const location = lazyLocation(reader, path)
    const add = (b: Omit<DeclaredAcl, 'location' | 'principal' | 'host'>) => {
      if (principal === undefined) return
      const binding: DeclaredAcl = {principal, host, ...b, location}
      const key = [principal, host, b.resourceType, b.resourceName, b.patternType, b.operation, b.permission].join('\u0000')
      if (seen.has(key)) return
      seen.add(key)
      out.push(binding)
    }
    if ('operations' in entry && forms[0] !== 'resource') {
      reader.report('error', [...path, 'operations'], `${where(path)}: operations go with resource; the ${forms[0]} role has its own`, {key: true})
      return
    }
    if (forms[0] === 'producer' || forms[0] === 'consumer') {
      const role = forms[0] as 'producer' | 'consumer'
      const target = roleTarget(entry[role])
      if (target.topic === undefined) {
        reader.report('error', [...path, role], `${where(path)}.${role}: name the topic (${role}: NAME, or ${role}: {topic: PREFIX, pattern: prefixed})`)
        return
      }
      if (role === 'consumer' && target.group === undefined) {
        reader.report('error', [...path, role], `${where(path)}.consumer: name its group (consumer: {topic: ${target.topic}, group: NAME}); a consumer without Read on its group cannot commit or join`)
        return
      }
      const topic = {resourceType: 'topic' as const, resourceName: target.topic, patternType: target.pattern, permission: 'allow' as const, role}
      if (role === 'producer') {
        add({...topic, operation: 'write'})
        add({...topic, operation: 'describe'})
        add({resourceType: 'cluster', resourceName: CLUSTER_RESOURCE_NAME, patternType: 'literal', operation: 'idempotent-write', permission: 'allow', role})
      } else {
        add({...topic, operation: 'read'})
        add({...topic, operation: 'describe'})
        add({resourceType: 'group', resourceName: target.group as string, patternType: target.groupPattern, operation: 'read', permission: 'allow', role})
      }
      return
    }
    // resource: {type, name, pattern} + operations + permission
    const resource = isRecord(entry.resource) ? entry.resource : {}
    let resourceType: AclResourceType | undefined
    if (typeof resource.type === 'string') {
      try {
        resourceType = parseAclResourceType(resource.type)
      } catch (error) {
        reader.report('error', [...path, 'resource', 'type'], `${where(path)}.resource.type: ${errorMessage(error)}`)
      }
    }
    const patternType = readPattern(resource.pattern)
    let resourceName = typeof resource.name === 'string' ? resource.name : undefined
    if (resourceType === 'cluster') {
      if (patternType === 'prefixed') reader.report('error', [...path, 'resource', 'pattern'], `${where(path)}.resource: the cluster resource takes no prefixed pattern`)
      if (resourceName !== undefined && resourceName !== CLUSTER_RESOURCE_NAME) {
        reader.report('error', [...path, 'resource', 'name'], `${where(path)}.resource: the cluster resource's only name is ${CLUSTER_RESOURCE_NAME} (leave name out)`)
      }
      resourceName = CLUSTER_RESOURCE_NAME
    } else if (resourceType !== undefined && resourceName === undefined) {
      reader.report('error', [...path, 'resource'], `${where(path)}.resource: name the ${kafkaResourceTypeName(resourceType)} (name: NAME; "*" for every one)`)
    }
    const rawOps = Array.isArray(entry.operations) ? entry.operations : typeof entry.operations === 'string' ? [entry.operations] : []
    if (!('operations' in entry)) reader.report('error', path, `${where(path)}: missing "operations" (e.g. operations: [read, describe])`)
    const operations: AclOperation[] = []
    rawOps.forEach((op: unknown, i) => {
      if (typeof op !== 'string') return
      const opPath = Array.isArray(entry.operations) ? [...path, 'operations', i] : [...path, 'operations']
      try {
        const parsed = parseAclOperation(op)
        if (resourceType !== undefined && !OPERATIONS_OF[resourceType].includes(parsed)) {
          reader.report('error', opPath, `${where(path)}: ${kafkaResourceTypeName(resourceType)} does not take ${kafkaOperationName(parsed)}; it takes ${OPERATIONS_OF[resourceType].map(kafkaOperationName).join(', ')}`)
        } else {
          operations.push(parsed)
        }
      } catch (error) {
        reader.report('error', opPath, `${where(path)}: ${errorMessage(error)}`)
      }
    })
    const permission = entry.permission === 'deny' ? 'deny' : 'allow'
    if (resourceType === undefined || resourceName === undefined) return
    for (const operation of operations) add({resourceType, resourceName, patternType, operation, permission})
  })
  return out
}

function readUsers(reader: SpecReader, raw: unknown): DeclaredUser[] {
  if (!Array.isArray(raw)) return []
  const out: DeclaredUser[] = []
  const first = new Map<string, number>()
  raw.forEach((entry: unknown, index) => {
    const path: Path = ['users', index]
    if (!isRecord(entry) || typeof entry.name !== 'string') return
    const name = entry.name
    const mechanism = (SCRAM_MECHANISMS.find((m) => m.toLowerCase() === String(entry.mechanism ?? 'SCRAM-SHA-512').toLowerCase()) ?? 'SCRAM-SHA-512')
    const key = `${name}\u0000${mechanism}`
    const earlier = first.get(key)
    if (earlier !== undefined) {
      reader.report('error', [...path, 'name'], `user "${name}" (${mechanism}) is declared twice (first at line ${reader.locate(['users', earlier]).line})`)
      return
    }
    first.set(key, index)
    const hasEnv = typeof entry.passwordEnv === 'string'
    const hasFile = typeof entry.passwordFile === 'string'
    if (hasEnv === hasFile) {
      reader.report('error', path, `user "${name}": give exactly one of passwordEnv: VAR or passwordFile: PATH (a password is never written in the file)`)
      return
    }
    const iterations = typeof entry.iterations === 'number' ? entry.iterations : undefined
    out.push({
      name,
      mechanism,
      ...(iterations === undefined ? {} : {iterations}),
      password: hasEnv ? {env: entry.passwordEnv as string} : {file: entry.passwordFile as string},
      location: lazyLocation(reader, path),
    })
  })
  return out
}

function entityOf(raw: Record<string, unknown>): QuotaComponent[] {
  const entity: QuotaComponent[] = []
  if (typeof raw.user === 'string') entity.push({type: 'user', name: raw.user === DEFAULT_ENTITY ? null : raw.user})
  if (typeof raw.clientId === 'string') entity.push({type: 'client-id', name: raw.clientId === DEFAULT_ENTITY ? null : raw.clientId})
  return entity
}

/** `user=alice`, `user=alice, client-id=app`, `client-id=<default>`. */
export function quotaEntityLabel(entity: readonly QuotaComponent[]): string {
  const order = (c: QuotaComponent) => (c.type === 'user' ? 0 : 1)
  return [...entity].sort((a, b) => order(a) - order(b)).map((c) => `${c.type}=${c.name ?? DEFAULT_ENTITY}`).join(', ')
}

function readQuotas(reader: SpecReader, raw: unknown): DeclaredQuota[] {
  if (!Array.isArray(raw)) return []
  const out: DeclaredQuota[] = []
  const first = new Map<string, number>()
  raw.forEach((entry: unknown, index) => {
    const path: Path = ['quotas', index]
    if (!isRecord(entry)) return
    const entity = entityOf(entry)
    if (entity.length === 0) {
      reader.report('error', path, `${where(path)}: name the entity: user: NAME, clientId: ID, both, or '${DEFAULT_ENTITY}' for the default`)
      return
    }
    const label = quotaEntityLabel(entity)
    const earlier = first.get(label)
    if (earlier !== undefined) {
      reader.report('error', path, `quota of ${label} is declared twice (first at line ${reader.locate(['quotas', earlier]).line})`)
      return
    }
    first.set(label, index)
    const values: Partial<Record<QuotaKey, number>> = {}
    const keyLocations: Partial<Record<QuotaKey, SpecLocation>> = {}
    for (const key of QUOTA_KEYS) {
      const value = entry[key]
      if (value === undefined || value === null) continue
      if (typeof value !== 'number' && typeof value !== 'string') continue // reported by the schema
      try {
        // A number is the value itself (Kafka keeps doubles: 1048576.5 stays); a string may have units.
        const parsed = typeof value === 'number' ? value : parseQuotaValue(key, value)
        if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${key}=${value}: must be a number, not negative`)
        // Kafka refuses a fractional byte rate ("producer_byte_rate cannot be a fractional value").
        if (key.endsWith('_byte_rate') && !Number.isInteger(parsed)) throw new Error(`${key}=${value}: a byte rate is a whole number of bytes per second`)
        values[key] = parsed
        keyLocations[key] = lazyLocation(reader, [...path, key])
      } catch (error) {
        reader.report('error', [...path, key], `quota of ${label}: ${errorMessage(error)}`)
      }
    }
    if (Object.keys(entry).every((k) => k === 'user' || k === 'clientId')) {
      reader.report('error', path, `quota of ${label}: set at least one of ${QUOTA_KEYS.join(', ')}`)
      return
    }
    out.push({entity, values, location: lazyLocation(reader, path), keyLocations})
  })
  return out
}

/**
 * The security sections of the file, or undefined when it has none (a topics-only file plans
 * and applies exactly as before, without reading ACLs, users or quotas).
 */
export function readSecuritySpec(reader: SpecReader, root: Record<string, unknown>): SecuritySpec | undefined {
  const managedRaw = isRecord(root.managed) ? root.managed : {}
  const has = (key: string) => key in root && root[key] !== null
  const hasManaged = (key: string) => Array.isArray(managedRaw[key]) && (managedRaw[key] as unknown[]).length > 0
  if (!has('acls') && !has('users') && !has('quotas') && !hasManaged('principals') && !hasManaged('users') && !hasManaged('quotas')) return undefined

  const principals: string[] = []
  if (Array.isArray(managedRaw.principals)) {
    managedRaw.principals.forEach((p: unknown, i) => {
      const principal = readPrincipal(reader, p, ['managed', 'principals', i])
      if (principal !== undefined) principals.push(principal)
    })
  }
  const users = Array.isArray(managedRaw.users) ? managedRaw.users.filter((u): u is string => typeof u === 'string' && u !== '') : []
  const quotas: ManagedQuotaPattern[] = []
  if (Array.isArray(managedRaw.quotas)) {
    for (const q of managedRaw.quotas) {
      if (!isRecord(q)) continue
      const pattern: {user?: string | null; clientId?: string | null} = {}
      if (typeof q.user === 'string') pattern.user = q.user === DEFAULT_ENTITY ? null : q.user
      if (typeof q.clientId === 'string') pattern.clientId = q.clientId === DEFAULT_ENTITY ? null : q.clientId
      quotas.push(pattern)
    }
  }
  const acls = readAcls(reader, root.acls)
  const declaredUsers = readUsers(reader, root.users)
  const declaredQuotas = readQuotas(reader, root.quotas)
  return {
    acls,
    users: declaredUsers,
    quotas: declaredQuotas,
    managed: {principals, users, quotas},
    reads: {
      acls: has('acls') || principals.length > 0,
      users: has('users') || users.length > 0,
      quotas: has('quotas') || quotas.length > 0,
    },
  }
}

/** Whether a live quota entity falls under managed.quotas. */
export function isManagedQuotaEntity(entity: readonly QuotaComponent[], patterns: readonly ManagedQuotaPattern[]): boolean {
  const component = (type: QuotaComponent['type']) => entity.find((c) => c.type === type)
  return patterns.some((p) => {
    if (p.user === undefined && p.clientId === undefined) return false
    const user = component('user')
    const client = component('client-id')
    if (p.user !== undefined && (user === undefined || user.name !== p.user)) return false
    if (p.clientId !== undefined && (client === undefined || client.name !== p.clientId)) return false
    return true
  })
}
