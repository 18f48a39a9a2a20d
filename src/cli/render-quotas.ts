/** Tables of `kafkit quotas list | set | delete`: values with units (1MiB/s, 200%). */
import type {QuotaEntry} from '../app/quotas.js'
import {formatQuotaEntity, formatQuotaValue, type QuotaPlan} from '../core/quotas.js'
import {plural, renderTable} from './render.js'

export function renderQuotaList(entries: QuotaEntry[]): string {
  if (entries.length === 0) return 'no quotas match'
  const rows = entries.flatMap((e) =>
    Object.entries(e.values)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [formatQuotaEntity(e.entity), key, formatQuotaValue(key, value)]),
  )
  return `${renderTable(['ENTITY', 'KEY', 'VALUE'], rows)}\n\n${entries.length} ${entries.length === 1 ? 'entity' : 'entities'}`
}

export interface QuotaChangeOutcome extends QuotaPlan {
  dryRun: boolean
  applied: boolean
}

const show = (key: string, v: number | null) => (v === null ? '(none)' : formatQuotaValue(key, v))

export function renderQuotaChange(r: QuotaChangeOutcome): string {
  const label = formatQuotaEntity(r.entity)
  const changing = r.changes.filter((c) => !c.unchanged)
  const table = renderTable(
    ['KEY', 'OLD', 'NEW'],
    r.changes.map((c) => [c.key, show(c.key, c.old), c.unchanged ? 'unchanged' : show(c.key, c.new)]),
  )
  let last: string
  if (changing.length === 0) last = `nothing to change on ${label}`
  else if (r.dryRun) last = `dry run: would change ${plural(changing.length, 'quota')} of ${label}; nothing changed`
  else last = `changed ${plural(changing.length, 'quota')} of ${label}`
  return `quotas of ${label}:\n${table}\n\n${last}`
}

export function quotaChangeQuestion(plan: QuotaPlan): string {
  const changing = plan.changes.filter((c) => !c.unchanged)
  return `Change ${plural(changing.length, 'quota')} of ${formatQuotaEntity(plan.entity)} (${changing.map((c) => `${c.key} ${show(c.key, c.old)} -> ${show(c.key, c.new)}`).join(', ')})?`
}
