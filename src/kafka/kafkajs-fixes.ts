/**
 * Fixes for kafkajs 2.2.4 internals, installed before kafkajs is first loaded. Each one replaces a
 * kafkajs module in the require cache, only on that version (pinned in package.json) and only if
 * kafkajs has not loaded the module yet.
 *
 * groupMessagesPerPartition copies the partition's array for every message
 * (`[...current, message]`), which is quadratic in the batch size: for batches of a few thousand
 * messages it was the biggest cost of `kafkit produce` (kafkajs PR #1576, never released). The
 * replacement is the same function, linear: same partitioner calls in the same order, the same
 * result shape ({[partition]: messages in input order}).
 *
 * Record headers. On the wire a record's headers are an ordered list of (name, bytes or null);
 * names may repeat and interleave. kafkajs models them as an object keyed by name: its decoder
 * folds repeats into arrays (interleaving is lost; `constructor`, `toString` and other built-in
 * names collide with Object.prototype), and its encoder cannot write a null value (kafkajs #1789:
 * Buffer.byteLength(null) throws). The replacements:
 *  - record decoder: the same record, plus `headerList`, the headers exactly as on the wire
 *    ({name, value: Buffer | null} in order). `headers` stays kafkajs's object, built without the
 *    prototype collisions.
 *  - record encoder: `headers` may also be such a list, written in order; the object form kafkajs's
 *    own callers use still works, and in both a null value is written as null (length -1).
 * kafkit reads and writes headers only through recordHeaders() and kafkaJsHeaders() below.
 *
 * Metadata. kafkajs's Metadata response parser throws on the first partition error anywhere in
 * the response. An offline partition (leader -1) comes back as LEADER_NOT_AVAILABLE, so one dead
 * RF-1 topic made every metadata read fail: listing topics, describing healthy ones, producing to
 * them, cluster health. The replacement keeps such partitions, with their error code and leader
 * -1, as the Java client does; topic-level errors and other partition errors still throw.
 *
 * Retried sends. kafkajs's sendMessages sends one Produce per leader and retries when one fails,
 * resending only to brokers without an answer. But it retries as soon as the first request fails
 * (Promise.all), while the others are still in flight: those still have no answer, so the retry
 * sends their records again, with the next sequence numbers, which the broker accepts as new
 * records. Inside a transaction both copies commit. Seen when a DLQ replay's AddPartitionsToTxn
 * met CONCURRENT_TRANSACTIONS during a coordinator failover: 2,341 records in the target for 2,000
 * (read_committed). The patched module waits for every request of an attempt to settle before
 * retrying, so only the brokers whose request failed are sent to again.
 *
 * Throughput (issue #16). The Produce request (v3..v7) and the request framing are replaced by
 * produce-encoder.ts (one buffer per request, no per-record objects, CRC-32C slice-by-8), installed
 * with the record encoder above and written the same. Consuming, the record decoder reads the
 * timestamp delta and sums offsets and timestamps in plain numbers where they are exact (kafkajs
 * used a BigInt per varint byte and per sum), builds kafkajs's `headers` object only when read,
 * and consumer/batch.js compares offsets the same way (BATCH_OFFSET_PATCH).
 */
