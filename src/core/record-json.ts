/** `consume -o json`: a record as one JSON line (bytes encoded as in json-bytes). Pure. */
import {type JsonBytes, nullableBytesToJson} from './json-bytes.js'
import type {ConsumedRecord} from './record.js'
import type {RecordSchemas} from './schema-decoder.js'
import type {SchemaType} from './schema-wire.js'

/** Which registry schema decoded a key or value (consume -o json with a Schema Registry). */
export interface SchemaRef {
  id: number
  type: SchemaType
  subject?: string
}

export interface RecordJson {
  topic: string
  partition: number
  offset: number
  timestamp: number
  /** Decoded with a registry schema: the decoded value (keySchema says which schema). */
  key: JsonBytes | null | unknown
  value: JsonBytes | null | unknown
  keySchema?: SchemaRef
  valueSchema?: SchemaRef
  /** kcat -J's form: ["name", value, "name", value, ...] in record order, repeats kept, null values null. */
  headers: Array<string | JsonBytes | null>
}

export function recordToJson(record: ConsumedRecord, schemas?: RecordSchemas): RecordJson {
  const headers: Array<string | JsonBytes | null> = []
  for (const {name, value} of record.headers) headers.push(name, nullableBytesToJson(value))
  return {
    topic: record.topic,
    partition: record.partition,
    // Offsets and timestamps stay far below 2^53 in practice; numbers are what jq users expect.
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: schemas?.key === undefined ? nullableBytesToJson(record.key) : schemas.key.value,
    value: schemas?.value === undefined ? nullableBytesToJson(record.value) : schemas.value.value,
    ...(schemas?.key === undefined ? {} : {keySchema: schemaRef(schemas.key)}),
    ...(schemas?.value === undefined ? {} : {valueSchema: schemaRef(schemas.value)}),
    headers,
  }
}

function schemaRef(decoded: NonNullable<RecordSchemas['value']>): SchemaRef {
  return {id: decoded.schemaId, type: decoded.type, ...(decoded.subject === undefined ? {} : {subject: decoded.subject})}
}

/** One line of `consume -o json`, without the trailing newline. Always valid UTF-8. */
export function recordToJsonLine(record: ConsumedRecord, schemas?: RecordSchemas): string {
  return JSON.stringify(recordToJson(record, schemas))
}
