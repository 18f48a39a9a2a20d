/**
 * kafkajs 2.2.4's Produce request (v3, which v4..v7 reuse) and request framing, byte for byte,
 * without its per-record objects. kafkajs encodes every record into a new Encoder (a zero-filled
 * 512-byte Buffer, a Buffer per varint, a copy of the record into the batch, the batch into the
 * partition, the partition into the request and the request twice more into its frame) and takes
 * the CRC-32C one byte at a time: that was most of `kafkit produce`'s CPU (profile of 1M × 100 B:
 * produce/v3/request.js's record map 19 %, GC 15 %, Buffer allocation and copies 20 %, CRC 4 %).
 *
 * Here each partition's record batch is sized first, then written once into one buffer, and the
 * CRC-32C is computed slice-by-8. Anything outside the shapes kafkit and kafkajs's own callers
 * use (keys, values and header values that are Buffers, strings or null; timestamps that make
 * integer deltas) is encoded by kafkajs's own code, so the bytes are always the original's.
 * test/unit/kafka/produce-encoder.test.ts compares both for every kind of input.
 */

// ---------------------------------------------------------------------------------------------
// CRC-32C (Castagnoli), slice-by-8

const CRC_TABLE = (() => {
  const table = new Int32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    table[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = table[n]
    for (let k = 1; k < 8; k++) {
      c = table[c & 0xff] ^ (c >>> 8)
      table[k * 256 + n] = c
    }
  }
  return table
})()

/** CRC-32C of buf[start, end), unsigned. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const t = CRC_TABLE
  let crc = -1
  let i = start
  for (const last = end - 8; i <= last; i += 8) {
    const a = crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24))
    crc =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + buf[i + 4]] ^
      t[512 + buf[i + 5]] ^
      t[256 + buf[i + 6]] ^
      t[buf[i + 7]]
  }
  for (; i < end; i++) crc = t[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

// ---------------------------------------------------------------------------------------------
// varints, as kafkajs's Encoder writes them

/** kafkajs's zigzag of a 32-bit varint (its writeVarInt), as the unsigned value written. */
const zigzag32 = (value: number): number => ((value << 1) ^ (value >> 31)) >>> 0

function sizeOfUVarInt(value: number): number {
  let bytes = 1
  while ((value & 0xffffff80) !== 0) {
    bytes++
    value >>>= 7
  }
  return bytes
}

function writeUVarInt(buf: Buffer, offset: number, value: number): number {
  while ((value & 0xffffff80) !== 0) {
    buf[offset++] = (value & 0x7f) | 0x80
    value >>>= 7
  }
  buf[offset++] = value & 0x7f
  return offset
}

/** Deltas this fast path writes as varlongs: integers whose zigzag is exact in a double. */
const MAX_DELTA = 2 ** 51

function sizeOfZigZagLong(z: number): number {
  let bytes = 1
  while (z >= 128) {
    bytes++
    z = Math.floor(z / 128)
  }
  return bytes
}

function writeZigZagLong(buf: Buffer, offset: number, z: number): number {
  while (z >= 128) {
    buf[offset++] = (z % 128) | 0x80
    z = Math.floor(z / 128)
  }
  buf[offset++] = z
  return offset
}

// ---------------------------------------------------------------------------------------------
// kafkajs's modules, as far as this uses them

export interface KafkaJsEncoder {
  buf: Buffer
  offset: number
  readonly buffer: Buffer
  size(): number
  writeInt8(v: number): KafkaJsEncoder
  writeInt16(v: number): KafkaJsEncoder
  writeInt32(v: number): KafkaJsEncoder
  writeUInt32(v: number): KafkaJsEncoder
  writeInt64(v: unknown): KafkaJsEncoder
  writeString(v: string | null): KafkaJsEncoder
  writeArray(v: unknown[], type?: string): KafkaJsEncoder
  writeEncoder(v: KafkaJsEncoder): KafkaJsEncoder
}
export interface KafkaJsEncoderClass {
  new (initialSize?: number): KafkaJsEncoder
}