import {readFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {dirname} from 'node:path'

import type {IHeaders} from 'kafkajs'

import type {RecordHeader} from '../core/record.js'
import {METADATA_REFRESH_PATCHES} from './kafkajs-metadata-fix.js'
import {type KafkaJsEncoderClass as KafkaJsEncoderClassForProduce, type ProduceModules, produceEncoding, requestFraming} from './produce-encoder.js'

const require = createRequire(import.meta.url)

type Partitioner = (args: {topic: string; partitionMetadata: unknown[]; message: unknown}) => number

function groupMessagesPerPartition({topic, partitionMetadata, messages, partitioner}: {topic: string; partitionMetadata: unknown[]; messages: unknown[]; partitioner: Partitioner}) {
  const result: Record<number, unknown[]> = {}
  if (partitionMetadata.length === 0) return result
  for (const message of messages) {
    const partition = partitioner({topic, partitionMetadata, message})
    ;(result[partition] ??= []).push(message)
  }
  return result
}

// ---------------------------------------------------------------------------------------------
// Record headers

/** kafkajs's protocol Encoder/Decoder, as far as records use them. */
interface KafkaJsEncoder {
  writeVarInt(n: number): KafkaJsEncoder
  writeInt8(n: number): KafkaJsEncoder
  writeVarLong(n: unknown): KafkaJsEncoder
  writeVarIntString(s: string | null): KafkaJsEncoder
  writeVarIntBytes(b: unknown): KafkaJsEncoder
  writeVarIntArray(items: KafkaJsEncoder[]): KafkaJsEncoder
}
interface KafkaJsEncoderClass {
  new (): KafkaJsEncoder
  sizeOfVarInt(n: number): number
  sizeOfVarLong(n: unknown): number
  sizeOfVarIntBytes(b: unknown): number
}
interface KafkaJsDecoder {
  buffer: Buffer
  offset: number
  readInt8(): number
  readVarInt(): number
  readVarLong(): unknown
  readVarIntString(): string
  readVarIntBytes(): Buffer | null
}
interface KafkaJsLong {
  fromValue(v: unknown): {add(v: unknown): {toString(): string}}
}

/** Header values kafkajs's callers may pass: bytes, text, or (now) null. */
type HeaderValue = Buffer | string | null

/** Sets an own property, also for `__proto__`, whose inherited setter plain assignment would call. */
function defineHeader(object: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(object, name, {value, enumerable: true, writable: true, configurable: true})
  else object[name] = value
}

/** kafkajs's object form of a header list: one value, or an array when the name repeats. */
function headersObject(list: readonly RecordHeader[]): Record<string, unknown> {
  const object: Record<string, unknown> = {}
  for (const {name, value} of list) {
    if (!Object.hasOwn(object, name)) defineHeader(object, name, value)
    else defineHeader(object, name, Array.isArray(object[name]) ? [...(object[name] as unknown[]), value] : [object[name], value])
  }
  return object
}

/** The list to write, in order: the list form as given, the object form flattened as kafkajs does. */
function headersToWrite(headers: unknown): Array<{name: string; value: HeaderValue}> {
  if (Array.isArray(headers)) return headers as Array<{name: string; value: HeaderValue}>
  const list: Array<{name: string; value: HeaderValue}> = []
  for (const name of Object.keys(headers ?? {})) {
    const value = (headers as Record<string, HeaderValue | HeaderValue[]>)[name]
    for (const one of Array.isArray(value) ? value : [value]) list.push({name, value: one})
  }
  return list
}

function recordEncoder(Encoder: KafkaJsEncoderClass) {
  /** kafkajs's record/v0 encoder (Record => Length Attributes TimestampDelta OffsetDelta Key Value [Header]). */
  return ({offsetDelta = 0, timestampDelta = 0, key, value, headers = {}}: {offsetDelta?: number; timestampDelta?: unknown; key: unknown; value: unknown; headers?: unknown}) => {
    const list = headersToWrite(headers)
    let headersSize = Encoder.sizeOfVarInt(list.length)
    for (const header of list) {
      const nameSize = Buffer.byteLength(header.name)
      headersSize += Encoder.sizeOfVarInt(nameSize) + nameSize + Encoder.sizeOfVarIntBytes(header.value)
    }
    const sizeOfBody =
      1 + // attributes
      Encoder.sizeOfVarLong(timestampDelta) +
      Encoder.sizeOfVarInt(offsetDelta) +
      Encoder.sizeOfVarIntBytes(key) +
      Encoder.sizeOfVarIntBytes(value) +
      headersSize
    return new Encoder()
      .writeVarInt(sizeOfBody)
      .writeInt8(0) // no record attributes are used
      .writeVarLong(timestampDelta)
      .writeVarInt(offsetDelta)
      .writeVarIntBytes(key)
      .writeVarIntBytes(value)
      .writeVarIntArray(list.map((header) => new Encoder().writeVarIntString(header.name).writeVarIntBytes(header.value)))
  }
}

/**
 * A zigzag varlong of at most 7 bytes (|value| < 2^48, exact in a double), as a number, with the
 * decoder moved past it; undefined for a longer one (the caller reads it again with readVarLong).
 */
export function readSmallVarLong(decoder: {buffer: Buffer; offset: number}): number | undefined {
  const {buffer} = decoder
  let offset = decoder.offset
  let z = 0
  let scale = 1
  for (let i = 0; i < 7; i++) {
    const byte = buffer[offset++]
    if (byte === undefined) return undefined
    z += (byte & 0x7f) * scale
    if (byte < 0x80) {
      decoder.offset = offset
      return z % 2 === 0 ? z / 2 : -(z + 1) / 2
    }
    scale *= 128
  }
  return undefined
}

/**
 * `base` (a decimal string, as kafkajs's batch decoder gives it) + `delta` as kafkajs's Long
 * writes it, when exact in a double. Each caller keeps its own one-entry cache of `base` (every
 * record of a batch has the same one).
 */
export function safeSummer(): (base: unknown, delta: number) => string | undefined {
  let lastBase: unknown
  let lastNumber = Number.NaN
  return (base, delta) => {
    if (base !== lastBase) {
      lastBase = base
      const n = typeof base === 'string' ? Number(base) : Number.NaN
      lastNumber = Number.isSafeInteger(n) && String(n) === base ? n : Number.NaN
    }
    const sum = lastNumber + delta
    return Number.isSafeInteger(sum) ? String(sum) : undefined
  }
}

function recordDecoder(Long: KafkaJsLong, LOG_APPEND_TIME: number) {
  const timestampSum = safeSummer()
  const offsetSum = safeSummer()
  /** kafkajs's record/v0 decoder, field for field, plus headerList. */
  return (decoder: KafkaJsDecoder, batchContext: Record<string, any> = {}) => {
    const {firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp} = batchContext
    const attributes = decoder.readInt8()
    // kafkajs's readVarLong and Long sums allocate a BigInt per byte and per field: the same
    // values in plain numbers where they are exact (a delta of up to 7 bytes, safe sums).
    const start = decoder.offset
    const delta = readSmallVarLong(decoder)
    let timestamp: string
    if (delta === undefined) {
      decoder.offset = start
      const timestampDelta = decoder.readVarLong()
      timestamp = timestampType === LOG_APPEND_TIME && maxTimestamp ? maxTimestamp : Long.fromValue(firstTimestamp).add(timestampDelta).toString()
    } else if (timestampType === LOG_APPEND_TIME && maxTimestamp) {
      timestamp = maxTimestamp
    } else {
      timestamp = timestampSum(firstTimestamp, delta) ?? Long.fromValue(firstTimestamp).add(delta).toString()
    }
    const offsetDelta = decoder.readVarInt()
    const offset = offsetSum(firstOffset, offsetDelta) ?? Long.fromValue(firstOffset).add(offsetDelta).toString()
    const key = decoder.readVarIntBytes()
    const value = decoder.readVarIntBytes()
    const count = decoder.readVarInt()
    const headerList: RecordHeader[] = []
    for (let i = 0; i < count; i++) headerList.push({name: decoder.readVarIntString(), value: decoder.readVarIntBytes()})
    return new DecodedRecord(magicByte, attributes, timestamp, offset, key, value, headerList, isControlBatch, batchContext)
  }
}

/**
 * A decoded record: kafkajs's fields plus headerList. kafkajs's `headers` object is built when
 * something reads it (kafkit reads headerList; building it for every record was a few percent of
 * a replay's CPU and an object per record to collect).
 */
class DecodedRecord {
  constructor(
    readonly magicByte: unknown,
    readonly attributes: number,
    readonly timestamp: string,
    readonly offset: string,
    readonly key: Buffer | null,
    readonly value: Buffer | null,
    readonly headerList: RecordHeader[],
    readonly isControlRecord: boolean,
    readonly batchContext: Record<string, any>,
  ) {}

  get headers(): Record<string, unknown> {
    const headers = headersObject(this.headerList)
    Object.defineProperty(this, 'headers', {value: headers, enumerable: true, writable: true, configurable: true})
    return headers
  }

  set headers(value: Record<string, unknown>) {
    Object.defineProperty(this, 'headers', {value, enumerable: true, writable: true, configurable: true})
  }
}

let headersFixed = false

/**
 * A consumed message's headers in wire order. Without the fix (another kafkajs version) only
 * kafkajs's object is there: its order and repeats are the best there is.
 */
export function recordHeaders(message: {headers?: unknown; headerList?: unknown}): RecordHeader[] {
  if (Array.isArray(message.headerList)) return message.headerList as RecordHeader[]
  const list: RecordHeader[] = []
  for (const [name, value] of Object.entries((message.headers ?? {}) as Record<string, unknown>)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined) list.push({name, value: one === null || Buffer.isBuffer(one) ? one : Buffer.from(String(one))})
    }
  }
  return list
}

