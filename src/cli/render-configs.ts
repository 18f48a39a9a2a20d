/** Tables of `kafkit configs describe|set|delete`. */
import type {ConfigsDescription} from '../app/configs.js'
import {type ConfigPlan, type PlannedChange, displayConfigValue, resourceLabel} from '../core/config-changes.js'
import {plural, renderTable} from './render.js'

export function renderConfigsDescription(d: ConfigsDescription): string {
  const label = resourceLabel(d.resource)
  if (d.entries.length === 0) {
    return d.shown === 'overrides' ? `${label} has no overrides (--all lists every config with its source)` : `${label}: no such config set`
  }
  const flags = (e: ConfigsDescription['entries'][number]) => [e.readOnly ? 'read-only' : '', e.sensitive ? 'sensitive' : ''].filter(Boolean).join(',')
  const table = renderTable(
    ['KEY', 'VALUE', 'SOURCE', 'FLAGS'],
    d.entries.map((e) => [e.name, displayConfigValue(e.name, e.value, e.sensitive), e.source, flags(e)]),
  )
  return d.shown === 'overrides' ? `overrides of ${label} (--all lists every config):\n${table}` : table
}

const side = (c: PlannedChange, v: PlannedChange['old']) =>
  v === null ? '(none)' : `${displayConfigValue(v.via ?? c.key, v.value, c.sensitive)} (${v.via ? `${v.via}, ` : ''}${v.source})`

export interface ConfigChangeOutcome extends ConfigPlan {
  dryRun: boolean
  applied: boolean
}

export function renderConfigChange(r: ConfigChangeOutcome): string {
  const label = resourceLabel(r.resource)
  const changing = r.changes.filter((c) => !c.unchanged)
  const table = renderTable(
    ['KEY', 'OLD', 'NEW'],
    r.changes.map((c) => [c.key, side(c, c.old), c.unchanged ? (c.op === 'delete' ? 'unchanged (no override here)' : 'unchanged') : side(c, c.new)]),
  )
  const verb = (n: number) => plural(n, 'config')
  let last: string
  if (changing.length === 0) last = `nothing to change on ${label}`
  else if (r.dryRun) last = `dry run: would change ${verb(changing.length)} of ${label}; nothing changed (the broker validated the change)`
  else last = `changed ${verb(changing.length)} of ${label}`
  return `${table}\n\n${last}`
}

/** "Change 2 configs of broker 1 (log.cleaner.threads 1 -> 2, ...)?" */
export function configChangeQuestion(plan: ConfigPlan): string {
  const changing = plan.changes.filter((c) => !c.unchanged)
  const show = (c: (typeof changing)[number], v: (typeof c)['old']) => (v === null ? '(none)' : displayConfigValue(c.key, v.value, c.sensitive))
  const list = changing.map((c) => `${c.key} ${show(c, c.old)} -> ${show(c, c.new)}`).join(', ')
  return `Change ${changing.length} config(s) of ${resourceLabel(plan.resource)} (${list})?`
}

