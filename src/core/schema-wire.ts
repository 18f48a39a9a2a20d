/**
 * The Confluent Schema Registry wire format of keys and values: magic byte 0, the schema id as a
 * 4-byte big-endian int, then the encoded data. Protobuf data starts with the message indexes
 * (which message of the .proto file: a zigzag varint count, then that many zigzag varints; a lone
 * 0 means the first message). Pure.
 */
import {Buffer} from 'node:buffer'

export const MAGIC_BYTE = 0
export const WIRE_HEADER_SIZE = 5

export type SchemaType = 'AVRO' | 'PROTOBUF' | 'JSON'
export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'PROTOBUF', 'JSON']

export interface WireFrame {
  schemaId: number
  /** What follows the 5-byte header (for Protobuf, message indexes first). */
  payload: Buffer
}

/** The frame of bytes in the wire format; undefined for anything else (text, JSON, other binary). */
export function parseWireFrame(bytes: Buffer | null | undefined): WireFrame | undefined {
  if (!bytes || bytes.length < WIRE_HEADER_SIZE || bytes[0] !== MAGIC_BYTE) return undefined
  const schemaId = bytes.readInt32BE(1)
  // Registries hand out positive ids; a negative one is not this format.
  if (schemaId < 0) return undefined
  return {schemaId, payload: bytes.subarray(WIRE_HEADER_SIZE)}
}

/** Magic byte, schema id, payload. */
export function frameWire(schemaId: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(WIRE_HEADER_SIZE)
  header.writeUInt8(MAGIC_BYTE, 0)
  header.writeInt32BE(schemaId, 1)
  return Buffer.concat([header, payload])
}

/** A zigzag-encoded varint at `offset`: its value and the offset after it. */
function readZigzagVarint(bytes: Uint8Array, offset: number): {value: number; next: number} | undefined {
  let result = 0
  let shift = 0
  let i = offset
  for (;;) {
    if (i >= bytes.length || shift > 28) return undefined
    const b = bytes[i++]
    result |= (b & 0x7f) << shift
    if ((b & 0x80) === 0) break
    shift += 7
  }
  return {value: (result >>> 1) ^ -(result & 1), next: i}
}

function writeZigzagVarint(value: number, out: number[]): void {
  let n = ((value << 1) ^ (value >> 31)) >>> 0
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
}

/**
 * The message indexes at the start of a Protobuf payload and the message bytes after them.
 * [0] is the first message of the file, [1, 0] the first nested message of the second, ...
 */
export function parseMessageIndexes(payload: Buffer): {ok: true; indexes: number[]; message: Buffer} | {ok: false; error: string} {
  const count = readZigzagVarint(payload, 0)
  if (count === undefined || count.value < 0 || count.value > 100) return {ok: false, error: 'no Protobuf message indexes after the schema id'}
  if (count.value === 0) return {ok: true, indexes: [0], message: payload.subarray(count.next)}
  const indexes: number[] = []
  let at = count.next
  for (let i = 0; i < count.value; i++) {
    const index = readZigzagVarint(payload, at)
    if (index === undefined || index.value < 0) return {ok: false, error: 'truncated Protobuf message indexes'}
    indexes.push(index.value)
    at = index.next
  }
  return {ok: true, indexes, message: payload.subarray(at)}
}

/** The message-index prefix for a message: [0] is the single byte 0, as Confluent's serializer writes it. */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0])
  const out: number[] = []
  writeZigzagVarint(indexes.length, out)
  for (const index of indexes) writeZigzagVarint(index, out)
  return Buffer.from(out)
}

/** `orders-value` or `orders-value:3` (a version number or `latest`). */
export function parseSubjectVersion(text: string): {ok: true; subject: string; version: number | 'latest'} | {ok: false; error: string} {
  const m = /^(.+?)(?::(\d+|latest))?$/.exec(text.trim())
  if (!m || m[1] === '') return {ok: false, error: `"${text}" is not SUBJECT or SUBJECT:VERSION`}
  const version = m[2] === undefined || m[2] === 'latest' ? 'latest' : Number(m[2])
  if (version !== 'latest' && (!Number.isSafeInteger(version) || version < 1)) return {ok: false, error: `"${text}": a version is a number from 1`}
  return {ok: true, subject: m[1], version}
}

/**
 * A decoded value as JSON: bytes (Avro bytes/fixed, Protobuf bytes) as {"base64"} like the rest
 * of kafkit's JSON, bigints as numbers when exact and strings otherwise, Maps as objects.
 */
export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value)
  if (typeof value !== 'object') return value
  if (value instanceof Uint8Array) return {base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}
  if (Array.isArray(value)) return value.map(jsonSafe)
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), jsonSafe(v)]))
  if (value instanceof Date) return value.toISOString()
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonSafe(v)
  return out
}
