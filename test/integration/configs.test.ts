/**
 * kafkit configs describe|set|delete on the 3-node cluster, cross-checked with Kafka's own
 * ConfigCommand (kafka-configs --describe). Broker tests change keys nobody else touches
 * (log.cleaner.backoff.ms, log.cleaner.delete.retention.ms) and remove them again.
 */
import {afterAll, describe, expect, inject, it} from 'vitest'

import {kafkaTool, kafkit, kafkitJson, uniqueName} from '../helpers.js'

const bootstrap = inject('kafka3Bootstrap')
const topics: string[] = []

afterAll(async () => {
  if (topics.length > 0) await kafkit(['topics', 'delete', ...topics, '--yes'], {bootstrap})
})

async function createTopic(args: string[] = []): Promise<string> {
  const topic = uniqueName('configs')
  const res = await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1', ...args], {bootstrap})
  expect(res.code, res.stderr).toBe(0)
  topics.push(topic)
  return topic
}

/** `name=value` of each entry kafka-configs --describe lists (the overrides of that level). */
function toolOverrides(entityArgs: string[]): Record<string, string> {
  const res = kafkaTool('configs', [...entityArgs, '--describe'], {bootstrap})
  expect(res.status, res.stderr).toBe(0)
  const out: Record<string, string> = {}
  for (const m of res.stdout.matchAll(/^\s+([a-z0-9.]+)=(\S*) sensitive=/gm)) out[m[1]] = m[2]
  return out
}

async function brokerIds(): Promise<number[]> {
  return (await kafkitJson(['cluster', 'info'], {bootstrap})).brokers.map((b: any) => b.nodeId)
}

