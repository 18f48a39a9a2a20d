import {Buffer} from 'node:buffer'
import {describe, expect, it} from 'vitest'
import type {ConsumedRecord, RecordHeaders} from '../../../src/core/record.js'
import {inspectDlq} from '../../../src/core/dlq-inspect.js'
import {type ReplayFilter, type ReplaySettings, decideReplay, defaultReplayGroup, filterRejection, replayTransactionalId} from '../../../src/core/dlq-replay.js'
import {ReplayTally} from '../../../src/core/replay-tally.js'
import {TokenBucket} from '../../../src/core/token-bucket.js'
import {decodeDlqRecord} from '../../../src/core/dlq.js'

const text = (s: string): Buffer => Buffer.from(s, 'utf8')
const textHeaders = (headers: Record<string, string>): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, text(value)]))
/** A header list from name → value (an array of values for a repeated name), in that order. */
const hs = (headers: Record<string, Buffer | null | Array<Buffer | null>>): RecordHeaders =>
  Object.entries(headers).flatMap(([name, values]) => (Array.isArray(values) ? values : [values]).map((value) => ({name, value})))

const REPLAY_TIME = Date.UTC(2026, 10, 22, 12, 0, 0)
const REPLAY_TIME_ISO = '2026-11-22T12:00:00.000Z'
const FAILED_AT = Date.UTC(2024, 9, 19, 10, 30)

/** A seed-003 DLQ record for orders[3]@12345 at DLQ offset 7. */
function dlqRecord(headers: Record<string, string> = {}, overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: 'orders.dlq',
    partition: 1,
    offset: '7',
    timestamp: String(Date.UTC(2024, 9, 20)),
    key: text('order-1'),
    value: text('{"amount":"x"}'),
    headers: hs(textHeaders({
      original_topic: 'orders',
      original_partition: '3',
      original_offset: '12345',
      error_type: 'ValueError',
      error_message: 'bad amount',
      failed_at: '2024-10-19T10:30:00',
      ...headers,
    })),
    ...overrides,
  }
}

const options = (overrides: Partial<ReplaySettings> = {}): ReplaySettings & {replayTime: number} => ({dlqTopic: 'orders.dlq', filter: {}, replayTime: REPLAY_TIME, ...overrides})

const provenance = {
  'kafkit-replay-source-topic': text('orders.dlq'),
  'kafkit-replay-source-partition': text('1'),
  'kafkit-replay-source-offset': text('7'),
  'kafkit-replay-time': text(REPLAY_TIME_ISO),
}

describe('decideReplay: the outgoing message', () => {
  it('original key, value, carried headers, provenance and retry_count 1', () => {
    const record = dlqRecord({trace: 't-1'})
    expect(decideReplay(record, options(), 0)).toMatchObject({
      action: 'replay',
      message: {
        topic: 'orders',
        key: text('order-1'),
        value: text('{"amount":"x"}'),
        headers: hs({trace: text('t-1'), ...provenance, retry_count: text('1')}),
      },
    })
    // Exactly those headers: no DLQ metadata is re-sent.
    const decision = decideReplay(record, options(), 0)
    expect(decision.action === 'replay' && decision.message.headers.map((header) => header.name).sort()).toEqual(
      ['kafkit-replay-source-offset', 'kafkit-replay-source-partition', 'kafkit-replay-source-topic', 'kafkit-replay-time', 'retry_count', 'trace'],
    )
  })

  it('increments an existing retry count', () => {
    const decision = decideReplay(dlqRecord({retry_count: '4'}), options(), 0)
    expect(decision).toMatchObject({action: 'replay', message: {headers: expect.arrayContaining(hs({retry_count: text('5')}))}})
  })

  it('overwrites provenance from an earlier replay instead of duplicating it', () => {
    const decision = decideReplay(
      dlqRecord({'kafkit-replay-source-offset': '1', 'kafkit-replay-time': '2020-01-01T00:00:00.000Z'}),
      options(),
      0,
    )
    expect(decision).toMatchObject({action: 'replay', message: {headers: hs({...provenance, retry_count: text('1')})}})
  })

  it('keeps repeated headers and tombstones', () => {
    const record = dlqRecord({}, {value: null, headers: [...dlqRecord().headers, ...hs({multi: [text('a'), text('b')]})]})
    expect(decideReplay(record, options(), 0)).toMatchObject({
      action: 'replay',
      message: {value: null, headers: hs({multi: [text('a'), text('b')], ...provenance, retry_count: text('1')})},
    })
  })

  it('--to overrides the original topic', () => {
    expect(decideReplay(dlqRecord(), options({to: 'orders.retry'}), 0)).toMatchObject({action: 'replay', message: {topic: 'orders.retry'}})
  })

  it('replays a seed-001 envelope: original value, not the envelope', () => {
    const record: ConsumedRecord = {
      ...dlqRecord(),
      headers: hs({}),
      key: text('123'),
      value: text('{"original_topic": "orders.created", "original_key": "123", "original_value": {"order_id": 123}, "retry_count": 2}'),
    }
    expect(decideReplay(record, options({dlqTopic: 'dlq.processing.errors'}), 0)).toMatchObject({
      action: 'replay',
      message: {topic: 'orders.created', key: text('123'), value: text('{"order_id":123}'), headers: hs({...provenance, retry_count: text('3')})},
    })
  })
})

