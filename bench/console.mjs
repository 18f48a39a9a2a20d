#!/usr/bin/env node
// `kafkit produce` and `kafkit consume` vs kcat and Kafka's own console producer/consumer, in one
// run on the same broker: N messages of 100 bytes (BENCH_CONSOLE_MESSAGES, default 1,000,000)
// written from a file and read back to the end; wall time, messages/s, peak RSS, and a check that
// every tool wrote and read all N. Every producer runs with acks=all and idempotence.
// Then, for memory, kafkit alone at BENCH_CONSOLE_MEMORY_MESSAGES (default 5,000,000): peak RSS
// must not grow with N. BENCH_KAFKIT_BASELINE=<another checkout's bin/run.js> adds its rows (a
// before/after in the same run).
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, createWriteStream, mkdtempSync, openSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, kafkaTool, printTable} from './lib.mjs'

const N = Number(process.env.BENCH_CONSOLE_MESSAGES ?? 1_000_000)
const MEMORY_N = Number(process.env.BENCH_CONSOLE_MEMORY_MESSAGES ?? 5_000_000)
const BASELINE = process.env.BENCH_KAFKIT_BASELINE
const SIZE = 100
/** Goals of issue #16, as the peer's time over kafkit's. */
const GOALS = {produce: 1.3, consume: 1.5}

const broker = await benchBroker()
const prefix = `benchconsole${Date.now().toString(36)}`
const topics = {kafkit: `${prefix}.kafkit`, kcat: `${prefix}.kcat`, kafka: `${prefix}.kafka`, ...(BASELINE ? {baseline: `${prefix}.baseline`} : {})}
const memoryTopic = `${prefix}.memory`
const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-console-'))
const file = join(dir, 'messages.txt')
const memoryFile = join(dir, 'memory.txt')

/** N lines of exactly SIZE bytes (plus the newline), written with back-pressure. */
async function writeInput(file, N) {
  const out = createWriteStream(file)
  const pad = 'x'.repeat(SIZE)
  for (let i = 0; i < N; i += 1000) {
    let chunk = ''
    for (let j = i; j < Math.min(N, i + 1000); j++) chunk += `${j} ${pad}`.slice(0, SIZE) + '\n'
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())))
}

/**
 * Runs a command with stdin from a file (or nothing); counts stdout lines instead of keeping them;
 * wall ms and peak RSS (GNU time).
 */
function run(argv, {stdinFile} = {}) {
  return new Promise((resolve, reject) => {
    const useTime = spawnSync('sh', ['-c', 'command -v /usr/bin/time'], {stdio: 'ignore'}).status === 0
    const full = useTime ? ['/usr/bin/time', '-f', '__RSS_KB=%M', ...argv] : argv
    const start = process.hrtime.bigint()
    // The file itself as stdin: the child sees end of input when the file ends.
    const stdin = stdinFile ? openSync(stdinFile, 'r') : 'ignore'
    const child = spawn(full[0], full.slice(1), {env: {...process.env, KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}, stdio: [stdin, 'pipe', 'pipe']})
    if (typeof stdin === 'number') closeSync(stdin)
    let lines = 0
    let stderr = ''
    child.stdout.on('data', (d) => {
      for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) lines++
    })
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      const m = /__RSS_KB=(\d+)\s*$/.exec(stderr)
      if (m) stderr = stderr.slice(0, m.index)
      resolve({ms, rssKb: m ? Number(m[1]) : undefined, code, lines, stderr})
    })
  })
}

/** Messages in a topic (sum of log end offsets), read with kcat's metadata-free offset query. */
function topicCount(topic) {
  const res = spawnSync('kcat', ['-b', broker.bootstrap, '-Q', '-t', `${topic}:0:-1`], {encoding: 'utf8'})
  const m = /\[0\] offset (\d+)/.exec(res.stdout)
  return m ? Number(m[1]) : -1
}

const rate = (r) => `${Math.round(N / (r.ms / 1000)).toLocaleString('en-US')}/s`

