/**
 * topics offsets and topics truncate against a 3-node cluster, cross-checked with Kafka's own
 * GetOffsetShell (kafka-get-offsets.sh) and DeleteRecordsCommand (kafka-delete-records.sh), and
 * with kcat -Q.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {runKafkaTool} from '../../src/local/harness.js'
import {messagesPerPartition, produce} from '../groups-helpers.js'
import {kafkit, kafkitJson, kcat, uniqueName, useBootstrap} from '../helpers.js'

const MINUTE = 60_000
const GET_OFFSETS = 'org.apache.kafka.tools.GetOffsetShell'
const DELETE_RECORDS = 'org.apache.kafka.tools.DeleteRecordsCommand'

let bootstrap: string
beforeAll(() => {
  bootstrap = inject('kafka3Bootstrap')
  useBootstrap(bootstrap)
})

/** `topic:partition:offset` lines of kafka-get-offsets.sh, as {partition: offset}. */
function getOffsets(topic: string, time: string | number): Record<number, number> {
  const res = runKafkaTool(GET_OFFSETS, ['--bootstrap-server', bootstrap, '--topic', topic, '--time', String(time)])
  expect(res.status, res.stderr).toBe(0)
  const offsets: Record<number, number> = {}
  for (const line of res.stdout.trim().split('\n').filter(Boolean)) {
    const [, partition, offset] = line.split(':')
    offsets[Number(partition)] = Number(offset)
  }
  return offsets
}

/** kafka-delete-records.sh with an offset JSON file. */
function kafkaDeleteRecords(topic: string, offsets: Record<number, number>): void {
  const file = join(mkdtempSync(join(tmpdir(), 'kafkit-delete-records-')), 'offsets.json')
  writeFileSync(file, JSON.stringify({version: 1, partitions: Object.entries(offsets).map(([partition, offset]) => ({topic, partition: Number(partition), offset}))}))
  const res = runKafkaTool(DELETE_RECORDS, ['--bootstrap-server', bootstrap, '--offset-json-file', file])
  expect(res.status, res.stderr).toBe(0)
}

interface Fixture {
  topic: string
  /** Message i of every partition has timestamp base + i minutes. */
  base: number
}

/** A 3-node topic with counts[p] messages on partition p, one a minute from an hour ago. */
async function fixture(counts: number[]): Promise<Fixture> {
  const topic = uniqueName('records')
  const base = Date.now() - 60 * MINUTE
  const create = await kafkit(['topics', 'create', topic, '-p', String(counts.length), '-r', '3'])
  expect(create.code, create.stderr).toBe(0)
  await produce(bootstrap, topic, messagesPerPartition(counts, (_, i) => base + i * MINUTE))
  return {topic, base}
}

/** A one-partition topic with this cleanup.policy and three keyed records (compaction needs keys). */
async function keyedTopic(cleanupPolicy: string): Promise<string> {
  const topic = uniqueName('records.keyed')
  const create = await kafkit(['topics', 'create', topic, '-p', '1', '-r', '3', '--config', `cleanup.policy=${cleanupPolicy}`])
  expect(create.code, create.stderr).toBe(0)
  const produced = await kafkit(['produce', topic, '-K', ':'], {input: 'a:1\nb:2\nc:3\n'})
  expect(produced.code, produced.stderr).toBe(0)
  return topic
}