export interface ProduceModules {
  Encoder: KafkaJsEncoderClass
  Long: {fromInt(v: number): unknown}
  /** kafkajs's recordBatch/v0 RecordBatch (for the shapes the fast path leaves to it). */
  RecordBatch(args: Record<string, unknown>): Promise<KafkaJsEncoder>
  /** The record/v0 encoder kafkajs uses (kafkit's, with header lists). */
  Record(args: Record<string, unknown>): KafkaJsEncoder
  lookupCodec(type: number): {compress(encoder: KafkaJsEncoder): Promise<Buffer>} | null
  apiKey: number
  COMPRESSION_NONE: number
  COMPRESSION_CODEC_MASK: number
}

/** An Encoder holding exactly `buffer` (what kafkajs's callers read: .buf, .buffer, .size()). */
function encoderOf(Encoder: KafkaJsEncoderClass, buffer: Buffer): KafkaJsEncoder {
  const encoder = new Encoder(0)
  encoder.buf = buffer
  encoder.offset = buffer.length
  return encoder
}

// ---------------------------------------------------------------------------------------------
// one partition's record set

interface Message {
  key?: unknown
  value?: unknown
  headers?: unknown
  timestamp?: unknown
}

/** A key, value or header value: its length (-1 for null), or undefined when not a simple shape. */
function bytesLength(value: unknown): number | undefined {
  if (value === null || value === undefined) return -1
  if (Buffer.isBuffer(value)) return value.length
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8')
  return undefined
}

function writeBytes(buf: Buffer, offset: number, value: unknown, length: number): number {
  offset = writeUVarInt(buf, offset, zigzag32(length))
  if (length <= 0) return offset
  if (typeof value === 'string') buf.write(value, offset, length, 'utf8')
  else (value as Buffer).copy(buf, offset)
  return offset + length
}

/** The header list kafkit's record encoder writes: the list form as given, the object form flattened. */
function headerList(headers: unknown): Array<{name: unknown; value: unknown}> | undefined {
  if (headers === undefined) return []
  if (Array.isArray(headers)) return headers as Array<{name: unknown; value: unknown}>
  if (headers === null || typeof headers !== 'object') return undefined
  const list: Array<{name: unknown; value: unknown}> = []
  for (const name of Object.keys(headers)) {
    const value = (headers as Record<string, unknown>)[name]
    for (const one of Array.isArray(value) ? value : [value]) list.push({name, value: one})
  }
  return list
}

/** Sizes of a partition's records, or undefined when one is not a shape the fast path writes. */
interface Plan {
  /** Per record: body size, zigzagged timestamp delta, key, value lengths; header lists apart. */
  sizes: Float64Array
  headers: Array<Array<{name: unknown; value: unknown}>>
  recordsBytes: number
}

function plan(messages: readonly Message[], dateNow: number, firstTimestamp: unknown): Plan | undefined {
  const n = messages.length
  const sizes = new Float64Array(n * 4)
  const headers: Plan['headers'] = new Array(n)
  let recordsBytes = 0
  for (let i = 0; i < n; i++) {
    const m = messages[i]
    const delta = ((m.timestamp || dateNow) as number) - (firstTimestamp as number)
    if (!Number.isSafeInteger(delta) || Math.abs(delta) > MAX_DELTA) return undefined
    const z = delta >= 0 ? delta * 2 : -delta * 2 - 1
    const keyLength = bytesLength(m.key)
    const valueLength = bytesLength(m.value)
    const list = headerList(m.headers)
    if (keyLength === undefined || valueLength === undefined || list === undefined) return undefined
    let body = 1 + sizeOfZigZagLong(z) + sizeOfUVarInt(zigzag32(i))
    body += sizeOfUVarInt(zigzag32(keyLength)) + Math.max(keyLength, 0)
    body += sizeOfUVarInt(zigzag32(valueLength)) + Math.max(valueLength, 0)
    body += sizeOfUVarInt(zigzag32(list.length))
    for (const h of list) {
      if (typeof h?.name !== 'string') return undefined
      const nameLength = Buffer.byteLength(h.name, 'utf8')
      const valueLength = bytesLength(h.value)
      if (valueLength === undefined) return undefined
      body += sizeOfUVarInt(zigzag32(nameLength)) + nameLength + sizeOfUVarInt(zigzag32(valueLength)) + Math.max(valueLength, 0)
    }
    sizes[i * 4] = body
    sizes[i * 4 + 1] = z
    sizes[i * 4 + 2] = keyLength
    sizes[i * 4 + 3] = valueLength
    headers[i] = list
    recordsBytes += sizeOfUVarInt(zigzag32(body)) + body
  }
  return {sizes, headers, recordsBytes}
}

