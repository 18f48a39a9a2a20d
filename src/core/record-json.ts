/** `consume -o json`: a record as one JSON line (bytes encoded as in json-bytes). Pure. */
import {type JsonBytes, nullableBytesToJson} from './json-bytes.js'
import type {ConsumedRecord} from './record.js'

export interface RecordJson {
  topic: string
  partition: number
  offset: number
  timestamp: number
  key: JsonBytes | null
  value: JsonBytes | null
  /** kcat -J's form: ["name", value, "name", value, ...] in record order, repeats kept, null values null. */
  headers: Array<string | JsonBytes | null>
}

export function recordToJson(record: ConsumedRecord): RecordJson {
  const headers: Array<string | JsonBytes | null> = []
  for (const {name, value} of record.headers) headers.push(name, nullableBytesToJson(value))
  return {
    topic: record.topic,
    partition: record.partition,
    // Offsets and timestamps stay far below 2^53 in practice; numbers are what jq users expect.
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: nullableBytesToJson(record.key),
    value: nullableBytesToJson(record.value),
    headers,
  }
}

/** One line of `consume -o json`, without the trailing newline. Always valid UTF-8. */
export function recordToJsonLine(record: ConsumedRecord): string {
  return JSON.stringify(recordToJson(record))
}
