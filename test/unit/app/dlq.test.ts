import {afterEach, describe, expect, it, vi} from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

import {executeReplay, inspectDlqTopic, planReplay, type ReplayRequest} from '../../../src/app/dlq.js'
import type {ConsumedRecord} from '../../../src/core/record.js'
import type {RecordFilter} from '../../../src/core/record-filter.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka, type RecordInput} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

const DLQ = 'orders.dlq'
const GROUP = 'kafkit-dlq-replay.orders.dlq'

/** A DLQ record in the header convention (seed 003) for `topic`, failed with `errorType`. */
function failed(n: number, fields: {topic?: string; errorType?: string; retries?: number; extra?: Record<string, string>} = {}): RecordInput {
  return {
    key: `k${n}`,
    value: `v${n}`,
    headers: {
      original_topic: fields.topic ?? 'orders',
      original_partition: '0',
      original_offset: String(100 + n),
      error_type: fields.errorType ?? 'ValueError',
      error_message: 'bad',
      failed_at: '2026-01-10T10:00:00',
      ...(fields.retries === undefined ? {} : {retry_count: String(fields.retries)}),
      ...fields.extra,
    },
  }
}

function dlqCluster(partitions = 1): FakeKafka {
  const fake = new FakeKafka()
  fake.addTopic(DLQ, {partitions})
  fake.addTopic('orders', {partitions: 3})
  return fake
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'))
const header = (headers: {name: string; value: Buffer | null}[], name: string) => text(headers.find((h) => h.name === name)?.value ?? null)

function request(overrides: Partial<ReplayRequest> = {}): ReplayRequest {
  return {dlqTopic: DLQ, filter: {}, dryRun: false, ...overrides}
}

async function replay(fake: FakeKafka, overrides: Partial<ReplayRequest> = {}, signal?: AbortSignal) {
  const req = request(overrides)
  const plan = await planReplay(fake.client(), req)
  return executeReplay(fake.client(), plan, req, () => {}, signal)
}

// ---------------------------------------------------------------------------------------------

describe('inspectDlqTopic', () => {
  it('an unknown DLQ is TOPIC_NOT_FOUND', async () => {
    const error = await rejection(inspectDlqTopic(dlqCluster().client(), 'nope'))
    expect(error.code).toBe('TOPIC_NOT_FOUND')
    expect(error.message).toBe('topic "nope" not found on fake:9092')
  })

  it('reads every partition from its log start to its end with a throwaway group, deleted afterwards', async () => {
    const fake = dlqCluster(2)
    fake.fetchBatchSize = 2
    fake.append(DLQ, 0, [failed(0), failed(1, {errorType: 'KeyError'}), {value: 'not a DLQ record'}, failed(3)])
    fake.append(DLQ, 1, [failed(4, {topic: 'payments'}), failed(5)])
    fake.deleteRecordsBefore(DLQ, 0, 1)
    const result = await inspectDlqTopic(fake.client(), DLQ)
    expect(result).toMatchObject({topic: DLQ, partitions: 2, records: 5, decoded: 4, undecodable: 1})
    expect(result.originalTopics).toEqual([
      {topic: 'orders', count: 3},
      {topic: 'payments', count: 1},
    ])
    expect(result.errorTypes).toEqual([
      {errorType: 'ValueError', count: 3},
      {errorType: 'KeyError', count: 1},
    ])
    expect(result.undecodableSamples.map((s) => [s.partition, s.offset])).toEqual([[0, '2']])
    const [{groupId, ranges}] = fake.callsOf('readToEnd')[0] as [{groupId: string; ranges: unknown}]
    expect(groupId).toMatch(/^kafkit-dlq-inspect\.orders\.dlq\.[0-9a-f]{8}$/)
    expect(ranges).toEqual([
      {partition: 0, from: 1, end: 4},
      {partition: 1, from: 0, end: 2},
    ])
    expect(fake.callsOf('deleteGroups')).toEqual([[[groupId]]])
    expect(fake.groups.has(groupId)).toBe(false)
    expect(result.where).toBeUndefined()
  })

  it('--where: only matching records are inspected; how many were read is reported', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, [failed(0), failed(1, {errorType: 'KeyError'}), failed(2)])
    const filter: RecordFilter = {
      sources: ['headers.error_type == "KeyError"'],
      test: (r: ConsumedRecord) => header(r.headers, 'error_type') === 'KeyError',
      tested: 0,
      failures: 0,
      firstFailure: undefined,
    }
    const result = await inspectDlqTopic(fake.client(), DLQ, {filter})
    expect(result.records).toBe(1)
    expect(result.errorTypes).toEqual([{errorType: 'KeyError', count: 1}])
    expect(result.where).toEqual({expressions: ['headers.error_type == "KeyError"'], scanned: 3})
  })

  it('the throwaway group is deleted even when reading fails', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, [failed(0)])
    fake.failNext('readToEnd', new KafkitError('not authorized for this consumer group', {code: 'GROUP_AUTHORIZATION_FAILED'}))
    expect((await rejection(inspectDlqTopic(fake.client(), DLQ))).code).toBe('GROUP_AUTHORIZATION_FAILED')
    expect(fake.callsOf('deleteGroups')).toHaveLength(1)
  })
})

