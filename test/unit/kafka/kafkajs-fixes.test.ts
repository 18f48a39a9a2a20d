import {createRequire} from 'node:module'

import {describe, expect, it} from 'vitest'

import type {RecordHeader} from '../../../src/core/record.js'
import {installKafkaJsFixes, kafkaJsHeaders, recordHeaders} from '../../../src/kafka/kafkajs-fixes.js'
import {kafkajsFile, original} from './kafkajs-original.js'

const require = createRequire(import.meta.url)

describe('installKafkaJsFixes', () => {
  it('puts a linear groupMessagesPerPartition where kafkajs requires it, with the same results', () => {
    installKafkaJsFixes()
    const fixed = require(kafkajsFile('producer/groupMessagesPerPartition.js')) as (args: object) => Record<number, unknown[]>
    const kafkajs = original<(args: object) => Record<number, unknown[]>>('producer/groupMessagesPerPartition.js')
    expect(String(kafkajs)).toContain('[...current, message]')
    expect(String(fixed)).not.toContain('...current')
    const partitionMetadata = [{partitionId: 0}, {partitionId: 1}, {partitionId: 2}]
    const messages = Array.from({length: 500}, (_, i) => ({key: `k${i % 7}`, value: `v${i}`}))
    const calls: unknown[] = []
    const partitioner = ({message}: {message: {key: string}}) => {
      calls.push(message)
      return Number(message.key.slice(1)) % 3
    }
    const args = {topic: 't', partitionMetadata, messages, partitioner}
    const expected = kafkajs(args)
    const expectedCalls = calls.splice(0)
    expect(fixed(args)).toEqual(expected)
    expect(calls).toEqual(expectedCalls)
    expect(fixed({...args, partitionMetadata: []})).toEqual(kafkajs({...args, partitionMetadata: []}))
    // 50,000 messages: seconds with the quadratic original.
    expect(Object.values(fixed({...args, messages: Array.from({length: 50_000}, (_, i) => ({key: `k${i}`}))})).flat()).toHaveLength(50_000)
  })
})

// ---------------------------------------------------------------------------------------------
// Record headers, against the wire format written out by hand (KIP-82 record v2):
//   Record => Length:varint Attributes:int8 TimestampDelta:varlong OffsetDelta:varint
//             Key:varint-bytes Value:varint-bytes Headers:varint-count [Name:varint-string Value:varint-bytes]
// varints are zigzag; a null key, value or header value has length -1.

function varint(n: number): number[] {
  let z = n >= 0 ? n * 2 : -n * 2 - 1
  const out: number[] = []
  while (z >= 0x80) {
    out.push((z & 0x7f) | 0x80)
    z = Math.floor(z / 128)
  }
  out.push(z)
  return out
}
const varBytes = (bytes: Buffer | null): number[] => (bytes === null ? varint(-1) : [...varint(bytes.length), ...bytes])

/** The record body (what follows Length), as the protocol defines it. */
function wireBody(key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[]): Buffer {
  const body = [0, ...varint(0), ...varint(0), ...varBytes(key), ...varBytes(value), ...varint(headers.length)]
  for (const h of headers) body.push(...varBytes(Buffer.from(h.name, 'utf8')), ...varBytes(h.value))
  return Buffer.from(body)
}
const wireRecord = (key: Buffer | null, value: Buffer | null, headers: readonly RecordHeader[]): Buffer => {
  const body = wireBody(key, value, headers)
  return Buffer.concat([Buffer.from(varint(body.length)), body])
}

const t = (s: string) => Buffer.from(s, 'utf8')
/** Interleaved repeats, a null value, an empty value, binary bytes, and names that are Object.prototype members. */
const HEADERS: RecordHeader[] = [
  {name: 'x', value: t('1')},
  {name: 'y', value: t('2')},
  {name: 'x', value: t('3')},
  {name: 'n', value: null},
  {name: 'e', value: t('')},
  {name: 'bin', value: Buffer.from([0x00, 0xff, 0x80])},
  {name: '__proto__', value: t('p')},
  {name: 'constructor', value: t('c')},
  {name: 'toString', value: null},
  {name: 'hasOwnProperty', value: t('h')},
  {name: 'valueOf', value: t('v')},
  {name: 'é€', value: t('😀')},
]

type Encode = (args: object) => {buffer: Buffer}
type DecodeRecord = (decoder: unknown, context: object) => Record<string, any>

