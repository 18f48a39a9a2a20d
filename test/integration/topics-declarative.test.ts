import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, inject, it} from 'vitest'

import {POLICY_OFF_YAML, kafkaTool, kafkit, kafkitJson} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'kafkit-decl-'))
let fileCount = 0

/** A unique first name segment, so every test owns its topics (and its managed prefix). */
function uniqueDomain(): string {
  return `d${Math.random().toString(16).slice(2, 10)}`
}

function writeSpec(text: string): string {
  const file = join(dir, `topics-${++fileCount}.yaml`)
  writeFileSync(file, text)
  return file
}

/** Overrides set on the topic, as Kafka's own kafka-configs reports them. */
function liveOverrides(topic: string, bootstrap?: string): Record<string, string> {
  const res = kafkaTool('configs', ['--entity-type', 'topics', '--entity-name', topic, '--describe'], {bootstrap})
  expect(res.status, res.stderr).toBe(0)
  const out: Record<string, string> = {}
  for (const m of res.stdout.matchAll(/^\s+([a-z.]+)=(\S*) sensitive=/gm)) out[m[1]] = m[2]
  return out
}

/** Partition → replicas, as Kafka's own kafka-topics --describe reports them. */
function liveReplicas(topic: string, bootstrap?: string): Map<number, number[]> {
  const res = kafkaTool('topics', ['--describe', '--topic', topic], {bootstrap})
  expect(res.status, res.stderr).toBe(0)
  const out = new Map<number, number[]>()
  for (const m of res.stdout.matchAll(/Partition: (\d+)\s+Leader: -?\d+\s+Replicas: ([\d,]+)\s+Isr: ([\d,]*)/g)) {
    out.set(Number(m[1]), m[2].split(',').map(Number))
  }
  return out
}

