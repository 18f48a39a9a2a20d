/** Tables of `kafkit acls list | create | delete`, in Kafka's words (Read, Topic, LITERAL) as kafka-acls prints them. */
import {type AclBinding, kafkaOperationName, kafkaResourceTypeName} from '../core/acls.js'
import {plural, renderTable} from './render.js'

const row = (b: AclBinding) => [b.principal, kafkaResourceTypeName(b.resourceType), b.resourceName, b.patternType.toUpperCase(), b.permission.toUpperCase(), kafkaOperationName(b.operation), b.host]
const HEAD = ['PRINCIPAL', 'RESOURCE', 'NAME', 'PATTERN', 'PERMISSION', 'OPERATION', 'HOST']

export function renderAclList(acls: AclBinding[]): string {
  if (acls.length === 0) return 'no ACLs match'
  return `${renderTable(HEAD, acls.map(row))}\n\n${plural(acls.length, 'ACL')}`
}

/** One line per binding: `ALLOW User:alice Read Topic:orders (LITERAL) from *`. */
export function aclLine(b: AclBinding): string {
  return `${b.permission.toUpperCase()} ${b.principal} ${kafkaOperationName(b.operation)} ${kafkaResourceTypeName(b.resourceType)}:${b.resourceName} (${b.patternType.toUpperCase()}) from ${b.host}`
}

export interface AclCreateOutcome {
  create: AclBinding[]
  existing: AclBinding[]
  dryRun: boolean
  created: boolean
}

export function renderAclCreate(r: AclCreateOutcome): string {
  const lines = [...r.create.map((b) => `+ ${aclLine(b)}`), ...r.existing.map((b) => `= ${aclLine(b)} (exists)`)]
  let last: string
  if (r.create.length === 0) last = `nothing to create: ${plural(r.existing.length, 'ACL')} already there`
  else if (r.dryRun) last = `dry run: would create ${plural(r.create.length, 'ACL')}; nothing changed`
  else last = `created ${plural(r.create.length, 'ACL')}${r.existing.length > 0 ? ` (${r.existing.length} already there)` : ''}`
  return `${lines.join('\n')}\n\n${last}`
}

export interface AclDeleteOutcome {
  matched: AclBinding[]
  deleted: AclBinding[]
  dryRun: boolean
}

export function renderAclDelete(r: AclDeleteOutcome): string {
  if (r.matched.length === 0) return 'no ACLs match; nothing deleted'
  const lines = r.matched.map((b) => `- ${aclLine(b)}`)
  const last = r.dryRun ? `dry run: would delete ${plural(r.matched.length, 'ACL')}; nothing changed` : `deleted ${plural(r.deleted.length, 'ACL')}`
  return `${lines.join('\n')}\n\n${last}`
}

export function aclDeleteQuestion(matched: AclBinding[]): string {
  return `Delete ${plural(matched.length, 'ACL')} (listed above)?`
}
