#!/usr/bin/env node
// `kafkit consume --where` vs plain `kafkit consume`, both to /dev/null, in one run on the same
// topic: N JSON records (BENCH_FILTER_MESSAGES, default 1,000,000) of ~90 bytes with two headers,
// read from the beginning to the end (-e). The target (issue #17): filtering costs at most 2x the
// plain read. After a warm-up read, every command runs BENCH_FILTER_RUNS times (default 2) in
// turn and the fastest counts; CPU time (user + sys) is reported beside wall time because on a
// shared machine the wall time mostly measures the other load. Each --where is run once more into
// a pipe that counts lines, to check the matches.
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, createWriteStream, mkdtempSync, openSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, printTable} from './lib.mjs'

const N = Number(process.env.BENCH_FILTER_MESSAGES ?? 1_000_000)
const RUNS = Number(process.env.BENCH_FILTER_RUNS ?? 2)

const broker = await benchBroker()
const topic = `benchfilter${Date.now().toString(36)}`
const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-filter-'))
const file = join(dir, 'records.jsonl')

/** Record i: order i, a refund every 10th; amount cycles 0-1498.5. */
function line(i) {
  const refund = i % 10 === 0
  const value = JSON.stringify({order_id: i, amount: (i % 1000) * 1.5, status: refund ? 'refund' : 'paid', customer: `cust-${i % 5000}`})
  return `${JSON.stringify({key: `cust-${i % 5000}`, value, headers: ['type', refund ? 'refund' : 'order', 'tenant', 'acme']})}\n`
}

async function writeInput() {
  const out = createWriteStream(file)
  for (let i = 0; i < N; i += 1000) {
    let chunk = ''
    for (let j = i; j < Math.min(N, i + 1000); j++) chunk += line(j)
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())))
}

/** Wall ms and peak RSS (GNU time); stdout to /dev/null, or counted (lines) when count is set. */
function run(argv, {count = false, stdinFile} = {}) {
  return new Promise((resolve, reject) => {
    const useTime = spawnSync('sh', ['-c', 'command -v /usr/bin/time'], {stdio: 'ignore'}).status === 0
    const full = useTime ? ['/usr/bin/time', '-f', '__RSS_KB=%M __CPU=%U+%S', ...argv] : argv
    const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore'
    const devNull = count ? undefined : openSync('/dev/null', 'w')
    const start = process.hrtime.bigint()
    const child = spawn(full[0], full.slice(1), {env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}, stdio: [stdin, devNull ?? 'pipe', 'pipe']})
    if (typeof stdin === 'number') closeSync(stdin)
    if (devNull !== undefined) closeSync(devNull)
    let lines = 0
    let stderr = ''
    child.stdout?.on('data', (d) => {
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      const m = /__RSS_KB=(\d+) __CPU=([\d.]+)\+([\d.]+)\s*$/.exec(stderr)
      if (m) stderr = stderr.slice(0, m.index)
      resolve({ms, rssKb: m ? Number(m[1]) : undefined, cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : undefined, code, lines, stderr})
    })
  })
}

/** How many of the N records each filter keeps (computed here, checked against kafkit's output). */
function expected(test) {
  let n = 0
  for (let i = 0; i < N; i++) if (test(i)) n++
  return n
}

const filters = [
  {
    label: `--where 'value.amount > 1400.0 and headers.type == "refund"'`,
    where: ['value.amount > 1400.0 and headers.type == "refund"'],
    matches: expected((i) => i % 10 === 0 && (i % 1000) * 1.5 > 1400),
  },
  {label: `--where 'headers.type == "refund"' (value not parsed)`, where: ['headers.type == "refund"'], matches: expected((i) => i % 10 === 0)},
  {label: `--where type=refund (header shorthand)`, where: ['type=refund'], matches: expected((i) => i % 10 === 0)},
  {
    label: `--where 'value.customer.matches("^cust-4999$") && offset > 1000'`,
    where: ['value.customer.matches("^cust-4999$") && offset > 1000'],
    matches: expected((i) => i % 5000 === 4999 && i > 1000),
  },
]

const consumeArgs = [...KAFKIT, 'consume', topic, '--from-beginning', '-e']
const whereArgs = (where) => where.flatMap((w) => ['--where', w])

try {
  process.stderr.write(`filter bench: ${N.toLocaleString('en-US')} JSON records\n`)
  await writeInput()
  await createTopics(broker.bootstrap, [topic], {partitions: 1})
  const produced = await run([...KAFKIT, 'produce', topic, '--format', 'json', '--file', file], {count: true})
  const problems = []
  if (produced.code !== 0) problems.push(`produce exited ${produced.code}: ${produced.stderr.trim()}`)

  // Warm-up: the broker's page cache and the first read of the log.
  await run(consumeArgs)
  const commands = [{label: '(plain)', where: [], matches: undefined}, ...filters]
  const best = new Map()
  for (let r = 0; r < RUNS; r++) {
    for (const c of commands) {
      const res = await run([...consumeArgs, ...whereArgs(c.where)])
      if (res.code !== 0 || res.stderr !== '') problems.push(`${c.label}: exited ${res.code}: ${res.stderr.trim()}`)
      const prev = best.get(c) ?? {ms: Infinity, cpuMs: Infinity, rssKb: 0}
      best.set(c, {ms: Math.min(prev.ms, res.ms), cpuMs: Math.min(prev.cpuMs, res.cpuMs ?? Infinity), rssKb: Math.max(prev.rssKb, res.rssKb ?? 0)})
    }
  }
  for (const f of filters) {
    const counted = await run([...consumeArgs, ...whereArgs(f.where)], {count: true})
    if (counted.lines !== f.matches) problems.push(`${f.label}: printed ${counted.lines} records, expected ${f.matches}`)
  }
  const plain = best.get(commands[0])
  const rows = commands.map((c) => {
    const b = best.get(c)
    return [
      `kafkit consume --from-beginning -e ${c.label}`,
      fmtMs(b.ms),
      fmtMs(b.cpuMs),
      `${Math.round(N / (b.ms / 1000)).toLocaleString('en-US')}/s`,
      c.matches === undefined ? '-' : c.matches.toLocaleString('en-US'),
      fmtRss(b.rssKb),
      (b.ms / plain.ms).toFixed(2),
      (b.cpuMs / plain.cpuMs).toFixed(2),
    ]
  })
  const n = N.toLocaleString('en-US')
  printTable(
    `consume --where: ${n} JSON records (~90 bytes, 2 headers) scanned to the end, stdout to /dev/null (fastest of ${RUNS}, load ${loadavg()[0].toFixed(1)})`,
    ['command', 'wall', 'CPU', 'scanned/s', 'matches', 'peak RSS', 'wall / plain', 'CPU / plain'],
    rows,
  )
  process.stdout.write(problems.length === 0 ? `every filter printed exactly its ${filters.map((f) => f.matches.toLocaleString('en-US')).join(' / ')} matches\n\n` : `PROBLEMS:\n${problems.map((p) => `- ${p}`).join('\n')}\n\n`)
  if (problems.length > 0) process.exitCode = 1
} finally {
  rmSync(dir, {recursive: true, force: true})
  try {
    await deleteTopics(broker.bootstrap, [topic])
  } finally {
    await broker.stop()
  }
}
