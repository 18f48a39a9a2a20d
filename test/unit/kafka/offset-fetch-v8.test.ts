import {describe, expect, it} from 'vitest'

import {FlexibleReader, FlexibleWriter} from '../../../src/kafka/protocol/flexible.js'
import {decodeOffsetFetchV8Response, encodeOffsetFetchV8Request, supportsOffsetFetchV8} from '../../../src/kafka/protocol/offset-fetch-v8.js'

/** Hex with spaces and comments (`# ...` to the end of the line) allowed. */
const hex = (s: string) => Buffer.from(s.replace(/#[^\n]*/g, '').replace(/\s+/g, ''), 'hex')

describe('flexible protocol types', () => {
  it('writes and reads unsigned varints as the spec shows them', () => {
    for (const [value, bytes] of [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [16384, '808001'],
      [2 ** 32 - 1, 'ffffffff0f'],
    ] as const) {
      expect(new FlexibleWriter().uvarint(value).toBuffer().toString('hex'), String(value)).toBe(bytes)
      expect(new FlexibleReader(hex(bytes)).uvarint(), bytes).toBe(value)
    }
    expect(() => new FlexibleReader(hex('ffffffffff01')).uvarint()).toThrow(/varint/)
  })

  it('writes compact strings and nullable arrays as length + 1', () => {
    expect(new FlexibleWriter().compactString('').toBuffer().toString('hex')).toBe('01')
    expect(new FlexibleWriter().compactString('é').toBuffer().toString('hex')).toBe('03c3a9')
    expect(new FlexibleWriter().compactArray(null, () => {}).toBuffer().toString('hex')).toBe('00')
    expect(new FlexibleWriter().compactArray([7], (n, w) => w.int32(n)).toBuffer().toString('hex')).toBe('0200000007')
  })

  it('skips tagged fields it does not know, and says when a response is cut short', () => {
    const r = new FlexibleReader(hex('02 00 02 abcd 05 01 ff 2a')) // 2 fields: tag 0 (2 bytes), tag 5 (1 byte); then 0x2a
    r.skipTaggedFields()
    expect(r.remaining).toBe(1)
    expect(() => new FlexibleReader(hex('05 6162')).compactString()).toThrow(/ends early/)
  })
})

describe('OffsetFetch v8 request', () => {
  it('encodes several groups, null topics (all partitions) and explicit partitions', () => {
    const body = encodeOffsetFetchV8Request([
      {groupId: 'g1', topics: null},
      {groupId: 'app', topics: [{topic: 'orders', partitions: [0, 2]}]},
    ])
    expect(body.toString('hex')).toBe(
      hex(`
        03                      # groups: 2 (compact array, length + 1)
        03 6731                 #   group_id "g1"
        00                      #   topics: null = every partition with an offset
        00                      #   TAG_BUFFER
        04 617070               #   group_id "app"
        02                      #   topics: 1
        07 6f7264657273         #     name "orders"
        03 00000000 00000002    #     partition_indexes [0, 2]
        00                      #     TAG_BUFFER
        00                      #   TAG_BUFFER
        00                      # require_stable false
        00                      # TAG_BUFFER
      `).toString('hex'),
    )
  })

  it('writes a group id longer than 126 bytes with a two-byte length', () => {
    const body = encodeOffsetFetchV8Request([{groupId: 'x'.repeat(200), topics: null}])
    expect(body.subarray(0, 3).toString('hex')).toBe('02c901') // 1 group; length 201 = c9 01
    expect(body.length).toBe(1 + 2 + 200 + 1 + 1 + 1 + 1)
  })
})

describe('OffsetFetch v8 response', () => {
  it('decodes offsets, no-offset markers, metadata, group errors and skips tagged fields', () => {
    const decoded = decodeOffsetFetchV8Response(
      hex(`
        00000000                # throttle_time_ms 0
        03                      # groups: 2
        03 6731                 #   group_id "g1"
        02                      #   topics: 1
        07 6f7264657273         #     name "orders"
        03                      #     partitions: 2
        00000000                #       partition 0
        000000000000002a        #       committed_offset 42
        00000005                #       committed_leader_epoch 5
        03 6869                 #       metadata "hi"
        0000                    #       error_code 0
        00                      #       TAG_BUFFER
        00000001                #       partition 1
        ffffffffffffffff        #       committed_offset -1 (none)
        ffffffff                #       committed_leader_epoch -1
        00                      #       metadata null
        0000                    #       error_code 0
        00                      #       TAG_BUFFER
        00                      #     TAG_BUFFER
        0000                    #   error_code 0
        00                      #   TAG_BUFFER
        05 676f6e65             #   group_id "gone"
        01                      #   topics: 0
        0010                    #   error_code 16 NOT_COORDINATOR
        00                      #   TAG_BUFFER
        01 00 02 abcd           # TAG_BUFFER with one unknown field (tag 0, 2 bytes)
      `),
    )
    expect(decoded).toEqual({
      throttleTimeMs: 0,
      groups: [
        {
          groupId: 'g1',
          errorCode: 0,
          topics: [
            {
              topic: 'orders',
              partitions: [
                {partition: 0, offset: 42, leaderEpoch: 5, metadata: 'hi', errorCode: 0},
                {partition: 1, offset: -1, leaderEpoch: -1, metadata: null, errorCode: 0},
              ],
            },
          ],
        },
        {groupId: 'gone', errorCode: 16, topics: []},
      ],
    })
  })

  it('fails on a truncated response instead of inventing offsets', () => {
    expect(() => decodeOffsetFetchV8Response(hex('00000000 02 03 6731 02 07 6f72'))).toThrow(/ends early/)
  })
})

describe('supportsOffsetFetchV8', () => {
  const broker = (versions: Record<number, {minVersion: number; maxVersion: number}> | null) => ({versions, connectionPool: {send: async () => ({})}, disconnect: async () => {}})
  it('goes by the ApiVersions range of OffsetFetch (key 9)', () => {
    expect(supportsOffsetFetchV8(broker({9: {minVersion: 1, maxVersion: 9}}))).toBe(true) // Kafka 4.x
    expect(supportsOffsetFetchV8(broker({9: {minVersion: 0, maxVersion: 8}}))).toBe(true) // Kafka 3.0-3.6
    expect(supportsOffsetFetchV8(broker({9: {minVersion: 0, maxVersion: 7}}))).toBe(false) // Kafka 2.8
    expect(supportsOffsetFetchV8(broker({}))).toBe(false)
    expect(supportsOffsetFetchV8(broker(null))).toBe(false)
  })
})
