import {writeFileSync, mkdtempSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {kafkit} from '../helpers.js'

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter(Boolean)
  expect(lines, stderr).toHaveLength(1)
  return lines[0]
}

describe('connection handling through bin/run.js', () => {
  let blackhole: Server
  let blackholePort = 0
  beforeAll(async () => {
    // Accepts TCP connections and never answers: the case kafkajs turns into a long hang.
    blackhole = createServer(() => {})
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', () => r()))
    blackholePort = (blackhole.address() as any).port
  })
  afterAll(() => blackhole.close())

  it.each([
    [['cluster', 'info']],
    [['topics', 'list']],
    [['topics', 'describe', 'x']],
    [['cluster', 'health']],
  ])('%j against a refused port prints one line naming the address and exits 1', async (args) => {
    const res = await kafkit([...args, '--bootstrap-server', '127.0.0.1:1'], {timeoutMs: 30_000})
    expect(res.code).toBe(1)
    expect(res.stdout).toBe('')
    expect(oneLine(res.stderr)).toBe('kafkit: cannot reach Kafka at 127.0.0.1:1 (connection refused) — check --bootstrap-server')
  })

  it('names an unknown host', async () => {
    const res = await kafkit(['cluster', 'info', '-b', 'no-such-host.invalid:9092'], {timeoutMs: 30_000})
    expect(res.code).toBe(1)
    expect(oneLine(res.stderr)).toBe('kafkit: cannot reach Kafka at no-such-host.invalid:9092 (host not found) — check --bootstrap-server')
  })

  it('a broker that accepts but never answers ends at --timeout with one line', async () => {
    const res = await kafkit(['topics', 'list', '-b', `127.0.0.1:${blackholePort}`, '--timeout', '2s'], {timeoutMs: 30_000})
    expect(res.code).toBe(1)
    expect(oneLine(res.stderr)).toMatch(new RegExp(`^kafkit: (timed out after 2s waiting for Kafka at 127\\.0\\.0\\.1:${blackholePort}|cannot reach Kafka at 127\\.0\\.0\\.1:${blackholePort})`))
  })

  it('uses KAFKA_BOOTSTRAP_SERVERS, and the flag wins over it', async () => {
    const viaEnv = await kafkit(['cluster', 'info', '-o', 'json'])
    expect(viaEnv.code).toBe(0)
    const wrongEnv = await kafkit(['cluster', 'info'], {env: {KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1'}})
    expect(wrongEnv.stderr).toContain('check KAFKA_BOOTSTRAP_SERVERS')
    const flagWins = await kafkit(['cluster', 'info', '-b', inject('kafkaBootstrap')], {env: {KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1'}})
    expect(flagWins.code).toBe(0)
  })

  it('uses the current context of $KAFKIT_CONFIG, and --context picks another', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-ctx-'))
    const file = join(dir, 'config.yaml')
    writeFileSync(file, `# my clusters\ncurrentContext: broken\ncontexts:\n  broken: {brokers: [127.0.0.1:1]}\n  test: {brokers: [${inject('kafkaBootstrap')}], clientId: kafkit-test}\n`)
    const env = {KAFKIT_CONFIG: file, KAFKA_BOOTSTRAP_SERVERS: undefined}
    const broken = await kafkit(['cluster', 'info'], {env})
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain('check the brokers of context broken')
    expect((await kafkit(['cluster', 'info', '--context', 'test'], {env})).code).toBe(0)

    const list = await kafkit(['context', 'list'], {env})
    expect(list.stdout).toMatch(/\*\s+broken\s+127\.0\.0\.1:1/)
    expect((await kafkit(['context', 'use', 'test'], {env})).code).toBe(0)
    expect((await kafkit(['context', 'current'], {env})).stdout).toBe('test\n')
    expect((await kafkit(['cluster', 'info'], {env})).code).toBe(0)
    const unknown = await kafkit(['context', 'use', 'nope'], {env})
    expect(unknown.stderr).toBe(`kafkit: no context named "nope" in ${file} (known: broken, test)\n`)
  })

  it('rejects bad flags with one line', async () => {
    for (const args of [
      ['topics', 'list', '--bogus'],
      ['topics', 'create', 'x.y.z', '--partitions', 'many', '-r', '1'],
      ['topics', 'list', '-o', 'xml'],
      ['topics', 'list', '--timeout', 'soon'],
      ['cluster', 'info', '-b', 'localhost'],
    ]) {
      const res = await kafkit(args)
      expect(res.code, args.join(' ')).toBe(1)
      oneLine(res.stderr)
    }
    // oclif's multi-line parse errors keep their reason when folded into one line.
    const zero = await kafkit(['topics', 'create', 'x.y.z', '--partitions', '0', '-r', '1'])
    expect(zero.stderr).toBe('kafkit: --partitions: Expected an integer greater than or equal to 1 but received: 0\n')
  })
})

describe('the 3-node cluster', () => {
  it('cluster info shows 3 brokers', async () => {
    const res = await kafkit(['cluster', 'info', '-o', 'json'], {bootstrap: inject('kafka3Bootstrap')})
    expect(res.code).toBe(0)
    const info = JSON.parse(res.stdout)
    expect(info.brokers.map((b: any) => b.nodeId)).toEqual([1, 2, 3])
    expect(typeof info.clusterId).toBe('string')
  })

  it('cluster health exits 3 for a partition under min ISR and 0 once it is gone', async () => {
    const bootstrap = inject('kafka3Bootstrap')
    const topic = `health.under-min-isr.${Date.now()}`
    // min.insync.replicas above RF: every partition is under min ISR by construction.
    expect((await kafkit(['topics', 'create', topic, '-p', '2', '-r', '1', '-c', 'min.insync.replicas=2'], {bootstrap})).code).toBe(0)
    const bad = await kafkit(['cluster', 'health', '-o', 'json'], {bootstrap})
    expect(bad.code).toBe(3)
    const report = JSON.parse(bad.stdout)
    expect(report.healthy).toBe(false)
    expect(report.problems.filter((p: any) => p.topic === topic)).toHaveLength(2)
    expect(report.problems.find((p: any) => p.topic === topic).problems).toEqual(['under-min-isr'])
    await kafkit(['topics', 'delete', topic, '--yes'], {bootstrap})
    const ok = await kafkit(['cluster', 'health', '-o', 'json'], {bootstrap})
    expect(JSON.parse(ok.stdout).problems.filter((p: any) => p.topic === topic)).toEqual([])
  })
})
