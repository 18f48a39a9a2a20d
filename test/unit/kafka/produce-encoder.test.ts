import {createRequire} from 'node:module'

import {afterEach, describe, expect, it, vi} from 'vitest'

import {installKafkaJsFixes, kafkaJsHeaders, produceEncoderInstalled} from '../../../src/kafka/kafkajs-fixes.js'
import {crc32c} from '../../../src/kafka/produce-encoder.js'
import {kafkajsFile, original} from './kafkajs-original.js'

const require = createRequire(import.meta.url)

type Encoded = {buffer: Buffer}
type ProduceRequest = (args: object) => {apiKey: number; apiVersion: number; apiName: string; expectResponse(): boolean; encode(): Promise<Encoded>}
type Framing = (args: object) => Promise<Encoded>

installKafkaJsFixes()
const fixedRequest = require(kafkajsFile('protocol/requests/produce/v3/request.js')) as ProduceRequest
const kafkajsRequest = original<ProduceRequest>('protocol/requests/produce/v3/request.js')
const Long = require(kafkajsFile('utils/long.js')) as {fromValue(v: unknown): unknown; fromInt(v: number): unknown}
const {Types} = require(kafkajsFile('protocol/message/compression/index.js')) as {Types: Record<string, number>}

const t = (s: string) => Buffer.from(s, 'utf8')
const NOW = 1_764_500_000_000

afterEach(() => {
  vi.restoreAllMocks()
})

/** Both encodings of one request, with the same clock. */
async function both(args: object): Promise<[Buffer, Buffer]> {
  vi.spyOn(Date, 'now').mockReturnValue(NOW)
  const mine = await fixedRequest(args).encode()
  const theirs = await kafkajsRequest(args).encode()
  return [mine.buffer, theirs.buffer]
}

function messages(n: number, shape: (i: number) => object): object[] {
  return Array.from({length: n}, (_, i) => shape(i))
}