describe('kafkajs record headers (kafkajs #1789 and the object model)', () => {
  installKafkaJsFixes()
  const Decoder = require(kafkajsFile('protocol/decoder.js')) as new (buffer: Buffer) => unknown
  const Record = require(kafkajsFile('protocol/recordBatch/record/v0/index.js')) as Encode
  const decodeRecord = require(kafkajsFile('protocol/recordBatch/record/v0/decoder.js')) as DecodeRecord
  const kafkajsRecord = original<Encode>('protocol/recordBatch/record/v0/index.js')
  const kafkajsDecodeRecord = original<DecodeRecord>('protocol/recordBatch/record/v0/decoder.js')
  const context = {firstOffset: '100', firstTimestamp: '1700000000000', magicByte: 2, timestampType: 0}

  it("kafkajs's own modules lose order, collide with built-in names and cannot write null", () => {
    const decoded = kafkajsDecodeRecord(new Decoder(wireBody(null, t('v'), HEADERS)), context)
    expect(Object.keys(decoded.headers).slice(0, 2)).toEqual(['x', 'y'])
    expect(decoded.headers.x).toEqual([t('1'), t('3')])
    expect(decoded.headers.constructor).not.toEqual(t('c'))
    expect(() => kafkajsRecord({key: null, value: t('v'), headers: {n: null}})).toThrow()
  })

  it('encodes a header list exactly as the wire format says: order, repeats, null, any name', () => {
    expect(Record({key: t('k'), value: t('v'), headers: HEADERS}).buffer).toEqual(wireRecord(t('k'), t('v'), HEADERS))
    expect(Record({key: null, value: null, headers: []}).buffer).toEqual(wireRecord(null, null, []))
  })

  it("encodes kafkajs's object form as kafkajs does, and a null value as null", () => {
    const object = {a: t('1'), b: [t('2'), 'three'], c: 'text'}
    expect(Record({key: null, value: t('v'), headers: object}).buffer).toEqual(kafkajsRecord({key: null, value: t('v'), headers: object}).buffer)
    expect(Record({key: null, value: t('v')}).buffer).toEqual(kafkajsRecord({key: null, value: t('v')}).buffer)
    const withNull = wireRecord(null, t('v'), [{name: 'a', value: t('1')}, {name: 'n', value: null}, {name: 'n', value: t('2')}])
    expect(Record({key: null, value: t('v'), headers: {a: t('1'), n: [null, t('2')]}}).buffer).toEqual(withNull)
  })

  it('decodes the wire bytes to the exact list, every other field as kafkajs does', () => {
    const body = wireBody(t('k'), t('v'), HEADERS)
    const fixed = decodeRecord(new Decoder(body), context)
    const kafkajs = kafkajsDecodeRecord(new Decoder(body), context)
    expect(fixed.headerList).toEqual(HEADERS)
    expect(recordHeaders(fixed as never)).toEqual(HEADERS)
    const {headers: _fixedHeaders, headerList: _list, ...fields} = fixed
    const {headers: _kafkajsHeaders, ...kafkajsFields} = kafkajs
    expect(fields).toEqual(kafkajsFields)
    // kafkajs's object is still there, without the collisions.
    expect(Object.getPrototypeOf(fixed.headers)).toBe(Object.prototype)
    expect(fixed.headers.x).toEqual([t('1'), t('3')])
    expect(fixed.headers.n).toBeNull()
    expect(Object.getOwnPropertyDescriptor(fixed.headers, '__proto__')?.value).toEqual(t('p'))
    expect(fixed.headers.constructor).toEqual(t('c'))
    expect(fixed.headers.toString).toBeNull()
    const plain = wireBody(null, t('v'), [{name: 'a', value: t('1')}, {name: 'b', value: t('2')}, {name: 'a', value: t('3')}])
    expect(decodeRecord(new Decoder(plain), context).headers).toEqual(kafkajsDecodeRecord(new Decoder(plain), context).headers)
  })

  it('is what kafkajs uses: a produce request carries the list, a fetched batch decodes to it', async () => {
    const produceRequest = require(kafkajsFile('protocol/requests/produce/v3/request.js')) as (args: object) => {encode(): Promise<{buffer: Buffer}>}
    const request = produceRequest({
      acks: -1,
      timeout: 1000,
      topicData: [{topic: 't', partitions: [{partition: 0, firstSequence: 0, messages: [{key: t('k'), value: t('v'), timestamp: '1000', headers: kafkaJsHeaders(HEADERS)}]}]}],
    })
    expect((await request.encode()).buffer.includes(wireRecord(t('k'), t('v'), HEADERS))).toBe(true)

    const {RecordBatch} = require(kafkajsFile('protocol/recordBatch/v0/index.js')) as {RecordBatch: (args: object) => Promise<{buffer: Buffer}>}
    const decodeBatch = require(kafkajsFile('protocol/recordBatch/v0/decoder.js')) as (decoder: unknown) => Promise<{records: Array<Record<string, any>>}>
    const batch = await RecordBatch({records: [Record({key: t('k'), value: t('v'), headers: HEADERS})]})
    const {records} = await decodeBatch(new Decoder(batch.buffer))
    expect(records.map(recordHeaders)).toEqual([HEADERS])
  })
})

