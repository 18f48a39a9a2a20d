/**
 * `kafkit topics reassign` on the 3-node cluster, cross-checked with Kafka's own tools:
 * ReassignPartitionsCommand --verify for the result, kafka-configs --describe for the throttle
 * configs (none may be left behind: after a move, and after Ctrl-C followed by a re-run).
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {POLICY_OFF_YAML, kafkaTool, kafkit, kafkitJson, startKafkit, uniqueName, useBootstrap} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'kafkit-reassign-'))
let bootstrap: string

beforeAll(() => {
  bootstrap = inject('kafka3Bootstrap')
  useBootstrap(bootstrap)
})

const THROTTLE_KEY = /^\s+((?:leader|follower)\.replication\.throttled\.(?:rate|replicas))=(\S*) sensitive=/gm

/**
 * Throttle configs set on the topic and on the brokers (each broker's own dynamic configs), as
 * kafka-configs --describe prints them: two JVM runs. The cluster is shared with other test files,
 * so callers look for the values they set.
 */
function throttleConfigs(topic: string, opts: {brokers?: boolean} = {}): string[] {
  const found: string[] = []
  const topicRes = kafkaTool('configs', ['--entity-type', 'topics', '--entity-name', topic, '--describe'])
  expect(topicRes.status, topicRes.stderr).toBe(0)
  for (const m of topicRes.stdout.matchAll(THROTTLE_KEY)) found.push(`topic ${m[1]}=${m[2]}`)
  if (opts.brokers === false) return found
  const res = kafkaTool('configs', ['--entity-type', 'brokers', '--describe'])
  expect(res.status, res.stderr).toBe(0)
  for (const section of res.stdout.split(/^(?=Dynamic configs for broker )/m)) {
    const id = /^Dynamic configs for broker (\d+) are:/.exec(section)?.[1]
    if (id === undefined) continue
    for (const m of section.matchAll(THROTTLE_KEY)) found.push(`broker ${id} ${m[1]}=${m[2]}`)
  }
  return found
}

/** Throttle configs with one of these values (the ones a test set). */
const withValue = (configs: string[], ...values: number[]) => configs.filter((c) => values.some((v) => c.endsWith(`=${v}`)))

/** Replicas of each partition, as kafka-topics --describe prints them. */
function liveReplicas(topic: string): Map<number, number[]> {
  const res = kafkaTool('topics', ['--describe', '--topic', topic])
  expect(res.status, res.stderr).toBe(0)
  const out = new Map<number, number[]>()
  for (const m of res.stdout.matchAll(/Partition: (\d+)\s+Leader: \S+\s+Replicas: ([\d,]+)/g)) out.set(Number(m[1]), m[2].split(',').map(Number))
  return out
}

/** ReassignPartitionsCommand --verify of these target assignments: its line per partition. */
function verify(topic: string, assignments: Map<number, number[]>): string {
  const file = join(dir, `${topic}-verify.json`)
  writeFileSync(file, JSON.stringify({version: 1, partitions: [...assignments].map(([partition, replicas]) => ({topic, partition, replicas}))}))
  // --preserve-throttles: Kafka's --verify would otherwise remove throttles itself and hide ours.
  const res = kafkaTool('reassignPartitions', ['--verify', '--preserve-throttles', '--reassignment-json-file', file])
  expect(res.status, res.stderr).toBe(0)
  return res.stdout
}

/** A topic with `partitions` partitions of RF 1 on broker 1, and about `kib` KiB in each. */
async function topicWithData(partitions: number, kib: number): Promise<string> {
  const topic = uniqueName('reassign')
  const assignment = Array.from({length: partitions}, () => '1').join(',')
  const created = kafkaTool('topics', ['--create', '--topic', topic, '--replica-assignment', assignment])
  expect(created.status, created.stderr).toBe(0)
  const value = 'x'.repeat(1000)
  const lines = Array.from({length: partitions * kib}, (_, i) => `${i % partitions}:${value}`).join('\n')
  const input = lines
    .split('\n')
    .map((l) => {
      const [p, v] = l.split(':')
      return JSON.stringify({partition: Number(p), value: v})
    })
    .join('\n')
  const produced = await kafkit(['produce', topic, '--format', 'json'], {input})
  expect(produced.code, produced.stderr).toBe(0)
  return topic
}