describe('produce request encoder (kafkajs produce/v3 without per-record objects)', () => {
  it('is installed where kafkajs requires it, with the same request fields', () => {
    expect(produceEncoderInstalled).toBe(true)
    const mine = fixedRequest({acks: -1, timeout: 30_000, topicData: []})
    const theirs = kafkajsRequest({acks: -1, timeout: 30_000, topicData: []})
    expect([mine.apiKey, mine.apiVersion, mine.apiName, mine.expectResponse()]).toEqual([theirs.apiKey, theirs.apiVersion, theirs.apiName, theirs.expectResponse()])
    expect(fixedRequest({acks: 0, timeout: 1, topicData: []}).expectResponse()).toBe(false)
  })

  it("writes kafkit produce's batches byte for byte as kafkajs does (Buffers, null keys, header lists)", async () => {
    const topicData = [
      {
        topic: 'orders',
        partitions: [
          {partition: 0, firstSequence: 0, messages: messages(1000, (i) => ({key: null, value: t(`${i} ${'x'.repeat(i % 300)}`), headers: kafkaJsHeaders([])}))},
          {partition: 3, firstSequence: 70_000, messages: messages(7, (i) => ({key: t(`k${i}`), value: i === 2 ? null : t(''), headers: kafkaJsHeaders([{name: 'a', value: t('1')}, {name: 'n', value: null}, {name: 'a', value: t('é')}])}))},
        ],
      },
    ]
    const args = {acks: -1, timeout: 30_000, producerId: Long.fromValue('9007199254740993'), producerEpoch: 3, compression: Types.None, topicData}
    const [mine, theirs] = await both(args)
    expect(mine.equals(theirs)).toBe(true)
  })

  it('writes every other shape kafkajs takes the same: strings, object headers, timestamps, many topics, transactions', async () => {
    const shapes = (i: number): object => {
      switch (i % 6) {
        case 0:
          return {key: `clé-${i}`, value: `valeur ${'\u{1F600}'.repeat(i % 5)}`, timestamp: String(NOW - 5000 + i)}
        case 1:
          return {key: t('k'), value: t('v'.repeat(20_000)), headers: {trace: t('abc'), multi: [t('1'), 'two', null], empty: t('')}, timestamp: NOW + 10 * i}
        case 2:
          return {value: t('no key, no headers, no timestamp')}
        case 3:
          return {key: undefined, value: 'lone surrogate \ud800 here', headers: [{name: 'ü', value: 'ü'}], timestamp: '99'}
        case 4:
          return {key: t(''), value: t(''), headers: {}, timestamp: 0}
        default:
          return {key: null, value: null, headers: [{name: '', value: null}]}
      }
    }
    const topicData = [
      {topic: 'a', partitions: [{partition: 1, firstSequence: 5, messages: messages(60, shapes)}, {partition: 2, messages: messages(1, () => ({value: t('x'), timestamp: 1}))}]},
      {topic: 'bé', partitions: [{partition: 0, firstSequence: 2_147_483_000, messages: messages(13, (i) => shapes(i + 1))}]},
    ]
    for (const txn of [{}, {transactionalId: 'kafkit-replay-x', producerId: Long.fromInt(42), producerEpoch: 7}]) {
      const [mine, theirs] = await both({acks: -1, timeout: 1234, topicData, ...txn})
      expect(mine.equals(theirs)).toBe(true)
    }
    // Message timestamps far from now: large negative and positive varlong deltas.
    const far = [{topic: 't', partitions: [{partition: 0, messages: [{value: 'a', timestamp: '1'}, {value: 'b'}, {value: 'c', timestamp: NOW * 2}]}]}]
    const [mine, theirs] = await both({acks: 1, timeout: 1, topicData: far})
    expect(mine.equals(theirs)).toBe(true)
  })

  it('compresses the same records the same way (gzip)', async () => {
    const topicData = [{topic: 't', partitions: [{partition: 0, firstSequence: 1, messages: messages(500, (i) => ({key: t(`k${i % 10}`), value: t(`value ${i}`), headers: kafkaJsHeaders([{name: 'h', value: null}])}))}]}]
    const [mine, theirs] = await both({acks: -1, timeout: 1000, compression: Types.GZIP, topicData})
    expect(mine.equals(theirs)).toBe(true)
  })

  it("leaves shapes it does not write to kafkajs's own code, which fails the same way", async () => {
    const bad = [{topic: 't', partitions: [{partition: 0, messages: [{value: t('ok')}, {value: 12}]}]}]
    vi.spyOn(Date, 'now').mockReturnValue(NOW)
    const mine = await fixedRequest({acks: -1, timeout: 1, topicData: bad}).encode().then(() => 'resolved', (error: Error) => error.message)
    const theirs = await kafkajsRequest({acks: -1, timeout: 1, topicData: bad}).encode().then(() => 'resolved', (error: Error) => error.message)
    expect(mine).toBe(theirs)
    expect(mine).not.toBe('resolved')
    const empty = [{topic: 't', partitions: [{partition: 0, messages: []}]}]
    const [a, b] = await both({acks: -1, timeout: 1, topicData: empty})
    expect(a.equals(b)).toBe(true)
  })

  it('frames a request as kafkajs does, with the payload copied once', async () => {
    const framing = require(kafkajsFile('protocol/request.js')) as Framing
    const kafkajsFraming = original<Framing>('protocol/request.js')
    expect(String(framing)).not.toBe(String(kafkajsFraming))
    const topicData = [{topic: 't', partitions: [{partition: 0, messages: messages(3, (i) => ({value: t(`v${i}`)}))}]}]
    vi.spyOn(Date, 'now').mockReturnValue(NOW)
    for (const clientId of ['kafkit', null, 'clïent']) {
      const request = kafkajsRequest({acks: -1, timeout: 1, topicData})
      const mine = await framing({correlationId: 77, clientId, request})
      const theirs = await kafkajsFraming({correlationId: 77, clientId, request})
      expect(mine.buffer.equals(theirs.buffer)).toBe(true)
      expect((mine as unknown as {size(): number}).size()).toBe(mine.buffer.length)
    }
  })
})