describe('topics offsets', () => {
  it('earliest, latest and by time per partition, as GetOffsetShell and kcat -Q report them', async () => {
    const {topic, base} = await fixture([10, 20, 0])
    kafkaDeleteRecords(topic, {1: 5})
    const time = base + 3 * MINUTE + 30_000 // between messages 3 and 4

    // ISO with a +02:00 zone: the same instant.
    const iso = new Date(time + 2 * 3_600_000).toISOString().replace('Z', '+02:00')
    const result = await kafkitJson(['topics', 'offsets', topic, '--time', iso])
    expect(result.topic).toBe(topic)
    expect(result.time).toBe(new Date(time).toISOString())
    expect(result.partitions).toEqual([
      {partition: 0, earliest: 0, latest: 10, records: 10, atTime: 4},
      {partition: 1, earliest: 5, latest: 20, records: 15, atTime: 5},
      {partition: 2, earliest: 0, latest: 0, records: 0, atTime: null},
    ])

    // Kafka's tool: -2 earliest, -1 latest, a timestamp prints only partitions with a record that late.
    expect(getOffsets(topic, -2)).toEqual({0: 0, 1: 5, 2: 0})
    expect(getOffsets(topic, -1)).toEqual({0: 10, 1: 20, 2: 0})
    expect(getOffsets(topic, time)).toEqual({0: 4, 1: 5})

    // kcat -Q: topic [partition] offset N, -1 when no record is that late.
    const q = kcat(['-Q', ...[0, 1, 2].flatMap((p) => ['-t', `${topic}:${p}:${time}`])])
    expect(q.status, q.stderr).toBe(0)
    const kcatOffsets = Object.fromEntries([...q.stdout.toString('utf8').matchAll(/\[(\d+)\] offset (-?\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]))
    expect(kcatOffsets).toEqual({0: 4, 1: 5, 2: -1})
  })

  it('prints a table; -p chooses partitions; a duration ago and epoch millis work', async () => {
    const {topic, base} = await fixture([3, 4, 5])
    const res = await kafkit(['topics', 'offsets', topic, '-p', '0,2', '--time', String(base + MINUTE)])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.split('\n').slice(0, 3)).toEqual(['PARTITION  EARLIEST  LATEST  RECORDS  AT TIME', '0          0         3       3        1', '2          0         5       5        1'])
    expect(res.stdout).toContain(`${topic}: 2 partitions, 8 records`)

    // 2h ago: before every message, so the first offset; 1s ago: after every message.
    const early = await kafkitJson(['topics', 'offsets', topic, '--time', '2h'])
    expect(early.partitions.map((p: {atTime: number}) => p.atTime)).toEqual([0, 0, 0])
    const late = await kafkitJson(['topics', 'offsets', topic, '-p', '1', '--time', '1s'])
    expect(late.partitions).toEqual([{partition: 1, earliest: 0, latest: 4, records: 4, atTime: null}])
  })

  it('bad input is one line and exit 1', async () => {
    const {topic} = await fixture([1, 1])
    const cases: [string[], string][] = [
      [['-p', '5'], `kafkit: ${topic} has no partition 5 (it has 2 partitions: 0,1)`],
      [['-p', '99999999999'], 'kafkit: -p: "99999999999" is not a partition number'],
      [['--time', '2026-11-01T10:00:00'], 'kafkit: --time: "2026-11-01T10:00:00" has no zone'],
      [['--time', 'soon'], 'kafkit: --time: "soon" is not a time'],
    ]
    for (const [args, expected] of cases) {
      const res = await kafkit(['topics', 'offsets', topic, ...args])
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr.startsWith(expected), res.stderr).toBe(true)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
    }
    const unknown = await kafkit(['topics', 'offsets', `${topic}.nope`])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^kafkit: topic ".*\.nope" not found on .* — kafkit topics list shows what exists\n$/)
  })
})

