/**
 * dlq inspect and dlq replay against the real broker: DLQs filled with known records in every
 * format, replayed by the CLI, and the targets read back by kcat (read_committed).
 */
import {Buffer} from 'node:buffer'
import {setTimeout as sleep} from 'node:timers/promises'

import {describe, expect, inject, it} from 'vitest'

import {committedTotal, createTopic, filledDlq, produceRecords, readCommitted, replaySources, seed003, waitForReplayProgress, type DlqTestRecord} from '../dlq-helpers.js'
import {kafkaTool, kafkit, kafkitJson, startKafkit, uniqueName} from '../helpers.js'

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
    const {dlq, original} = await filledDlq('dlq.inspect', (original) => [...mixedRecords(original), seed003(original, 2)], {originalPartitions: 0})
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
    // Sample cells are the text itself, not JSON-escaped.
    expect(table.stdout).toContain('{"id":41,"amount":')
  })

  it('an unknown DLQ topic is one line and exit 1', async () => {
    const res = await kafkit(['dlq', 'inspect', uniqueName('no.such.dlq')])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^kafkit: topic "no\.such\.dlq\.[0-9a-f]+" not found on .* — kafkit topics list shows what exists\n$/)
  })
})

describe('dlq replay', () => {
  it('replays every format to the original topic exactly as expected; a second run replays nothing', async () => {
    const {dlq, original} = await filledDlq('dlq.replay', (original) => mixedRecords(original), {originalPartitions: 3})

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
    const {dlq, original} = await filledDlq('dlq.dry', (original) => [0, 1, 2].map((i) => ({...seed003(original, i), partition: i % 2})), {dlqPartitions: 2})

    const dry = await kafkitJson(['dlq', 'replay', dlq, '--dry-run'])
    expect(dry).toMatchObject({dryRun: true, pending: 3, read: 3, replayed: 3})
    expect(dry.destinations).toEqual([{topic: original, action: 'replay', count: 3}])
    const refused = await kafkit(['dlq', 'replay', dlq])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe('kafkit: not confirmed: stdin is not a terminal, so kafkit will not ask — add --yes to proceed\n')
    expect(readCommitted(original)).toEqual([])
    // The dry run read with a throwaway group: the replay group was never even created.
    const described = kafkaTool('consumerGroups', ['--describe', '--group', dry.group])
    expect(described.stdout + described.stderr).toMatch(/not found|does not exist/i)
    expect(described.stdout).not.toMatch(new RegExp(`${dlq.replace(/\./g, '\\.')}\\s+\\d+\\s+\\d+`))

    const real = await kafkitJson(['dlq', 'replay', dlq, '--yes'])
    expect(real).toMatchObject({dryRun: false, pending: 3, replayed: 3})
    expect(readCommitted(original)).toHaveLength(3)
  })
})

