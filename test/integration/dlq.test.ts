/**
 * dlq inspect and dlq replay against the real broker: DLQs filled with known records in every
 * format, replayed by the CLI, and the targets read back by kcat (read_committed).
 */
import {Buffer} from 'node:buffer'

import {describe, expect, inject, it} from 'vitest'

import {createTopic, produceRecords, readCommitted, seed003, type DlqTestRecord} from '../dlq-helpers.js'
import {kafkaTool, kafkit, kafkitJson, uniqueName} from '../helpers.js'

const int32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
const int64 = (n: bigint) => {
  const b = Buffer.alloc(8)
  b.writeBigInt64BE(n)
  return b
}

/** One record of each format (all for `original`) plus one undecodable record. */
function mixedRecords(original: string): DlqTestRecord[] {
  return [
    seed003(original, 0, {tenant: 'acme'}),
    {
      key: 'env-key',
      // As Python's json.dumps writes it; the big number must survive exactly.
      value:
        `{"original_topic": "${original}", "original_partition": 0, "original_offset": 41, "original_key": "order-41", ` +
        `"original_value": {"id": 41, "amount": 12345678901234567890}, "error": "amount out of range", ` +
        `"error_timestamp": "2026-11-01T09:00:00", "retry_count": 2}`,
    },
    {
      key: 'spring-key',
      value: 'spring-value',
      headers: {
        'kafka_dlt-original-topic': original,
        'kafka_dlt-original-partition': int32(1),
        'kafka_dlt-original-offset': int64(77n),
        'kafka_dlt-exception-fqcn': 'org.springframework.kafka.listener.ListenerExecutionFailedException',
        'kafka_dlt-exception-message': 'listener failed',
        traceparent: 'abc',
      },
    },
    {
      key: 'connect-key',
      value: 'connect-value',
      headers: {
        '__connect.errors.topic': original,
        '__connect.errors.partition': '2',
        '__connect.errors.offset': '99',
        '__connect.errors.exception.class.name': 'org.apache.kafka.connect.errors.DataException',
        '__connect.errors.exception.message': 'bad schema',
      },
    },
    {key: 'junk', value: 'not a dlq record'},
  ]
}

describe('dlq inspect', () => {
  it('counts every format by original topic and error type, with samples and the undecodable record', async () => {
    const dlq = uniqueName('dlq.inspect')
    const original = uniqueName('orders')
    await createTopic(inject('kafkaBootstrap'), dlq, 1)
    await produceRecords(dlq, [...mixedRecords(original), seed003(original, 2)])
    const r = await kafkitJson(['dlq', 'inspect', dlq])
    expect(r).toMatchObject({topic: dlq, partitions: 1, records: 6, decoded: 5, undecodable: 1})
    expect(r.formats).toEqual([
      {format: 'headers', count: 2},
      {format: 'json-envelope', count: 1},
      {format: 'kafka-connect', count: 1},
      {format: 'spring-kafka', count: 1},
    ])
    expect(r.originalTopics).toEqual([{topic: original, count: 5}])
    expect(r.errorTypes).toEqual([
      {errorType: 'TimeoutError', count: 2},
      {errorType: null, count: 1},
      {errorType: 'org.apache.kafka.connect.errors.DataException', count: 1},
      {errorType: 'org.springframework.kafka.listener.ListenerExecutionFailedException', count: 1},
    ])
    expect(r.retryCounts).toEqual([
      {retryCount: 0, count: 4},
      {retryCount: 2, count: 1},
    ])
    expect(r.firstFailureAt).toBe(Date.UTC(2026, 10, 1, 9))
    expect(r.samples.find((s: any) => s.format === 'spring-kafka')).toMatchObject({originalPartition: 1, originalOffset: '77', key: 'spring-key', value: 'spring-value'})
    expect(r.samples.find((s: any) => s.format === 'json-envelope')).toMatchObject({key: 'order-41', value: '{"id":41,"amount":12345678901234567890}', retryCount: 2})
    expect(r.undecodableSamples).toEqual([{partition: 0, offset: '4', reason: expect.stringContaining('not JSON')}])

    const table = await kafkit(['dlq', 'inspect', dlq])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^records:\s+6 \(1 undecodable\)$/m)
    expect(table.stdout).toMatch(/^TimeoutError\s+2$/m)
  })

  it('an unknown DLQ topic is one line and exit 1', async () => {
    const res = await kafkit(['dlq', 'inspect', uniqueName('no.such.dlq')])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^kafkit: topic "no\.such\.dlq\.[0-9a-f]+" does not exist on .* — kafkit topics list shows what exists\n$/)
  })
})