describe('topics truncate', () => {
  it('is a dry run by default: the plan per partition, nothing deleted', async () => {
    const {topic} = await fixture([10, 20, 0])
    kafkaDeleteRecords(topic, {1: 5})
    const res = await kafkit(['topics', 'truncate', topic, '-p', '0,1', '--before-offset', '8'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout.split('\n').slice(0, 3)).toEqual([
      'PARTITION  START  NEW START  END  RECORDS  NOTE',
      '0          0      8          10   -8       -',
      '1          5      8          20   -3       -',
    ])
    expect(res.stdout).toContain(`dry run, ${topic} before offset 8: 11 records in 2 partitions would be deleted; nothing deleted (add --execute to delete them)`)
    expect(getOffsets(topic, -2)).toEqual({0: 0, 1: 5, 2: 0})
  })

  it('--execute deletes before an offset in the chosen partitions; GetOffsetShell sees the new starts', async () => {
    const {topic} = await fixture([10, 20, 5])
    const result = await kafkitJson(['topics', 'truncate', topic, '-p', '0', '-p', '1', '--before-offset', '7', '--execute'])
    expect(result.executed).toBe(true)
    expect(result.records).toBe(14)
    expect(getOffsets(topic, -2)).toEqual({0: 7, 1: 7, 2: 0})
    expect(getOffsets(topic, -1)).toEqual({0: 10, 1: 20, 2: 5})

    // Again: nothing left before 7; an offset before the start changes nothing either.
    const again = await kafkitJson(['topics', 'truncate', topic, '-p', '0,1', '--before-offset', '3', '--execute'])
    expect(again.records).toBe(0)
    expect(again.executed).toBe(false)
    expect(again.rows.map((r: {note: string}) => r.note)).toEqual(['offset 3 is before the log start', 'offset 3 is before the log start'])
  })

  it('--to-time deletes per partition what is older than the time, like DeleteRecordsCommand with the offsets for it', async () => {
    const {topic, base} = await fixture([10, 4, 0])
    const time = base + 6 * MINUTE // partition 0: offset 6; partition 1: every record is older
    const plan = await kafkitJson(['topics', 'truncate', topic, '--to-time', new Date(time).toISOString()])
    expect(plan.rows.map((r: {partition: number; newStart: number; records: number}) => [r.partition, r.newStart, r.records])).toEqual([
      [0, 6, 6],
      [1, 4, 4],
      [2, 0, 0],
    ])
    const res = await kafkit(['topics', 'truncate', topic, '--to-time', new Date(time).toISOString(), '--execute', '--yes'])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain(`truncated ${topic} before ${new Date(time).toISOString()}: 10 records in 2 partitions deleted; log starts read back`)

    // The same truncate with Kafka's tool on a twin topic gives the same log starts.
    const twin = await fixture([10, 4, 0])
    const forTime = getOffsets(twin.topic, twin.base + 6 * MINUTE)
    kafkaDeleteRecords(twin.topic, {0: forTime[0], 1: getOffsets(twin.topic, -1)[1]})
    expect(getOffsets(topic, -2)).toEqual(getOffsets(twin.topic, -2))
    expect(getOffsets(topic, -2)).toEqual({0: 6, 1: 4, 2: 0})
  })

  it('refuses a truncate past the end, naming the partition and its end; nothing is deleted', async () => {
    const {topic} = await fixture([10, 3])
    const res = await kafkit(['topics', 'truncate', topic, '--before-offset', '5', '--execute', '--yes'])
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(`kafkit: cannot truncate before offset 5: ${topic}:1 ends at 3 — kafkit topics offsets shows each partition's end; --before-offset at the end deletes everything\n`)
    expect(getOffsets(topic, -2)).toEqual({0: 0, 1: 0})
  })

  it('refuses a compacted-only topic with one line; compact,delete is allowed', async () => {
    const compacted = await keyedTopic('compact')
    const res = await kafkit(['topics', 'truncate', compacted, '--before-offset', '1', '--execute', '--yes'])
    expect(res.code).toBe(1)
    expect(res.stderr.startsWith(`kafkit: cannot truncate ${compacted}: its cleanup.policy is compact (compacted only)`), res.stderr).toBe(true)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(getOffsets(compacted, -2)).toEqual({0: 0})

    const both = await keyedTopic('compact,delete')
    const ok = await kafkitJson(['topics', 'truncate', both, '--before-offset', '1', '--execute'])
    expect(ok.executed).toBe(true)
    expect(getOffsets(both, -2)).toEqual({0: 1})
  })

  it('bad flags are one line and exit 1, before anything is deleted', async () => {
    const {topic} = await fixture([5, 5])
    const cases: [string[], string][] = [
      [['--before-offset', '1', '--to-time', '1h'], 'kafkit: --before-offset and --to-time cannot be combined'],
      [[], 'kafkit: nothing to truncate to'],
      [['--before-offset', '99999999999999999999'], 'kafkit: --before-offset: "99999999999999999999" is not an offset'],
      [['--before-offset', '-3'], 'kafkit: --before-offset: "-3" is not an offset'],
      [['--to-time', '2026-11-01T10:00:00'], 'kafkit: --to-time: "2026-11-01T10:00:00" has no zone'],
      [['-p', '2', '--before-offset', '1'], `kafkit: ${topic} has no partition 2 (it has 2 partitions: 0,1)`],
      [['--before-offset', '1', '--yes'], 'kafkit: --yes only confirms --execute'],
    ]
    for (const [args, expected] of cases) {
      const res = await kafkit(['topics', 'truncate', topic, ...args])
      expect(res.code, args.join(' ')).toBe(1)
      expect(res.stderr.startsWith(expected), res.stderr).toBe(true)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
    }
    const unknown = await kafkit(['topics', 'truncate', `${topic}.nope`, '--before-offset', '1'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/not found on/)
    expect(getOffsets(topic, -2)).toEqual({0: 0, 1: 0})
  })

  it('shell completion knows the commands', async () => {
    const res = await kafkit(['__complete', '--', 'topics', 'o'])
    expect(res.stdout.trim().split('\n')).toContain('offsets')
    const tr = await kafkit(['__complete', '--', 'topics', 'tr'])
    expect(tr.stdout.trim()).toBe('truncate')
    const flags = await kafkit(['__complete', '--', 'topics', 'truncate', 'x', '--be'])
    expect(flags.stdout.trim()).toBe('--before-offset')
  })
})
