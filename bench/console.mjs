#!/usr/bin/env node
// `kafkit produce` and `kafkit consume` vs kcat and Kafka's own console producer/consumer, in one
// run on the same broker: N messages of 100 bytes (BENCH_CONSOLE_MESSAGES, default 1,000,000)
// written from a file and read back to the end; wall time, messages/s, peak RSS, and a check that
// every tool wrote and read all N. Every producer runs with acks=all and idempotence.
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, createWriteStream, mkdtempSync, openSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, kafkaTool, printTable} from './lib.mjs'

const N = Number(process.env.BENCH_CONSOLE_MESSAGES ?? 1_000_000)
const SIZE = 100

const broker = await benchBroker()
const prefix = `benchconsole${Date.now().toString(36)}`
const topics = {kafkit: `${prefix}.kafkit`, kcat: `${prefix}.kcat`, kafka: `${prefix}.kafka`}
const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-console-'))
const file = join(dir, 'messages.txt')

/** N lines of exactly SIZE bytes (plus the newline), written with back-pressure. */
async function writeInput() {
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
  await writeInput()
  await createTopics(broker.bootstrap, Object.values(topics), {partitions: 1})
  const consoleProducer = await kafkaTool('consoleProducer')
  const consoleConsumer = await kafkaTool('consoleConsumer')

  const produce = {
    kafkit: await run([...KAFKIT, 'produce', topics.kafkit, '--file', file]),
    kcat: await run(['kcat', '-b', broker.bootstrap, '-P', '-t', topics.kcat, '-X', 'acks=all', '-X', 'enable.idempotence=true', '-l', file]),
    kafka: await run(
      [...consoleProducer, '--bootstrap-server', broker.bootstrap, '--topic', topics.kafka, '--producer-property', 'acks=all', '--producer-property', 'enable.idempotence=true'],
      {stdinFile: file},
    ),
  }
  const consume = {
    kafkit: await run([...KAFKIT, 'consume', topics.kafkit, '--from-beginning', '-e']),
    kcat: await run(['kcat', '-b', broker.bootstrap, '-C', '-t', topics.kcat, '-o', 'beginning', '-e', '-q']),
    kafka: await run([...consoleConsumer, '--bootstrap-server', broker.bootstrap, '--topic', topics.kafka, '--from-beginning', '--max-messages', String(N)]),
  }
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
  const rows = (results, labels) =>
    Object.entries(results).map(([name, r]) => [labels[name], fmtMs(r.ms), rate(r), fmtRss(r.rssKb), (r.ms / results.kafkit.ms).toFixed(2)])
  const n = N.toLocaleString('en-US')
  printTable(`produce ${n} messages of ${SIZE} bytes from a file (acks=all, idempotent)`, ['command', 'wall', 'messages/s', 'peak RSS', 'time / kafkit'], rows(produce, {
    kafkit: 'kafkit produce --file',
    kcat: 'kcat -P -l',
    kafka: 'kafka-console-producer < file',
  }))
  printTable(`consume ${n} messages of ${SIZE} bytes to the end`, ['command', 'wall', 'messages/s', 'peak RSS', 'time / kafkit'], rows(consume, {
    kafkit: 'kafkit consume --from-beginning -e',
    kcat: 'kcat -C -o beginning -e',
    kafka: `kafka-console-consumer --from-beginning --max-messages ${N}`,
  }))
  process.stdout.write(problems.length === 0 ? `all tools wrote and read all ${n} messages\n\n` : `PROBLEMS:\n${problems.map((p) => `- ${p}`).join('\n')}\n\n`)
  if (problems.length > 0) process.exitCode = 1
} finally {
  rmSync(dir, {recursive: true, force: true})
  try {
    await deleteTopics(broker.bootstrap, Object.values(topics))
  } finally {
    await broker.stop()
  }
}