describe('configs on topics', () => {
  it('set takes units, changes only the keys given, and kafka-configs sees the same overrides', async () => {
    const topic = await createTopic(['-c', 'retention.ms=1d', '-c', 'cleanup.policy=delete'])
    const dry = await kafkitJson(['configs', 'set', '--topic', topic, 'retention.ms=3d', 'segment.bytes=512MiB', '--dry-run'], {bootstrap})
    expect(dry).toMatchObject({resource: {type: 'topic', name: topic}, dryRun: true, applied: false})
    expect(dry.changes).toEqual([
      {key: 'retention.ms', op: 'set', old: {value: '86400000', source: 'topic'}, new: {value: '259200000', source: 'topic'}, sensitive: false, readOnly: false, unchanged: false},
      {key: 'segment.bytes', op: 'set', old: {value: '1073741824', source: 'default'}, new: {value: '536870912', source: 'topic'}, sensitive: false, readOnly: false, unchanged: false},
    ])
    // The dry run changed nothing.
    expect(toolOverrides(['--entity-type', 'topics', '--entity-name', topic])).toEqual({'retention.ms': '86400000', 'cleanup.policy': 'delete'})

    const set = await kafkit(['configs', 'set', '--topic', topic, 'retention.ms=3d', 'segment.bytes=512MiB', '--yes'], {bootstrap})
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain(`changed 2 configs of topic ${topic}`)
    expect(set.stdout).toMatch(/retention\.ms\s+86400000 \(1d\) \(topic\)\s+259200000 \(3d\) \(topic\)/)
    expect(toolOverrides(['--entity-type', 'topics', '--entity-name', topic])).toEqual({'retention.ms': '259200000', 'segment.bytes': '536870912', 'cleanup.policy': 'delete'})

    // describe lists the same overrides kafka-configs does, with their source.
    const described = await kafkitJson(['configs', 'describe', '--topic', topic], {bootstrap})
    expect(Object.fromEntries(described.entries.map((e: any) => [e.name, e.value]))).toEqual(toolOverrides(['--entity-type', 'topics', '--entity-name', topic]))
    expect(described.entries.every((e: any) => e.source === 'topic')).toBe(true)
    const all = await kafkitJson(['configs', 'describe', '--topic', topic, '--all'], {bootstrap})
    expect(all.entries.find((e: any) => e.name === 'max.message.bytes')).toMatchObject({value: '1048588', source: 'default', readOnly: false, sensitive: false})

    // Setting the same value again changes nothing and needs no --yes.
    const again = await kafkit(['configs', 'set', '--topic', topic, 'retention.ms=72h'], {bootstrap})
    expect([again.code, again.stderr]).toEqual([0, ''])
    expect(again.stdout).toContain(`nothing to change on topic ${topic}`)

    // delete falls back to the broker's value; a key without an override is left alone.
    const del = await kafkitJson(['configs', 'delete', '--topic', topic, 'retention.ms', 'max.message.bytes', '--yes'], {bootstrap})
    expect(del.changes.map((c: any) => [c.key, c.unchanged, c.new?.source])).toEqual([
      ['retention.ms', false, 'default'],
      ['max.message.bytes', true, 'default'],
    ])
    expect(toolOverrides(['--entity-type', 'topics', '--entity-name', topic])).toEqual({'segment.bytes': '536870912', 'cleanup.policy': 'delete'})
  })

  it('bad input is one line and exit 1, before anything changes', async () => {
    const topic = await createTopic(['-c', 'retention.ms=1d'])
    const cases: [string[], RegExp][] = [
      [['set', '--topic', topic, 'retension.ms=1d'], /^kafkit: topic \S+: unknown config "retension\.ms" \(did you mean "retention\.ms"\?\)\n$/],
      [['set', '--topic', topic, 'retention.ms=7 days'], /^kafkit: topic \S+: retention\.ms: "7 days" is not a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d\n$/],
      [['set', '--topic', topic, 'retention.ms'], /^kafkit: "retention\.ms" is not KEY=VALUE \(to remove an override: kafkit configs delete retention\.ms\)\n$/],
      [['set', '--topic', topic, 'min.insync.replicas=0'], /^kafkit: topic \S+: min\.insync\.replicas: "0" is out of range: must be at least 1\n$/],
      [['delete', '--topic', topic, 'retention.ms=1'], /^kafkit: "retention\.ms=1" is KEY=VALUE, but delete takes only keys/],
      [['set', '--topic', uniqueName('configs.missing'), 'retention.ms=1d'], /^kafkit: topic "configs\.missing\.\w+" not found on .* — kafkit topics list shows what exists\n$/],
      [['describe', '--broker', '1', '--topic', topic], /^kafkit: --broker and --topic cannot be used together/],
      [['describe', '--broker-default', '--broker', '1'], /^kafkit: --broker and --broker-default cannot be used together/],
      [['describe'], /^kafkit: name what to configure: --broker ID, --broker-default \(every broker\) or --topic NAME\n$/],
      [['describe', '--broker', 'one'], /^kafkit: --broker: "one" is not a broker id/],
      // Without a terminal and without --yes nothing is asked and nothing changes.
      [['set', '--topic', topic, 'retention.ms=2d'], /^kafkit: not confirmed: stdin is not a terminal, so kafkit will not ask — add --yes/],
    ]
    for (const [args, stderr] of cases) {
      const res = await kafkit(['configs', ...args], {bootstrap})
      expect([res.code, res.stdout], args.join(' ')).toEqual([1, ''])
      expect(res.stderr, args.join(' ')).toMatch(stderr)
    }
    expect(toolOverrides(['--entity-type', 'topics', '--entity-name', topic])).toEqual({'retention.ms': '86400000'})
  })
})

