import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, inject, it} from 'vitest'

import {kafkaTool, kafkit, kafkitJson, uniqueName} from '../helpers.js'

describe('topics create / list / describe / delete against the real broker', () => {
  it('creates a topic that Kafka\'s own tools see with the same partitions and configs', async () => {
    const topic = uniqueName('basics.created')
    const created = await kafkit(['topics', 'create', topic, '--partitions', '3', '--replication-factor', '1', '--config', 'retention.ms=3600000', '--config', 'cleanup.policy=compact'])
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)

    const described = kafkaTool('topics', ['--describe', '--topic', topic])
    expect(described.status).toBe(0)
    expect(described.stdout).toMatch(new RegExp(`Topic: ${topic.replace('.', '\\.')}\\s+TopicId: \\S+\\s+PartitionCount: 3\\s+ReplicationFactor: 1`))
    const configs = kafkaTool('configs', ['--entity-type', 'topics', '--entity-name', topic, '--describe'])
    expect(configs.stdout).toContain('retention.ms=3600000')
    expect(configs.stdout).toContain('cleanup.policy=compact')

    const list = await kafkitJson<{name: string; partitions: number; replicationFactor: number}[]>(['topics', 'list', '--prefix', 'basics.'])
    expect(list).toContainEqual({name: topic, partitions: 3, replicationFactor: 1, internal: false})

    const desc = await kafkitJson(['topics', 'describe', topic])
    expect(desc.partitions.map((p: any) => p.partition)).toEqual([0, 1, 2])
    expect(desc.partitions.every((p: any) => p.leader === 1 && p.isr.join() === '1')).toBe(true)
    expect(desc.configs).toContainEqual({name: 'retention.ms', value: '3600000', source: 'topic'})
    expect(desc.configs).toContainEqual({name: 'cleanup.policy', value: 'compact', source: 'topic'})
    // Kafka defaults are not listed unless asked for.
    expect(desc.configs.find((c: any) => c.name === 'segment.bytes')).toBeUndefined()
    const all = await kafkitJson(['topics', 'describe', topic, '--all-configs'])
    expect(all.configs.find((c: any) => c.name === 'segment.bytes')).toMatchObject({source: 'default'})
  })

  it('refuses to create a topic twice, unless --if-not-exists', async () => {
    const topic = uniqueName('basics.twice')
    expect((await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1'])).code).toBe(0)
    const again = await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1'])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe(`kafkit: cannot create topic "${topic}": topic "${topic}" already exists\n`)
    expect((await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1', '--if-not-exists'])).code).toBe(0)
  })

  it('rejects a replication factor above the broker count with one line', async () => {
    const res = await kafkit(['topics', 'create', uniqueName('basics.rf'), '-p', '1', '-r', '3'])
    expect(res.code).toBe(1)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).toMatch(/replication factor/i)
  })

  it('deletes only with --yes when there is no terminal, and Kafka no longer lists the topic', async () => {
    const topic = uniqueName('basics.deleted')
    await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1'])
    const refused = await kafkit(['topics', 'delete', topic])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('add --yes')
    expect(kafkaTool('topics', ['--list']).stdout.split('\n')).toContain(topic)

    const deleted = await kafkit(['topics', 'delete', topic, '--yes'])
    expect(deleted.code).toBe(0)
    expect(kafkaTool('topics', ['--list']).stdout.split('\n')).not.toContain(topic)
  })

  it('refuses internal topics and unknown topics before deleting anything', async () => {
    const internal = await kafkit(['topics', 'delete', '__consumer_offsets', '--yes'])
    expect(internal.code).toBe(1)
    expect(internal.stderr).toBe('kafkit: refusing to delete internal topic "__consumer_offsets"\n')

    const kept = uniqueName('basics.kept')
    await kafkit(['topics', 'create', kept, '-p', '1', '-r', '1'])
    const mixed = await kafkit(['topics', 'delete', kept, 'no.such.topic', '--yes'])
    expect(mixed.code).toBe(1)
    expect(mixed.stderr).toContain('"no.such.topic" not found')
    expect(kafkaTool('topics', ['--list']).stdout.split('\n')).toContain(kept)
  })

  it('describes an unknown topic as one line and exit 1', async () => {
    const res = await kafkit(['topics', 'describe', 'no.such.topic'])
    expect(res.code).toBe(1)
    expect(res.stdout).toBe('')
    expect(res.stderr).toMatch(/^kafkit: topic "no\.such\.topic" not found on 127\.0\.0\.1:\d+ — kafkit topics list shows what exists\n$/)
  })

  it('prints the same result as a table, JSON and YAML', async () => {
    const topic = uniqueName('basics.formats')
    await kafkit(['topics', 'create', topic, '-p', '2', '-r', '1'])
    const table = await kafkit(['topics', 'list', '--prefix', topic])
    expect(table.stdout).toMatch(new RegExp(`^TOPIC\\s+PARTITIONS\\s+RF\\n${topic.replace('.', '\\.')}\\s+2\\s+1\\n$`))
    const yaml = await kafkit(['topics', 'list', '--prefix', topic, '-o', 'yaml'])
    expect(yaml.stdout).toContain(`- name: ${topic}\n  partitions: 2\n  replicationFactor: 1`)
    const json = await kafkit(['topics', 'list', '--prefix', topic, '--json'])
    expect(JSON.parse(json.stdout)).toEqual([{name: topic, partitions: 2, replicationFactor: 1, internal: false}])
  })
})

describe('batching: the request count does not grow with the topic count', () => {
  async function requestsFor(args: string[]): Promise<number> {
    const res = await kafkit(args, {env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(res.code, res.stderr).toBe(0)
    const m = /kafkit: requests: (\d+)/.exec(res.stderr)
    expect(m, res.stderr).not.toBeNull()
    return Number(m![1])
  }

  it('topics list, cluster health and topics describe (several, --prefix) cost the same for 1 topic and 60 more', async () => {
    const prefix = uniqueName('batch')
    const {Kafka, logLevel} = await import('kafkajs')
    const admin = new Kafka({brokers: [inject('kafkaBootstrap')], logLevel: logLevel.NOTHING}).admin()
    await admin.connect()
    try {
      await admin.createTopics({topics: [{topic: `${prefix}.first`, numPartitions: 1, replicationFactor: 1}]})
      const listBefore = await requestsFor(['topics', 'list'])
      const healthBefore = await requestsFor(['cluster', 'health', '-o', 'json'])
      const describeBefore = await requestsFor(['topics', 'describe', `${prefix}.first`])
      await admin.createTopics({topics: Array.from({length: 60}, (_, i) => ({topic: `${prefix}.t${i}`, numPartitions: 2, replicationFactor: 1}))})
      expect(await requestsFor(['topics', 'list'])).toBe(listBefore)
      expect(await requestsFor(['cluster', 'health', '-o', 'json'])).toBe(healthBefore)
      expect(await requestsFor(['topics', 'describe', `${prefix}.t0`])).toBe(describeBefore)
      // several topics, and a prefix, for the same price as one
      expect(await requestsFor(['topics', 'describe', `${prefix}.t0`, `${prefix}.t1`, `${prefix}.first`])).toBe(describeBefore)
      expect(await requestsFor(['topics', 'describe', '--prefix', `${prefix}.t`])).toBe(describeBefore)
      const described = await kafkitJson(['topics', 'describe', `${prefix}.first`, '--prefix', `${prefix}.t1`])
      expect(described.map((t: {name: string}) => t.name)).toEqual([`${prefix}.first`, `${prefix}.t1`, ...Array.from({length: 10}, (_, i) => `${prefix}.t1${i}`)])
      expect(described.every((t: {partitions: unknown[]}) => t.partitions.length > 0)).toBe(true)
      const table = await kafkit(['topics', 'describe', `${prefix}.t0`, `${prefix}.t1`])
      expect(table.stdout.match(/^topic: /gm)).toHaveLength(2)
      const none = await kafkit(['topics', 'describe', '--prefix', `${prefix}.zz`])
      expect([none.code, none.stderr]).toEqual([1, `kafkit: no topic starts with "${prefix}.zz" on ${inject('kafkaBootstrap')} — kafkit topics list shows what exists\n`])
      await admin.deleteTopics({topics: [`${prefix}.first`, ...Array.from({length: 60}, (_, i) => `${prefix}.t${i}`)]})
    } finally {
      await admin.disconnect()
    }
  })

  // Every Metadata request here is for all topics of the cluster: at 10,000 topics each one is
  // ~0.1 s of broker time and decoding. kafkajs sent two for one read (a refresh, then the same
  // request for its answer) and one more before every DescribeConfigs (kafkajs-metadata-fix.ts).
  it('reads the metadata once per read: topics list 1, cluster info 1, a plan 2 (brokers, topics) whatever its DescribeConfigs', async () => {
    const stats = async (args: string[]) => {
      const res = await kafkit(args, {env: {KAFKIT_REQUEST_STATS: '1'}})
      expect(res.code, res.stderr).toBe(0)
      return res.stderr
    }
    expect(await stats(['topics', 'list'])).toMatch(/\(ApiVersions=1 Metadata=1\)/)
    expect(await stats(['cluster', 'info'])).toMatch(/ Metadata=1\)/)
    const topic = uniqueName('batch.meta')
    await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1', '--config', 'retention.ms=3600000'])
    const file = join(mkdtempSync(join(tmpdir(), 'kafkit-basics-')), 'topics.yaml')
    writeFileSync(file, `version: 1\ntopics:\n  - name: ${topic}\n    partitions: 1\n    replicationFactor: 1\n    config: {retention.ms: 1h}\n`)
    expect(await stats(['topics', 'plan', '-f', file])).toMatch(/ Metadata=2\)/)
  })
})

describe('shell completion', () => {
  it('completes commands, flags and live topic names through bin/run.js', async () => {
    const topic = uniqueName('complete.me')
    await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1'])
    expect((await kafkit(['__complete', '--', 'topics', 'de'])).stdout).toBe('delete\ndescribe\n')
    expect((await kafkit(['__complete', '--', 'topics', 'plan', '--det'])).stdout).toBe('--detailed-exitcode\n')
    expect((await kafkit(['__complete', '--', 'topics', 'describe', 'complete.me'])).stdout.split('\n')).toContain(topic)
    // An unreachable cluster completes nothing, silently.
    const offline = await kafkit(['__complete', '--', 'topics', 'describe', ''], {bootstrap: '127.0.0.1:1'})
    expect(offline).toMatchObject({code: 0, stdout: '', stderr: ''})
    expect((await kafkit(['completion', 'bash'])).stdout).toContain('complete -o default -F _kafkit_complete kafkit')
  })
})
