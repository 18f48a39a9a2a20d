#!/usr/bin/env node
// `topics apply` at scale (issue 12): BENCH_APPLY_TOPICS (10,000) topics of 1-3 partitions, a third
// with config overrides (bench/fixtures/topics.mjs), created by one `apply --yes` on an empty
// cluster; then the plan after it, a no-op apply, and a config change on every topic with
// overrides (batched AlterConfigs). Wall time, Kafka requests and peak RSS of each.
// Peers: the same topics created by kafkajs directly in chunks of 1,000 (batched, the floor the
// broker sets: it writes each new partition's files with fsyncs), and Kafka's own
// `kafka-topics --create` in a loop, one JVM per topic, timed on BENCH_LOOP_TOPICS (20) topics
// and extrapolated (10,000 runs would take hours).
// BENCH_CHUNKS=100,250,1000 also times apply of BENCH_SWEEP_TOPICS (2,000) topics per CreateTopics
// chunk size (KAFKIT_CREATE_CHUNK), which is how kafkit's default was chosen.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:45092 node bench/scale-apply.mjs      (or: npm run bench:scale -- apply)
import {mkdtempSync, writeFileSync, readFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

import {createScaleTopics, deleteScaleTopics, scaleTopics, scaleTopicsYaml} from './fixtures/topics.mjs'
import {KAFKIT, benchBroker, fmtMs, fmtRss, kafkaTool, printTable, timeCommand} from './lib.mjs'

const count = Number(process.env.BENCH_APPLY_TOPICS ?? 10_000)
const loopCount = Number(process.env.BENCH_LOOP_TOPICS ?? 20)
const chunks = (process.env.BENCH_CHUNKS ?? '').split(',').filter(Boolean).map(Number)
const sweepCount = Number(process.env.BENCH_SWEEP_TOPICS ?? 2000)
/** kafkit's --timeout: each request, and each stretch without a new leader. 30s: on a loaded 2-core machine a 10,000-topic plan's DescribeConfigs alone took 7.5 s. */
const timeout = process.env.BENCH_TIMEOUT ?? '30s'
const broker = await benchBroker()
const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-apply-'))
const env = {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKIT_REQUEST_STATS: '1', KAFKIT_CONFIG: '/nonexistent'}
const run = Date.now().toString(36)
const rows = []
/** Deletes of what a failed run left behind. */
const cleanups = []
const load = () => loadavg()[0].toFixed(1)

function requests(stderr) {
  const m = /kafkit: requests: (\d+) \(([^)]*)\)/.exec(stderr)
  return m ? `${m[1]} (${m[2]})` : '?'
}

/** One kafkit command, measured; fails the bench on an unexpected exit code. */
async function kafkit(label, args, {expect = 0, extraEnv = {}} = {}) {
  const loadBefore = load()
  const res = await timeCommand([...KAFKIT, ...args, '--timeout', timeout], {env: {...env, ...extraEnv}})
  if (res.code !== expect) throw new Error(`${label}: exit ${res.code} (expected ${expect})\n${res.stderr.slice(-2000)}\n${res.stdout.toString().slice(-2000)}`)
  const out = res.stdout.toString()
  const lines = out.split('\n').length - 1
  rows.push([label, fmtMs(res.ms), requests(res.stderr), fmtRss(res.rssKb), `${lines} lines, ${(res.stdout.length / 1024).toFixed(0)} KiB`, loadBefore])
  return res
}