describe('topics plan / apply against the real broker', () => {
  it('creates from empty, then a second apply is a no-op; Kafka\'s tools see the configs', async () => {
    const d = uniqueDomain()
    const file = writeSpec(`version: 1
defaults: {partitions: 2, replicationFactor: 1}
${POLICY_OFF_YAML}topics:
  - name: ${d}.orders.created
    config: {retention.ms: 2d, cleanup.policy: delete, max.message.bytes: 512KiB}
  - name: ${d}.users.state
    partitions: 3
    config: {cleanup.policy: compact}
`)
    const plan = await kafkit(['topics', 'plan', '-f', file, '--detailed-exitcode', '-o', 'json'])
    expect(plan.code, plan.stderr).toBe(2)
    const planned = JSON.parse(plan.stdout)
    expect(planned.summary).toMatchObject({create: 2, topicsChanged: 2, errors: 0})
    expect(planned.changes.map((c: any) => [c.kind, c.topic])).toEqual([
      ['create', `${d}.orders.created`],
      ['create', `${d}.users.state`],
    ])

    const apply = await kafkit(['topics', 'apply', '-f', file, '--yes'])
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('Applied 2 change(s).')
    expect(apply.stdout).toMatch(/\d+ topics in sync\.\n$/)

    expect(liveOverrides(`${d}.orders.created`)).toEqual({'retention.ms': '172800000', 'cleanup.policy': 'delete', 'max.message.bytes': '524288'})
    expect(liveOverrides(`${d}.users.state`)).toEqual({'cleanup.policy': 'compact'})
    expect(liveReplicas(`${d}.users.state`).size).toBe(3)

    const again = await kafkit(['topics', 'apply', '-f', file, '--yes'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('No changes.')
    expect((await kafkit(['topics', 'plan', '-f', file, '--detailed-exitcode'])).code).toBe(0)
  })

  it('adds partitions, changes and removes config overrides; a declared default is not a change', async () => {
    const d = uniqueDomain()
    const topic = `${d}.orders.created`
    const v1 = writeSpec(`version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${topic}, partitions: 2, replicationFactor: 1, config: {retention.ms: 1d, segment.ms: 1h}}
`)
    expect((await kafkit(['topics', 'apply', '-f', v1, '--yes'])).code).toBe(0)
    // segment.ms removed, retention changed, partitions grown, and compression.type declared at
    // the broker's effective value (producer): that one must not show as a change.
    const v2 = writeSpec(`version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${topic}, partitions: 5, replicationFactor: 1, config: {retention.ms: 3d, compression.type: producer}}
`)
    const planned = await kafkit(['topics', 'plan', '-f', v2, '-o', 'json'])
    const plan = JSON.parse(planned.stdout)
    expect(plan.changes.find((c: any) => c.kind === 'addPartitions')).toMatchObject({from: 2, to: 5})
    const config = plan.changes.find((c: any) => c.kind === 'config')
    expect(config.entries).toEqual([
      expect.objectContaining({name: 'retention.ms', action: 'change', from: '86400000', to: '259200000'}),
      expect.objectContaining({name: 'segment.ms', action: 'remove', from: '3600000', to: null}),
    ])
    const apply = await kafkit(['topics', 'apply', '-f', v2, '--yes'])
    expect(apply.code, apply.stderr).toBe(0)
    expect(liveReplicas(topic).size).toBe(5)
    // Only the planned keys are written (IncrementalAlterConfigs): compression.type, declared at
    // the value it inherits, is no change and so does not become an override.
    expect(liveOverrides(topic)).toEqual({'retention.ms': '259200000'})
    expect((await kafkit(['topics', 'plan', '-f', v2, '--detailed-exitcode'])).code).toBe(0)
  })

  it('rejects a partition decrease with the reason, file:line:col and exit 1', async () => {
    const d = uniqueDomain()
    const topic = `${d}.orders.created`
    await kafkit(['topics', 'create', topic, '-p', '4', '-r', '1'])
    const file = writeSpec(`version: 1
${POLICY_OFF_YAML}topics:
  - name: ${topic}
    partitions: 2
    replicationFactor: 1
`)
    for (const args of [['plan', '--detailed-exitcode'], ['apply', '--yes']]) {
      const res = await kafkit(['topics', ...args, '-f', file])
      expect(res.code, args[0]).toBe(1)
      expect(res.stderr).toContain(`${file}:8:5: topic "${topic}": partitions cannot decrease from 4 to 2: Kafka cannot remove partitions`)
    }
    expect(liveReplicas(topic).size).toBe(4)
  })

  it('prunes only undeclared topics under managed.prefixes, never others', async () => {
    const d = uniqueDomain()
    const other = uniqueDomain()
    for (const t of [`${d}.keep.me`, `${d}.prune.me`, `${other}.not.managed`]) await kafkit(['topics', 'create', t, '-p', '1', '-r', '1'])
    const file = writeSpec(`version: 1
managed: {prefixes: [${d}.]}
${POLICY_OFF_YAML}topics:
  - {name: ${d}.keep.me, partitions: 1, replicationFactor: 1}
`)
    const noPrune = await kafkitJson(['topics', 'plan', '-f', file])
    expect(noPrune.changes).toEqual([])
    expect(noPrune.unmanaged).toEqual(expect.arrayContaining([`${d}.prune.me`, `${other}.not.managed`]))
    expect(noPrune.unmanaged.some((t: string) => t.startsWith('__'))).toBe(false)

    const prune = await kafkitJson(['topics', 'plan', '-f', file, '--prune'])
    expect(prune.changes).toEqual([{kind: 'delete', topic: `${d}.prune.me`, partitions: 1, replicationFactor: 1}])
    const apply = await kafkit(['topics', 'apply', '-f', file, '--prune', '--yes'])
    expect(apply.code, apply.stderr).toBe(0)
    const listed = kafkaTool('topics', ['--list']).stdout.split('\n')
    expect(listed).toContain(`${d}.keep.me`)
    expect(listed).not.toContain(`${d}.prune.me`)
    expect(listed).toContain(`${other}.not.managed`)
  })

  it('export then plan on the same cluster shows no changes', async () => {
    const d = uniqueDomain()
    await kafkit(['topics', 'create', `${d}.a.events`, '-p', '3', '-r', '1', '-c', 'retention.ms=14d', '-c', 'cleanup.policy=compact,delete'])
    await kafkit(['topics', 'create', `${d}.b.state`, '-p', '1', '-r', '1', '-c', 'cleanup.policy=compact', '-c', 'min.cleanable.dirty.ratio=0.2', '-c', 'segment.bytes=64MiB'])
    await kafkit(['topics', 'create', `${d}.c.plain`, '-p', '2', '-r', '1'])
    const file = join(dir, `${d}-export.yaml`)
    const exported = await kafkit(['topics', 'export', '--prefix', `${d}.`, '-o', file])
    expect(exported.code, exported.stderr).toBe(0)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('retention.ms: 14d')
    expect(text).toContain(`${d}.c.plain`)
    const plan = await kafkit(['topics', 'plan', '-f', file, '--detailed-exitcode'])
    expect(plan.stderr.split('\n').filter((l) => !l.includes('warning:')).join('')).toBe('')
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('No changes. 3 topics in sync.')
    const refused = await kafkit(['topics', 'export', '--prefix', `${d}.`, '-o', file])
    expect(refused.stderr).toBe(`kafkit: ${file} exists; add --force to overwrite it\n`)
  })

  it('continues past a per-topic failure, reports it and exits 1', async () => {
    const d = uniqueDomain()
    // Kafka refuses a topic whose name collides with a live one once '.' and '_' are equated.
    await kafkit(['topics', 'create', `${d}.order_x.created`, '-p', '1', '-r', '1'])
    const file = writeSpec(`version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${d}.fine.topic, partitions: 1, replicationFactor: 1}
  - {name: ${d}.order.x.created, partitions: 1, replicationFactor: 1}
`)
    const res = await kafkit(['topics', 'apply', '-f', file, '--yes', '-o', 'json'])
    expect(res.code).toBe(1)
    const report = JSON.parse(res.stdout)
    expect(report.applied).toEqual([{topic: `${d}.fine.topic`, kind: 'create'}])
    expect(report.failed).toHaveLength(1)
    expect(report.failed[0]).toMatchObject({topic: `${d}.order.x.created`, kind: 'create'})
    expect(kafkaTool('topics', ['--list']).stdout.split('\n')).toContain(`${d}.fine.topic`)
  })

  it('refuses a file whose cluster.id is another cluster', async () => {
    const file = writeSpec(`version: 1
cluster: {id: not-this-cluster}
${POLICY_OFF_YAML}topics:
  - {name: ${uniqueDomain()}.a.b, partitions: 1, replicationFactor: 1}
`)
    const res = await kafkit(['topics', 'apply', '-f', file, '--yes'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(new RegExp(`${file}:2:\\d+: cluster.id is "not-this-cluster" but the cluster reached has id "[^"]+"`))
  })

  it('a malformed file gives every problem with file:line:col and exit 1, offline', async () => {
    const file = writeSpec(`version: 1
defaults: {partitions: 0, replicationFactor: 1}
topics:
  - name: orders.payment.completed
    config:
      retension.ms: 7d
      retention.bytes: lots
  - name: orders.payment.completed
    partitons: 3
`)
    const lint = await kafkit(['topics', 'lint', '-f', file], {bootstrap: '127.0.0.1:1'})
    expect(lint.code).toBe(1)
    expect(lint.stdout).toContain(`${file}:6:7: topic "orders.payment.completed": unknown config "retension.ms" (did you mean "retention.ms"?)`)
    expect(lint.stdout).toMatch(new RegExp(`${file}:7:\\d+: .*retention.bytes`))
    expect(lint.stdout).toMatch(new RegExp(`${file}:2:\\d+: .*partitions`))
    expect(lint.stdout).toMatch(new RegExp(`${file}:9:\\d+: .*partitons`))
    expect(lint.stdout).toMatch(new RegExp(`${file}:8:\\d+: .*declared twice`))
    const plan = await kafkit(['topics', 'plan', '-f', file])
    expect(plan.code).toBe(1)
    expect(plan.stderr).toContain(`${file}:6:7:`)
    expect(plan.stderr.trim().split('\n').at(-1)).toMatch(/^kafkit: .*: \d+ errors, nothing was planned$/)
    const missing = await kafkit(['topics', 'plan', '-f', join(dir, 'nope.yaml')])
    expect(missing.stderr).toMatch(/^kafkit: .*nope\.yaml: no such file — /)
    const broken = await kafkit(['topics', 'lint', '-f', writeSpec('topics: [\n')])
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/topics-\d+\.yaml:\d+:\d+: /)
  })

  it('prints Markdown for a pull-request comment', async () => {
    const d = uniqueDomain()
    const file = writeSpec(`version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${d}.orders.created, partitions: 1, replicationFactor: 1, config: {retention.ms: 7d}}
`)
    const res = await kafkit(['topics', 'plan', '-f', file, '-o', 'markdown'])
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('### kafkit topics plan — Plan: 1 to create, 0 to change, 0 to delete')
    expect(res.stdout).toContain(`\`\`\`diff\n+ create ${d}.orders.created (1 partitions, RF 1)\n+     retention.ms: 604800000 (7d)\n\`\`\``)
  })
})

describe('replication factor changes on the 3-node cluster', () => {
  it('RF 1 → 3 and 3 → 2, checked with kafka-topics --describe', async () => {
    const bootstrap = inject('kafka3Bootstrap')
    const d = uniqueDomain()
    const topic = `${d}.orders.created`
    const spec = (rf: number) =>
      writeSpec(`version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${topic}, partitions: 3, replicationFactor: ${rf}, config: {min.insync.replicas: 1}}
`)
    expect((await kafkit(['topics', 'apply', '-f', spec(1), '--yes'], {bootstrap})).code).toBe(0)
    const before = liveReplicas(topic, bootstrap)
    expect([...before.values()].every((r) => r.length === 1)).toBe(true)

    const up = spec(3)
    const plan = await kafkitJson(['topics', 'plan', '-f', up], {bootstrap})
    const replication = plan.changes.find((c: any) => c.kind === 'replication')
    expect(replication).toMatchObject({from: 1, to: 3})
    expect(replication.partitions).toHaveLength(3)
    const applied = await kafkit(['topics', 'apply', '-f', up, '--yes'], {bootstrap})
    expect(applied.code, applied.stderr).toBe(0)
    const after = liveReplicas(topic, bootstrap)
    for (const [partition, replicas] of after) {
      expect(replicas.slice().sort()).toEqual([1, 2, 3])
      // The existing replica stays first, so the preferred leader does not move.
      expect(replicas[0]).toBe(before.get(partition)![0])
    }

    const down = spec(2)
    expect((await kafkit(['topics', 'apply', '-f', down, '--yes'], {bootstrap})).code).toBe(0)
    const shrunk = liveReplicas(topic, bootstrap)
    for (const [partition, replicas] of shrunk) {
      expect(replicas).toHaveLength(2)
      expect(replicas[0]).toBe(before.get(partition)![0])
    }
    expect((await kafkit(['topics', 'plan', '-f', down, '--detailed-exitcode'], {bootstrap})).code).toBe(0)
    const tooMany = await kafkit(['topics', 'plan', '-f', spec(4)], {bootstrap})
    expect(tooMany.code).toBe(1)
    expect(tooMany.stderr).toContain('replicationFactor 4 is more than the 3 brokers in the cluster')
  })
})

describe('export of a topic whose partitions have different replica counts (3 nodes)', () => {
  it('warns, names the partition, and writes a comment; the plan does what the warning says', async () => {
    const bootstrap = inject('kafka3Bootstrap')
    const d = uniqueDomain()
    const topic = `${d}.orders.created`
    expect((await kafkit(['topics', 'create', topic, '-p', '3', '-r', '3'], {bootstrap})).code).toBe(0)
    // A partial reassignment by Kafka's own tool: partition 1 drops to two replicas.
    const plan = join(dir, `${d}-reassign.json`)
    const [, second] = liveReplicas(topic, bootstrap).get(1)!
    const kept = liveReplicas(topic, bootstrap).get(1)!.filter((id) => id !== second)
    writeFileSync(plan, JSON.stringify({version: 1, partitions: [{topic, partition: 1, replicas: kept}]}))
    // --additional: other test files move replicas on this cluster at the same time, and without it
    // Kafka's tool refuses while any reassignment is in progress.
    const moved = kafkaTool('reassignPartitions', ['--reassignment-json-file', plan, '--execute', '--additional'], {bootstrap})
    expect(moved.status, moved.stdout + moved.stderr).toBe(0)
    for (let i = 0; liveReplicas(topic, bootstrap).get(1)!.length !== 2; i++) {
      if (i > 30) throw new Error('reassignment did not finish')
      await new Promise((r) => setTimeout(r, 500))
    }

    const file = join(dir, `${d}-uneven.yaml`)
    const exported = await kafkit(['topics', 'export', '--prefix', `${d}.`, '-o', file], {bootstrap})
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stderr).toContain(`kafkit: warning: topic "${topic}": partitions have different replica counts (partition 1 has 2 (${kept.join(',')}); the others 3)`)
    expect(readFileSync(file, 'utf8')).toContain(`  # partitions have different replica counts (partition 1 has 2 (${kept.join(',')}); the others 3)`)
    const planned = await kafkitJson(['topics', 'plan', '-f', file], {bootstrap})
    expect(planned.changes).toMatchObject([{kind: 'replication', topic, from: 3, to: 3, partitions: [{partition: 1, from: kept}]}])
  })
})