describe('dlq replay', () => {
  it('replays every format to the original topic exactly as expected; a second run replays nothing', async () => {
    const dlq = uniqueName('dlq.replay')
    const original = uniqueName('orders')
    await createTopic(inject('kafkaBootstrap'), dlq, 1)
    await createTopic(inject('kafkaBootstrap'), original, 3)
    await produceRecords(dlq, mixedRecords(original))

    const first = await kafkit(['dlq', 'replay', dlq, '--yes', '-o', 'json'])
    // The undecodable record makes it exit 1, after replaying everything else.
    expect(first.code, first.stderr).toBe(1)
    const summary = JSON.parse(first.stdout)
    expect(summary).toMatchObject({dlqTopic: dlq, group: `kafkit-dlq-replay.${dlq}`, pending: 5, read: 5, replayed: 4, parked: 0, filtered: 0, undecodable: 1, refused: 0})
    expect(summary.destinations).toEqual([{topic: original, action: 'replay', count: 4}])
    expect(summary.problems).toEqual([{partition: 0, offset: '4', action: 'undecodable', reason: expect.stringContaining('not JSON')}])

    const target = readCommitted(original).sort((a, b) => Number(a.headers['kafkit-replay-source-offset']) - Number(b.headers['kafkit-replay-source-offset']))
    const provenance = (offset: number) => ({
      'kafkit-replay-source-topic': dlq,
      'kafkit-replay-source-partition': '0',
      'kafkit-replay-source-offset': String(offset),
      'kafkit-replay-time': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    })
    expect(target.map(({key, value, headers}) => ({key, value, headers}))).toEqual([
      {key: 'key-0', value: 'value-0', headers: {tenant: 'acme', ...provenance(0), retry_count: '1'}},
      {key: 'order-41', value: '{"id":41,"amount":12345678901234567890}', headers: {...provenance(1), retry_count: '3'}},
      {key: 'spring-key', value: 'spring-value', headers: {traceparent: 'abc', ...provenance(2), retry_count: '1'}},
      {key: 'connect-key', value: 'connect-value', headers: {...provenance(3), retry_count: '1'}},
    ])

    const again = await kafkit(['dlq', 'replay', dlq, '--yes', '-o', 'json'])
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({pending: 0, read: 0, replayed: 0, undecodable: 0})
    expect(readCommitted(original)).toHaveLength(4)
    // The progress is visible to Kafka's own tool under the group the output names.
    const described = kafkaTool('consumerGroups', ['--describe', '--group', summary.group])
    expect(described.stdout).toMatch(new RegExp(`${dlq.replace(/\./g, '\\.')}\\s+0\\s+5\\s+5\\s+0`))
  })

  it('--dry-run writes nothing and commits nothing; without a terminal, --yes is required', async () => {
    const dlq = uniqueName('dlq.dry')
    const original = uniqueName('orders')
    await createTopic(inject('kafkaBootstrap'), dlq, 2)
    await createTopic(inject('kafkaBootstrap'), original, 1)
    await produceRecords(dlq, [0, 1, 2].map((i) => ({...seed003(original, i), partition: i % 2})))

    const dry = await kafkitJson(['dlq', 'replay', dlq, '--dry-run'])
    expect(dry).toMatchObject({dryRun: true, pending: 3, read: 3, replayed: 3})
    expect(dry.destinations).toEqual([{topic: original, action: 'replay', count: 3}])
    const refused = await kafkit(['dlq', 'replay', dlq])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe('kafkit: not confirmed: stdin is not a terminal, so kafkit will not ask — add --yes to proceed\n')
    expect(readCommitted(original)).toEqual([])
    const described = kafkaTool('consumerGroups', ['--describe', '--group', dry.group])
    expect(described.stdout + described.stderr).toMatch(/does not exist|has no active members|no committed offsets/i)
    expect(described.stdout).not.toMatch(new RegExp(`${dlq.replace(/\./g, '\\.')}\\s+\\d+\\s+\\d+`))

    const real = await kafkitJson(['dlq', 'replay', dlq, '--yes'])
    expect(real).toMatchObject({dryRun: false, pending: 3, replayed: 3})
    expect(readCommitted(original)).toHaveLength(3)
  })
})