describe('planReplay', () => {
  it('pending records run from the group\'s progress (clamped to the log start) to the end now', async () => {
    const fake = dlqCluster(2)
    fake.append(DLQ, 0, Array.from({length: 10}, (_, i) => failed(i)))
    fake.append(DLQ, 1, Array.from({length: 4}, (_, i) => failed(i)))
    fake.deleteRecordsBefore(DLQ, 1, 3)
    fake.addGroup(GROUP, {offsets: {[`${DLQ}:0`]: 6, [`${DLQ}:1`]: 1}})
    const plan = await planReplay(fake.client(), request())
    expect(plan).toEqual({
      dlqTopic: DLQ,
      group: GROUP,
      dryRun: false,
      pending: 5,
      ranges: [
        {partition: 0, from: 6, end: 10},
        {partition: 1, from: 3, end: 4},
      ],
    })
  })

  it('a --to or --parking-topic that does not exist is refused, naming the flag', async () => {
    const fake = dlqCluster()
    const to = await rejection(planReplay(fake.client(), request({to: 'orders.v2'})))
    expect(to.code).toBe('TOPIC_NOT_FOUND')
    expect(to.message).toBe('--to topic "orders.v2" does not exist on fake:9092')
    expect(to.hint).toBe('create it first (kafkit topics create orders.v2)')
    const parking = await rejection(planReplay(fake.client(), request({to: 'orders', parkingTopic: 'parked'})))
    expect(parking.message).toBe('--parking-topic topic "parked" does not exist on fake:9092')
    expect(fake.callsOf('existingTopics')).toEqual([[['orders.v2']], [['orders', 'parked']]])
  })
})