describe('configs on brokers', () => {
  it('set and delete one broker\'s key with units; kafka-configs sees it; the other brokers do not', async () => {
    const [a, b] = await brokerIds()
    const key = 'log.cleaner.backoff.ms'
    const before = await kafkitJson(['configs', 'describe', '--broker', String(a), key], {bootstrap})
    expect(before.entries).toEqual([expect.objectContaining({name: key, value: '15000', source: 'default', readOnly: false, type: 'long'})])

    const dry = await kafkitJson(['configs', 'set', '--broker', String(a), `${key}=20s`, '--dry-run'], {bootstrap})
    expect(dry.changes[0]).toMatchObject({key, old: {value: '15000', source: 'default'}, new: {value: '20000', source: 'dynamic-broker'}, unchanged: false})
    expect(toolOverrides(['--entity-type', 'brokers', '--entity-name', String(a)])[key]).toBeUndefined()
    try {
      const set = await kafkit(['configs', 'set', '--broker', String(a), `${key}=20s`, '--yes'], {bootstrap})
      expect(set.code, set.stderr).toBe(0)
      expect(toolOverrides(['--entity-type', 'brokers', '--entity-name', String(a)])[key]).toBe('20000')
      expect(toolOverrides(['--entity-type', 'brokers', '--entity-name', String(b)])[key]).toBeUndefined()
      const described = await kafkitJson(['configs', 'describe', '--broker', String(a)], {bootstrap})
      expect(described.entries.find((e: any) => e.name === key)).toMatchObject({value: '20000', source: 'dynamic-broker'})
      expect((await kafkit(['configs', 'describe', '--broker', String(a)], {bootstrap})).stdout).toMatch(/log\.cleaner\.backoff\.ms\s+20000 \(20s\)\s+dynamic-broker/)
    } finally {
      const del = await kafkitJson(['configs', 'delete', '--broker', String(a), key, '--yes'], {bootstrap})
      expect(del.changes[0]).toMatchObject({key, old: {value: '20000', source: 'dynamic-broker'}, new: {value: '15000', source: 'default'}, unchanged: false})
    }
    expect(toolOverrides(['--entity-type', 'brokers', '--entity-name', String(a)])[key]).toBeUndefined()
  })

  it('the cluster-wide default: set, seen by kafka-configs --entity-default, deleted', async () => {
    const key = 'log.cleaner.delete.retention.ms'
    try {
      const set = await kafkit(['configs', 'set', '--broker-default', `${key}=2d`, '--yes'], {bootstrap})
      expect(set.code, set.stderr).toBe(0)
      expect(set.stdout).toMatch(/log\.cleaner\.delete\.retention\.ms\s+86400000 \(1d\) \(default\)\s+172800000 \(2d\) \(dynamic-default-broker\)/)
      expect(toolOverrides(['--entity-type', 'brokers', '--entity-default'])[key]).toBe('172800000')
      const described = await kafkitJson(['configs', 'describe', '--broker-default'], {bootstrap})
      expect(described.entries.find((e: any) => e.name === key)).toMatchObject({value: '172800000', source: 'dynamic-default-broker'})
    } finally {
      const del = await kafkit(['configs', 'delete', '--broker-default', key, '--yes'], {bootstrap})
      expect(del.code, del.stderr).toBe(0)
    }
    expect(toolOverrides(['--entity-type', 'brokers', '--entity-default'])[key]).toBeUndefined()
  })

  it('bad input: a broker that does not exist, unknown keys, read-only keys, values of the wrong kind', async () => {
    const [a] = await brokerIds()
    const cases: [string[], RegExp][] = [
      [['describe', '--broker', '99'], /^kafkit: no broker with id 99 in the cluster \(brokers: \d+, \d+, \d+\) — kafkit cluster info lists the brokers\n$/],
      [['set', '--broker', '99', 'log.cleaner.threads=2', '--yes'], /^kafkit: no broker with id 99 in the cluster/],
      [['set', '--broker', String(a), 'log.retnetion.ms=1d', '--yes'], /^kafkit: broker \d+: unknown broker config "log\.retnetion\.ms" \(did you mean "log\.retention\.ms"\?\)\n$/],
      [['describe', '--broker', String(a), 'num.io.thread'], /^kafkit: broker \d+: unknown broker config "num\.io\.thread" \(did you mean "num\.io\.threads"\?\)\n$/],
      [['set', '--broker', String(a), 'log.cleaner.backoff.ms=7 days', '--yes'], /^kafkit: broker \d+: log\.cleaner\.backoff\.ms: "7 days" is not a duration/],
      [['set', '--broker', String(a), 'log.cleaner.threads=two', '--yes'], /^kafkit: broker \d+: log\.cleaner\.threads: "two" is not an integer\n$/],
      [['set', '--broker', String(a), 'log.dirs=/tmp/elsewhere', '--yes'], /^kafkit: broker \d+: log\.dirs is read-only \(it can only be changed in server\.properties, with a broker restart\): .*log\.dirs/],
      [['set', '--broker-default', 'log.cleaner.threads=0', '--yes'], /^kafkit: the cluster-wide broker default: the broker refused log\.cleaner\.threads=0: /],
    ]
    for (const [args, stderr] of cases) {
      const res = await kafkit(['configs', ...args], {bootstrap})
      expect([res.code, res.stdout], args.join(' ')).toEqual([1, ''])
      expect(res.stderr, args.join(' ')).toMatch(stderr)
    }
    expect(toolOverrides(['--entity-type', 'brokers', '--entity-name', String(a)])['log.dirs']).toBeUndefined()
    expect(toolOverrides(['--entity-type', 'brokers', '--entity-default'])['log.cleaner.threads']).toBeUndefined()
  })
})
