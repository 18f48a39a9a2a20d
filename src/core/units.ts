/**
 * Human units used across kafkit: durations (7d, 15m, 500ms, PT1H) and sizes (1GiB, 100MB).
 * Pure; every parser returns undefined on input it does not understand so callers can phrase
 * the error with their own context (file:line, flag name).
 */

const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** `500ms`, `30s`, `15m`, `12h`, `7d`, `2w`, `1h30m`, or ISO-8601 `PT1H`, `P2D`, `P1DT12H`. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim()
  if (s === '') return undefined
  const iso = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s)
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, w, d, h, m, sec] = iso
    return Math.round(
      Number(w ?? 0) * DURATION_UNITS_MS.w +
        Number(d ?? 0) * DURATION_UNITS_MS.d +
        Number(h ?? 0) * DURATION_UNITS_MS.h +
        Number(m ?? 0) * DURATION_UNITS_MS.m +
        Number(sec ?? 0) * DURATION_UNITS_MS.s,
    )
  }
  const part = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/gy
  let total = 0
  let consumed = 0
  let match: RegExpExecArray | null
  while ((match = part.exec(s)) !== null) {
    total += Number(match[1]) * DURATION_UNITS_MS[match[2]]
    consumed = part.lastIndex
  }
  if (consumed === 0 || consumed !== s.length) return undefined
  return Math.round(total)
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
}

/** `512KiB`, `1GiB`, `100MB` (decimal), `1048576`, `2B`. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(text)
  if (!m) return undefined
  const factor = m[2] ? SIZE_UNITS[m[2].toLowerCase()] : 1
  const value = Number(m[1]) * factor
  return Number.isSafeInteger(Math.round(value)) ? Math.round(value) : undefined
}

/** Inverse of parseDuration for display: the largest exact unit (604800000 → "7d"). */
export function formatDuration(ms: number): string {
  if (ms < 0) return String(ms)
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = DURATION_UNITS_MS[unit]
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}

/** Inverse of parseSize for display: the largest exact binary unit (1073741824 → "1GiB"). */
export function formatSize(bytes: number): string {
  if (bytes < 0) return String(bytes)
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB'] as const) {
    const size = SIZE_UNITS[unit.toLowerCase()]
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`
  }
  return String(bytes)
}

/** What parseTimestamp accepts, for error messages. */
export const TIMESTAMP_FORMS = 'ISO-8601 with a zone (2026-11-01T10:00:00Z; a time without one means different instants on different machines), epoch millis, or a duration ago (1h)'

/**
 * A point in time: ISO-8601 with a zone (`2026-11-01T10:00:00Z`, `...+02:00`), epoch millis, or
 * a duration before `now` (`1h`, `PT1H` → now - 1h). A zone-less ISO string is rejected because
 * it silently means different instants on different machines.
 */
export function parseTimestamp(text: string, now: number = Date.now()): number | undefined {
  const s = text.trim()
  if (/^\d{10,}$/.test(s)) return Number(s)
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    const t = Date.parse(s)
    return Number.isNaN(t) ? undefined : t
  }
  const d = parseDuration(s)
  return d === undefined ? undefined : now - d
}
