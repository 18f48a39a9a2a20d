/**
 * --where end to end against the real broker: consume (with -n and -e), dlq inspect, dlq replay.
 * Records are written with kafkajs (partition chosen per record) so the expected matches are known.
 */
import {describe, expect, inject, it} from 'vitest'

import {createTopic, filledDlq, produceRecords, readCommitted, seed003, type DlqTestRecord} from '../dlq-helpers.js'
import {kafkit, kafkitJson, uniqueName} from '../helpers.js'

/** 300 orders over 3 partitions: order i on partition i % 3, type refund when i % 10 == 0, a null value every 50th, a non-JSON value every 7th. */
function orders(): DlqTestRecord[] {
  return Array.from({length: 300}, (_, i) => ({
    key: `cust-${i % 17}`,
    value: i % 50 === 49 ? null : i % 7 === 6 ? `plain text ${i}` : JSON.stringify({order_id: i, amount: i * 1.5, tags: i % 4 === 0 ? ['vip'] : []}),
    headers: i % 10 === 0 ? {type: 'refund', tenant: 'acme'} : {type: 'order', tenant: i % 2 === 0 ? 'acme' : 'other'},
    partition: i % 3,
  }))
}

async function ordersTopic(): Promise<string> {
  const topic = uniqueName('filters')
  await createTopic(inject('kafkaBootstrap'), topic, 3)
  await produceRecords(topic, orders())
  return topic
}

const idsOf = (stdout: string): number[] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(JSON.parse(line).value).order_id as number)
    .sort((a, b) => a - b)

describe('consume --where', () => {
  it('-e prints exactly the matching records of every partition and ends at the end', async () => {
    const topic = await ordersTopic()
    const res = await kafkit(['consume', topic, '--from-beginning', '-e', '-o', 'json', '--where', 'value.order_id >= 100 and headers.type == "refund"'])
    expect(res.code).toBe(0)
    // Refunds 160 and 230 have text values: no order_id, so no match.
    expect(idsOf(res.stdout)).toEqual([100, 110, 120, 130, 140, 150, 170, 180, 190, 200, 210, 220, 240, 250, 260, 270, 280, 290])
    // Refunds 20, 90, 160 and 230 are text: the expression fails on them, which is how they do not match: no warning.
    expect(res.stderr).toBe('')
  })

  it('-n counts matches, not records read: the 2 matches lie 80 records into their partition', async () => {
    const topic = await ordersTopic()
    // Partition 0 holds order 3k at offset k; refunds from 240 on: 240 (offset 80) and 270 (offset 90). No -e: -n ends it.
    const res = await kafkit(['consume', topic, '-p', '0', '--from-beginning', '-n', '2', '--format', '%o %k\n', '--where', 'value.order_id >= 240 && headers.type == "refund"'])
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('80 cust-2\n90 cust-15\n')
  })

  it('-n stops at N matches when more would match', async () => {
    const topic = await ordersTopic()
    const res = await kafkit(['consume', topic, '-p', '1', '--from-beginning', '-n', '2', '--format', '%o\n', '--where', 'headers.tenant == "other" and value.order_id > 200'])
    expect(res.code).toBe(0)
    // Partition 1 holds orders 3k+1 at offset k; odd ones are tenant other: 205 (k=68), 211 (k=70).
    expect(res.stdout).toBe('68\n70\n')
  })

  it('tombstones, non-JSON values, repeated headers, key regex and the header shorthand', async () => {
    const topic = await ordersTopic()
    const run = async (...where: string[]) => {
      const res = await kafkit(['consume', topic, '--from-beginning', '-e', '--format', '%k|%v\n', ...where.flatMap((w) => ['--where', w])])
      expect(res.code, res.stderr).toBe(0)
      return res.stdout.trim().split('\n').filter(Boolean).sort()
    }
    expect(await run('value == null')).toHaveLength(6)
    expect(await run('value == "plain text 13"')).toEqual(['cust-13|plain text 13'])
    expect(await run('key.matches("^CUST-16$", "i")', 'type=refund', 'value.amount < 100.0')).toEqual(['cust-16|{"order_id":50,"amount":75,"tags":[]}'])
    // Partition 2, offsets 0-11: orders 2, 5, ..., 35; vip (i % 4 == 0): 8, 20 (a text value), 32.
    expect(await run('"vip" in value.tags', 'offset < 12', 'partition == 2')).toEqual([
      'cust-15|{"order_id":32,"amount":48,"tags":["vip"]}',
      'cust-8|{"order_id":8,"amount":12,"tags":["vip"]}',
    ])
  })

  it('an expression that fails on every record (a misspelt field) is one warning naming the first failure', async () => {
    const topic = await ordersTopic()
    const res = await kafkit(['consume', topic, '-p', '0', '--from-beginning', '-e', '--format', '%o\n', '--where', 'value.ordr_id == 3'])
    expect(res.code).toBe(0)
    expect(res.stdout).toBe('')
    // Partition 0 holds 100 records; the first has a JSON value without ordr_id.
    expect(res.stderr).toBe('kafkit: warning: --where failed on every record read (100); the first: value.ordr_id == 3: no such key: ordr_id (partition 0, offset 0)\n')
    // Failing on some records only (text values, tombstones) is how they do not match: no warning.
    const some = await kafkit(['consume', topic, '-p', '0', '--from-beginning', '-e', '--format', '%o\n', '--where', 'value.order_id == 3'])
    expect(some).toMatchObject({code: 0, stdout: '1\n', stderr: ''})
  })

  it('a syntax error is one line with the column, exit 1, before connecting', async () => {
    const res = await kafkit(['consume', 'no-such-topic', '--where', 'value.order_id == == 42'], {bootstrap: '127.0.0.1:1'})
    expect(res).toMatchObject({code: 1, stdout: '', stderr: 'kafkit: --where: unexpected "==" at column 19\n'})
    const unknown = await kafkit(['consume', 'no-such-topic', '--where', 'valeu.id == 1'], {bootstrap: '127.0.0.1:1'})
    expect(unknown.stderr).toBe('kafkit: --where: unknown name "valeu" at column 1 (a record has key, value, headers, all_headers, partition, offset, timestamp, time, topic)\n')
    expect(unknown.code).toBe(1)
  })
})

