/**
 * Pure rules of `kafkit topics offsets` and `kafkit topics truncate` (their flags:
 * cli/topic-records-flags.ts): which of a topic's partitions were chosen, the offsets table, and
 * the truncate plan (the new log start of each partition and how many offsets go), mirroring
 * kafka-get-offsets.sh (GetOffsetShell), kcat -Q and kafka-delete-records.sh (DeleteRecordsCommand).
 */
import {KafkitError} from '../errors.js'
import {describePartitionNumbers} from './topic-partition.js'

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