describe('decideReplay: parking (--max-retries)', () => {
  it.each([
    ['below the limit is replayed', '2', 3, undefined, 'replay', 'orders'],
    ['at the limit is parked in <original>.parking', '3', 3, undefined, 'park', 'orders.parking'],
    ['above the limit is parked', '9', 3, undefined, 'park', 'orders.parking'],
    ['--parking-topic', '3', 3, 'dead.forever', 'park', 'dead.forever'],
    ['--max-retries 0 parks everything', '0', 0, undefined, 'park', 'orders.parking'],
  ])('%s', (_name, retryCount, maxRetries, parkingTopic, action, topic) => {
    const decision = decideReplay(dlqRecord({retry_count: retryCount}), options({maxRetries, parkingTopic}), 0)
    expect(decision).toMatchObject({action, message: {topic}})
  })

  it('parks the DLQ record itself, metadata and retry count unchanged, plus provenance', () => {
    const record = dlqRecord({retry_count: '3', trace: 't'})
    const decision = decideReplay(record, options({maxRetries: 3, to: 'ignored-for-parking'}), 0)
    expect(decision).toEqual({
      action: 'park',
      failure: expect.objectContaining({retryCount: 3}),
      message: {topic: 'orders.parking', key: record.key, value: record.value, headers: [...record.headers, ...hs(provenance)]},
    })
    // The parking topic is a DLQ in the same format: it decodes to the same failure.
    if (decision.action !== 'park') throw new Error('expected park')
    const parked: ConsumedRecord = {...record, topic: 'orders.parking', headers: decision.message.headers}
    expect(decodeDlqRecord(parked)).toMatchObject({ok: true, failure: {originalTopic: 'orders', errorType: 'ValueError', retryCount: 3}})
  })
  it('parking overwrites stale provenance on the DLQ record', () => {
    const record = dlqRecord({retry_count: '3', 'kafkit-replay-source-offset': '1', 'kafkit-replay-time': 'old'})
    const headers = [...dlqRecord({retry_count: '3'}).headers, ...hs(provenance)]
    expect(decideReplay(record, options({maxRetries: 3}), 0)).toMatchObject({action: 'park', message: {headers}})
  })
})

describe('decideReplay: loop protection', () => {
  it.each<[string, ConsumedRecord, Partial<ReplaySettings>, string]>([
    ['original topic is the DLQ', dlqRecord({original_topic: 'orders.dlq'}), {}, 'target topic orders.dlq is the DLQ being replayed'],
    ['--to is the DLQ', dlqRecord(), {to: 'orders.dlq'}, 'target topic orders.dlq is the DLQ being replayed; sending it there would loop'],
    ['parking topic is the DLQ', dlqRecord({retry_count: '5'}), {maxRetries: 1, parkingTopic: 'orders.dlq'}, 'parking topic orders.dlq is the DLQ being replayed'],
  ])('%s → refused', (_name, record, overrides, reason) => {
    const decision = decideReplay(record, options(overrides), 0)
    expect(decision.action).toBe('refused')
    expect(decision.action === 'refused' && decision.reason).toContain(reason)
  })

  it('a different DLQ with the same original topic is fine', () => {
    expect(decideReplay(dlqRecord(), options({dlqTopic: 'other.dlq'}), 0).action).toBe('replay')
  })
})

