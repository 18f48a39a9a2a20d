/**
 * The record model shared by the console, the DLQ and the Kafka adapter: records as plain data
 * and their headers. Headers are a list in wire order (names repeat and interleave, values may be
 * null), never an object keyed by name. Pure: no I/O, no kafkajs.
 */
import type {Buffer} from 'node:buffer'

/** One record header as on the wire. Names may repeat and interleave; a value may be null. */
export interface RecordHeader {
  name: string
  value: Buffer | null
}

/** A record's headers in wire order: a list, never an object keyed by name (see RecordHeader). */
export type RecordHeaders = RecordHeader[]

/** One consumed record, as plain data (kafkajs's shape: offset and timestamp are strings). */
export interface ConsumedRecord {
  topic: string
  partition: number
  /** 64-bit offset as a decimal string. */
  offset: string
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeaders
}

/** One message to produce; the topic comes from the command, not from here. */
export interface ProducerMessage {
  key: Buffer | null
  /** null produces a tombstone. */
  value: Buffer | null
  headers: RecordHeaders
  partition?: number
  /** Milliseconds since the epoch as a decimal string (kafkajs's type); absent means "now". */
  timestamp?: string
}

// Headers

/** Every value of a header, in record order. */
export function headerValues(headers: RecordHeaders, name: string): Array<Buffer | null> {
  return headers.filter((header) => header.name === name).map((header) => header.value)
}

/**
 * The last value of a header, as Kafka's Headers.lastHeader does: the most recently added wins.
 * undefined when the record has no such header; null when its last one has a null value.
 */
export function lastHeaderValue(headers: RecordHeaders, name: string): Buffer | null | undefined {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i].name === name) return headers[i].value
  return undefined
}

/** `--header k=v`: splits at the first `=`, so values may contain `=`; an empty value is allowed. */
export function parseHeaderFlag(text: string): {ok: true; name: string; value: string} | {ok: false; error: string} {
  const eq = text.indexOf('=')
  if (eq < 0) return {ok: false, error: `expected name=value, got "${text}"`}
  const name = text.slice(0, eq)
  if (name === '') return {ok: false, error: `header name is empty in "${text}"`}
  return {ok: true, name, value: text.slice(eq + 1)}
}
