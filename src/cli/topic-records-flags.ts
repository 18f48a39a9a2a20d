/** The flags of `topics offsets` and `topics truncate`: -p partitions, times and offsets, each mistake one line. */
import {parseNonNegativeInteger} from '../core/topic-partition.js'
import {TIMESTAMP_FORMS, nonexistentTime, parseTimestamp} from '../core/units.js'
import {KafkitError} from '../errors.js'

/** Kafka's partition ids are int32. */
const MAX_PARTITION = 2_147_483_647

/**
 * `-p 0,2 -p 5` → [0, 2, 5]; `-p 0-3` → [0, 1, 2, 3]. undefined when no -p was given (all).
 * A value that is not a partition number is one line naming it.
 */
export function parsePartitionFlags(values: readonly string[] | undefined): number[] | undefined {
  if (values === undefined || values.length === 0) return undefined
  const chosen = new Set<number>()
  for (const value of values) {
    for (const item of value.split(',')) {
      const text = item.trim()
      const range = /^(\d+)-(\d+)$/.exec(text)
      const bounds = range ? [range[1], range[2]] : [text]
      const numbers = bounds.map((b) => parseNonNegativeInteger(b))
      if (numbers.some((n) => n === undefined || n > MAX_PARTITION)) {
        throw new KafkitError(`-p: "${item}" is not a partition number`, {code: 'INVALID_FLAG', hint: 'e.g. -p 0, -p 0,2,5 or -p 0-3'})
      }
      const [from, to = from] = numbers as number[]
      if (to < from) throw new KafkitError(`-p: "${item}" is an empty range`, {code: 'INVALID_FLAG', hint: 'write the lower partition first: -p 0-3'})
      if (to - from > 100_000) throw new KafkitError(`-p: "${item}" is too wide a range`, {code: 'INVALID_FLAG'})
      for (let p = from; p <= to; p++) chosen.add(p)
    }
  }
  return [...chosen].sort((a, b) => a - b)
}

const ZONELESS_ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/

/**
 * A time flag (`--time`, `--to-time`): ISO-8601 with a zone, epoch millis, or a duration ago
 * (`1h`: an hour before `now`). A zone-less time is refused: it names different instants on
 * different machines.
 */
export function parseTimeFlag(flag: string, value: string, now: number): number {
  const t = parseTimestamp(value, now)
  if (t !== undefined) return t
  const text = value.trim()
  if (ZONELESS_ISO.test(text)) {
    throw new KafkitError(`--${flag}: "${text}" has no zone`, {
      code: 'INVALID_FLAG',
      hint: `add one (${text.includes('T') ? text : `${text}T00:00:00`}Z, or +02:00): a time without a zone means different instants on different machines`,
    })
  }
  throw new KafkitError(`--${flag}: "${text}" is not a time`, {code: 'INVALID_FLAG', hint: nonexistentTime(text) ?? TIMESTAMP_FORMS})
}

/** `--before-offset N`: an offset Kafka can hold (int64, within what kafkit counts exactly). */
export function parseOffsetFlag(flag: string, value: string): number {
  const offset = parseNonNegativeInteger(value.trim())
  if (offset === undefined) {
    const hint = /^\d+$/.test(value.trim()) ? 'it is larger than any offset a log reaches' : 'a non-negative offset, e.g. --before-offset 1200'
    throw new KafkitError(`--${flag}: "${value}" is not an offset`, {code: 'INVALID_FLAG', hint})
  }
  return offset
}