try {
  process.stderr.write(`console bench: ${N.toLocaleString('en-US')} messages of ${SIZE} bytes\n`)
  await writeInput(file, N)
  await createTopics(broker.bootstrap, [...Object.values(topics), memoryTopic], {partitions: 1})
  const consoleProducer = await kafkaTool('consoleProducer')
  const consoleConsumer = await kafkaTool('consoleConsumer')

  const produce = {
    kafkit: await run([...KAFKIT, 'produce', topics.kafkit, '--file', file]),
    kcat: await run(['kcat', '-b', broker.bootstrap, '-P', '-t', topics.kcat, '-X', 'acks=all', '-X', 'enable.idempotence=true', '-l', file]),
    kafka: await run(
      [...consoleProducer, '--bootstrap-server', broker.bootstrap, '--topic', topics.kafka, '--producer-property', 'acks=all', '--producer-property', 'enable.idempotence=true'],
      {stdinFile: file},
    ),
    ...(BASELINE ? {baseline: await run([process.execPath, BASELINE, 'produce', topics.baseline, '--file', file])} : {}),
  }
  const consume = {
    kafkit: await run([...KAFKIT, 'consume', topics.kafkit, '--from-beginning', '-e']),
    kcat: await run(['kcat', '-b', broker.bootstrap, '-C', '-t', topics.kcat, '-o', 'beginning', '-e', '-q']),
    kafka: await run([...consoleConsumer, '--bootstrap-server', broker.bootstrap, '--topic', topics.kafka, '--from-beginning', '--max-messages', String(N)]),
    ...(BASELINE ? {baseline: await run([process.execPath, BASELINE, 'consume', topics.baseline, '--from-beginning', '-e'])} : {}),
  }
  // Memory at MEMORY_N: kafkit alone (its peers' memory does not depend on kafkit's).
  await writeInput(memoryFile, MEMORY_N)
  const memory = {
    produce: await run([...KAFKIT, 'produce', memoryTopic, '--file', memoryFile]),
    consume: await run([...KAFKIT, 'consume', memoryTopic, '--from-beginning', '-e']),
  }
  rmSync(memoryFile, {force: true})
  const problems = []
  for (const [name, r] of Object.entries(produce)) {
    if (r.code !== 0) problems.push(`${name} produce exited ${r.code}: ${r.stderr.trim().split('\n').pop()}`)
    const count = topicCount(topics[name])
    if (count !== N) problems.push(`${name} produce: ${count} messages in the topic, expected ${N}`)
  }
  for (const [name, r] of Object.entries(consume)) {
    if (r.code !== 0) problems.push(`${name} consume exited ${r.code}: ${r.stderr.trim().split('\n').pop()}`)
    if (r.lines !== N) problems.push(`${name} consume: printed ${r.lines} lines, expected ${N}`)
  }
  if (memory.produce.code !== 0 || topicCount(memoryTopic) !== MEMORY_N) problems.push(`kafkit produce of ${MEMORY_N}: exit ${memory.produce.code}, ${topicCount(memoryTopic)} in the topic`)
  if (memory.consume.code !== 0 || memory.consume.lines !== MEMORY_N) problems.push(`kafkit consume of ${MEMORY_N}: exit ${memory.consume.code}, printed ${memory.consume.lines}`)
  const rows = (results, labels) =>
    Object.entries(results).map(([name, r]) => [labels[name], fmtMs(r.ms), rate(r), fmtRss(r.rssKb), (r.ms / results.kafkit.ms).toFixed(2)])
  const n = N.toLocaleString('en-US')
  const baselineLabel = (what) => `kafkit ${what} (baseline)`
  printTable(`produce ${n} messages of ${SIZE} bytes from a file (acks=all, idempotent)`, ['command', 'wall', 'messages/s', 'peak RSS', 'time / kafkit'], rows(produce, {
    kafkit: 'kafkit produce --file',
    kcat: 'kcat -P -l',
    kafka: 'kafka-console-producer < file',
    baseline: baselineLabel('produce --file'),
  }))
  printTable(`consume ${n} messages of ${SIZE} bytes to the end`, ['command', 'wall', 'messages/s', 'peak RSS', 'time / kafkit'], rows(consume, {
    kafkit: 'kafkit consume --from-beginning -e',
    kcat: 'kcat -C -o beginning -e',
    kafka: `kafka-console-consumer --from-beginning --max-messages ${N}`,
    baseline: baselineLabel('consume --from-beginning -e'),
  }))
  const m = MEMORY_N.toLocaleString('en-US')
  printTable(`kafkit's peak RSS: ${n} vs ${m} messages of ${SIZE} bytes`, ['command', `peak RSS at ${n}`, `peak RSS at ${m}`, `wall at ${m}`, `messages/s at ${m}`], [
    ['kafkit produce --file', fmtRss(produce.kafkit.rssKb), fmtRss(memory.produce.rssKb), fmtMs(memory.produce.ms), `${Math.round(MEMORY_N / (memory.produce.ms / 1000)).toLocaleString('en-US')}/s`],
    ['kafkit consume --from-beginning -e', fmtRss(consume.kafkit.rssKb), fmtRss(memory.consume.rssKb), fmtMs(memory.consume.ms), `${Math.round(MEMORY_N / (memory.consume.ms / 1000)).toLocaleString('en-US')}/s`],
  ])
  const ratio = (results) => results.kafka.ms / results.kafkit.ms
  const goal = (what, value, wanted) => `${what}: ${value.toFixed(2)}× (goal ≥ ${wanted}×) ${value >= wanted ? 'met' : 'NOT met'}`
  const rssGoal = Math.max(produce.kafkit.rssKb ?? 0, consume.kafkit.rssKb ?? 0, memory.produce.rssKb ?? 0, memory.consume.rssKb ?? 0) / 1024
  process.stdout.write(
    [
      `goals (#16), kafka's console tool's time over kafkit's, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}:`,
      `- ${goal('produce vs kafka-console-producer', ratio(produce), GOALS.produce)}`,
      `- ${goal('consume vs kafka-console-consumer', ratio(consume), GOALS.consume)}`,
      `- peak RSS of kafkit produce/consume at ${n} and ${m}: at most ${rssGoal.toFixed(0)} MiB (goal ≤ 150 MiB) ${rssGoal <= 150 ? 'met' : 'NOT met'}`,
      '',
      '',
    ].join('\n'),
  )
  process.stdout.write(problems.length === 0 ? `all tools wrote and read all ${n} messages\n\n` : `PROBLEMS:\n${problems.map((p) => `- ${p}`).join('\n')}\n\n`)
  if (problems.length > 0) process.exitCode = 1
} finally {
  rmSync(dir, {recursive: true, force: true})
  try {
    await deleteTopics(broker.bootstrap, [...Object.values(topics), memoryTopic])
  } finally {
    await broker.stop()
  }
}
