/**
 * The security part of `topics plan | apply` for people: ACLs in Kafka's words (as `kafkit acls`
 * prints them), credentials without anything secret, quotas old → new; and as Markdown.
 */
import type {SecurityFailure, SecurityPlanResult} from '../app/declarative-security.js'
import {formatQuotaValue} from '../core/quotas.js'
import type {SecurityChange, SecurityPlan, SecuritySummary} from '../core/security-plan.js'
import {aclLine} from './render-acls.js'
import {plural} from './render.js'

const UNMANAGED_SHOWN = 10

const quotaValue = (key: string, value: number | null) => (value === null ? '(none)' : formatQuotaValue(key, value))

function changeLines(change: SecurityChange): {sign: '+' | '~' | '-'; head: string; details: string[]} {
  switch (change.kind) {
    case 'acl-create':
      return {sign: '+', head: `${aclLine(change.binding)}${change.role ? ` (${change.role} role)` : ''}`, details: []}
    case 'acl-delete':
      return {sign: '-', head: aclLine(change.binding), details: []}
    case 'user-create':
      return {sign: '+', head: `user ${change.user}: create credentials (${change.mechanism}, ${change.iterations} iterations)`, details: []}
    case 'user-update':
      return {sign: '~', head: `user ${change.user}: update credentials (${change.mechanism}; ${change.reason})`, details: []}
    case 'user-delete':
      return {sign: '-', head: `user ${change.user}: delete credentials (${change.mechanism})`, details: []}
    case 'quota': {
      const removeAll = change.entries.every((e) => e.to === null)
      const addAll = change.entries.every((e) => e.from === null)
      return {
        sign: removeAll ? '-' : addAll ? '+' : '~',
        head: `quotas of ${change.label}`,
        details: change.entries.map((e) => `${e.key}: ${quotaValue(e.key, e.from)} → ${e.to === null ? '(remove: not in the file)' : quotaValue(e.key, e.to)}`),
      }
    }
  }
}

export function securitySummaryLine(summary: SecuritySummary, errors = 0): string {
  if (errors > 0) return `Security plan has ${plural(errors, 'error')}; nothing can be applied.`
  const parts: string[] = []
  if (summary.aclsToCreate + summary.aclsToDelete > 0) parts.push(`ACLs: ${summary.aclsToCreate} to create, ${summary.aclsToDelete} to delete`)
  if (summary.usersToCreate + summary.usersToUpdate + summary.usersToDelete > 0) {
    parts.push(`credentials: ${summary.usersToCreate} to create, ${summary.usersToUpdate} to update, ${summary.usersToDelete} to delete`)
  }
  if (summary.quotasToChange > 0) parts.push(`quotas: ${summary.quotasToChange} ${summary.quotasToChange === 1 ? 'entity' : 'entities'} to change`)
  if (parts.length === 0) return `No security changes. ${summary.inSync} in sync (ACLs, credentials, quota entities).`
  return `Security plan: ${parts.join('; ')}; ${summary.inSync} in sync.`
}

function unmanagedLine(plan: SecurityPlan): string | undefined {
  const {acls, users, quotas} = plan.unmanaged
  const parts: string[] = []
  if (acls.length > 0) {
    const principals = [...new Set(acls.map((b) => b.principal))]
    const shown = principals.slice(0, UNMANAGED_SHOWN)
    parts.push(`${plural(acls.length, 'ACL')} of ${shown.join(', ')}${principals.length > shown.length ? ` and ${principals.length - shown.length} more principals` : ''}`)
  }
  if (users.length > 0) parts.push(`users ${users.slice(0, UNMANAGED_SHOWN).join(', ')}${users.length > UNMANAGED_SHOWN ? ` and ${users.length - UNMANAGED_SHOWN} more` : ''}`)
  if (quotas.length > 0) parts.push(`quotas of ${quotas.slice(0, UNMANAGED_SHOWN).join('; ')}${quotas.length > UNMANAGED_SHOWN ? ` and ${quotas.length - UNMANAGED_SHOWN} more` : ''}`)
  return parts.length === 0 ? undefined : `Unmanaged (live, not in the file, left alone): ${parts.join('; ')} (-o json lists all)`
}

export function renderSecurityPlanText(result: SecurityPlanResult): string {
  const lines: string[] = []
  for (const change of result.plan.changes) {
    const {sign, head, details} = changeLines(change)
    lines.push(`${sign} ${head}`)
    for (const d of details) lines.push(`    ${d}`)
  }
  const unmanaged = unmanagedLine(result.plan)
  if (unmanaged) {
    if (lines.length > 0) lines.push('')
    lines.push(unmanaged)
  }
  if (lines.length > 0) lines.push('')
  lines.push(securitySummaryLine(result.summary, result.errors.length))
  return lines.join('\n')
}

export function renderSecurityPlanMarkdown(result: SecurityPlanResult): string {
  const out = ['', `#### ACLs, users, quotas — ${securitySummaryLine(result.summary, result.errors.length)}`]
  if (result.plan.changes.length > 0) {
    out.push('', '```diff')
    for (const change of result.plan.changes) {
      const {sign, head, details} = changeLines(change)
      const mark = sign === '~' ? '!' : sign
      out.push(`${mark} ${head}`)
      for (const d of details) out.push(`${mark}     ${d}`)
    }
    out.push('```')
  }
  if (result.errors.length > 0) {
    out.push('', '**Errors**', '')
    for (const e of result.errors) out.push(`- \`${e.file}:${e.line}:${e.col}\` ${e.message}`)
  }
  const unmanaged = unmanagedLine(result.plan)
  if (unmanaged) out.push('', unmanaged)
  return out.join('\n')
}

/** What apply wrote, each failure on its own line, and the re-plan's verdict. */
export function securityApplyLines(r: {
  applied: readonly unknown[]
  failed: readonly SecurityFailure[]
  remaining: {summary: SecuritySummary; changes: readonly SecurityChange[]} | {error: string}
}): string[] {
  const lines = [`Applied ${plural(r.applied.length, 'security change')}.`]
  const failureLine = (f: SecurityFailure) => `FAILED ${f.kind} ${f.item}: ${f.error}`
  lines.push(...r.failed.slice(0, 20).map(failureLine))
  if (r.failed.length > 20) lines.push(`… and ${r.failed.length - 20} more failed change(s) (-o json lists all)`)
  const {remaining} = r
  if ('error' in remaining) lines.push(`could not plan again after applying: ${remaining.error}`)
  else if (remaining.changes.length > 0) lines.push(`${remaining.summary.inSync} in sync; ${remaining.changes.length} security change(s) still differ (run kafkit topics plan)`)
  else lines.push(`${remaining.summary.inSync} in sync (ACLs, credentials, quota entities).`)
  return lines
}
