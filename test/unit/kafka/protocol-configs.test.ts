import {describe, expect, it} from 'vitest'

import {FlexibleReader, FlexibleWriter} from '../../../src/kafka/protocol/flexible.js'
import {decodeIncrementalAlterConfigsResponse, encodeIncrementalAlterConfigsRequest} from '../../../src/kafka/protocol/incremental-alter-configs.js'
import {requireApi, supportsApi, type ApiSpec} from '../../../src/kafka/protocol/wire.js'

/** Hex with spaces and comments (`# ...` to the end of the line) allowed. */
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex')

describe('flexible.ts: the types the admin requests add', () => {
  it('writes and reads int64, float64, compact bytes, nullable strings', () => {
    expect(new FlexibleWriter().int64(-1).toBuffer().toString('hex')).toBe('ffffffffffffffff')
    expect(new FlexibleWriter().float64(1024).toBuffer().toString('hex')).toBe('4090000000000000')
    expect(new FlexibleReader(hex('4029000000000000')).float64()).toBe(12.5)
    expect(new FlexibleWriter().compactBytes(Buffer.from([1, 2])).toBuffer().toString('hex')).toBe('030102')
    expect(new FlexibleReader(hex('030102')).compactBytes()).toEqual(Buffer.from([1, 2]))
    expect(new FlexibleWriter().compactNullableString(null).compactNullableString('a').toBuffer().toString('hex')).toBe('000261')
    expect(new FlexibleReader(hex('ff')).int8()).toBe(-1)
    expect(new FlexibleReader(hex('00')).compactNullableArray(() => 1)).toBeNull()
  })

  it('writes and reads the classic (non-flexible) string and array', () => {
    expect(new FlexibleWriter().string('ab').toBuffer().toString('hex')).toBe('00026162')
    expect(new FlexibleWriter().array([1], (n, w) => w.int32(n)).array(null, () => {}).toBuffer().toString('hex')).toBe('0000000100000001ffffffff')
    const r = new FlexibleReader(hex('ffff 00000002 0001 0002'))
    expect(r.nullableString()).toBeNull()
    expect(r.array((ra) => ra.int16())).toEqual([1, 2])
    expect(() => new FlexibleReader(hex('0005 6162')).string()).toThrow(/ends early/)
    expect(() => new FlexibleReader(hex('00')).int32()).toThrow(/ends early/)
  })

  // The writer grows one buffer: every field must land in the grown one (a request for 5,000
  // groups is ~100 KB), byte for byte what a field-by-field concatenation gives.
  it('writes requests far larger than its first buffer, every type across the growth points', () => {
    const w = new FlexibleWriter()
    const expected: Buffer[] = []
    const u8 = (...bytes: number[]) => Buffer.from(bytes)
    for (let i = 0; i < 3000; i++) {
      const name = `group.${i}.${'é'.repeat(i % 7)}`
      const utf8 = Buffer.from(name, 'utf8')
      w.int8(i % 100).int16(i).int32(i * 1000).int64(i).uvarint(300 + i).compactString(name).string(name).raw(u8(i % 256))
      const int16 = Buffer.alloc(2)
      int16.writeInt16BE(i)
      const int32 = Buffer.alloc(4)
      int32.writeInt32BE(i * 1000)
      const int64 = Buffer.alloc(8)
      int64.writeBigInt64BE(BigInt(i))
      const v = 300 + i
      const varint = v < 16384 ? u8((v & 0x7f) | 0x80, v >>> 7) : u8((v & 0x7f) | 0x80, ((v >>> 7) & 0x7f) | 0x80, v >>> 14)
      expected.push(u8(i % 100), int16, int32, int64, varint, u8(utf8.length + 1), utf8, u8(0, utf8.length), utf8, u8(i % 256))
    }
    const written = w.toBuffer()
    expect(written.length).toBeGreaterThan(100_000)
    expect(written.equals(Buffer.concat(expected))).toBe(true)
  })
})

describe('ApiVersions check', () => {
  const api: ApiSpec = {key: 44, name: 'IncrementalAlterConfigs', version: 1, flexible: true, since: '2.4', kip: 'KIP-339'}
  const broker = (versions: Record<number, {minVersion: number; maxVersion: number}> | null) => ({
    versions,
    brokerAddress: 'kafka-1:9092',
    connectionPool: {send: async () => ({})},
    disconnect: async () => {},
  })

  it('accepts a broker whose range includes the version', () => {
    expect(supportsApi(broker({44: {minVersion: 0, maxVersion: 1}}), api)).toBe(true)
    expect(supportsApi(broker({44: {minVersion: 0, maxVersion: 0}}), api)).toBe(false)
    expect(supportsApi(broker(null), api)).toBe(false)
  })

  it('a broker without the API or version gets one line naming the Kafka version needed', () => {
    expect(() => requireApi(broker({}), api)).toThrow(
      'the broker at kafka-1:9092 does not support IncrementalAlterConfigs (KIP-339): kafkit needs Kafka 2.4 or newer for this',
    )
    expect(() => requireApi(broker({44: {minVersion: 0, maxVersion: 0}}), api)).toThrow(
      'the broker at kafka-1:9092 does not support IncrementalAlterConfigs v1 (it accepts v0-v0): kafkit needs Kafka 2.4 or newer for this',
    )
    try {
      requireApi(broker({}), api)
    } catch (error) {
      expect(error).toMatchObject({name: 'KafkitError', code: 'UNSUPPORTED_BY_BROKER'})
    }
  })
})

describe('IncrementalAlterConfigs v1', () => {
  it('encodes SET with a value and DELETE with a null value, per resource', () => {
    const body = encodeIncrementalAlterConfigsRequest([
      {
        type: 'topic',
        name: 'orders',
        ops: [
          {name: 'retention.ms', op: 'set', value: '1000'},
          {name: 'segment.ms', op: 'delete', value: null},
        ],
      },
      {type: 'broker', name: '1', ops: []},
    ])
    expect(body.toString('hex')).toBe(
      hex(`
        03                          # resources: 2
        02                          #   resource_type 2 = topic
        07 6f7264657273             #   resource_name "orders"
        03                          #   configs: 2
        0d 726574656e74696f6e2e6d73 #     name "retention.ms"
        00                          #     config_operation SET
        05 31303030                 #     value "1000"
        00                          #     TAG_BUFFER
        0b 7365676d656e742e6d73     #     name "segment.ms"
        01                          #     config_operation DELETE
        00                          #     value null
        00                          #     TAG_BUFFER
        00                          #   TAG_BUFFER
        04                          #   resource_type 4 = broker
        02 31                       #   resource_name "1"
        01                          #   configs: 0
        00                          #   TAG_BUFFER
        00                          # validate_only false
        00                          # TAG_BUFFER
      `).toString('hex'),
    )
    expect(encodeIncrementalAlterConfigsRequest([], true).toString('hex')).toBe('010100')
  })

  it('decodes per-resource error codes and messages', () => {
    expect(
      decodeIncrementalAlterConfigsResponse(
        hex(`
          00000000                  # throttle_time_ms
          03                        # responses: 2
          0000 00 02 07 6f7264657273 00       # ok: error 0, message null, topic "orders"
          0028 06 626164212e 02 02 78 00      # error 40 INVALID_CONFIG "bad!." topic "x"
          00                        # TAG_BUFFER
        `),
      ),
    ).toEqual({
      throttleTimeMs: 0,
      results: [
        {type: 2, name: 'orders', errorCode: 0, errorMessage: null},
        {type: 2, name: 'x', errorCode: 40, errorMessage: 'bad!.'},
      ],
    })
  })
})
