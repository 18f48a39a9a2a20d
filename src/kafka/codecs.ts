/**
 * Compression codecs kafkajs lacks out of the box (it only has gzip): snappy, lz4 and zstd,
 * registered into kafkajs's CompressionCodecs table so producers can write them and consumers
 * can read batches other clients (librdkafka, the Java client) compressed with them.
 *
 * The codec packages are loaded on first use, not at registration, so a command that never
 * meets a compressed batch does not pay for them (zstd is WebAssembly, initialised once).
 */
import {createRequire} from 'node:module'

type KafkaJs = typeof import('kafkajs')

/** kafkajs's codec interface: compress gets its Encoder (bytes in `.buffer`). */
export interface KafkaJsCodec {
  compress(encoder: {buffer: Buffer}): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

const require = createRequire(import.meta.url)

let snappyCodec: KafkaJsCodec | undefined
function snappy(): KafkaJsCodec {
  snappyCodec ??= (require('kafkajs-snappy') as () => KafkaJsCodec)()
  return snappyCodec
}

type Lz4Frames = {compressFrame(data: Buffer): Promise<Buffer>; decompressFrame(data: Buffer): Promise<Buffer>}
let lz4Frames: Lz4Frames | undefined
/**
 * LZ4 frames (what Kafka's record batches carry since KIP-57) through lz4-napi: prebuilt binaries
 * from the npm registry. kafkajs-lz4's `lz4` package compiled C++ at every install, which failed
 * wherever no compiler is (slim images, macOS without Xcode tools, Windows).
 */
function lz4(): KafkaJsCodec {
  lz4Frames ??= require('lz4-napi') as Lz4Frames
  const frames = lz4Frames
  return {
    compress: (encoder) => frames.compressFrame(encoder.buffer),
    decompress: (buffer) => frames.decompressFrame(buffer),
  }
}

type ZstdModule = {
  init(): Promise<void>
  compress(buf: Uint8Array, level?: number): Uint8Array
  decompress(buf: Uint8Array, opts?: {defaultHeapSize?: number}): Uint8Array
}
let zstdReady: Promise<ZstdModule> | undefined
function loadZstd(): Promise<ZstdModule> {
  zstdReady ??= (async () => {
    const zstd = require('@bokuweb/zstd-wasm') as ZstdModule
    await zstd.init()
    return zstd
  })()
  return zstdReady
}

/** Largest decompressed batch accepted from a zstd frame that does not state its size. */
const ZSTD_MAX_UNKNOWN_SIZE = 256 * 1024 * 1024

/**
 * zstd through WebAssembly. Frames written by the Java client (streaming) do not carry their
 * content size, and zstd-wasm then decompresses into a fixed 1 MiB buffer: a bigger batch fails
 * with "destination too small", so retry with a buffer 4x larger up to a sane bound.
 */
export const zstdCodec: KafkaJsCodec = {
  async compress(encoder) {
    const zstd = await loadZstd()
    return toBuffer(zstd.compress(encoder.buffer, 3))
  },
  async decompress(buffer) {
    const zstd = await loadZstd()
    for (let heap = 1024 * 1024; ; heap *= 4) {
      try {
        return toBuffer(zstd.decompress(buffer, {defaultHeapSize: heap}))
      } catch (error) {
        if (heap >= ZSTD_MAX_UNKNOWN_SIZE) throw error
      }
    }
  },
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const registered = new WeakSet<object>()

/**
 * Makes snappy, lz4 and zstd available to every kafkajs client of this process. Idempotent;
 * call it with the module loadKafkaJs() returns, before creating producers or consumers.
 */
export function registerCompressionCodecs(kafkajs: KafkaJs): void {
  const codecs = kafkajs.CompressionCodecs as Record<number, () => KafkaJsCodec>
  if (registered.has(codecs)) return
  registered.add(codecs)
  const types = kafkajs.CompressionTypes
  // Lazy wrappers: kafkajs calls the factory each time it meets a batch of that type.
  codecs[types.Snappy] = () => ({compress: (e) => snappy().compress(e), decompress: (b) => snappy().decompress(b)})
  codecs[types.LZ4] = () => ({compress: (e) => lz4().compress(e), decompress: (b) => lz4().decompress(b)})
  codecs[types.ZSTD] = () => zstdCodec
}
