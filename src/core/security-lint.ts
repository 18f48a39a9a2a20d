/**
 * Lint rules for the security sections of topics.yaml, from practice; each has the severity the
 * file's policy gives it (aclWriteOnAll, consumerWithoutGroup, denyShadowsAllow, zeroQuota).
 * Judged on the expanded bindings, so a role and a hand-written ACL count alike.
 */
import {type AclBinding, kafkaOperationName, kafkaResourceTypeName} from './acls.js'
import type {Problem} from './problem.js'
import {formatQuotaValue} from './quotas.js'
import {type DeclaredAcl, quotaEntityLabel, type SecuritySpec} from './security-spec.js'
import type {PolicySeverity, TopicsPolicy} from './topics-spec.js'

type Spec = {file: string; policy: TopicsPolicy; security?: SecuritySpec}

/** Whether `deny` refuses everything `allow` grants (same principal checked by the caller). */
export function denyCovers(deny: AclBinding, allow: AclBinding): boolean {
  if (deny.resourceType !== allow.resourceType) return false
  if (deny.operation !== 'all' && deny.operation !== allow.operation) return false
  if (deny.host !== '*' && deny.host !== allow.host) return false
  if (deny.patternType === 'literal') {
    if (deny.resourceName === '*') return true
    return allow.patternType === 'literal' && allow.resourceName === deny.resourceName
  }
  // prefixed deny: covers every name (literal, or a longer prefix) starting with it; not "*".
  return allow.resourceName !== '*' && allow.resourceName.startsWith(deny.resourceName)
}

const grants = (b: AclBinding, ...ops: string[]) => b.permission === 'allow' && (b.operation === 'all' || ops.includes(b.operation))

export function lintSecuritySpec(spec: Spec): Problem[] {
  const security = spec.security
  if (security === undefined) return []
  const problems: Problem[] = []
  const add = (severity: PolicySeverity, at: {line: number; col: number}, message: string) => {
    if (severity === 'off') return
    problems.push({file: spec.file, line: at.line, col: at.col, severity: severity === 'warn' ? 'warning' : 'error', message})
  }
  const {policy} = spec

  const byPrincipal = new Map<string, DeclaredAcl[]>()
  for (const acl of security.acls) {
    const list = byPrincipal.get(acl.principal)
    if (list) list.push(acl)
    else byPrincipal.set(acl.principal, [acl])
  }

  for (const [principal, acls] of byPrincipal) {
    for (const acl of acls) {
      if (acl.resourceType === 'topic' && acl.resourceName === '*' && acl.patternType === 'literal' && grants(acl, 'write')) {
        add(policy.aclWriteOnAll.severity, acl.location, `${principal} may ${kafkaOperationName(acl.operation)} every topic (Topic:* LITERAL): grant the topics or a prefix it writes`)
      }
    }
    const reads = acls.find((a) => a.resourceType === 'topic' && grants(a, 'read'))
    const group = acls.some((a) => a.resourceType === 'group' && grants(a, 'read'))
    if (reads !== undefined && !group) {
      add(policy.consumerWithoutGroup.severity, reads.location, `${principal} may read ${kafkaResourceTypeName(reads.resourceType)}:${reads.resourceName} but no group: a consumer in a group needs Read on it (the consumer role: consumer: {topic, group})`)
    }
    const allows = acls.filter((a) => a.permission === 'allow')
    const denies = acls.filter((a) => a.permission === 'deny')
    if (allows.length > 0 && denies.length > 0 && allows.every((a) => denies.some((d) => denyCovers(d, a)))) {
      const deny = denies[0]
      add(policy.denyShadowsAllow.severity, deny.location, `every ALLOW of ${principal} is cancelled by a DENY (DENY wins in Kafka): it can do nothing the file grants it`)
    }
  }

  for (const quota of security.quotas) {
    for (const [key, value] of Object.entries(quota.values)) {
      if (value !== 0) continue
      const at = quota.keyLocations[key as keyof typeof quota.keyLocations] ?? quota.location
      add(policy.zeroQuota.severity, at, `quota of ${quotaEntityLabel(quota.entity)}: ${key} ${formatQuotaValue(key, 0)} stops the client rather than slowing it; remove the key for no limit`)
    }
  }
  return problems
}