describe('kafkajs metadata parse: an offline partition is data, not a failed request', () => {
  interface Partition {
    error: number
    id: number
    leader: number
    replicas: number[]
    isr: number[]
  }
  /** A Metadata v6 response as a broker writes it (one broker, the given topics). */
  function metadataV6(topics: Array<{error?: number; name: string; partitions: Partition[]}>): Buffer {
    const Encoder = require(kafkajsFile('protocol/encoder.js'))
    const ints = (e: any, values: number[]) => e.writeInt32(values.length) && values.forEach((v) => e.writeInt32(v))
    const e = new Encoder().writeInt32(0).writeInt32(1).writeInt32(1).writeString('127.0.0.1').writeInt32(9092).writeString(null)
    e.writeString('cluster-id').writeInt32(1).writeInt32(topics.length)
    for (const t of topics) {
      e.writeInt16(t.error ?? 0).writeString(t.name).writeBoolean(false).writeInt32(t.partitions.length)
      for (const p of t.partitions) {
        e.writeInt16(p.error).writeInt32(p.id).writeInt32(p.leader)
        ints(e, p.replicas)
        ints(e, p.isr)
        ints(e, p.leader < 0 ? p.replicas : [])
      }
    }
    return e.buffer
  }
  const healthy: Partition = {error: 0, id: 0, leader: 1, replicas: [1], isr: [1]}
  const offline: Partition = {error: 5, id: 0, leader: -1, replicas: [3], isr: []}

  it("keeps partitions without a leader where kafkajs's parse threw LEADER_NOT_AVAILABLE for the whole response", async () => {
    installKafkaJsFixes()
    const fixed = require(kafkajsFile('protocol/requests/metadata/v6/response.js'))
    const kafkajs = original<{parse: (data: unknown) => Promise<unknown>}>('protocol/requests/metadata/v0/response.js')
    const data = await fixed.decode(metadataV6([{name: 'ok', partitions: [healthy]}, {name: 'down', partitions: [offline, {...offline, id: 1, error: 9, leader: 3}]}]))
    await expect(kafkajs.parse(data)).rejects.toMatchObject({type: 'LEADER_NOT_AVAILABLE'})
    const parsed = await fixed.parse(data)
    expect(parsed.topicMetadata.map((t: any) => [t.topic, t.partitionMetadata.map((p: any) => [p.partitionErrorCode, p.leader, p.offlineReplicas])])).toEqual([
      ['ok', [[0, 1, []]]],
      ['down', [[5, -1, [3]], [9, 3, []]]],
    ])
  })

  it('still throws topic errors and partition errors that mean the request failed', async () => {
    installKafkaJsFixes()
    const fixed = require(kafkajsFile('protocol/requests/metadata/v6/response.js'))
    const unknown = await fixed.decode(metadataV6([{name: 'ok', partitions: [healthy]}, {error: 3, name: 'gone', partitions: []}]))
    await expect(fixed.parse(unknown)).rejects.toMatchObject({type: 'UNKNOWN_TOPIC_OR_PARTITION'})
    const unauthorized = await fixed.decode(metadataV6([{name: 'ok', partitions: [{...healthy, error: 29}]}]))
    await expect(fixed.parse(unauthorized)).rejects.toMatchObject({type: 'TOPIC_AUTHORIZATION_FAILED'})
  })
})

// ---------------------------------------------------------------------------------------------
// Retried sends: kafkajs's sendMessages with a cluster of two leaders in memory. Leader 1's
// AddPartitionsToTxn fails once with CONCURRENT_TRANSACTIONS (retriable) while leader 2's Produce
// is still in flight; leader 2 answers after that.

