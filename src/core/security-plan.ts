/**
 * Declared ACLs, SCRAM users and client quotas (security-spec.ts) + what the cluster has → the
 * changes that make it match. Pure and deterministic.
 *
 * - ACLs compare as sets of bindings (principal, host, resource type, name, pattern, operation,
 *   permission): one that exists is in sync, whatever order or request it was created in. A live
 *   ACL the file does not declare is unmanaged (listed, left alone) unless --prune and its
 *   principal is under managed.principals.
 * - Users: a credential is (user, mechanism). A SCRAM credential cannot be compared with a
 *   password (it is salted and hashed), so a declared credential is created when missing, updated
 *   when its iteration count differs from the declared one, or on request (--update-passwords),
 *   and otherwise in sync. Undeclared credentials are deleted only with --prune for users under
 *   managed.users.
 * - Quotas compare on values: a declared key equal to the live value is in sync. A declared
 *   entity's live keys that the file does not declare are removed (the file is the truth for that
 *   entity, like a topic's config overrides); undeclared entities are unmanaged unless --prune and
 *   managed.quotas matches them.
 */
import {type AclBinding, aclKey, sortAcls} from './acls.js'
import {QUOTA_KEYS, type QuotaComponent} from './quotas.js'
import {DEFAULT_SCRAM_ITERATIONS, type DeclaredAcl, isManagedQuotaEntity, quotaEntityLabel, type ScramMechanismWire, type SecuritySpec, type SpecLocation} from './security-spec.js'

export interface LiveScramUser {
  user: string
  credentials: {mechanism: string; iterations: number}[]
}

export interface LiveQuota {
  entity: QuotaComponent[]
  values: Record<string, number>
}

/** What the plan read; a part the file does not need is undefined (never asked of the cluster). */
export interface LiveSecurity {
  acls?: AclBinding[]
  users?: LiveScramUser[]
  quotas?: LiveQuota[]
}

export interface QuotaEntryChange {
  key: string
  from: number | null
  /** null: removed. */
  to: number | null
}

export type SecurityChange =
  | {kind: 'acl-create'; binding: AclBinding; role?: 'producer' | 'consumer'; location: SpecLocation}
  | {kind: 'acl-delete'; binding: AclBinding}
  | {kind: 'user-create'; user: string; mechanism: ScramMechanismWire; iterations: number; location: SpecLocation}
  | {kind: 'user-update'; user: string; mechanism: ScramMechanismWire; iterations: number; reason: string; location: SpecLocation}
  | {kind: 'user-delete'; user: string; mechanism: string}
  | {kind: 'quota'; entity: QuotaComponent[]; label: string; entries: QuotaEntryChange[]; location?: SpecLocation}

export type SecurityChangeKind = SecurityChange['kind']

export interface SecurityPlan {
  /** Users, then ACLs to create, quotas, ACLs to delete, users to delete (the order apply runs). */
  changes: SecurityChange[]
  /** Live, not in the file, left alone. */
  unmanaged: {acls: AclBinding[]; users: string[]; quotas: string[]}
  inSync: {acls: number; users: number; quotas: number}
}

export interface SecuritySummary {
  aclsToCreate: number
  aclsToDelete: number
  usersToCreate: number
  usersToUpdate: number
  usersToDelete: number
  quotasToChange: number
  inSync: number
}

export interface SecurityPlanOptions {
  prune: boolean
  /** Rewrite every declared credential from its password (the only way to roll a password). */
  updatePasswords: boolean
}

