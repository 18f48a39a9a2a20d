/**
 * Pure rules of `kafkit topics offsets` and `kafkit topics truncate`: which partitions `-p`
 * chooses, what a time flag means, the offsets table, and the truncate plan (the new log start of
 * each partition and how many offsets go), mirroring kafka-get-offsets.sh (GetOffsetShell),
 * kcat -Q and kafka-delete-records.sh (DeleteRecordsCommand).
 */
import {KafkitError} from '../errors.js'
import {describePartitionNumbers, parseNonNegativeInteger} from './topic-partition.js'
import {TIMESTAMP_FORMS, nonexistentTime, parseTimestamp} from './units.js'

/** Kafka's partition ids are int32. */
const MAX_PARTITION = 2_147_483_647

// ---------------------------------------------------------------------------------------------
// Flags

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

/** The chosen partitions of `topic` (every one without -p); partitions it lacks are one line. */
export function choosePartitions(topic: string, live: readonly number[], chosen: readonly number[] | undefined): number[] {
  const all = [...live].sort((a, b) => a - b)
  if (chosen === undefined) return all
  const unknown = chosen.filter((p) => !all.includes(p))
  if (unknown.length > 0) {
    throw new KafkitError(
      `${topic} has no partition ${unknown.join(', ')} (it has ${all.length} partition${all.length === 1 ? '' : 's'}: ${describePartitionNumbers(all)})`,
      {code: 'PARTITION_NOT_FOUND'},
    )
  }
  return [...chosen]
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

// ---------------------------------------------------------------------------------------------
// topics offsets

export interface PartitionOffsets {
  readonly partition: number
  /** Log start offset (ListOffsets EARLIEST). */
  readonly earliest: number
  /** Log end offset: the high watermark (ListOffsets LATEST, read_uncommitted). */
  readonly latest: number
  /** latest - earliest: offsets in the log (records, plus transaction markers). */
  readonly records: number
  /** With a time: the first offset whose record is at or after it; null when there is none. */
  readonly atTime?: number | null
}

export function partitionOffsetsRow(partition: number, earliest: number, latest: number, atTime?: number | null): PartitionOffsets {
  return {partition, earliest, latest, records: Math.max(0, latest - earliest), ...(atTime === undefined ? {} : {atTime})}
}

// ---------------------------------------------------------------------------------------------
// topics truncate

/** What the truncate plan needs of one partition, read from the cluster. */
export interface PartitionLogState {
  readonly partition: number
  readonly start: number
  readonly end: number
  /** With --to-time: the first offset at or after the time; null when no record is that late. */
  readonly offsetForTime?: number | null
}

export type TruncateTarget = {readonly kind: 'offset'; readonly offset: number} | {readonly kind: 'time'; readonly timestamp: number}

export interface TruncateRow {
  readonly partition: number
  /** The log start now. */
  readonly start: number
  /** The log start after the truncate (every record before it goes). */
  readonly newStart: number
  readonly end: number
  /** newStart - start: offsets that go (records, plus transaction markers). */
  readonly records: number
  /** Why nothing goes, or how the target was resolved: for the table. */
  readonly note: string | null
}

export interface TruncatePlan {
  readonly topic: string
  readonly target: TruncateTarget
  readonly rows: readonly TruncateRow[]
  /** Offsets that go in all partitions. */
  readonly records: number
  /** Partitions where something goes. */
  readonly partitionsChanged: number
}

/** cleanup.policy without `delete` (compact alone): Kafka refuses DeleteRecords there. */
export function isCompactedOnly(cleanupPolicy: string | null | undefined): boolean {
  const policies = (cleanupPolicy ?? 'delete').split(',').map((p) => p.trim().toLowerCase())
  return policies.includes('compact') && !policies.includes('delete')
}

export function refuseCompactedOnly(topic: string, cleanupPolicy: string | null | undefined): void {
  if (!isCompactedOnly(cleanupPolicy)) return
  throw new KafkitError(`cannot truncate ${topic}: its cleanup.policy is ${cleanupPolicy} (compacted only), and Kafka deletes records by offset only from topics with the delete policy`, {
    code: 'COMPACTED_TOPIC',
    hint: 'compaction removes old values by key; a tombstone (a null value) deletes a key',
  })
}

/**
 * Every record before the target goes. An offset past a partition's end is refused (naming each
 * such partition and its end: Kafka would answer OFFSET_OUT_OF_RANGE); an offset at or before
 * the start leaves the partition as it is. For a time, the target is the first offset at or
 * after it; a partition without a record that late loses everything (every record is older).
 */
export function planTruncate(topic: string, partitions: readonly PartitionLogState[], target: TruncateTarget): TruncatePlan {
  const pastEnd: string[] = []
  const rows: TruncateRow[] = []
  for (const p of [...partitions].sort((a, b) => a.partition - b.partition)) {
    if (p.start > p.end) {
      throw new KafkitError(`${topic}:${p.partition}: log start ${p.start} is past log end ${p.end}; the partition changed while it was read`, {
        code: 'OFFSETS_INCONSISTENT',
        hint: 'run the command again',
      })
    }
    let wanted: number
    let note: string | null = null
    if (target.kind === 'offset') {
      if (target.offset > p.end) {
        pastEnd.push(`${topic}:${p.partition} ends at ${p.end}`)
        continue
      }
      wanted = target.offset
    } else if (p.offsetForTime === null || p.offsetForTime === undefined) {
      wanted = p.end
      if (p.end > p.start) note = 'every record is older than the time'
    } else {
      wanted = Math.min(p.offsetForTime, p.end)
    }
    if (p.end === p.start) note = 'empty'
    else if (wanted < p.start) note = `offset ${wanted} is before the log start`
    const newStart = Math.max(wanted, p.start)
    rows.push({partition: p.partition, start: p.start, newStart, end: p.end, records: newStart - p.start, note})
  }
  if (pastEnd.length > 0 && target.kind === 'offset') {
    throw new KafkitError(`cannot truncate before offset ${target.offset}: ${pastEnd.join(', ')}`, {
      code: 'OFFSET_PAST_END',
      hint: 'kafkit topics offsets shows each partition\'s end; --before-offset at the end deletes everything',
    })
  }
  return {
    topic,
    target,
    rows,
    records: rows.reduce((sum, r) => sum + r.records, 0),
    partitionsChanged: rows.filter((r) => r.records > 0).length,
  }
}