describe('decideReplay: --max and undecodable', () => {
  it.each([
    [undefined, 1000, 'replay'],
    [10, 9, 'replay'],
    [10, 10, 'limit-reached'],
    [0, 0, 'limit-reached'],
  ])('max %s after %s selected → %s', (max, selected, action) => {
    expect(decideReplay(dlqRecord(), options({max}), selected).action).toBe(action)
  })

  it('undecodable records carry the reason', () => {
    const record = dlqRecord({}, {headers: hs({}), value: text('not json')})
    expect(decideReplay(record, options(), 0)).toEqual({action: 'undecodable', reason: expect.stringContaining('value is not JSON')})
  })

  it('filtered records carry the reason', () => {
    expect(decideReplay(dlqRecord(), options({filter: {errorTypes: ['KeyError']}}), 0)).toMatchObject({
      action: 'filtered',
      reason: 'error type ValueError is not KeyError',
    })
  })
})

describe('filterRejection', () => {
  const rejection = (record: ConsumedRecord, filter: ReplayFilter): string | undefined => {
    const decoded = decodeDlqRecord(record)
    if (!decoded.ok) throw new Error(decoded.reason)
    return filterRejection(record, decoded.failure, filter)
  }
  const javaError = dlqRecord({error_type: 'org.apache.kafka.common.errors.SerializationException'})
  const innerClass = dlqRecord({error_type: 'com.acme.Orders$InvalidAmount'})
  const noType = dlqRecord({}, {headers: hs(textHeaders({original_topic: 'orders'}))})

  it.each<[string, ConsumedRecord, ReplayFilter, string | undefined]>([
    ['no filter', dlqRecord(), {}, undefined],
    ['empty error-type list means no filter', dlqRecord(), {errorTypes: []}, undefined],
    ['error type exact', dlqRecord(), {errorTypes: ['ValueError']}, undefined],
    ['error type is case-sensitive', dlqRecord(), {errorTypes: ['valueerror']}, 'error type ValueError is not valueerror'],
    ['one of several error types', dlqRecord(), {errorTypes: ['KeyError', 'ValueError']}, undefined],
    ['simple name of a FQCN', javaError, {errorTypes: ['SerializationException']}, undefined],
    ['FQCN itself', javaError, {errorTypes: ['org.apache.kafka.common.errors.SerializationException']}, undefined],
    ['a package suffix is not a match', javaError, {errorTypes: ['errors.SerializationException']}, 'is not errors.SerializationException'],
    ['simple name of an inner class', innerClass, {errorTypes: ['InvalidAmount']}, undefined],
    ['no error type never matches', noType, {errorTypes: ['ValueError']}, 'error type (none) is not ValueError'],
    ['since is inclusive', dlqRecord(), {since: FAILED_AT}, undefined],
    ['before since', dlqRecord(), {since: FAILED_AT + 1}, 'failed at 2024-10-19T10:30:00.000Z, before --since 2024-10-19T10:30:00.001Z'],
    ['until is exclusive', dlqRecord(), {until: FAILED_AT}, 'failed at 2024-10-19T10:30:00.000Z, not before --until 2024-10-19T10:30:00.000Z'],
    ['before until', dlqRecord(), {until: FAILED_AT + 1}, undefined],
    ['without failed_at the DLQ record timestamp is used', noType, {until: Date.UTC(2024, 9, 20)}, 'failed at 2024-10-20T00:00:00.000Z, not before --until'],
    ['where matches a DLQ metadata header', dlqRecord(), {where: [{name: 'original_partition', value: '3'}]}, undefined],
    ['where matches an application header', dlqRecord({tenant: 'acme'}), {where: [{name: 'tenant', value: 'acme'}]}, undefined],
    ['where value differs', dlqRecord({tenant: 'acme'}), {where: [{name: 'tenant', value: 'ACME'}]}, 'header tenant is not "ACME"'],
    ['where header missing', dlqRecord(), {where: [{name: 'tenant', value: 'acme'}]}, 'header tenant is not "acme"'],
    ['where empty value matches an empty header', dlqRecord({tenant: ''}), {where: [{name: 'tenant', value: ''}]}, undefined],
    [
      'all where conditions must hold',
      dlqRecord({tenant: 'acme'}),
      {where: [{name: 'tenant', value: 'acme'}, {name: 'region', value: 'eu'}]},
      'header region is not "eu"',
    ],
    [
      'filters combine',
      dlqRecord({tenant: 'acme'}),
      {errorTypes: ['ValueError'], since: FAILED_AT - 1, until: FAILED_AT + 1, where: [{name: 'tenant', value: 'acme'}]},
      undefined,
    ],
  ])('%s', (_name, record, filter, expected) => {
    const actual = rejection(record, filter)
    if (expected === undefined) expect(actual).toBeUndefined()
    else expect(actual).toContain(expected)
  })

  it('where matches any value of a repeated header', () => {
    const record = dlqRecord({}, {headers: [...dlqRecord().headers, ...hs({tag: [text('a'), text('b')]})]})
    expect(rejection(record, {where: [{name: 'tag', value: 'b'}]})).toBeUndefined()
    expect(rejection(record, {where: [{name: 'tag', value: 'c'}]})).toBe('header tag is not "c"')
  })
})

