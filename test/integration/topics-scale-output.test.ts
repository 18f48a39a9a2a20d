/**
 * Output at CI scale (issue 12): 2,000 declared topics under the default policy, on the shared
 * single-node cluster (RF 1 breaks two policy rules on every topic). What a person reads stays
 * O(rules), what a plan lists stays O(N), and -o json keeps every instance. Topics are deleted
 * afterwards. Sizes, never times, are asserted.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import kafkajs from 'kafkajs'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {kafkit, useBootstrap} from '../helpers.js'

// Thousands of topics or groups: on a node of their own, so other files' requests do not queue behind them.
useBootstrap(inject('kafkaScaleBootstrap'))

const N = 2000
const dir = mkdtempSync(join(tmpdir(), 'kafkit-scale-output-'))
const prefix = `so${Math.random().toString(36).slice(2, 8)}`
const names = Array.from({length: N}, (_, i) => `${prefix}.d${i % 10}.t${i}`)

function writeSpec(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

/** The default policy; RF 1 and min.insync.replicas 1 (Kafka's default) break two of its rules on every topic. */
const file = writeSpec(
  'topics.yaml',
  `version: 1\ndefaults: {partitions: 1, replicationFactor: 1}\nmanaged: {prefixes: [${prefix}.]}\ntopics:\n${names.map((n) => `  - name: ${n}\n`).join('')}`,
)

const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes(': warning: '))

afterAll(async () => {
  const admin = new kafkajs.Kafka({brokers: [inject('kafkaScaleBootstrap')], logLevel: kafkajs.logLevel.NOTHING}).admin()
  await admin.connect()
  try {
    const live = new Set(await admin.listTopics())
    const ours = names.filter((n) => live.has(n))
    for (let i = 0; i < ours.length; i += 500) await admin.deleteTopics({topics: ours.slice(i, i + 500), timeout: 60_000})
  } finally {
    await admin.disconnect()
  }
}, 180_000)

describe(`${N} declared topics: grouped warnings, O(N) output`, () => {
  it('lint prints one line per broken rule with the count, the first names and file:line:col; -o json has every instance', async () => {
    const lint = await kafkit(['topics', 'lint', '-f', file])
    expect(lint.code, lint.stderr).toBe(0)
    expect(lint.stdout.trimEnd().split('\n')).toEqual([
      `${file}:5:5: warning: ${N} topics: replicationFactor 1 is below the policy minimum 3: one broker failure loses data ("${names[0]}" at this line, "${names[1]}", "${names[2]}" and ${N - 3} more; -o json lists all)`,
      `${file}:5:5: warning: ${N} topics: min.insync.replicas 1 (not declared; Kafka's default is 1) is below the policy minimum 2: an acks=all write may be acknowledged by a single replica ("${names[0]}" at this line, "${names[1]}", "${names[2]}" and ${N - 3} more; -o json lists all)`,
      `${file}: ${N} topics OK; 0 errors, ${2 * N} warnings`,
    ])
    const json = await kafkit(['topics', 'lint', '-f', file, '-o', 'json'])
    const result = JSON.parse(json.stdout)
    expect(result.problems).toHaveLength(2 * N)
    expect(result.problems[2 * N - 1]).toMatchObject({line: N + 4, col: 5, severity: 'warning', topic: names[N - 1]})
    expect(result.problems[2 * N - 1].text).toBe(`${file}:${N + 4}:5: warning: topic "${names[N - 1]}": min.insync.replicas 1 (not declared; Kafka's default is 1) is below the policy minimum 2: an acks=all write may be acknowledged by a single replica`)
  })

  it('a plan lists each topic once (O(N)) and the warnings grouped; a plan error that every topic shares is one line', async () => {
    const plan = await kafkit(['topics', 'plan', '-f', file, '--detailed-exitcode'], {timeoutMs: 120_000})
    expect(plan.code, plan.stderr).toBe(2)
    expect(plan.stdout.split('\n').filter((l) => l.startsWith('+ create ')).length).toBe(N)
    expect(plan.stdout.split('\n').length).toBeLessThanOrEqual(N + 20)
    expect(warningLines(plan.stderr)).toHaveLength(2)
    expect(warningLines(plan.stderr)[0]).toContain(`warning: ${N} topics: replicationFactor 1 is below the policy minimum 3`)
    expect(warningLines(plan.stderr)[0]).toContain('kafkit topics lint -o json lists all')

    const tooMany = writeSpec('rf2.yaml', `version: 1\ndefaults: {partitions: 1, replicationFactor: 2, config: {min.insync.replicas: 1}}\npolicy: {minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}}\ntopics:\n${names.map((n) => `  - name: ${n}\n`).join('')}`)
    const failed = await kafkit(['topics', 'plan', '-f', tooMany], {timeoutMs: 120_000})
    expect(failed.code).toBe(1)
    // Plan errors are in topic-name order (byte order), the location is the first one's.
    const byName = [...names].sort()
    expect(failed.stderr.trimEnd().split('\n')).toEqual([
      `${tooMany}:5:5: ${N} topics: replicationFactor 2 is more than the 1 broker in the cluster (each replica needs its own broker) ("${byName[0]}" at this line, "${byName[1]}", "${byName[2]}" and ${N - 3} more; -o json lists all)`,
    ])
    const json = JSON.parse((await kafkit(['topics', 'plan', '-f', tooMany, '-o', 'json'], {timeoutMs: 120_000})).stdout)
    expect(json.errors).toHaveLength(N)
  })

  it('apply creates them; a second apply prints no per-topic warnings: two grouped lines and "No changes"', async () => {
    const first = await kafkit(['topics', 'apply', '-f', file, '--yes'], {timeoutMs: 280_000})
    expect(first.code, `${first.stderr.slice(-2000)}\n${first.stdout.slice(-2000)}`).toBe(0)
    expect(warningLines(first.stderr)).toHaveLength(2)

    const second = await kafkit(['topics', 'apply', '-f', file, '--yes'], {timeoutMs: 120_000})
    expect(second.code, second.stderr).toBe(0)
    // The shared cluster holds other tests' topics: the plan lists them as unmanaged first.
    expect(second.stdout.trim().split('\n').pop()).toBe(`No changes. ${N} topics in sync.`)
    expect(second.stdout.trim().split('\n').length).toBeLessThanOrEqual(3)
    expect(second.stderr.trimEnd().split('\n')).toHaveLength(2)
    expect(warningLines(second.stderr).map((l) => l.replace(/ \("[^"]+" at this line.*$/, ''))).toEqual([
      `${file}:5:5: warning: ${N} topics: replicationFactor 1 is below the policy minimum 3: one broker failure loses data`,
      `${file}:5:5: warning: ${N} topics: min.insync.replicas 1 (not declared; Kafka's default is 1) is below the policy minimum 2: an acks=all write may be acknowledged by a single replica`,
    ])
  })
})