function writeRecords(buf: Buffer, offset: number, messages: readonly Message[], p: Plan): number {
  const {sizes} = p
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]
    offset = writeUVarInt(buf, offset, zigzag32(sizes[i * 4]))
    buf[offset++] = 0 // attributes
    offset = writeZigZagLong(buf, offset, sizes[i * 4 + 1])
    offset = writeUVarInt(buf, offset, zigzag32(i))
    offset = writeBytes(buf, offset, m.key, sizes[i * 4 + 2])
    offset = writeBytes(buf, offset, m.value, sizes[i * 4 + 3])
    const list = p.headers[i]
    offset = writeUVarInt(buf, offset, zigzag32(list.length))
    for (const h of list) {
      offset = writeBytes(buf, offset, h.name, Buffer.byteLength(h.name as string, 'utf8'))
      offset = writeBytes(buf, offset, h.value, bytesLength(h.value)!)
    }
  }
  return offset
}

/**
 * Bytes before the records of a partition entry:
 *   Partition Int32, RecordSetSize Int32, FirstOffset Int64, Length Int32, PartitionLeaderEpoch Int32,
 *   Magic Int8, CRC UInt32 | Attributes Int16 ... FirstSequence Int32 (the CRC covers from Attributes on).
 */
const PREFIX = 4 + 4 + 8 + 4 + 4 + 1 + 4
const CRC_START = PREFIX