describe('inspectDlq', () => {
  const records: ConsumedRecord[] = [
    dlqRecord({failed_at: '2024-10-19T10:00:00'}, {offset: '0'}),
    dlqRecord({failed_at: '2024-10-19T09:00:00', retry_count: '1'}, {offset: '1'}),
    dlqRecord({failed_at: '2024-10-19T11:00:00', error_type: 'KeyError'}, {offset: '2', value: Buffer.from([0xff])}),
    dlqRecord({original_topic: 'payments', failed_at: '2024-10-19T10:30:00', retry_count: '1'}, {offset: '3'}),
    {...dlqRecord({}, {offset: '4'}), headers: hs({}), value: text('garbage')},
    {
      ...dlqRecord({}, {offset: '5', timestamp: String(Date.UTC(2024, 9, 19, 12))}),
      headers: hs({}),
      key: null,
      value: text('{"original_topic": "payments", "original_value": {"id": 1}, "error": "boom", "retry_count": 2}'),
    },
  ]

  it('aggregates counts, time range, retry histogram, samples and undecodable records', () => {
    expect(inspectDlq(records, {sampleSize: 3})).toEqual({
      records: 6,
      decoded: 5,
      undecodable: 1,
      formats: [
        {format: 'headers', count: 4},
        {format: 'json-envelope', count: 1},
      ],
      originalTopics: [
        {topic: 'orders', count: 3},
        {topic: 'payments', count: 2},
      ],
      errorTypes: [
        {errorType: 'ValueError', count: 3},
        {errorType: 'KeyError', count: 1},
        {errorType: null, count: 1},
      ],
      retryCounts: [
        {retryCount: 0, count: 2},
        {retryCount: 1, count: 2},
        {retryCount: 2, count: 1},
      ],
      firstFailureAt: Date.UTC(2024, 9, 19, 9),
      lastFailureAt: Date.UTC(2024, 9, 19, 12), // the envelope has no error_timestamp: its record timestamp
      samples: [
        {
          partition: 1,
          offset: '0',
          failedAt: Date.UTC(2024, 9, 19, 10),
          format: 'headers',
          originalTopic: 'orders',
          originalPartition: 3,
          originalOffset: '12345',
          errorType: 'ValueError',
          errorMessage: 'bad amount',
          retryCount: 0,
          key: 'order-1',
          value: '{"amount":"x"}',
        },
        {
          partition: 1,
          offset: '2',
          failedAt: Date.UTC(2024, 9, 19, 11),
          format: 'headers',
          originalTopic: 'orders',
          originalPartition: 3,
          originalOffset: '12345',
          errorType: 'KeyError',
          errorMessage: 'bad amount',
          retryCount: 0,
          key: 'order-1',
          value: {base64: '/w=='},
        },
        expect.objectContaining({offset: '3', originalTopic: 'payments', errorType: 'ValueError'}),
      ],
      undecodableSamples: [{partition: 1, offset: '4', reason: expect.stringContaining('value is not JSON')}],
    })
  })

  it('one sample per (original topic, error type), in order of first appearance', () => {
    expect(inspectDlq(records).samples.map((s) => [s.originalTopic, s.errorType ?? null])).toEqual([
      ['orders', 'ValueError'],
      ['orders', 'KeyError'],
      ['payments', 'ValueError'],
      ['payments', null],
    ])
  })

  it('an empty DLQ', () => {
    expect(inspectDlq([])).toEqual({
      records: 0,
      decoded: 0,
      undecodable: 0,
      formats: [],
      originalTopics: [],
      errorTypes: [],
      retryCounts: [],
      samples: [],
      undecodableSamples: [],
    })
  })

  it('ties in counts are ordered by name', () => {
    const tied = ['b', 'a', 'c'].map((topic) => dlqRecord({original_topic: topic}))
    expect(inspectDlq(tied).originalTopics.map((t) => t.topic)).toEqual(['a', 'b', 'c'])
  })
})

