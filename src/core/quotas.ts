/**
 * Client quotas as kafkit speaks them: an entity (a user, a client id, both, or their defaults),
 * the four keys Kafka enforces per client, values with units (1MiB/s), and the set/delete plan.
 * Pure: no client, no I/O.
 */
import {didYouMean} from './did-you-mean.js'
import {formatSize, parseSize} from './units.js'
import {KafkitError} from '../errors.js'

export type QuotaEntityKind = 'user' | 'client-id'

/** One component of an entity; name null is the default entity of that kind. */
export interface QuotaComponent {
  readonly type: QuotaEntityKind
  readonly name: string | null
}

export const QUOTA_KEYS = ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage', 'controller_mutation_rate'] as const
export type QuotaKey = (typeof QUOTA_KEYS)[number]

const invalid = (message: string) => new KafkitError(message, {code: 'INVALID_QUOTA'})

/** `user=alice`, `user=<default>, client-id=app`: how Kafka's ConfigCommand names entities. */
export function formatQuotaEntity(entity: readonly QuotaComponent[]): string {
  const order = (c: QuotaComponent) => (c.type === 'user' ? 0 : 1)
  return [...entity]
    .sort((a, b) => order(a) - order(b))
    .map((c) => `${c.type}=${c.name ?? '<default>'}`)
    .join(', ')
}

export function quotaEntityKey(entity: readonly QuotaComponent[]): string {
  return formatQuotaEntity(entity)
}

const isRate = (key: string) => key.endsWith('_byte_rate')

export function parseQuotaKey(text: string): QuotaKey {
  const key = text.trim().toLowerCase().replace(/[-.]/g, '_')
  const found = QUOTA_KEYS.find((k) => k === key)
  if (!found) throw invalid(`unknown quota key "${text}"${didYouMean(text, QUOTA_KEYS)}; one of ${QUOTA_KEYS.join(', ')}`)
  return found
}

/**
 * A value for a key: byte rates in bytes per second with units (1MiB/s, 512KiB, 1048576);
 * request_percentage a percentage of one thread's time (200 or 200%: two threads' worth);
 * controller_mutation_rate partitions created/deleted per second (a decimal is fine).
 */
export function parseQuotaValue(key: QuotaKey, text: string): number {
  const t = text.trim()
  let value: number | undefined
  if (isRate(key)) value = parseSize(t.replace(/\/s$/i, ''))
  else if (key === 'request_percentage') value = /^\d+(\.\d+)?%?$/.test(t) ? Number(t.replace('%', '')) : undefined
  else value = /^\d+(\.\d+)?(\/s)?$/i.test(t) ? Number(t.replace(/\/s$/i, '')) : undefined
  if (value === undefined || !Number.isFinite(value)) {
    const forms = isRate(key) ? 'a rate like 1MiB/s, 512KiB/s or 1048576 (bytes per second)' : key === 'request_percentage' ? 'a percentage like 50 or 200%' : 'a number per second like 10 or 2.5'
    throw invalid(`${key}=${text}: not ${forms}`)
  }
  return value
}

/** KEY=VALUE pairs of `quotas set`. */
export function parseQuotaAssignments(args: readonly string[]): Record<QuotaKey, number> {
  if (args.length === 0) throw invalid('nothing to set: give KEY=VALUE, e.g. producer_byte_rate=1MiB/s')
  const out = {} as Record<QuotaKey, number>
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq <= 0) throw invalid(`"${arg}" is not KEY=VALUE (e.g. producer_byte_rate=1MiB/s)`)
    const key = parseQuotaKey(arg.slice(0, eq))
    out[key] = parseQuotaValue(key, arg.slice(eq + 1))
  }
  return out
}

/** The keys of `quotas delete`. */
export function parseQuotaKeys(args: readonly string[]): QuotaKey[] {
  if (args.length === 0) throw invalid(`name the keys to delete: ${QUOTA_KEYS.join(', ')}`)
  return [...new Set(args.flatMap((a) => a.split(',')).filter(Boolean).map(parseQuotaKey))]
}

/** A value for people: byte rates with binary units (1MiB/s), percentages with %. */
export function formatQuotaValue(key: string, value: number): string {
  if (isRate(key)) return Number.isInteger(value) ? `${formatSize(value)}/s` : `${value}/s`
  if (key === 'request_percentage') return `${value}%`
  if (key === 'controller_mutation_rate') return `${value}/s`
  return String(value)
}

export interface QuotaKeyChange {
  readonly key: string
  readonly old: number | null
  readonly new: number | null
  readonly unchanged: boolean
}

export interface QuotaPlan {
  readonly entity: QuotaComponent[]
  readonly changes: QuotaKeyChange[]
}

/** old -> new for each key named; a key set to its current value or deleted while absent is unchanged. */
export function planQuotaChange(entity: QuotaComponent[], live: Readonly<Record<string, number>>, change: {set?: Partial<Record<QuotaKey, number>>; delete?: readonly QuotaKey[]}): QuotaPlan {
  const changes: QuotaKeyChange[] = []
  for (const [key, value] of Object.entries(change.set ?? {})) {
    const old = live[key] ?? null
    changes.push({key, old, new: value, unchanged: old === value})
  }
  for (const key of change.delete ?? []) {
    const old = live[key] ?? null
    changes.push({key, old, new: null, unchanged: old === null})
  }
  return {entity, changes}
}