describe('topics reassign (3 nodes)', () => {
  it('plans first (nothing changes), then moves with a throttle that is gone afterwards; Kafka --verify agrees', async () => {
    const topic = await topicWithData(3, 200)
    const before = liveReplicas(topic)

    const plan = await kafkitJson(['topics', 'reassign', '--topic', topic, '--brokers', '2,3', '--throttle', '5MiB/s'])
    expect(plan.executed).toBe(false)
    expect(plan.plan.moves).toHaveLength(3)
    for (const m of plan.plan.moves) expect(m.bytes).toBeGreaterThan(150 * 1024)
    expect(plan.plan.bytes).toBeGreaterThan(450 * 1024)
    expect(plan.plan.throttles).toEqual({brokers: [1, 2, 3], topics: [{topic, leader: '0:1,1:1,2:1', follower: expect.stringMatching(/^0:[23],1:[23],2:[23]$/)}]})
    expect(liveReplicas(topic)).toEqual(before)
    expect(throttleConfigs(topic, {brokers: false})).toEqual([])

    const text = await kafkit(['topics', 'reassign', '--topic', topic, '--brokers', '2,3', '--throttle', '5MiB/s'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('Plan: move 3 of 3 partitions of 1 topic (')
    expect(text.stdout).toContain('Dry run: nothing changed. Run again with --execute to move.')

    const run = await kafkit(['topics', 'reassign', '--topic', topic, '--brokers', '2,3', '--throttle', '5MiB/s', '--batch', '2', '--execute'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('Moved 3 partitions in')
    expect(run.stdout).toContain('Throttle removed from brokers 1,2,3 and 1 topic.')
    const after = liveReplicas(topic)
    for (const replicas of after.values()) expect([[2], [3]]).toContainEqual(replicas)
    // Spread evenly over the two brokers: 2 and 1.
    expect([...after.values()].filter((r) => r[0] === 2).length).toBeGreaterThanOrEqual(1)
    expect([...after.values()].filter((r) => r[0] === 3).length).toBeGreaterThanOrEqual(1)
    const left = throttleConfigs(topic)
    expect(left.filter((c) => c.startsWith('topic '))).toEqual([])
    expect(withValue(left, 5 * 1024 * 1024)).toEqual([])
    const verified = verify(topic, after)
    for (const p of [0, 1, 2]) expect(verified).toContain(`Reassignment of partition ${topic}-${p} is completed.`)

    const again = await kafkit(['topics', 'reassign', '--topic', topic, '--brokers', '2,3', '--execute'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('Nothing to move: the replicas of 3 partitions are already in place.')
  })

  it('Ctrl-C mid-move leaves the move running with its throttle; a re-run waits for it and removes every throttle', async () => {
    // Kafka throttles per fetch: a leader sends up to replica.fetch.max.bytes (1 MiB) of a
    // partition whenever its rate, measured over 11 one-second windows, is below the throttle; so
    // at 10KiB/s a partition moves about 1 MiB per 11 s: 6 MiB partitions take about a minute,
    // still moving when the status below is read on a loaded machine (2.5 MiB ones were not).
    const topic = await topicWithData(4, 6000)
    const args = ['topics', 'reassign', '--topic', topic, '--brokers', '2', '--batch', '2']
    const running = startKafkit([...args, '--throttle', '10KiB/s', '--execute'])
    // Wait until the first batch is moving (the throttle is set just before).
    for (let i = 0; ; i++) {
      const res = await kafkit(['topics', 'reassign', '--topic', topic, '-o', 'json'])
      if (res.code === 0 && JSON.parse(res.stdout).plan.inProgress.length > 0) break
      if (i > 40) throw new Error(`the move did not start: ${running.stderr()}`)
      await new Promise((r) => setTimeout(r, 250))
    }
    running.child.kill('SIGINT')
    expect(await running.closed).toBe(130)
    expect(running.stdout()).toContain('Interrupted: 2 partitions still moving in the cluster (throttled at 10KiB/s; the throttle stays while they move); 2 partitions not started.')
    const left = throttleConfigs(topic)
    expect(left).toContain('topic leader.replication.throttled.replicas=0:1,1:1,2:1,3:1')
    expect(left).toContain('broker 1 leader.replication.throttled.rate=10240')
    expect(left).toContain('broker 2 follower.replication.throttled.rate=10240')

    const status = await kafkitJson(['topics', 'reassign', '--topic', topic])
    expect(status.plan.inProgress.map((r: any) => r.partition)).toEqual([0, 1])

    const rerun = await kafkit([...args, '--throttle', '50MiB/s', '--execute'])
    expect(rerun.code, rerun.stderr).toBe(0)
    expect(rerun.stdout).toContain('With --execute they are throttled at 50MiB/s until they finish.')
    expect(rerun.stdout).toContain('Waited for 2 partitions moved by an earlier run.')
    expect(rerun.stdout).toContain('Moved 2 partitions in')
    const after = throttleConfigs(topic)
    expect(after.filter((c) => c.startsWith('topic '))).toEqual([])
    expect(withValue(after, 10 * 1024, 50 * 1024 * 1024)).toEqual([])
    const replicas = liveReplicas(topic)
    expect([...replicas.values()]).toEqual([[2], [2], [2], [2]])
    const verified = verify(topic, replicas)
    for (const p of [0, 1, 2, 3]) expect(verified).toContain(`Reassignment of partition ${topic}-${p} is completed.`)
  })

  it('--cancel stops a move in progress (the replicas go back) and removes its throttle; with nothing in progress it is one line, exit 1', async () => {
    const topic = await topicWithData(2, 6000)
    const running = startKafkit(['topics', 'reassign', '--topic', topic, '--brokers', '3', '--throttle', '12KiB/s', '--execute'])
    for (let i = 0; ; i++) {
      const res = await kafkit(['topics', 'reassign', '--topic', topic, '-o', 'json'])
      if (res.code === 0 && JSON.parse(res.stdout).plan.inProgress.length === 2) break
      if (i > 40) throw new Error(`the move did not start: ${running.stderr()}`)
      await new Promise((r) => setTimeout(r, 250))
    }
    running.child.kill('SIGINT')
    expect(await running.closed).toBe(130)
    expect(withValue(throttleConfigs(topic), 12 * 1024)).toHaveLength(4)

    const dry = await kafkit(['topics', 'reassign', '--topic', topic, '--cancel'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('Dry run: nothing changed. Run again with --execute to cancel these reassignments')
    const cancelled = await kafkit(['topics', 'reassign', '--topic', topic, '--cancel', '--execute'])
    expect(cancelled.code, cancelled.stderr).toBe(0)
    expect(cancelled.stdout).toContain('Cancelled the reassignment of 2 partitions')
    expect([...liveReplicas(topic).values()]).toEqual([[1], [1]])
    const after = throttleConfigs(topic)
    expect(after.filter((c) => c.startsWith('topic '))).toEqual([])
    expect(withValue(after, 12 * 1024)).toEqual([])

    const nothing = await kafkit(['topics', 'reassign', '--topic', topic, '--cancel', '--execute'])
    expect(nothing.code).toBe(1)
    expect(nothing.stderr).toBe(`kafkit: no reassignment in progress for topic "${topic}": nothing to cancel\n`)
  })

  it('topics apply --throttle: an RF change moves throttled, and the throttle is gone when apply ends', async () => {
    const topic = await topicWithData(2, 2500)
    const file = join(dir, `${topic}.yaml`)
    writeFileSync(
      file,
      `version: 1
${POLICY_OFF_YAML}topics:
  - {name: ${topic}, partitions: 2, replicationFactor: 2, config: {min.insync.replicas: 1}}
`,
    )
    const apply = startKafkit(['topics', 'apply', '-f', file, '--yes', '--throttle', '20KiB/s'])
    for (let i = 0; ; i++) {
      const res = await kafkit(['topics', 'reassign', '--topic', topic, '-o', 'json'])
      if (res.code === 0 && JSON.parse(res.stdout).plan.inProgress.length > 0) break
      if (i > 40) throw new Error(`the move did not start: ${apply.stderr()}`)
      await new Promise((r) => setTimeout(r, 250))
    }
    const during = throttleConfigs(topic)
    expect(during).toContain('topic leader.replication.throttled.replicas=0:1,1:1')
    expect(during).toContain('broker 1 leader.replication.throttled.rate=20480')
    expect(await apply.closed).toBe(0)
    expect(apply.stdout()).toContain('1 topics in sync.')
    const after = throttleConfigs(topic)
    expect(after.filter((c) => c.startsWith('topic '))).toEqual([])
    expect(withValue(after, 20 * 1024)).toEqual([])
    for (const replicas of liveReplicas(topic).values()) expect(replicas).toHaveLength(2)
  })

  it('bad input is one line and exit 1, before anything changes', async () => {
    const topic = uniqueName('reassign')
    expect(kafkaTool('topics', ['--create', '--topic', topic, '--partitions', '2', '--replication-factor', '1']).status).toBe(0)
    const cases: [string[], string][] = [
      [['--brokers', '1,9'], 'kafkit: no broker with id 9 in the cluster (brokers: 1, 2, 3)\n'],
      [['--brokers', '1,2', '--throttle', '0'], 'kafkit: invalid --throttle "0": must be more than 0 (a rate of 0 would never finish the move; leave --throttle out for no throttle)\n'],
      [['--brokers', '1,2', '--throttle', 'fast'], 'kafkit: invalid --throttle "fast": expected a rate like 50MiB/s or 500KB/s (B, KB, MB, GB, KiB, MiB, GiB per second)\n'],
      [['--brokers', '1,2', '--batch', '0'], 'kafkit: invalid --batch "0": a number of partitions, 1 or more\n'],
    ]
    for (const [flags, stderr] of cases) {
      const res = await kafkit(['topics', 'reassign', '--topic', topic, ...flags, '--execute'])
      expect(res.code, flags.join(' ')).toBe(1)
      expect(res.stderr).toBe(stderr)
    }
    const outOfRange = await kafkit(['topics', 'reassign', '--topic', `${topic}:5`, '--balance', '--execute'])
    expect(outOfRange.code).toBe(1)
    expect(outOfRange.stderr).toBe(`kafkit: unknown partition ${topic}:5 (${topic} has partitions 0,1)\n`)
    expect(throttleConfigs(topic, {brokers: false})).toEqual([])
  })
})