function dlqRecords(original: string): DlqTestRecord[] {
  return Array.from({length: 12}, (_, i) => {
    const record = seed003(original, i, {tenant: i % 3 === 0 ? 'acme' : 'other'})
    return {...record, value: JSON.stringify({order_id: i, amount: i * 10})}
  })
}

describe('dlq inspect --where', () => {
  it('counts only the matching DLQ records and says how many were read', async () => {
    const {dlq, original} = await filledDlq('filters.dlq', dlqRecords)
    const result = await kafkitJson(['dlq', 'inspect', dlq, '--where', 'value.amount >= 50.0 and headers.error_type == "TimeoutError"'])
    // Even i (TimeoutError) with amount >= 50: 6, 8, 10.
    expect(result).toMatchObject({records: 3, decoded: 3, where: {expressions: ['value.amount >= 50.0 and headers.error_type == "TimeoutError"'], scanned: 12}})
    expect(result.originalTopics).toEqual([{topic: original, count: 3}])
    const table = await kafkit(['dlq', 'inspect', dlq, '--where', 'tenant=acme'])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^records: +4 matching --where, of 12 read$/m)
  })

  it('a bad expression is one line with the column', async () => {
    const res = await kafkit(['dlq', 'inspect', 'x.dlq', '--where', 'headers["tenant" == "a"'], {bootstrap: '127.0.0.1:1'})
    expect(res).toMatchObject({code: 1, stderr: 'kafkit: --where: expected "]" at column 24, found the end\n'})
  })
})

describe('dlq replay --where', () => {
  it('replays only the records the expression and the header shorthand select; the rest are filtered for this group', async () => {
    const {dlq, original} = await filledDlq('filters.replay', dlqRecords)
    const summary = await kafkitJson(['dlq', 'replay', dlq, '--where', 'tenant=acme', '--where', 'value.order_id in [0, 3, 4, 9]', '--yes'])
    expect(summary).toMatchObject({read: 12, replayed: 3, filtered: 9})
    expect(readCommitted(original).map((r) => r.key).sort()).toEqual(['key-0', 'key-3', 'key-9'])
    // The same group has nothing left: filtered records were skipped for it.
    const again = await kafkitJson(['dlq', 'replay', dlq, '--where', 'tenant=acme', '--yes'])
    expect(again).toMatchObject({pending: 0, replayed: 0})
  })

  it('a bad expression stops before connecting', async () => {
    const res = await kafkit(['dlq', 'replay', 'x.dlq', '--where', 'value.a ~= "x"', '--yes'], {bootstrap: '127.0.0.1:1'})
    expect(res.code).toBe(1)
    expect(res.stderr).toBe('kafkit: --where: unexpected "~" at column 9\n')
  })
})