/** Headers for a kafkajs message: the list itself when the fix is installed, else kafkajs's object. */
export function kafkaJsHeaders(headers: readonly RecordHeader[]): IHeaders {
  if (headersFixed) return headers as unknown as IHeaders
  return headersObject(headers) as IHeaders
}

// ---------------------------------------------------------------------------------------------
// Metadata

/** Partition errors that describe the partition (no leader, a replica down), not a failed request. */
export const PARTITION_STATE_ERRORS: ReadonlySet<number> = new Set([
  5, // LEADER_NOT_AVAILABLE: offline, or a leader not elected yet
  9, // REPLICA_NOT_AVAILABLE: a replica is down; leader and ISR are still valid
  72, // LISTENER_NOT_FOUND: the leader has no listener of this name (down or misconfigured)
])

interface MetadataResponse {
  topicMetadata: {topicErrorCode: number; partitionMetadata: {partitionErrorCode: number}[]}[]
}

/** kafkajs's metadata v0 parse (shared by v1..v6), keeping partitions in PARTITION_STATE_ERRORS. */
export function metadataParse(createErrorFromCode: (code: number) => Error) {
  return async <T extends MetadataResponse>(data: T): Promise<T> => {
    const topicError = data.topicMetadata.find((topic) => topic.topicErrorCode !== 0)
    if (topicError) throw createErrorFromCode(topicError.topicErrorCode)
    for (const topic of data.topicMetadata) {
      const failed = topic.partitionMetadata.find((p) => p.partitionErrorCode !== 0 && !PARTITION_STATE_ERRORS.has(p.partitionErrorCode))
      if (failed) throw createErrorFromCode(failed.partitionErrorCode)
    }
    return data
  }
}

