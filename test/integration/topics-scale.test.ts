/**
 * `topics apply` at CI scale (issue 12), on the shared single-node cluster: thousands of topics
 * from the scale fixture (bench/fixtures/topics.mjs: 1-3 partitions, a third with overrides),
 * deleted afterwards so other tests do not pay for them. Sizes, never times, are asserted.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, inject, it} from 'vitest'

import {deleteScaleTopics, scaleTopics, scaleTopicsYaml, type ScaleTopic} from '../../bench/fixtures/topics.mjs'
import {kafkaTool, kafkit, useBootstrap} from '../helpers.js'

// Thousands of topics or groups: on a node of their own, so other files' requests do not queue behind them.
useBootstrap(inject('kafkaScaleBootstrap'))

const dir = mkdtempSync(join(tmpdir(), 'kafkit-scale-'))
const cleanups: (() => Promise<unknown>)[] = []

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup()
}, 300_000)

/** A fixture of `count` topics under a fresh prefix, its topics.yaml, deleted after the file's tests. */
function fixture(count: number): {prefix: string; topics: ScaleTopic[]; file: string} {
  const prefix = `sc${Math.random().toString(36).slice(2, 10)}`
  const topics = scaleTopics(count, prefix)
  const file = join(dir, `${prefix}.yaml`)
  writeFileSync(file, scaleTopicsYaml(topics, prefix))
  // By name too: a topic the controller created may not be listed by the broker yet.
  cleanups.push(() => deleteScaleTopics(inject('kafkaScaleBootstrap'), prefix, {names: topics.map((t) => t.name), wait: true}))
  return {prefix, topics, file}
}

/** Partitions per topic under the prefix, as Kafka's own kafka-topics --describe reports them. */
function livePartitionCounts(prefix: string): Map<string, number> {
  const res = kafkaTool('topics', ['--describe', '--topic', `${prefix}\\..*`])
  expect(res.status, res.stderr).toBe(0)
  const counts = new Map<string, number>()
  for (const m of res.stdout.matchAll(/^Topic: (\S+)\tTopicId: \S+\tPartitionCount: (\d+)/gm)) counts.set(m[1], Number(m[2]))
  return counts
}

const requestCount = (stderr: string, api: string) => Number(new RegExp(`\\b${api}=(\\d+)`).exec(stderr)?.[1] ?? 0)

