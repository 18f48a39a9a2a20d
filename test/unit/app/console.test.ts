import {Buffer} from 'node:buffer'
import {Writable} from 'node:stream'

import {describe, expect, it} from 'vitest'

import {consume, produce, type ConsumeOptions, type ProduceOptions} from '../../../src/app/console.js'
import type {KafkaClient} from '../../../src/app/kafka-client.js'
import type {ConsumedRecord} from '../../../src/core/record.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

async function* chunks(...parts: (string | Buffer)[]): AsyncIterable<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part, 'utf8')
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'))

function produceOptions(overrides: Partial<ProduceOptions>): ProduceOptions {
  return {topic: 'orders', input: chunks(), format: 'lines', headers: [], compression: 'none', signal: new AbortController().signal, ...overrides}
}

describe('produce', () => {
  it('an unknown topic or partition fails before a producer is opened', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 3})
    const unknown = await rejection(produce(fake.client(), produceOptions({topic: 'nope'})))
    expect(unknown.message).toBe('topic "nope" not found on fake:9092')
    const partition = await rejection(produce(fake.client(), produceOptions({partition: 5})))
    expect(partition.message).toBe('--partition: topic "orders" has no partition 5 (it has 3: 0-2)')
    expect(fake.callsOf('openConsoleProducer')).toEqual([])
  })

  it('lines split at the key separator (even across input chunks), flag headers added, in order; blank lines skipped but counted', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 1})
    const progress: number[] = []
    const result = await produce(
      fake.client(),
      produceOptions({
        input: chunks('k1:v1\nk2:v', '2:with:colons\n\nk3:v3'),
        keySeparator: ':',
        headers: [{name: 'source', value: 'cli'}],
        onProgress: (sent) => progress.push(sent),
      }),
    )
    expect(result).toEqual({topic: 'orders', sent: 3, failed: 0, lines: 4, interrupted: false})
    expect(fake.records('orders', 0).map((r) => [text(r.key), text(r.value), r.headers.map((h) => `${h.name}=${text(h.value)}`)])).toEqual([
      ['k1', 'v1', ['source=cli']],
      ['k2', 'v2:with:colons', ['source=cli']],
      ['k3', 'v3', ['source=cli']],
    ])
    expect(progress).toEqual([3])
  })

  it('a line without the separator stops the input with its line number; what was read before is still sent', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 1})
    const result = await produce(fake.client(), produceOptions({input: chunks('a=1\nb=2\nno separator\nc=3\n'), keySeparator: '='}))
    expect(result.sent).toBe(2)
    expect(result.error?.code).toBe('BAD_INPUT')
    expect(result.error?.message).toBe('line 3: key separator "=" not found')
    expect(fake.records('orders', 0).map((r) => text(r.value))).toEqual(['1', '2'])
  })

  it('JSON lines keep their own headers before the flag\'s, and their partition; a partition the topic lacks is BAD_INPUT', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 2})
    const ok = await produce(
      fake.client(),
      produceOptions({format: 'json', headers: [{name: 'b', value: '2'}], input: chunks('{"key":"k","value":{"n":1},"headers":["a","1"],"partition":1}\n{"value":null,"partition":0}\n')}),
    )
    expect(ok.sent).toBe(2)
    const [record] = fake.records('orders', 1)
    expect([text(record.key), text(record.value), record.headers.map((h) => `${h.name}=${text(h.value)}`)]).toEqual(['k', '{"n":1}', ['a=1', 'b=2']])
    expect(fake.records('orders', 0)[0].value).toBeNull()

    const bad = await produce(fake.client(), produceOptions({format: 'json', input: chunks('{"value":"x","partition":7}\n')}))
    expect(bad.error?.message).toBe('line 1: field "partition": topic "orders" has no partition 7')
    expect(bad.sent).toBe(0)
  })

  it('keyless lines of one batch go to one partition; --partition sends every line there', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 4})
    await produce(fake.client(), produceOptions({input: chunks('a\nb\nc\n')}))
    const counts = [0, 1, 2, 3].map((p) => fake.records('orders', p).length)
    expect(counts.filter((n) => n > 0)).toEqual([3])
    await produce(fake.client(), produceOptions({input: chunks('d\ne\n'), partition: 2}))
    expect(fake.records('orders', 2).slice(-2).map((r) => text(r.value))).toEqual(['d', 'e'])
  })

  /** The client with a producer whose sends are counted, and the `failAt`th send failing. */
  function countingSends(fake: FakeKafka, failAt?: number): {client: KafkaClient; sizes: number[]} {
    const sizes: number[] = []
    const inner = fake.client()
    const client: KafkaClient = Object.create(inner)
    client.openConsoleProducer = async (opts) => {
      const producer = await inner.openConsoleProducer(opts)
      return {
        send: (topic, messages) => {
          sizes.push(messages.length)
          if (sizes.length === failAt) return Promise.reject(new KafkitError('not enough in-sync replicas (min.insync.replicas not met)', {code: 'NOT_ENOUGH_REPLICAS'}))
          return producer.send(topic, messages)
        },
      }
    }
    return {client, sizes}
  }

  it('large inputs go in bounded batches (512 KiB counting 64 bytes a message), one send at a time, order kept', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 1})
    const lines = Array.from({length: 25_000}, (_, i) => `${i}`).join('\n') + '\n'
    const {client, sizes} = countingSends(fake)
    const result = await produce(client, produceOptions({input: chunks(lines)}))
    expect(result.sent).toBe(25_000)
    expect(sizes.length).toBeGreaterThanOrEqual(4)
    expect(sizes.reduce((a, b) => a + b)).toBe(25_000)
    // Each message counts at least 64 bytes: a batch never exceeds 512 KiB / 64 = 8192 messages.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8192)
    const values = fake.records('orders', 0).map((r) => Number(text(r.value)))
    expect(values).toEqual(Array.from({length: 25_000}, (_, i) => i))
  })

  it('a failed send stops producing: its batch counts as failed, nothing after it is sent, the error is reported', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 1})
    const {client, sizes} = countingSends(fake, 2)
    const lines = Array.from({length: 30_000}, (_, i) => `${i}`).join('\n') + '\n'
    const result = await produce(client, produceOptions({input: chunks(lines)}))
    expect(sizes).toHaveLength(2)
    expect(result.sent).toBe(sizes[0])
    expect(result.failed).toBe(sizes[1])
    expect(result.error?.code).toBe('NOT_ENOUGH_REPLICAS')
    expect(fake.records('orders', 0)).toHaveLength(sizes[0])
  })

  it('an aborted run stops reading and sends what it read; an unreadable input is one line', async () => {
    const fake = new FakeKafka()
    fake.addTopic('orders', {partitions: 1})
    const controller = new AbortController()
    async function* input(): AsyncIterable<Buffer> {
      yield Buffer.from('one\ntwo\nthr')
      // SIGINT: the command aborts the signal and destroys the input stream.
      controller.abort()
      throw Object.assign(new Error('The operation was aborted'), {code: 'ABORT_ERR'})
    }
    const result = await produce(fake.client(), produceOptions({input: input(), signal: controller.signal}))
    expect(result).toEqual({topic: 'orders', sent: 2, failed: 0, lines: 2, interrupted: true})
    async function* broken(): AsyncIterable<Buffer> {
      yield Buffer.from('x\n')
      throw Object.assign(new Error('read failed'), {code: 'EIO'})
    }
    const failed = await produce(fake.client(), produceOptions({input: broken()}))
    expect(failed.error?.message).toBe('cannot read input: EIO')
    expect(failed.sent).toBe(1)
  })
})