// ---------------------------------------------------------------------------------------------

let installed = false

/** The one line of kafkajs 2.2.4's producer/sendMessages.js that the patch replaces, and its replacement. */
export const SEND_MESSAGES_PATCH = {
  file: 'producer/sendMessages.js',
  from: '        await Promise.all(requests)\n',
  to:
    '        // kafkit: every request of this attempt settles before a retry, which resends only\n' +
    '        // to the brokers whose request failed (the others answered; resending duplicates them).\n' +
    '        const settled = await Promise.allSettled(requests)\n' +
    "        const failed = settled.find(result => result.status === 'rejected')\n" +
    '        if (failed) throw failed.reason\n',
}

/**
 * kafkajs 2.2.4's consumer/batch.js compares every fetched message's offset with the fetched
 * offset through two BigInt Longs (11 % of `kafkit consume`'s CPU with the record decoder's,
 * and most of its garbage): the same comparison in numbers where both are exact.
 */
export const BATCH_OFFSET_PATCH = {
  file: 'consumer/batch.js',
  from: '    this.messagesWithinOffset = this.rawMessages.filter(message =>\n      Long.fromValue(message.offset).gte(longFetchedOffset)\n    )\n',
  to:
    '    // kafkit: offsets compared as numbers where both are exact (kafkajs-fixes.ts)\n' +
    '    const fetchedNumber = Number(this.fetchedOffset)\n' +
    '    const fastCompare = Number.isSafeInteger(fetchedNumber)\n' +
    '    this.messagesWithinOffset = this.rawMessages.filter(message =>\n' +
    "      fastCompare && typeof message.offset === 'string' && message.offset.length < 16\n" +
    '        ? Number(message.offset) >= fetchedNumber\n' +
    '        : Long.fromValue(message.offset).gte(longFetchedOffset)\n' +
    '    )\n',
}

/**
 * Loads kafkajs's `file` with `from` replaced by `to` into the require cache, unless kafkajs
 * already loaded it. The source must contain `from` exactly once, or nothing is replaced.
 */
export function patchModuleSource(file: string, from: string, to: string): boolean {
  const path = require.resolve(`kafkajs/src/${file}`)
  if (require.cache[path]) return false
  const source = readFileSync(path, 'utf8')
  if (source.split(from).length !== 2) return false
  const patched = new Module(path)
  patched.filename = path
  patched.paths = (Module as unknown as {_nodeModulePaths(dir: string): string[]})._nodeModulePaths(dirname(path))
  ;(patched as unknown as {_compile(code: string, file: string): void})._compile(source.replace(from, to), path)
  patched.loaded = true
  require.cache[path] = patched
  return true
}

/** Puts `exports` in the require cache at kafkajs's `file`, unless kafkajs already loaded its own. */
function replaceModule(file: string, exports: unknown): boolean {
  const path = require.resolve(`kafkajs/src/${file}`)
  if (require.cache[path]) return false
  const fixed = new Module(path)
  fixed.filename = path
  fixed.loaded = true
  fixed.exports = exports
  require.cache[path] = fixed
  return true
}