export function planSecurityChanges(spec: SecuritySpec, live: LiveSecurity, options: SecurityPlanOptions): SecurityPlan {
  const plan: SecurityPlan = {changes: [], unmanaged: {acls: [], users: [], quotas: []}, inSync: {acls: 0, users: 0, quotas: 0}}
  const aclDeletes: SecurityChange[] = []
  const userDeletes: SecurityChange[] = []

  // Users.
  if (live.users !== undefined) {
    const liveCreds = new Map<string, number>()
    for (const u of live.users) for (const c of u.credentials) liveCreds.set(`${u.user}\u0000${c.mechanism}`, c.iterations)
    const declared = new Set<string>()
    for (const u of spec.users) {
      const key = `${u.name}\u0000${u.mechanism}`
      declared.add(key)
      const iterations = liveCreds.get(key)
      if (iterations === undefined) {
        plan.changes.push({kind: 'user-create', user: u.name, mechanism: u.mechanism, iterations: u.iterations ?? DEFAULT_SCRAM_ITERATIONS, location: u.location})
      } else if (u.iterations !== undefined && u.iterations !== iterations) {
        plan.changes.push({kind: 'user-update', user: u.name, mechanism: u.mechanism, iterations: u.iterations, reason: `iterations ${iterations} → ${u.iterations}`, location: u.location})
      } else if (options.updatePasswords) {
        plan.changes.push({kind: 'user-update', user: u.name, mechanism: u.mechanism, iterations: u.iterations ?? iterations, reason: '--update-passwords', location: u.location})
      } else {
        plan.inSync.users++
      }
    }
    const managed = new Set(spec.managed.users)
    const unmanaged = new Set<string>()
    for (const u of [...live.users].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))) {
      for (const c of u.credentials) {
        if (declared.has(`${u.user}\u0000${c.mechanism}`)) continue
        if (options.prune && managed.has(u.user)) userDeletes.push({kind: 'user-delete', user: u.user, mechanism: c.mechanism})
        else unmanaged.add(u.user)
      }
    }
    plan.unmanaged.users = [...unmanaged]
  }

  // ACLs.
  if (live.acls !== undefined) {
    const have = new Set(live.acls.map(aclKey))
    const wanted = new Set<string>()
    const creates: DeclaredAcl[] = []
    for (const acl of spec.acls) {
      const key = aclKey(acl)
      wanted.add(key)
      if (have.has(key)) plan.inSync.acls++
      else creates.push(acl)
    }
    for (const acl of sortAcls(creates) as DeclaredAcl[]) {
      plan.changes.push({kind: 'acl-create', binding: bindingOf(acl), ...(acl.role ? {role: acl.role} : {}), location: acl.location})
    }
    const managed = new Set(spec.managed.principals)
    const extra = sortAcls(live.acls.filter((b) => !wanted.has(aclKey(b))))
    for (const b of extra) {
      if (options.prune && managed.has(b.principal)) aclDeletes.push({kind: 'acl-delete', binding: bindingOf(b)})
      else plan.unmanaged.acls.push(bindingOf(b))
    }
  }

  // Quotas.
  if (live.quotas !== undefined) {
    const liveByLabel = new Map(live.quotas.map((q) => [quotaEntityLabel(q.entity), q]))
    const declared = new Set<string>()
    for (const q of spec.quotas) {
      const label = quotaEntityLabel(q.entity)
      declared.add(label)
      const current = liveByLabel.get(label)?.values ?? {}
      const entries: QuotaEntryChange[] = []
      for (const key of QUOTA_KEYS) {
        const to = q.values[key]
        const from = current[key] ?? null
        if (to !== undefined && from !== to) entries.push({key, from, to})
        else if (to === undefined && from !== null) entries.push({key, from, to: null})
      }
      if (entries.length === 0) plan.inSync.quotas++
      else plan.changes.push({kind: 'quota', entity: q.entity, label, entries, location: q.location})
    }
    const extra = live.quotas.filter((q) => !declared.has(quotaEntityLabel(q.entity))).sort((a, b) => (quotaEntityLabel(a.entity) < quotaEntityLabel(b.entity) ? -1 : 1))
    for (const q of extra) {
      const label = quotaEntityLabel(q.entity)
      const keys = Object.keys(q.values).filter((k) => (QUOTA_KEYS as readonly string[]).includes(k))
      if (keys.length === 0) continue
      if (options.prune && isManagedQuotaEntity(q.entity, spec.managed.quotas)) {
        plan.changes.push({kind: 'quota', entity: q.entity, label, entries: keys.map((key) => ({key, from: q.values[key], to: null}))})
      } else {
        plan.unmanaged.quotas.push(label)
      }
    }
  }

  plan.changes.push(...aclDeletes, ...userDeletes)
  return plan
}

/** A binding without the spec's extras (location, role), as the cluster holds it. */
function bindingOf(b: AclBinding): AclBinding {
  return {principal: b.principal, host: b.host, resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, operation: b.operation, permission: b.permission}
}

export function summariseSecurityPlan(plan: SecurityPlan): SecuritySummary {
  const count = (kind: SecurityChangeKind) => plan.changes.filter((c) => c.kind === kind).length
  return {
    aclsToCreate: count('acl-create'),
    aclsToDelete: count('acl-delete'),
    usersToCreate: count('user-create'),
    usersToUpdate: count('user-update'),
    usersToDelete: count('user-delete'),
    quotasToChange: count('quota'),
    inSync: plan.inSync.acls + plan.inSync.users + plan.inSync.quotas,
  }
}

/** The item a change is about, for apply's report: an ACL line, `user (mechanism)`, a quota entity. */
export function securityChangeItem(change: SecurityChange): string {
  switch (change.kind) {
    case 'acl-create':
    case 'acl-delete': {
      const b = change.binding
      return `${b.permission.toUpperCase()} ${b.principal} ${b.operation} ${b.resourceType}:${b.resourceName} (${b.patternType}) from ${b.host}`
    }
    case 'user-create':
    case 'user-update':
    case 'user-delete':
      return `${change.user} (${change.mechanism})`
    case 'quota':
      return change.label
  }
}