describe('TokenBucket (--rate)', () => {
  it('lets a tenth of a second burst through, then paces at the rate', () => {
    const bucket = new TokenBucket(100, 0)
    const waits = Array.from({length: 12}, () => bucket.take(0))
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0))
    expect(waits.slice(10)).toEqual([10, 20])
  })

  it('refills with time, never above the burst', () => {
    const bucket = new TokenBucket(10, 0)
    expect(bucket.take(0)).toBe(0)
    expect(bucket.take(0)).toBe(100)
    // 10 s later: full again, but only 1 token (the burst for 10/s).
    expect(bucket.take(10_100)).toBe(0)
    expect(bucket.take(10_100)).toBe(100)
  })

  it('N records at rate R take at least (N - burst) / R seconds of waiting', () => {
    const bucket = new TokenBucket(50, 0)
    let now = 0
    for (let i = 0; i < 105; i++) now += bucket.take(now)
    expect(now).toBeGreaterThanOrEqual(2000)
    expect(now).toBeLessThanOrEqual(2100)
  })

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucket(0, 0)).toThrow(RangeError)
  })
})

describe('ReplayTally', () => {
  it('counts each decision, destinations by topic and action, and the problems with their place', () => {
    const tally = new ReplayTally(2)
    const opts = options({maxRetries: 2, filter: {errorTypes: ['ValueError', 'KeyError']}})
    const records = [
      dlqRecord(),
      dlqRecord({}, {offset: '8'}),
      dlqRecord({retry_count: '2'}, {offset: '9'}),
      dlqRecord({error_type: 'OSError'}, {offset: '10'}),
      dlqRecord({original_partition: 'x'}, {offset: '11'}),
      dlqRecord({original_topic: 'orders.dlq'}, {offset: '12'}),
      dlqRecord({original_partition: 'y'}, {offset: '13'}),
    ]
    for (const record of records) tally.add(record, decideReplay(record, opts, tally.selected))
    tally.add(dlqRecord(), {action: 'limit-reached'})
    const result = tally.result()
    expect(result).toMatchObject({read: 7, replayed: 2, parked: 1, filtered: 1, undecodable: 2, refused: 1})
    expect(tally.selected).toBe(3)
    expect(result.destinations).toEqual([
      {topic: 'orders', action: 'replay', count: 2},
      {topic: 'orders.parking', action: 'park', count: 1},
    ])
    expect(result.problems).toEqual([
      {partition: 1, offset: '11', action: 'undecodable', reason: expect.stringContaining('original_partition')},
      {partition: 1, offset: '12', action: 'refused', reason: expect.stringContaining('loop')},
    ])
  })
})

describe('replay names', () => {
  it('default group and transactional id', () => {
    expect(defaultReplayGroup('orders.dlq')).toBe('kafkit-dlq-replay.orders.dlq')
    expect(replayTransactionalId('g', 'orders.dlq')).toBe('kafkit-dlq-replay:g:orders.dlq')
  })
})