describe('executeReplay', () => {
  it('replays in chunks across partitions: each transaction holds its records and the progress past them, in one commit call', async () => {
    // The clock stands still: only the record bound (2,000) closes a transaction, never its age.
    vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 15, 12, 0, 0))
    const fake = dlqCluster(2)
    fake.fetchBatchSize = 1000
    fake.append(DLQ, 0, Array.from({length: 6000}, (_, i) => failed(i)))
    fake.append(DLQ, 1, Array.from({length: 1200}, (_, i) => failed(10_000 + i)))
    const summary = await replay(fake)
    expect(summary).toMatchObject({read: 7200, replayed: 7200, pending: 7200, stoppedAtMax: false, interrupted: false, missingTopics: []})
    const [writer] = fake.writers
    expect(writer).toMatchObject({transactionalId: `kafkit-dlq-replay:${GROUP}:${DLQ}`, groupId: GROUP, dlqTopic: DLQ})
    // Batches of 1,000 alternate between the partitions (p0, p1, p0, p1's last 200, p0, p0 ...);
    // a transaction closes at 2,000 records, wherever that is, with the progress of each partition in it.
    expect(writer.commits.map((c) => [c.messages.length, c.offsets])).toEqual([
      [2000, [{partition: 0, offset: 1000}, {partition: 1, offset: 1000}]],
      [2000, [{partition: 1, offset: 1200}, {partition: 0, offset: 2800}]],
      [2000, [{partition: 0, offset: 4800}]],
      [1200, [{partition: 0, offset: 6000}]],
    ])
    // The replayed record: the original key and value, provenance, retry_count 1.
    const first = writer.commits[0].messages[0]
    expect([first.topic, text(first.key), text(first.value), header(first.headers, 'kafkit-replay-source-offset'), header(first.headers, 'retry_count')]).toEqual(['orders', 'k0', 'v0', '0', '1'])
    const landed = [0, 1, 2].flatMap((p) => fake.records('orders', p))
    expect(landed).toHaveLength(7200)
    // The progress is the group's: a second run finds nothing to do.
    expect(fake.groups.get(GROUP)!.offsets.get(`${DLQ}:0`)).toBe(6000)
    expect(fake.groups.get(GROUP)!.offsets.get(`${DLQ}:1`)).toBe(1200)
    expect((await replay(fake)).pending).toBe(0)
    expect(fake.writers[1].commits).toEqual([])
  })

  it('fences first, then measures again from the committed progress, up to the ends the plan had', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, Array.from({length: 5}, (_, i) => failed(i)))
    const req = request()
    const plan = await planReplay(fake.client(), req)
    // After the plan: another run committed up to 2, and 3 more records arrived.
    fake.addGroup(GROUP, {offsets: {[`${DLQ}:0`]: 2}})
    fake.append(DLQ, 0, [failed(5), failed(6), failed(7)])
    fake.calls.length = 0
    const summary = await executeReplay(fake.client(), plan, req)
    expect(fake.calls.map((c) => c.method).slice(0, 3)).toEqual(['openReplayWriter', 'dlqPartitions', 'committedOffsets'])
    expect(summary).toMatchObject({pending: 3, replayed: 3})
    expect(fake.groups.get(GROUP)!.offsets.get(`${DLQ}:0`)).toBe(5)
  })

  it('filtered records are skipped but committed past; undecodable and looping ones are reported and left in the DLQ', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, [failed(0), failed(1, {errorType: 'KeyError'}), {value: 'garbage'}, failed(3, {topic: DLQ}), failed(4)])
    const summary = await replay(fake, {filter: {errorTypes: ['ValueError']}})
    expect(summary).toMatchObject({read: 5, replayed: 2, filtered: 1, undecodable: 1, refused: 1})
    expect(summary.problems.map((p) => [p.offset, p.action])).toEqual([
      ['2', 'undecodable'],
      ['3', 'refused'],
    ])
    const commits = fake.writers[0].commits
    expect(commits.flatMap((c) => c.messages.map((m) => header(m.headers, 'kafkit-replay-source-offset')))).toEqual(['0', '4'])
    expect(commits.at(-1)!.offsets).toEqual([{partition: 0, offset: 5}])
  })

  it('--max stops before the first record over the limit and commits only up to it, so the next run starts there', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, [failed(0), failed(1, {errorType: 'KeyError'}), failed(2), failed(3), failed(4)])
    const summary = await replay(fake, {max: 2, filter: {errorTypes: ['ValueError']}})
    // 0 replayed, 1 filtered, 2 replayed: the limit is reached before 3.
    expect(summary).toMatchObject({replayed: 2, filtered: 1, stoppedAtMax: true})
    expect(fake.groups.get(GROUP)!.offsets.get(`${DLQ}:0`)).toBe(3)
    const next = await replay(fake)
    expect(next).toMatchObject({pending: 2, replayed: 2, stoppedAtMax: false})
  })

  it('records retried --max-retries times are parked (the DLQ record itself) in <topic>.parking or --parking-topic', async () => {
    const fake = dlqCluster()
    fake.addTopic('orders.parking')
    fake.addTopic('graveyard')
    fake.append(DLQ, 0, [failed(0, {retries: 2}), failed(1, {retries: 3}), failed(2)])
    const summary = await replay(fake, {maxRetries: 3})
    expect(summary).toMatchObject({replayed: 2, parked: 1})
    expect(summary.destinations).toEqual([
      {topic: 'orders', action: 'replay', count: 2},
      {topic: 'orders.parking', action: 'park', count: 1},
    ])
    const [parked] = fake.records('orders.parking', 0)
    expect([text(parked.value), header(parked.headers, 'retry_count'), header(parked.headers, 'error_type')]).toEqual(['v1', '3', 'ValueError'])
    // The replayed one counts its retry.
    const replayed = fake.writers[0].commits.flatMap((c) => c.messages).find((m) => m.topic === 'orders' && text(m.key) === 'k0')!
    expect(header(replayed.headers, 'retry_count')).toBe('3')

    fake.append(DLQ, 0, [failed(3, {retries: 5})])
    expect((await replay(fake, {maxRetries: 3, parkingTopic: 'graveyard'})).destinations).toEqual([{topic: 'graveyard', action: 'park', count: 1}])
  })

  it('a destination that does not exist stops the replay before that record, with what came before committed', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, [failed(0), failed(1), failed(2, {topic: 'payments'}), failed(3)])
    const error = await rejection(replay(fake))
    expect(error.code).toBe('TOPIC_NOT_FOUND')
    expect(error.message).toBe(`topic "payments" does not exist (destination of ${DLQ}:0@2); the replay stopped before that record`)
    expect(fake.writers[0].commits.map((c) => [c.messages.length, c.offsets])).toEqual([[2, [{partition: 0, offset: 2}]]])
    expect(fake.groups.get(GROUP)!.offsets.get(`${DLQ}:0`)).toBe(2)
  })

  it('a dry run writes and commits nothing, reads with a throwaway group, and names every missing destination', async () => {
    const fake = dlqCluster()
    fake.append(DLQ, 0, [failed(0), failed(1, {topic: 'payments'}), failed(2, {topic: 'invoices'}), failed(3)])
    const summary = await replay(fake, {dryRun: true})
    expect(summary).toMatchObject({dryRun: true, read: 4, replayed: 4, missingTopics: ['invoices', 'payments']})
    expect(fake.writers).toEqual([])
    expect(fake.groups.has(GROUP)).toBe(false)
    const [{groupId}] = fake.callsOf('readToEnd')[0] as [{groupId: string}]
    expect(groupId).toMatch(/^kafkit-dlq-dry-run\.orders\.dlq\./)
    expect(fake.groups.has(groupId)).toBe(false)
  })

  it('an interrupted replay commits what it read and stops at a record boundary', async () => {
    const fake = dlqCluster()
    fake.fetchBatchSize = 3
    fake.append(DLQ, 0, Array.from({length: 9}, (_, i) => failed(i)))
    const controller = new AbortController()
    const req = request()
    const plan = await planReplay(fake.client(), req)
    const summary = await executeReplay(fake.client(), plan, req, (p) => p.read >= 3 && controller.abort(), controller.signal)
    expect(summary).toMatchObject({interrupted: true, replayed: 3})
    expect(fake.groups.get(GROUP)!.offsets.get(`${DLQ}:0`)).toBe(3)
  })
})