describe('dlq replay: filters, --max, --rate, parking', () => {
  /** Six seed-003 records: even i TimeoutError, odd ValueError; tenant acme for i < 3; failed at 10:0i. */
  async function sixRecords(): Promise<{dlq: string; original: string}> {
    return filledDlq('dlq.filters', (original) =>
      Array.from({length: 6}, (_, i) => seed003(original, i, {tenant: i < 3 ? 'acme' : 'globex', failed_at: `2026-11-01T10:0${i}:00`})),
    )
  }
  const sourceOffsets = (topic: string) => readCommitted(topic).map((r) => Number(r.headers['kafkit-replay-source-offset'])).sort((a, b) => a - b)

  it('a filtered replay of 12 partitions x 3 finishes in one run, exactly once (CONCURRENT_TRANSACTIONS is retried)', async () => {
    // Every other partition holds only TimeoutErrors: its transaction carries just the progress,
    // and its AddOffsetsToTxn follows the previous commit while the broker may still be completing
    // it. A race, so three DLQs in a row: before the fix, at least one run failed nearly always.
    for (let attempt = 0; attempt < 3; attempt++) {
      const {dlq, original} = await filledDlq(
        'dlq.concurrent',
        (original) => Array.from({length: 36}, (_, i) => ({...seed003(original, i, {error_type: Math.floor(i / 3) % 2 === 0 ? 'ValueError' : 'TimeoutError'}), partition: Math.floor(i / 3)})),
        {dlqPartitions: 12, originalPartitions: 12},
      )
      const group = uniqueName('g')
      const run = await kafkit(['dlq', 'replay', dlq, '--error-type', 'ValueError', '--group', group, '--yes', '-o', 'json'])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(JSON.parse(run.stdout)).toMatchObject({pending: 36, read: 36, replayed: 18, filtered: 18})
      const keys = readCommitted(original).map((r) => r.key)
      expect(keys.sort()).toEqual(Array.from({length: 36}, (_, i) => `key-${i}`).filter((_, i) => Math.floor(i / 3) % 2 === 0).sort())
      expect(await committedTotal(group, dlq)).toBe(36)
    }
  })

  it('--error-type, --where, --since/--until select records; the rest count as filtered', async () => {
    const {dlq, original} = await sixRecords()
    const byType = await kafkitJson(['dlq', 'replay', dlq, '--error-type', 'ValueError', '--group', uniqueName('g'), '--yes'])
    expect(byType).toMatchObject({read: 6, replayed: 3, filtered: 3})
    expect(sourceOffsets(original)).toEqual([1, 3, 5])

    const byHeaderAndTime = await kafkitJson([
      'dlq', 'replay', dlq, '--where', 'tenant=acme', '--since', '2026-11-01T10:01:00Z', '--until', '2026-11-01T10:05:00Z',
      '--group', uniqueName('g'), '--yes',
    ])
    expect(byHeaderAndTime).toMatchObject({read: 6, replayed: 2, filtered: 4})
    expect(sourceOffsets(original)).toEqual([1, 1, 2, 3, 5])
  })

  it('--max stops before the limit and the next run continues there', async () => {
    const {dlq, original} = await sixRecords()
    const group = uniqueName('g')
    const first = await kafkitJson(['dlq', 'replay', dlq, '--max', '4', '--group', group, '--yes'])
    expect(first).toMatchObject({pending: 6, read: 4, replayed: 4, stoppedAtMax: true})
    expect(sourceOffsets(original)).toEqual([0, 1, 2, 3])
    // A dry run (with a group of its own) starts at the replay group's progress too.
    const dry = await kafkitJson(['dlq', 'replay', dlq, '--group', group, '--dry-run'])
    expect(dry).toMatchObject({pending: 2, read: 2, replayed: 2})
    const second = await kafkitJson(['dlq', 'replay', dlq, '--max', '4', '--group', group, '--yes'])
    expect(second).toMatchObject({pending: 2, read: 2, replayed: 2, stoppedAtMax: false})
    expect(sourceOffsets(original)).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('--rate paces the writes: 30 records at 20/s are spread over more than a second', async () => {
    const {dlq, original} = await filledDlq('dlq.rate', (original) => Array.from({length: 30}, (_, i) => seed003(original, i)))
    const summary = await kafkitJson(['dlq', 'replay', dlq, '--rate', '20/s', '--yes'])
    expect(summary).toMatchObject({replayed: 30})
    // A lower bound only: the records are stamped when sent, at most 20 a second after a burst of 2.
    const stamps = readCommitted(original).map((r) => r.timestamp)
    expect(stamps).toHaveLength(30)
    expect(Math.max(...stamps) - Math.min(...stamps)).toBeGreaterThanOrEqual(1000)
  })

  it('--max-retries parks records already retried that often, as the DLQ record itself', async () => {
    const {dlq, original} = await filledDlq('dlq.park', (original) => [seed003(original, 0, {retry_count: '2'}), seed003(original, 1, {retry_count: '3'}), seed003(original, 2)])

    const missing = await kafkit(['dlq', 'replay', dlq, '--max-retries', '3', '--yes'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(
      `kafkit: topic "${original}.parking" does not exist (destination of ${dlq}:0@1); the replay stopped before that record — create it (kafkit topics create ${original}.parking) or choose one with --to / --parking-topic, then run again\n`,
    )
    // What came before the missing destination is replayed and committed.
    expect(sourceOffsets(original)).toEqual([0])

    await createTopic(inject('kafkaBootstrap'), `${original}.parking`, 1)
    const summary = await kafkitJson(['dlq', 'replay', dlq, '--max-retries', '3', '--yes'])
    expect(summary).toMatchObject({pending: 2, replayed: 1, parked: 1})
    expect(summary.destinations).toEqual([
      {topic: original, action: 'replay', count: 1},
      {topic: `${original}.parking`, action: 'park', count: 1},
    ])
    expect(readCommitted(original).map((r) => [r.key, r.headers.retry_count])).toEqual([
      ['key-0', '3'],
      ['key-2', '1'],
    ])
    const [parked] = readCommitted(`${original}.parking`)
    expect(parked).toMatchObject({key: 'key-1', value: 'value-1'})
    expect(parked.headers).toMatchObject({original_topic: original, error_type: 'ValueError', retry_count: '3', 'kafkit-replay-source-offset': '1'})
  })
})

describe('dlq replay: exactly once across a crash', () => {
  it('SIGKILL inside a transaction, run again: every record is in the target exactly once (read_committed)', async () => {
    const count = 3000
    const {dlq, original} = await filledDlq('dlq.kill', (original) => Array.from({length: count}, (_, i) => ({...seed003(original, i), partition: i % 2})), {dlqPartitions: 2, originalPartitions: 3})

    // Every transaction stays open 3 s after its records are written: after the first commit,
    // the process is killed while the second one is open.
    const replay = startKafkit(['dlq', 'replay', dlq, '--yes', '--timeout', '30s'], {env: {KAFKIT_TEST_PAUSE_IN_TRANSACTION_MS: '3000'}})
    await waitForReplayProgress(`kafkit-dlq-replay.${dlq}`, dlq)
    await sleep(500)
    replay.child.kill('SIGKILL')
    expect(await replay.closed).toBe(null)
    expect(replay.child.signalCode).toBe('SIGKILL')
    expect(replay.stderr()).toBe('')
    const before = readCommitted(original).length
    expect(before).toBeGreaterThan(0)
    expect(before).toBeLessThan(count)
    // The open transaction's records are in the log, not committed.
    expect(readCommitted(original, {isolation: 'read_uncommitted'}).length).toBeGreaterThan(before)

    const resumed = await kafkitJson(['dlq', 'replay', dlq, '--yes'])
    expect(resumed.replayed).toBe(count - before)
    const sources = replaySources(original)
    expect(sources).toHaveLength(count)
    expect(new Set(sources).size).toBe(count)
  })
})

describe('dlq replay and inspect: what a second operator or a Ctrl-C does', () => {
  it('a declined replay leaves a running one alone; Ctrl-C commits, summarises, exits 130; a re-run finishes exactly once', async () => {
    // 30 s at --rate 10: still running when the second operator and the Ctrl-C come, however
    // busy the machine (with 40, a loaded CI machine saw it finish first: nothing to decline).
    const count = 300
    const {dlq, original} = await filledDlq('dlq.sigint', (original) => Array.from({length: count}, (_, i) => seed003(original, i)))

    const replay = startKafkit(['dlq', 'replay', dlq, '--rate', '10', '--yes'])
    await waitForReplayProgress(`kafkit-dlq-replay.${dlq}`, dlq)

    // A second operator without --yes is refused before it touches the running replay.
    const declined = await kafkit(['dlq', 'replay', dlq])
    expect(declined.code).toBe(1)
    await sleep(500)
    expect(replay.child.exitCode).toBe(null)

    replay.child.kill('SIGINT')
    expect(await replay.closed, replay.stderr()).toBe(130)
    expect(replay.stderr()).toBe('')
    const read = Number(/^read:\s+(\d+) \(interrupted; run again to continue\)$/m.exec(replay.stdout())?.[1])
    expect(read, replay.stdout()).toBeGreaterThan(0)
    expect(read).toBeLessThan(count)
    expect(readCommitted(original)).toHaveLength(read)

    const resumed = await kafkitJson(['dlq', 'replay', dlq, '--yes'])
    expect(resumed).toMatchObject({pending: count - read, replayed: count - read, interrupted: false})
    const keys = readCommitted(original).map((r) => r.key)
    expect(new Set(keys).size).toBe(count)
    expect(keys).toHaveLength(count)
  })

  it('--dry-run names destination topics that do not exist and exits 1', async () => {
    const dlq = uniqueName('dlq.ghost')
    const ghost = uniqueName('ghost')
    await createTopic(inject('kafkaBootstrap'), dlq, 1)
    await produceRecords(dlq, [seed003(ghost, 0)])
    const res = await kafkit(['dlq', 'replay', dlq, '--dry-run', '-o', 'json'])
    expect(res.code).toBe(1)
    expect(JSON.parse(res.stdout)).toMatchObject({dryRun: true, replayed: 1, missingTopics: [ghost]})
    const table = await kafkit(['dlq', 'replay', dlq, '--dry-run'])
    expect(table.stdout).toContain(`destination topic(s) missing: ${ghost}`)
  })

  it('inspect leaves no consumer group behind; repeatable filters may come before the topic', async () => {
    const {dlq} = await filledDlq('dlq.tidy', (original) => [seed003(original, 0, {tenant: 'acme'}), seed003(original, 1)])
    expect((await kafkit(['dlq', 'inspect', dlq])).code).toBe(0)
    const groups = kafkaTool('consumerGroups', ['--list'])
    expect(groups.stdout).not.toContain(`kafkit-dlq-inspect.${dlq}`)
    const dry = await kafkitJson(['dlq', 'replay', '--where', 'tenant=acme', '--error-type', 'TimeoutError', dlq, '--dry-run'])
    expect(dry).toMatchObject({read: 2, replayed: 1, filtered: 1})
  })
})

describe('a DLQ partition larger than one fetch', () => {
  it('inspect counts every record once and replay replays every record once (2.4 MB in one partition)', async () => {
    const count = 8000
    const {dlq, original} = await filledDlq('dlq.big', (original) => Array.from({length: count}, (_, i) => ({...seed003(original, i), value: `value-${i}-${'x'.repeat(200)}`})), {originalPartitions: 2})
    const inspected = await kafkitJson(['dlq', 'inspect', dlq], {timeoutMs: 60_000})
    expect(inspected).toMatchObject({records: count, decoded: count})
    const replayed = await kafkitJson(['dlq', 'replay', dlq, '--yes'], {timeoutMs: 60_000})
    expect(replayed).toMatchObject({pending: count, read: count, replayed: count})
    const keys = readCommitted(original).map((r) => r.key)
    expect(keys).toHaveLength(count)
    expect(new Set(keys).size).toBe(count)
  })
})
