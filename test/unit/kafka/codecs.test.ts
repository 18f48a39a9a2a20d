import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {loadKafkaJs} from '../../../src/kafka/connection.js'
import {registerCompressionCodecs, zstdCodec} from '../../../src/kafka/codecs.js'

describe('registerCompressionCodecs', () => {
  it('registers snappy, lz4 and zstd codecs that round-trip bytes, idempotently', async () => {
    const kafkajs = await loadKafkaJs()
    registerCompressionCodecs(kafkajs)
    const first = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD]
    registerCompressionCodecs(kafkajs)
    expect(kafkajs.CompressionCodecs[kafkajs.CompressionTypes.ZSTD]).toBe(first)
    const input = Buffer.concat([Buffer.from('héllo \u0000\u00ff '.repeat(500)), Buffer.from([0, 1, 2, 255, 254])])
    for (const type of [kafkajs.CompressionTypes.GZIP, kafkajs.CompressionTypes.Snappy, kafkajs.CompressionTypes.LZ4, kafkajs.CompressionTypes.ZSTD]) {
      const codec = (kafkajs.CompressionCodecs as Record<number, () => any>)[type]()
      const compressed: Buffer = await codec.compress({buffer: input})
      expect(compressed.length, `type ${type}`).toBeLessThan(input.length)
      expect(Buffer.compare(await codec.decompress(compressed), input), `type ${type}`).toBe(0)
    }
  })

  it('decompresses a zstd frame bigger than 1 MiB that does not state its size (Java client style)', async () => {
    // `zstd -c` on a pipe: 2,808,890 bytes, no content size in the frame header.
    const frame = readFileSync(new URL('../../fixtures/zstd-no-content-size.zst', import.meta.url))
    const out = await zstdCodec.decompress(frame)
    expect(out.length).toBe(2_808_890)
    expect(createHash('sha256').update(out).digest('hex')).toBe('1c2165c36855166b5ba1e5869bd6f282f9ad89887f317691913ebcb3c972b70d')
  })
})
