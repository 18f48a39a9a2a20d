import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {mutateYaml, randomArgv} from '../fuzz-cases.js'
import {kafkit, type CliResult} from '../helpers.js'

const EXAMPLE = readFileSync(new URL('../../topics.yaml', import.meta.url), 'utf8')
const FILE_CASES = 40
const ARGV_CASES = 120
// Hundreds of CLI start-ups: about a minute on an idle 2-core machine, several when it is busy.
const FUZZ_TIMEOUT_MS = 400_000
const STACK_TRACE = /\n\s+at [\w.<]+ \(|node:internal|KafkaJS\w+Error/

async function inPool<T>(count: number, width: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = []
  let next = 0
  await Promise.all(
    Array.from({length: width}, async () => {
      while (next < count) {
        const i = next++
        results[i] = await run(i)
      }
    }),
  )
  return results
}

function expectCleanFailure(res: CliResult, what: string): void {
  const all = res.stdout + res.stderr
  expect(all, what).not.toMatch(STACK_TRACE)
  expect(res.signal, what).toBeNull()
  if (res.code !== 0) {
    // lint prints its findings (the result) on stdout; everything else fails on stderr.
    const lines = (res.stderr || res.stdout).split('\n').filter(Boolean)
    expect(lines.length, `${what}: no error message`).toBeGreaterThan(0)
    // Problems of a file are one line each (file:line:col); the verdict is one kafkit: line.
    for (const line of lines) expect(line, what).toMatch(/^(kafkit: |.+:\d+:\d+: |.+: invalid; \d+ error)/)
  }
}

/** Malformed files and flag combinations through bin/run.js: never a crash, a stack trace or a hang. */
describe('fuzz: bad input through bin/run.js', () => {
  it(`${FILE_CASES} mutated topics.yaml files for lint and plan`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-fuzz-'))
    await inPool(FILE_CASES, 4, async (i) => {
      const file = join(dir, `case-${i}.yaml`)
      writeFileSync(file, mutateYaml(EXAMPLE, 10_000 + i))
      const lint = await kafkit(['topics', 'lint', '-f', file])
      expect([0, 1], `lint case ${i}`).toContain(lint.code)
      expectCleanFailure(lint, `lint case ${i}`)
      const plan = await kafkit(['topics', 'plan', '-f', file, '-b', '127.0.0.1:1', '--timeout', '2s'])
      expect(plan.code, `plan case ${i}`).toBe(1)
      expectCleanFailure(plan, `plan case ${i}`)
    })
  }, FUZZ_TIMEOUT_MS)

  it(`${ARGV_CASES} random flag combinations`, async () => {
    const commands = [
      ['topics', 'list'], ['topics', 'describe', 'x.y.z'], ['topics', 'create', 'x.y.z'], ['topics', 'delete', 'x.y.z'],
      ['topics', 'plan'], ['topics', 'apply'], ['topics', 'lint'], ['topics', 'export'], ['cluster', 'info'], ['cluster', 'health'],
      ['context', 'use'], ['local', 'status'], ['consume'], ['consume', 'x.y.z'], ['produce'], ['groups', 'reset-offsets', 'g'],
      ['dlq', 'replay', 'x.y.z'],
    ]
    const flags = ['-p', '--partitions', '-r', '--replication-factor', '-c', '--config', '-o', '--output', '--timeout', '-f', '--env', '--prune',
      '--yes', '--detailed-exitcode', '--bogus', '-z', '--json', '--prefix', '--if-not-exists', '--context', '--state-dir',
      '--from-time', '--offset', '-n', '-e', '--to-datetime', '--by-duration', '--topic', '--since', '--until', '--rate', '--dry-run']
    const values = ['1', '0', '-3', 'many', 'json', 'xml', 'markdown', '10s', 'soon', 'k=v', 'retention.ms=7d', 'retension.ms=1', '=', '',
      '/nonexistent.yaml', 'topics.yaml', 'prod', '--', 'x.y.z', '127.0.0.1:1', '9'.repeat(30), '30d', '100000w', '2147483648', '65537',
      '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '0.0000001']
    const results = await inPool(ARGV_CASES, 4, async (i) => {
      const argv = randomArgv(20_000 + i, commands, flags, values)
      // Never a real cluster: a fuzz case must not be able to delete or create anything.
      const res = await kafkit([...argv, '-b', '127.0.0.1:1', '--timeout', '2s'], {
        env: {KAFKIT_CACHE_DIR: join(tmpdir(), 'kafkit-fuzz-cache')},
        // Piped data must never become an argument (oclif read a missing one from stdin).
        input: 'x.y.z\n',
        timeoutMs: 30_000,
      })
      expectCleanFailure(res, `argv ${JSON.stringify(argv)}`)
      return res.code
    })
    // Most combinations are wrong somehow; the point is how they fail.
    expect(results.filter((c) => c === 1).length).toBeGreaterThan(ARGV_CASES / 2)
  }, FUZZ_TIMEOUT_MS)
})