describe('topics apply at CI scale', () => {
  it('2,000 topics converge in one apply; the plan after it is empty; a config change on 667 of them too', async () => {
    const n = 2000
    const {prefix, topics, file} = fixture(n)
    // The broker shows the topics one CreateTopics request at a time, after writing their 3,000
    // partitions' files (seconds on any disk): with 50 topics per request and --timeout 3s no
    // stretch without a new leader reaches 3s, while all of them take longer than 3s. A wait
    // bounded by --timeout as a whole fails here; one bounded by progress converges.
    const apply = await kafkit(['topics', 'apply', '-f', file, '--yes', '--timeout', '3s'], {timeoutMs: 280_000, env: {KAFKIT_REQUEST_STATS: '1', KAFKIT_CREATE_CHUNK: '50'}})
    expect(apply.code, `${apply.stderr}\n${apply.stdout.slice(-3000)}`).toBe(0)
    expect(apply.stdout).toContain(`Applied ${n} change(s).`)
    expect(apply.stdout).toMatch(new RegExp(`\\n${n} topics in sync\\.\\n$`))
    // Chunked: n / 50 CreateTopics, not one per topic.
    expect(requestCount(apply.stderr, 'CreateTopics')).toBe(n / 50)
    // The plan it printed is one block per topic (a line, plus one per override); nothing after it grows with N.
    const overrides = topics.reduce((k, t) => k + Object.keys(t.config).length, 0)
    expect(apply.stdout.split('\n').length).toBeLessThanOrEqual(n + overrides + 20)
    expect(apply.stdout.slice(apply.stdout.indexOf('Plan: '))).toMatch(/^Plan: [^\n]*\nApplied \d+ change\(s\)\.\n\d+ topics in sync\.\n$/)

    expect((await kafkit(['topics', 'plan', '-f', file, '--detailed-exitcode'], {timeoutMs: 120_000})).code).toBe(0)
    const live = livePartitionCounts(prefix)
    expect(live.size).toBe(n)
    for (const t of topics) expect(live.get(t.name), t.name).toBe(t.partitions)

    // One more override on every topic that has some: batched AlterConfigs, converged in one run.
    const changed = join(dir, `${prefix}-changed.yaml`)
    const withOverrides = topics.filter((t) => Object.keys(t.config).length > 0).length
    writeFileSync(changed, scaleTopicsYaml(topics, prefix).replace(/ {4}config: \{/g, '    config: {retention.bytes: "1073741824", '))
    const alter = await kafkit(['topics', 'apply', '-f', changed, '--yes', '-o', 'json'], {timeoutMs: 200_000, env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(alter.code, alter.stderr).toBe(0)
    const report = JSON.parse(alter.stdout)
    expect(report.applied).toHaveLength(withOverrides)
    expect(report.failed).toEqual([])
    expect(report.remaining.summary).toMatchObject({topicsChanged: 0, inSync: n})
    expect(requestCount(alter.stderr, 'AlterConfigs')).toBeLessThanOrEqual(Math.ceil(withOverrides / 100))
    expect((await kafkit(['topics', 'plan', '-f', changed, '--detailed-exitcode'], {timeoutMs: 120_000})).code).toBe(0)
  }, 600_000)

  it('a topic Kafka refuses fails alone, on a line naming only it; the rest of the batch is created without re-sending', async () => {
    const n = 300
    const {topics, file} = fixture(n)
    // Kafka refuses a topic whose name collides with a live one once '.' and '_' are equated.
    const refused = [topics[7].name, topics[123].name]
    for (const name of refused) {
      // Under the fixture's prefix, so its cleanup deletes it too.
      const twin = name.replace(/\.(t\d+)$/, '_$1')
      expect((await kafkit(['topics', 'create', twin, '-p', '1', '-r', '1'])).code).toBe(0)
    }
    const apply = await kafkit(['topics', 'apply', '-f', file, '--yes'], {timeoutMs: 200_000, env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(apply.code).toBe(1)
    const failures = apply.stdout.split('\n').filter((l) => l.startsWith('FAILED'))
    expect(failures).toHaveLength(2)
    for (const [i, name] of refused.entries()) {
      const line = failures.find((l) => l.startsWith(`FAILED create ${name}: `))
      expect(line, apply.stdout.slice(-2000)).toMatch(/collides with existing topic/)
      // Its own name and the live twin it collides with; no other topic of the batch.
      const others = topics.filter((t) => t.name !== name && line!.includes(t.name))
      expect(others, `line ${i}`).toEqual([])
      expect(line!.length).toBeLessThan(400)
    }
    // kafkajs names every refused topic of a request: no topic is sent twice (each topic of the
    // refused request used to be sent again alone).
    expect(requestCount(apply.stderr, 'CreateTopics')).toBeLessThanOrEqual(Math.ceil(n / 100))
    expect(apply.stdout).toContain(`Applied ${n - 2} change(s).`)
    expect(apply.stdout).toContain(`By step: create ${n - 2} applied, 2 failed.`)
    const plan = await kafkit(['topics', 'plan', '-f', file, '-o', 'json'], {timeoutMs: 120_000})
    expect(JSON.parse(plan.stdout).changes.map((c: {topic: string}) => c.topic).sort()).toEqual([...refused].sort())
  }, 400_000)

  it('when leaders do not appear within --timeout, each failure names only its topic and the output stays O(N)', async () => {
    const n = 1000
    const {prefix, file} = fixture(n)
    // All 1,000 in one request: the broker shows them together, after writing 1,500 partitions'
    // files (two fsyncs each), more than 2s on the disks we know; the wait then fails for every
    // topic. Each is reported with its own reason, never with the batch's names in every failure
    // (that was 2.6 MB of output at 5,000 topics). On a disk fast enough for 2s all is created.
    const env = {KAFKIT_CREATE_CHUNK: String(n)}
    const res = await kafkit(['topics', 'apply', '-f', file, '--yes', '--timeout', '2s', '-o', 'json'], {timeoutMs: 200_000, env})
    expect([0, 1]).toContain(res.code)
    expect(res.stderr).not.toMatch(/\n\s+at /)
    if (res.stdout === '') {
      // The cluster was too slow for 2s before anything was applied: one line, no report.
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      return
    }
    expect(res.stdout.length).toBeLessThan(1000 * n)
    const report = JSON.parse(res.stdout)
    expect(report.applied.length + report.failed.length).toBe(n)
    for (const f of report.failed) {
      expect(f.topic.startsWith(`${prefix}.`)).toBe(true)
      expect(f.error.includes(`${prefix}.`), f.error.slice(0, 300)).toBe(false)
    }
  }, 400_000)
})