// ---------------------------------------------------------------------------------------------

class Sink extends Writable {
  readonly lines: string[] = []
  _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''))
    callback()
  }
}

const render = (r: ConsumedRecord) => Buffer.from(`${r.partition}@${r.offset}:${text(r.value)}\n`)

function consumeOptions(overrides: Partial<ConsumeOptions> & {output?: Writable}): ConsumeOptions & {output: Sink} {
  return {topic: 'orders', position: {kind: 'beginning'}, exitAtEnd: true, render, output: new Sink(), signal: new AbortController().signal, ...overrides} as ConsumeOptions & {output: Sink}
}

/** orders: partition 0 with offsets 0-4, partition 1 with 0-2, timestamps a minute apart. */
function withRecords(): FakeKafka {
  const fake = new FakeKafka()
  fake.fetchBatchSize = 2
  fake.addTopic('orders', {partitions: 2})
  fake.append('orders', 0, Array.from({length: 5}, (_, i) => ({value: `a${i}`, timestamp: 1000 * 60 * i})))
  fake.append('orders', 1, Array.from({length: 3}, (_, i) => ({value: `b${i}`, timestamp: 1000 * 60 * i + 30_000})))
  return fake
}

describe('consume', () => {
  it('-e from the beginning reads every partition to the end it had at the start, then stops', async () => {
    const fake = withRecords()
    const opts = consumeOptions({})
    const result = await consume(fake.client(), opts)
    expect(result).toEqual({consumed: 8, scanned: 8, reason: 'end', offline: []})
    expect(opts.output.lines.filter((l) => l.startsWith('0@'))).toEqual(['0@0:a0', '0@1:a1', '0@2:a2', '0@3:a3', '0@4:a4'])
    expect(opts.output.lines.filter((l) => l.startsWith('1@'))).toEqual(['1@0:b0', '1@1:b1', '1@2:b2'])
    expect(fake.consumers[0].stopped).toBe(true)
  })

  it('-n stops after exactly N records, -n 0 reads nothing', async () => {
    const fake = withRecords()
    const opts = consumeOptions({partition: 0, maxMessages: 3, exitAtEnd: false})
    expect(await consume(fake.client(), opts)).toMatchObject({consumed: 3, reason: 'max-messages'})
    expect(opts.output.lines).toEqual(['0@0:a0', '0@1:a1', '0@2:a2'])
    expect(await consume(fake.client(), consumeOptions({maxMessages: 0, exitAtEnd: false}))).toMatchObject({consumed: 0, reason: 'max-messages'})
    expect(fake.consumers).toHaveLength(1)
  })

  it('start positions: an offset, N before the end, a time, clamped to the log', async () => {
    const fake = withRecords()
    fake.deleteRecordsBefore('orders', 0, 1)
    const starts = async (position: ConsumeOptions['position']) => {
      const before = fake.consumers.length
      await consume(fake.client(), consumeOptions({position}))
      return fake.consumers[before]?.options.starts.map((s) => `${s.partition}:${s.offset}`)
    }
    expect(await starts({kind: 'offset', offset: 2})).toEqual(['0:2', '1:2'])
    expect(await starts({kind: 'offset', offset: 0})).toEqual(['0:1', '1:0'])
    expect(await starts({kind: 'offset', offset: -2})).toEqual(['0:3', '1:1'])
    // 2 min: a2 (120 s) on 0, b2 (150 s) on 1.
    expect(await starts({kind: 'time', timestamp: 120_000})).toEqual(['0:2', '1:2'])
    // Nothing at or after: the end, so -e has nothing to read and starts no consumer.
    expect(await consume(fake.client(), consumeOptions({position: {kind: 'time', timestamp: 10_000_000}}))).toMatchObject({consumed: 0, reason: 'end'})
  })

  it('with no position a group resumes where it committed (the end where it has nothing); without a group, the end', async () => {
    const fake = withRecords()
    fake.addGroup('app', {offsets: {'orders:0': 3}})
    const opts = consumeOptions({position: {kind: 'default'}, group: 'app'})
    expect(await consume(fake.client(), opts)).toMatchObject({consumed: 2, reason: 'end'})
    expect(opts.output.lines).toEqual(['0@3:a3', '0@4:a4'])
    expect(fake.callsOf('commitOffsetsWhileInactive')).toEqual([])
    // The group consumer committed what it printed.
    expect(fake.groups.get('app')!.offsets.get('orders:0')).toBe(5)
    expect(await consume(fake.client(), consumeOptions({position: {kind: 'default'}}))).toMatchObject({consumed: 0, reason: 'end'})
  })

  it('a group told where to start gets those positions committed before it joins; an active group is refused', async () => {
    const fake = withRecords()
    await consume(fake.client(), consumeOptions({group: 'app', position: {kind: 'offset', offset: 1}, maxMessages: 1, exitAtEnd: false, partition: 1}))
    expect(fake.callsOf('commitOffsetsWhileInactive')).toEqual([['app', [{topic: 'orders', partition: 1, offset: 1}], 'choose where consume starts for']])
    const order = fake.calls.map((c) => c.method)
    expect(order.indexOf('commitOffsetsWhileInactive')).toBeLessThan(order.indexOf('startConsoleConsumer'))
    fake.addGroup('busy', {members: [{consumerId: 'c-1', clientId: 'svc', host: '/h'}]})
    const error = await rejection(consume(fake.client(), consumeOptions({group: 'busy', position: {kind: 'beginning'}})))
    expect(error.message).toBe('cannot choose where consume starts for group "busy": it has 1 active member: c-1 (client svc, host /h)')
  })

  it('--where: only matches are printed and counted by -n; every record read is scanned; -e still ends', async () => {
    const fake = withRecords()
    const even = (r: ConsumedRecord) => Number(r.offset) % 2 === 0
    const all = consumeOptions({filter: even})
    expect(await consume(fake.client(), all)).toEqual({consumed: 5, scanned: 8, reason: 'end', offline: []})
    const limited = consumeOptions({partition: 0, filter: even, maxMessages: 2})
    expect(await consume(fake.client(), limited)).toMatchObject({consumed: 2, reason: 'max-messages'})
    expect(limited.output.lines).toEqual(['0@0:a0', '0@2:a2'])
  })

  it('offline partitions are reported and skipped; when every partition is offline nothing can be read', async () => {
    const fake = withRecords()
    fake.partition('orders', 1).leader = -1
    const told: number[][] = []
    const result = await consume(fake.client(), consumeOptions({onOffline: (p) => told.push([...p])}))
    expect(result).toMatchObject({consumed: 5, reason: 'end', offline: [1]})
    expect(told).toEqual([[1]])
    fake.partition('orders', 0).leader = -1
    const error = await rejection(consume(fake.client(), consumeOptions({})))
    expect(error.code).toBe('LEADER_NOT_AVAILABLE')
    expect(error.message).toBe('every partition of orders has no leader (offline): nothing can be read')
    const one = await rejection(consume(fake.client(), consumeOptions({partition: 1})))
    expect(one.message).toBe('partition orders:1 has no leader (offline): nothing can be read')
  })

  it('stops on a signal, on a closed output, and when the consumer crashes', async () => {
    const fake = withRecords()
    const controller = new AbortController()
    const waiting = consume(fake.client(), consumeOptions({exitAtEnd: false, signal: controller.signal, onProgress: (consumed) => consumed === 8 && controller.abort()}))
    expect(await waiting).toMatchObject({consumed: 8, reason: 'interrupted'})

    const closed = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}))
      },
    })
    expect(await consume(fake.client(), consumeOptions({output: closed, exitAtEnd: false}))).toMatchObject({reason: 'output-closed'})

    const crashing = consume(fake.client(), consumeOptions({exitAtEnd: false, onProgress: () => fake.consumers.at(-1)!.crash(new KafkitError('not authorized for this topic', {code: 'TOPIC_AUTHORIZATION_FAILED'}))}))
    expect((await rejection(crashing)).code).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(fake.consumers.at(-1)!.stopped).toBe(true)
  })
})