type SendMessages = (deps: object) => (args: object) => Promise<Array<{topicName: string; partition: number}>>

async function sendWhileOneLeaderFailsOnce(createSendMessages: SendMessages): Promise<Map<number, number>> {
  const {createErrorFromCode} = require(kafkajsFile('protocol/error.js')) as {createErrorFromCode(code: number): Error}
  const createRetry = require(kafkajsFile('retry/index.js')) as (opts: object) => unknown
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const brokers = new Map([1, 2].map((nodeId) => [nodeId, {nodeId, produced: 0, lock: Promise.resolve()}]))
  const leaderOf = (partition: number) => partition + 1
  let refusedOnce = false
  const brokerClients = new Map(
    [...brokers].map(([nodeId, broker]) => [
      nodeId,
      {
        nodeId,
        async produce({topicData}: {topicData: Array<{topicName: string; partitions: Array<{partition: number}>}>}) {
          broker.produced++
          await sleep(nodeId === 2 ? 60 : 1)
          return {topics: topicData.map((t) => ({topicName: t.topicName, partitions: t.partitions.map((p) => ({partition: p.partition, errorCode: 0, baseOffset: '0'}))}))}
        },
      },
    ]),
  )
  const cluster = {
    refreshMetadataIfNecessary: async () => {},
    refreshMetadata: async () => {},
    addMultipleTargetTopics: async () => {},
    isConnected: () => true,
    findTopicPartitionMetadata: () => [{partitionId: 0, leader: 1}, {partitionId: 1, leader: 2}],
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const byLeader: Record<number, number[]> = {}
      for (const p of partitions.map(Number)) (byLeader[leaderOf(p)] ??= []).push(p)
      return byLeader
    },
    // (kafkajs hands out one Broker object per node: sendMessages keys its answers by it)
    findBroker: async ({nodeId}: {nodeId: number | string}) => brokerClients.get(Number(nodeId))!,
  }
  const release = new Map<number, () => void>()
  const eosManager = {
    isTransactional: () => true,
    getTransactionalId: () => 'tx',
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    getSequence: () => 0,
    updateSequence: () => {},
    // one request per broker at a time, as kafkajs's lock does
    async acquireBrokerLock({nodeId}: {nodeId: number}) {
      const broker = brokers.get(nodeId)!
      const previous = broker.lock
      let unlock!: () => void
      broker.lock = new Promise<void>((resolve) => (unlock = resolve))
      await previous
      release.set(nodeId, unlock)
    },
    async releaseBrokerLock({nodeId}: {nodeId: number}) {
      release.get(nodeId)!()
    },
    async addPartitionsToTransaction(topicData: Array<{partitions: Array<{partition: number}>}>) {
      if (topicData[0].partitions[0].partition === 0 && !refusedOnce) {
        refusedOnce = true
        await sleep(10)
        throw createErrorFromCode(51) // CONCURRENT_TRANSACTIONS
      }
    },
  }
  const send = createSendMessages({
    logger: {debug() {}, error() {}, warn() {}, info() {}},
    cluster,
    partitioner: ({message}: {message: {partition: number}}) => message.partition,
    eosManager,
    retrier: createRetry({retries: 5, initialRetryTime: 1, maxRetryTime: 5}),
  })
  const acknowledged = await send({acks: -1, timeout: 1000, topicMessages: [{topic: 't', messages: [{partition: 0, value: 'a'}, {partition: 1, value: 'b'}]}]})
  expect(acknowledged.map((a) => a.partition).sort()).toEqual([0, 1])
  return new Map([...brokers].map(([nodeId, b]) => [nodeId, b.produced]))
}

describe('kafkajs sendMessages, retried while another leader is still answering', () => {
  it("kafkajs's own resends the records of the leader still in flight (the duplicates); the patched one sends each leader's records once", async () => {
    installKafkaJsFixes()
    const kafkajs = original<SendMessages>('producer/sendMessages.js')
    expect(await sendWhileOneLeaderFailsOnce(kafkajs)).toEqual(new Map([[1, 1], [2, 2]]))
    const patched = require(kafkajsFile('producer/sendMessages.js')) as SendMessages
    expect(String(patched)).not.toBe(String(kafkajs))
    expect(await sendWhileOneLeaderFailsOnce(patched)).toEqual(new Map([[1, 1], [2, 1]]))
  })
})