describe('crc32c (slice-by-8)', () => {
  it("equals kafkajs's table CRC-32C at every length and offset, and the standard check value", () => {
    const kafkajsCrc = original<(buffer: Buffer) => number>('protocol/recordBatch/crc32C/crc32C.js')
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283)
    const data = Buffer.alloc(300)
    for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += 13) {
        expect(crc32c(data, start, end)).toBe(kafkajsCrc(data.subarray(start, end)))
      }
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Consuming: the record decoder's numbers and consumer/batch.js's offset filter

/** A record body with the given timestamp and offset deltas (zigzag varlong / varint), no key, value "v", no headers. */
function recordBody(timestampDelta: bigint, offsetDelta: number): Buffer {
  const varlong = (n: bigint): number[] => {
    let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n))
    const out: number[] = []
    while (z >= 0x80n) {
      out.push(Number(z & 0x7fn) | 0x80)
      z >>= 7n
    }
    out.push(Number(z))
    return out
  }
  return Buffer.from([0, ...varlong(timestampDelta), ...varlong(BigInt(offsetDelta)), 1, 2, 'v'.charCodeAt(0), 0])
}

describe('record decoder numbers (kafkajs reads them through a BigInt per byte)', () => {
  type DecodeRecord = (decoder: unknown, context: object) => Record<string, unknown>
  const Decoder = require(kafkajsFile('protocol/decoder.js')) as new (buffer: Buffer) => {offset: number}
  const decodeRecord = require(kafkajsFile('protocol/recordBatch/record/v0/decoder.js')) as DecodeRecord
  const kafkajsDecodeRecord = original<DecodeRecord>('protocol/recordBatch/record/v0/decoder.js')

  it('gives the timestamp and offset strings kafkajs gives, exact or not in a double', () => {
    const deltas = [0n, 1n, -1n, 63n, -64n, 64n, 8191n, 2n ** 47n - 1n, -(2n ** 47n), 2n ** 48n - 1n, -(2n ** 48n), 2n ** 48n, 2n ** 55n + 3n, -(2n ** 62n), 2n ** 63n - 1n]
    const bases = ['0', '1700000000000', '-1', '9007199254740000', '9007199254740993', '9223372036854775000']
    let compared = 0
    for (const timestampDelta of deltas) {
      for (const firstTimestamp of bases) {
        for (const [firstOffset, offsetDelta] of [['0', 0], ['123456789', 77], ['9007199254740990', 5], ['9223372036854775800', 7], ['5', -1]] as const) {
          for (const timestampType of [0, 1]) {
            const context = {firstOffset, firstTimestamp, magicByte: 2, timestampType, maxTimestamp: '1800000000000'}
            const body = recordBody(timestampDelta, offsetDelta)
            const mine = new Decoder(body)
            const theirs = new Decoder(body)
            const {headerList: _list, headers: _h, ...fields} = decodeRecord(mine, context)
            const {headers: _k, ...kafkajsFields} = kafkajsDecodeRecord(theirs, context)
            expect(fields).toEqual(kafkajsFields)
            expect(mine.offset).toBe(theirs.offset)
            compared++
          }
        }
      }
    }
    expect(compared).toBe(15 * 6 * 5 * 2)
  })

  it("keeps exactly the messages at or after the fetched offset, as kafkajs's Batch does", () => {
    const Batch = require(kafkajsFile('consumer/batch.js')) as new (topic: string, fetched: unknown, data: object) => {messagesWithinOffset: Array<{offset: string}>}
    const KafkaJsBatch = original<typeof Batch>('consumer/batch.js')
    expect(String(Batch)).toContain('kafkit')
    const offsets = ['0', '5', '9', '10', '11', '999999999999999', '9007199254740993', '9007199254740992', '12345678901234567']
    const messages = offsets.map((offset) => ({offset, isControlRecord: false}))
    for (const fetched of ['0', '10', 10, '9007199254740992', '9007199254740993', '12345678901234566', '-1']) {
      const data = {partition: 0, highWatermark: '20', abortedTransactions: [], messages}
      expect(new Batch('t', fetched, data).messagesWithinOffset.map((m) => m.offset)).toEqual(new KafkaJsBatch('t', fetched, data).messagesWithinOffset.map((m) => m.offset))
    }
  })
})