/**
 * The Produce request (v3, which v4..v7 reuse) and the request framing without per-record objects
 * (see produce-encoder.ts): installed with the record encoder above, which it writes the same as.
 */
function installProduceEncoder(Encoder: KafkaJsEncoderClassForProduce): void {
  const file = (name: string) => require.resolve(`kafkajs/src/protocol/${name}`)
  if (require.cache[file('requests/produce/v3/request.js')] || require.cache[file('request.js')]) return
  const compression = require(file('message/compression/index.js')) as {
    Types: {None: number}
    lookupCodec: ProduceModules['lookupCodec']
    COMPRESSION_CODEC_MASK: number
  }
  const {request} = produceEncoding({
    Encoder,
    Long: require('kafkajs/src/utils/long.js') as ProduceModules['Long'],
    RecordBatch: (require(file('recordBatch/v0/index.js')) as {RecordBatch: ProduceModules['RecordBatch']}).RecordBatch,
    Record: require(file('recordBatch/record/v0/index.js')) as ProduceModules['Record'],
    lookupCodec: compression.lookupCodec,
    apiKey: (require(file('requests/apiKeys.js')) as {Produce: number}).Produce,
    COMPRESSION_NONE: compression.Types.None,
    COMPRESSION_CODEC_MASK: compression.COMPRESSION_CODEC_MASK,
  })
  replaceModule('protocol/requests/produce/v3/request.js', request)
  replaceModule('protocol/request.js', requestFraming(Encoder))
  produceEncoderInstalled = true
}

/** Record headers (both or neither: a list must never reach kafkajs's own encoder), then the Produce encoder on top. */
function installRecordCodecs(): void {
  const Encoder = require('kafkajs/src/protocol/encoder.js') as KafkaJsEncoderClass
  const Long = require('kafkajs/src/utils/long.js') as KafkaJsLong
  const {LOG_APPEND_TIME} = require('kafkajs/src/protocol/timestampTypes.js') as {LOG_APPEND_TIME: number}
  const path = (file: string) => require.resolve(`kafkajs/src/protocol/recordBatch/record/v0/${file}`)
  if (require.cache[path('index.js')] || require.cache[path('decoder.js')]) return
  replaceModule('protocol/recordBatch/record/v0/index.js', recordEncoder(Encoder))
  replaceModule('protocol/recordBatch/record/v0/decoder.js', recordDecoder(Long, LOG_APPEND_TIME))
  headersFixed = true
  installProduceEncoder(Encoder as unknown as KafkaJsEncoderClassForProduce)
}

/** Whether kafkajs encodes Produce requests with produce-encoder.ts (for tests). */
export let produceEncoderInstalled = false

export function installKafkaJsFixes(): void {
  if (installed) return
  installed = true
  try {
    // Written for kafkajs 2.2.4 (pinned in package.json): only that version gets the replacements.
    if ((require('kafkajs/package.json') as {version: string}).version !== '2.2.4') return
    // First: the Produce encoder replaces protocol/request.js, which the patches below load.
    installRecordCodecs()
    patchModuleSource(BATCH_OFFSET_PATCH.file, BATCH_OFFSET_PATCH.from, BATCH_OFFSET_PATCH.to)
    replaceModule('producer/groupMessagesPerPartition.js', groupMessagesPerPartition)
    patchModuleSource(SEND_MESSAGES_PATCH.file, SEND_MESSAGES_PATCH.from, SEND_MESSAGES_PATCH.to)
    for (const patch of METADATA_REFRESH_PATCHES) patchModuleSource(patch.file, patch.from, patch.to)
    // Metadata v1..v6 take v0's parse when they load: replace v0 before any of them loads.
    if (!require.cache[require.resolve('kafkajs/src/protocol/requests/metadata/v1/response.js')]) {
      const metadataV0 = require.resolve('kafkajs/src/protocol/requests/metadata/v0/response.js')
      const {decode} = require(metadataV0) as {decode: unknown}
      const {createErrorFromCode} = require('kafkajs/src/protocol/error.js') as {createErrorFromCode: (code: number) => Error}
      delete require.cache[metadataV0]
      replaceModule('protocol/requests/metadata/v0/response.js', {decode, parse: metadataParse(createErrorFromCode)})
    }
  } catch {
    // kafkajs's own modules stay in place.
  }
}
