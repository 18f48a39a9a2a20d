/**
 * The cluster's ACLs, SCRAM users and client quotas as topics.yaml sections, for `topics export
 * --security`: planning the export against the same cluster shows no changes. ACLs of one
 * principal on one resource with one permission and host are one entry with their operations;
 * users are written with a passwordEnv to fill in (a credential is a salted hash, never a
 * password: nothing secret is exported, and an existing credential is not rewritten by plan).
 */
import {kafkaOperationName, sortAcls} from './acls.js'
import {QUOTA_KEYS} from './quotas.js'
import type {LiveSecurity} from './security-plan.js'
import {CLUSTER_RESOURCE_NAME, DEFAULT_ENTITY} from './security-spec.js'

export interface SecurityExport {
  sections: {acls?: unknown[]; users?: unknown[]; quotas?: unknown[]}
  counts: {acls: number; users: number; quotas: number}
}

/** KAFKIT_PASSWORD_ORDERS_APP for orders-app. */
export function passwordEnvName(user: string): string {
  return `KAFKIT_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`
}

export function exportSecuritySpec(live: LiveSecurity): SecurityExport {
  const acls: Array<Record<string, unknown>> = []
  const index = new Map<string, {operations: string[]}>()
  for (const b of sortAcls(live.acls ?? [])) {
    const key = [b.principal, b.resourceType, b.resourceName, b.patternType, b.permission, b.host].join('\u0000')
    const found = index.get(key)
    if (found) {
      found.operations.push(kafkaOperationName(b.operation))
      continue
    }
    const entry = {
      principal: b.principal,
      resource: {
        type: b.resourceType,
        ...(b.resourceType === 'cluster' && b.resourceName === CLUSTER_RESOURCE_NAME ? {} : {name: b.resourceName}),
        ...(b.patternType === 'prefixed' ? {pattern: 'prefixed'} : {}),
      },
      operations: [kafkaOperationName(b.operation)],
      ...(b.permission === 'deny' ? {permission: 'deny'} : {}),
      ...(b.host === '*' ? {} : {host: b.host}),
    }
    index.set(key, entry)
    acls.push(entry)
  }
  const users = [...(live.users ?? [])]
    .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
    .flatMap((u) => u.credentials.map((c) => ({name: u.user, mechanism: c.mechanism, iterations: c.iterations, passwordEnv: passwordEnvName(u.user)})))
  const label = (q: {entity: Array<{type: string; name: string | null}>}) => q.entity.map((c) => `${c.type}=${c.name ?? ''}`).sort().join(',')
  const quotas = [...(live.quotas ?? [])]
    .sort((a, b) => (label(a) < label(b) ? -1 : 1))
    .map((q) => {
      const user = q.entity.find((c) => c.type === 'user')
      const client = q.entity.find((c) => c.type === 'client-id')
      const values = Object.fromEntries(QUOTA_KEYS.filter((k) => q.values[k] !== undefined).map((k) => [k, q.values[k]]))
      return {
        ...(user ? {user: user.name ?? DEFAULT_ENTITY} : {}),
        ...(client ? {clientId: client.name ?? DEFAULT_ENTITY} : {}),
        ...values,
      }
    })
    .filter((q) => QUOTA_KEYS.some((k) => k in q))
  return {
    sections: {
      ...(live.acls === undefined ? {} : {acls}),
      ...(live.users === undefined ? {} : {users}),
      ...(live.quotas === undefined ? {} : {quotas}),
    },
    counts: {acls: live.acls?.length ?? 0, users: users.length, quotas: quotas.length},
  }
}