export function produceEncoding(mods: ProduceModules) {
  const {Encoder, Long} = mods

  /** kafkajs's produce/v3 partitionsEncoder, unchanged (the shapes the fast path does not write). */
  async function kafkaJsPartition(args: {partition: number; messages: Message[]; compression: number; transactionalId: unknown; firstSequence?: unknown; producerId: unknown; producerEpoch: unknown}) {
    const {partition, messages, compression, transactionalId, firstSequence, producerId, producerEpoch} = args
    const dateNow = Date.now()
    const messageTimestamps = messages
      .map((m) => m.timestamp)
      .filter((timestamp) => timestamp != null)
      .sort()
    const timestamps = messageTimestamps.length === 0 ? [dateNow] : messageTimestamps
    const firstTimestamp = timestamps[0]
    const maxTimestamp = timestamps[timestamps.length - 1]
    const records = messages.map((message, i) =>
      mods.Record({...message, offsetDelta: i, timestampDelta: (((message.timestamp || dateNow) as number) - (firstTimestamp as number))}),
    )
    const recordBatch = await mods.RecordBatch({
      compression,
      records,
      firstTimestamp,
      maxTimestamp,
      producerId,
      producerEpoch,
      firstSequence,
      transactional: !!transactionalId,
      lastOffsetDelta: records.length - 1,
    })
    return new Encoder().writeInt32(partition).writeInt32(recordBatch.size()).writeEncoder(recordBatch).buffer
  }

  /** One partition entry (partition + record set), as kafkajs's produce/v3 writes it. */
  async function partitionEntry(args: {partition: number; messages: Message[]; compression: number; transactionalId: unknown; firstSequence?: unknown; producerId: unknown; producerEpoch: unknown}): Promise<Buffer> {
    const {messages, compression} = args
    if (messages.length === 0 || (compression & mods.COMPRESSION_CODEC_MASK) !== compression) return kafkaJsPartition(args)
    const dateNow = Date.now()
    let firstTimestamp: unknown = dateNow
    let maxTimestamp: unknown = dateNow
    if (messages.some((m) => m.timestamp != null)) {
      const sorted = messages
        .map((m) => m.timestamp)
        .filter((timestamp) => timestamp != null)
        .sort()
      firstTimestamp = sorted[0]
      maxTimestamp = sorted[sorted.length - 1]
    }
    const p = plan(messages, dateNow, firstTimestamp)
    if (p === undefined) return kafkaJsPartition(args)

    const attributes = compression | (args.transactionalId ? 16 : 0)
    const header = new Encoder(64)
      .writeInt16(attributes)
      .writeInt32(messages.length - 1)
      .writeInt64(firstTimestamp)
      .writeInt64(maxTimestamp)
      .writeInt64(args.producerId)
      .writeInt16(args.producerEpoch as number)
      .writeInt32((args.firstSequence === undefined ? 0 : args.firstSequence) as number)
      .writeInt32(messages.length).buffer

    let buf: Buffer
    let end: number
    if (compression === mods.COMPRESSION_NONE) {
      buf = Buffer.allocUnsafe(PREFIX + header.length + p.recordsBytes)
      header.copy(buf, PREFIX)
      end = writeRecords(buf, PREFIX + header.length, messages, p)
    } else {
      const records = Buffer.allocUnsafe(p.recordsBytes)
      writeRecords(records, 0, messages, p)
      const compressed = await mods.lookupCodec(compression)!.compress(encoderOf(Encoder, records))
      buf = Buffer.allocUnsafe(PREFIX + header.length + compressed.length)
      header.copy(buf, PREFIX)
      compressed.copy(buf, PREFIX + header.length)
      end = buf.length
    }
    if (end !== buf.length) throw new Error(`kafkit produce encoder: wrote ${end - PREFIX} bytes of ${buf.length - PREFIX}`)
    buf.writeInt32BE(args.partition, 0)
    buf.writeInt32BE(buf.length - 8, 4) // the record set: FirstOffset, Length and the batch
    const firstOffset = new Encoder(8).writeInt64(Long.fromInt(0)).buffer
    firstOffset.copy(buf, 8)
    buf.writeInt32BE(buf.length - 20, 16) // the batch: from PartitionLeaderEpoch to the end
    buf.writeInt32BE(0, 20) // partition leader epoch
    buf[24] = 2 // magic
    buf.writeUInt32BE(crc32c(buf, CRC_START, buf.length), 25)
    return buf
  }

  /** kafkajs's produce/v3 request builder. */
  function request({
    acks,
    timeout,
    transactionalId = null,
    producerId = Long.fromInt(-1),
    producerEpoch = 0,
    compression = mods.COMPRESSION_NONE,
    topicData,
  }: {
    acks: number
    timeout: number
    transactionalId?: string | null
    producerId?: unknown
    producerEpoch?: number
    compression?: number
    topicData: Array<{topic: string; partitions: Array<{partition: number; messages: Message[]; firstSequence?: unknown}>}>
  }) {
    return {
      apiKey: mods.apiKey,
      apiVersion: 3,
      apiName: 'Produce',
      expectResponse: () => acks !== 0,
      encode: async () => {
        const head = new Encoder().writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeInt32(topicData.length).buffer
        const parts: Buffer[] = [head]
        for (const data of topicData) {
          parts.push(new Encoder().writeString(data.topic).writeInt32(data.partitions.length).buffer)
          for (const entry of data.partitions) {
            parts.push(await partitionEntry({...entry, compression, transactionalId, producerId, producerEpoch}))
          }
        }
        return encoderOf(Encoder, parts.length === 1 ? parts[0] : Buffer.concat(parts))
      },
    }
  }

  return {request, partitionEntry}
}

/**
 * kafkajs's protocol/request.js (Size, ApiKey, ApiVersion, CorrelationId, ClientId, payload), with
 * the payload copied once into a buffer of the exact size (kafkajs copies it twice, into buffers
 * grown to the next power of two).
 */
export function requestFraming(Encoder: KafkaJsEncoderClass) {
  return async ({correlationId, clientId, request: {apiKey, apiVersion, encode}}: {correlationId: number; clientId: string | null; request: {apiKey: number; apiVersion: number; encode(): Promise<KafkaJsEncoder> | KafkaJsEncoder}}) => {
    const payload = (await encode()).buffer
    const head = new Encoder().writeInt32(0).writeInt16(apiKey).writeInt16(apiVersion).writeInt32(correlationId).writeString(clientId).buffer
    const frame = Buffer.allocUnsafe(head.length + payload.length)
    head.copy(frame, 0)
    payload.copy(frame, head.length)
    frame.writeInt32BE(frame.length - 4, 0)
    return encoderOf(Encoder, frame)
  }
}
