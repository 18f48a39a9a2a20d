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

/**
 * The longest wait kafkit times: Node's timers hold at most 2^31-1 ms (about 24.8 days; a longer
 * delay fires after 1 ms). 24 days leaves room for what kafkit adds to a wait (session timeouts).
 */
export const MAX_WAIT_MS = 24 * DURATION_UNITS_MS.d

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

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
// The latest instant a JavaScript Date (and so every time kafkit prints) can hold.
const MAX_EPOCH_MS = 8.64e15

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/**
 * Why an ISO-8601 time of the accepted shape names no real instant (Feb 30, Apr 31, Feb 29 of a
 * common year, 24:00, 23:60), or undefined. Date.parse would roll such a date over into the next
 * month; Kafka's own tools refuse it ("Unparseable date").
 */
export function nonexistentTime(text: string): string | undefined {
  const m = ISO_TIME.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s = '00', zh = '00', zm = '00'] = m
  const year = Number(y)
  const month = Number(mo)
  if (month < 1 || month > 12) return `month ${mo} does not exist (01-12)`
  const days = daysInMonth(year, month)
  if (Number(d) < 1 || Number(d) > days) return `${y}-${mo}-${d} does not exist (${MONTH_NAMES[month - 1]} ${y} has ${days} days)`
  if (Number(h) > 23) return `hour ${h} does not exist (00-23)`
  if (Number(mi) > 59) return `minute ${mi} does not exist (00-59)`
  if (Number(s) > 59) return `second ${s} does not exist (00-59)`
  if (Number(zh) > 18 || Number(zm) > 59) return `zone offset ${zh}:${zm} does not exist (at most 18:00)`
  return undefined
}

/**
 * A point in time: ISO-8601 with a zone (`2026-11-01T10:00:00Z`, `...+02:00`), epoch millis, or
 * a duration before `now` (`1h`, `PT1H` → now - 1h). A zone-less ISO string is rejected because
 * it silently means different instants on different machines; so is a date or time that does not
 * exist (see nonexistentTime), and anything beyond what a Date holds. A time before 1970 is 1970:
 * every caller asks for what is at or after it, and ListOffsets reads negative times as -1 latest,
 * -2 earliest.
 */
export function parseTimestamp(text: string, now: number = Date.now()): number | undefined {
  const s = text.trim()
  let t: number | undefined
  if (/^\d{10,}$/.test(s)) t = Number(s)
  else if (ISO_TIME.test(s)) t = nonexistentTime(s) === undefined ? Date.parse(s) : undefined
  else {
    const d = parseDuration(s)
    t = d === undefined ? undefined : now - d
  }
  return t === undefined || Number.isNaN(t) || t > MAX_EPOCH_MS ? undefined : Math.max(0, t)
}
