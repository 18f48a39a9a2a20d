/**
 * What `dlq inspect` reports: counts by format, original topic, error type and retry count, the
 * failure time range and samples, accumulated record by record. Pure.
 */
import type {DlqFailure, DlqFormat} from './dlq.js'
import {decodeWithDlqDecoders, failureTime} from './dlq.js'
import {type JsonBytes, nullableBytesToJson} from './json-bytes.js'
import type {ConsumedRecord} from './record.js'
import type {SchemaRef} from './record-json.js'
import type {SchemaDecoded} from './schema-decoder.js'

/** Decodes an original key or value with a registry schema (dlq inspect with a schema registry). */
export type SampleDecoder = (bytes: Buffer | null, record: ConsumedRecord) => SchemaDecoded | undefined

export interface DlqSample {
  /** Where the sample sits in the DLQ. */
  partition: number
  offset: string
  failedAt: number
  format: DlqFormat
  originalTopic: string
  originalPartition?: number
  originalOffset?: string
  errorType?: string
  errorMessage?: string
  retryCount: number
  /** Binary-safe, as in `consume -o json`; decoded with a registry schema, the decoded value (and keySchema/valueSchema). */
  key: JsonBytes | null | unknown
  value: JsonBytes | null | unknown
  keySchema?: SchemaRef
  valueSchema?: SchemaRef
}

export interface UndecodableSample {
  partition: number
  offset: string
  reason: string
}

export interface DlqInspection {
  records: number
  decoded: number
  undecodable: number
  /** Every list below is sorted by count, largest first, then by name. */
  formats: Array<{format: DlqFormat; count: number}>
  originalTopics: Array<{topic: string; count: number}>
  /** null: the DLQ writer recorded no error type (seed 001's string errors). */
  errorTypes: Array<{errorType: string | null; count: number}>
  /** Sorted by retry count, ascending. */
  retryCounts: Array<{retryCount: number; count: number}>
  /** Over decoded records, by failureTime. */
  firstFailureAt?: number
  lastFailureAt?: number
  /** The first record of each distinct (original topic, error type), up to sampleSize. */
  samples: DlqSample[]
  undecodableSamples: UndecodableSample[]
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

function byCountThenName<K>(counts: Map<K, number>): Array<[K, number]> {
  return [...counts].sort(([a, countA], [b, countB]) => countB - countA || String(a).localeCompare(String(b)))
}

/**
 * Accumulates an inspection record by record, so a DLQ of any size is inspected in constant
 * memory (the counters grow with distinct topics and error types, not records).
 */
export class DlqInspector {
  private records = 0
  private undecodable = 0
  private readonly formats = new Map<DlqFormat, number>()
  private readonly topics = new Map<string, number>()
  private readonly errorTypes = new Map<string | null, number>()
  private readonly retryCounts = new Map<number, number>()
  private firstFailureAt?: number
  private lastFailureAt?: number
  private readonly samples: DlqSample[] = []
  private readonly sampledKinds = new Set<string>()
  private readonly undecodableSamples: UndecodableSample[] = []

  constructor(
    private readonly sampleSize = 5,
    private readonly decodeSample?: SampleDecoder,
  ) {}

  add(record: ConsumedRecord): void {
    this.records++
    const decoded = decodeWithDlqDecoders(record)
    if (!decoded.ok) {
      this.undecodable++
      if (this.undecodableSamples.length < this.sampleSize) {
        this.undecodableSamples.push({partition: record.partition, offset: record.offset, reason: decoded.reason})
      }
      return
    }
    const {failure} = decoded
    increment(this.formats, failure.format)
    increment(this.topics, failure.originalTopic)
    increment(this.errorTypes, failure.errorType ?? null)
    increment(this.retryCounts, failure.retryCount)
    const time = failureTime(record, failure)
    if (this.firstFailureAt === undefined || time < this.firstFailureAt) this.firstFailureAt = time
    if (this.lastFailureAt === undefined || time > this.lastFailureAt) this.lastFailureAt = time
    const kind = JSON.stringify([failure.originalTopic, failure.errorType ?? null])
    if (this.samples.length < this.sampleSize && !this.sampledKinds.has(kind)) {
      this.sampledKinds.add(kind)
      this.samples.push(this.sample(record, failure, time))
    }
  }

  private sample(record: ConsumedRecord, failure: DlqFailure, failedAt: number): DlqSample {
    const {format, originalTopic, originalPartition, originalOffset, errorType, errorMessage, retryCount} = failure
    const optional = {originalPartition, originalOffset, errorType, errorMessage}
    return {
      partition: record.partition,
      offset: record.offset,
      failedAt,
      format,
      originalTopic,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      retryCount,
      ...this.sampleField('key', failure.key, record),
      ...this.sampleField('value', failure.value, record),
    } as DlqSample
  }

  private sampleField(which: 'key' | 'value', bytes: Buffer | null, record: ConsumedRecord): Record<string, unknown> {
    const decoded = this.decodeSample?.(bytes, record)
    if (decoded === undefined) return {[which]: nullableBytesToJson(bytes)}
    const ref: SchemaRef = {id: decoded.schemaId, type: decoded.type, ...(decoded.subject === undefined ? {} : {subject: decoded.subject})}
    return {[which]: decoded.value, [`${which}Schema`]: ref}
  }

  result(): DlqInspection {
    const inspection: DlqInspection = {
      records: this.records,
      decoded: this.records - this.undecodable,
      undecodable: this.undecodable,
      formats: byCountThenName(this.formats).map(([format, count]) => ({format, count})),
      originalTopics: byCountThenName(this.topics).map(([topic, count]) => ({topic, count})),
      errorTypes: byCountThenName(this.errorTypes).map(([errorType, count]) => ({errorType, count})),
      retryCounts: [...this.retryCounts].sort(([a], [b]) => a - b).map(([retryCount, count]) => ({retryCount, count})),
      samples: [...this.samples],
      undecodableSamples: [...this.undecodableSamples],
    }
    if (this.firstFailureAt !== undefined) inspection.firstFailureAt = this.firstFailureAt
    if (this.lastFailureAt !== undefined) inspection.lastFailureAt = this.lastFailureAt
    return inspection
  }
}

export function inspectDlq(records: Iterable<ConsumedRecord>, options: {sampleSize?: number} = {}): DlqInspection {
  const inspector = new DlqInspector(options.sampleSize)
  for (const record of records) inspector.add(record)
  return inspector.result()
}