try {
  // Chunk sweep first (small), on its own prefix.
  const sweep = []
  for (const chunk of chunks) {
    const prefix = `sw${chunk}x${run}`
    const file = join(dir, `sweep-${chunk}.yaml`)
    const sweepTopics = scaleTopics(sweepCount, prefix)
    writeFileSync(file, scaleTopicsYaml(sweepTopics, prefix))
    const loadBefore = load()
    const res = await timeCommand([...KAFKIT, 'topics', 'apply', '-f', file, '--yes', '--timeout', timeout], {env: {...env, KAFKIT_CREATE_CHUNK: String(chunk)}})
    const lastLine = res.stdout.toString().trim().split('\n').at(-1)
    sweep.push([String(chunk), String(sweepCount), fmtMs(res.ms), requests(res.stderr), fmtRss(res.rssKb), `exit ${res.code}: ${lastLine}`, loadBefore])
    await deleteScaleTopics(broker.bootstrap, prefix, {names: sweepTopics.map((t) => t.name), wait: true})
  }
  if (sweep.length > 0) printTable('apply: CreateTopics chunk size', ['topics per request', 'topics', 'apply', 'requests', 'RSS', 'result', 'load'], sweep)

  const prefix = `sa${run}`
  const topics = scaleTopics(count, prefix)
  const file = join(dir, 'topics.yaml')
  writeFileSync(file, scaleTopicsYaml(topics, prefix))
  const partitions = topics.reduce((n, t) => n + t.partitions, 0)
  cleanups.push(() => deleteScaleTopics(broker.bootstrap, prefix, {names: topics.map((t) => t.name), wait: true}))

  await kafkit(`apply: create ${count} topics (${partitions} partitions)`, ['topics', 'apply', '-f', file, '--yes'])
  await kafkit('plan right after (in sync)', ['topics', 'plan', '-f', file, '--detailed-exitcode'])
  await kafkit('apply again (no changes)', ['topics', 'apply', '-f', file, '--yes'])
  // Every topic with overrides gets one more: a config change per third of the topics.
  const changed = readFileSync(file, 'utf8').replace(/ {4}config: \{/g, '    config: {retention.bytes: "1073741824", ')
  const changedFile = join(dir, 'topics-changed.yaml')
  writeFileSync(changedFile, changed)
  await kafkit(`apply: config change on ${topics.filter((t) => Object.keys(t.config).length > 0).length} topics`, ['topics', 'apply', '-f', changedFile, '--yes'])
  await kafkit('apply -o json of the same (no changes)', ['topics', 'apply', '-f', changedFile, '--yes', '-o', 'json'])
  const deleted = Date.now()
  await cleanups.pop()()
  const deleteMs = Date.now() - deleted

  // Peer 1: kafkajs directly, 1,000 topics per request, waiting for leaders the same way.
  const peerPrefix = `sp${run}`
  const peerTopics = scaleTopics(count, peerPrefix)
  const loadBefore = load()
  const started = Date.now()
  cleanups.push(() => deleteScaleTopics(broker.bootstrap, peerPrefix, {names: peerTopics.map((t) => t.name), wait: true}))
  await createScaleTopics(broker.bootstrap, peerTopics)
  const peerMs = Date.now() - started
  await cleanups.pop()()

  // Peer 2: kafka-topics --create, one JVM per topic, on a sample.
  const loopPrefix = `sl${run}`
  const tool = await kafkaTool('topics')
  const loopTopics = scaleTopics(loopCount, loopPrefix)
  cleanups.push(() => deleteScaleTopics(broker.bootstrap, loopPrefix, {names: loopTopics.map((t) => t.name), wait: true}))
  const loopStarted = Date.now()
  let loopRss = 0
  for (const t of loopTopics) {
    const configs = Object.entries(t.config).flatMap(([k, v]) => ['--config', `${k}=${v}`])
    const res = await timeCommand([...tool, '--bootstrap-server', broker.bootstrap, '--create', '--topic', t.name, '--partitions', String(t.partitions), '--replication-factor', '1', ...configs])
    if (res.code !== 0) throw new Error(`kafka-topics --create: ${res.stderr}`)
    loopRss = Math.max(loopRss, res.rssKb ?? 0)
  }
  const loopMs = Date.now() - loopStarted
  await cleanups.pop()()

  printTable(`topics apply at scale: ${count} topics, ${partitions} partitions, one broker, --timeout ${timeout}`, ['command', 'wall', 'kafkit requests', 'peak RSS', 'stdout', 'load before'], rows)
  printTable(`peers: creating the same ${count} topics`, ['peer', 'wall', 'peak RSS', 'load before'], [
    [`kafkajs createTopics, 1,000 per request, then leaders (bench/fixtures/topics.mjs)`, fmtMs(peerMs), '-', loadBefore],
    [`kafka-topics --create in a loop: ${loopCount} topics timed, ×${count / loopCount}`, `${fmtMs((loopMs * count) / loopCount)} (${fmtMs(loopMs / loopCount)} per topic)`, fmtRss(loopRss), '-'],
    ['delete of the kafkit-created topics (kafkajs, 1,000 per request)', fmtMs(deleteMs), '-', '-'],
  ])
} finally {
  for (const cleanup of cleanups) await cleanup().catch((error) => process.stderr.write(`cleanup: ${error.message}\n`))
  await broker.stop()
}
