// Shared by the bench scripts: a broker to measure against, and timing of whole commands with
// their peak RSS. Benches compare kafkit with a peer in the same run and print ratios; nothing
// here asserts a time.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const KAFKIT = [process.execPath, join(ROOT, 'bin/run.js')]

async function harness() {
  return import(join(ROOT, 'dist/local/harness.js'))
}

/** KAFKA_BOOTSTRAP_SERVERS if set, else a single-node broker of our own (stopped by stop()). */
export async function benchBroker() {
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) return {bootstrap: process.env.KAFKA_BOOTSTRAP_SERVERS, stop: async () => {}}
  const h = await harness()
  const stateDir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'))
  const cluster = await h.startLocalCluster({nodes: 1, port: await h.findFreeBasePort(1), stateDir, log: (l) => process.stderr.write(`${l}\n`)})
  return {bootstrap: cluster.bootstrap, stop: () => h.stopLocalCluster(stateDir, {removeData: true})}
}

/** The java command line of one of Kafka's own tools (from the harness jars). */
export async function kafkaTool(name) {
  const h = await harness()
  return h.kafkaToolCommand(h.KafkaToolClass[name])
}

/**
 * Runs a command to completion; returns wall ms, peak RSS in KiB (GNU time) and its output.
 * `input` (string/Buffer) is fed to stdin.
 */
export function timeCommand(argv, {env = {}, input} = {}) {
  return new Promise((resolve, reject) => {
    const useTime = spawnSync('sh', ['-c', 'command -v /usr/bin/time'], {stdio: 'ignore'}).status === 0
    const full = useTime ? ['/usr/bin/time', '-f', '__RSS_KB=%M', ...argv] : argv
    const start = process.hrtime.bigint()
    const child = spawn(full[0], full.slice(1), {env: {...process.env, ...env}, stdio: ['pipe', 'pipe', 'pipe']})
    const out = []
    const err = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      let stderr = Buffer.concat(err).toString()
      const m = /__RSS_KB=(\d+)\s*$/.exec(stderr)
      if (m) stderr = stderr.slice(0, m.index)
      resolve({ms, rssKb: m ? Number(m[1]) : undefined, code, stdout: Buffer.concat(out), stderr})
    })
    child.stdin.on('error', () => {})
    child.stdin.end(input ?? '')
  })
}

/** Median of `runs` timings (after one warm-up run). */
export async function medianTime(argv, opts = {}, runs = 3) {
  await timeCommand(argv, opts)
  const results = []
  for (let i = 0; i < runs; i++) results.push(await timeCommand(argv, opts))
  results.sort((a, b) => a.ms - b.ms)
  return results[Math.floor(results.length / 2)]
}

export function fmtMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`
}

export function fmtRss(kb) {
  return kb === undefined ? '-' : `${(kb / 1024).toFixed(0)} MiB`
}

/** Prints rows as a Markdown table (also what bench/run-all.mjs collects). */
export function printTable(title, head, rows) {
  const lines = [`### ${title}`, '', `| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
  process.stdout.write(`${lines.join('\n')}\n\n`)
  return lines.join('\n')
}

/**
 * Creates many topics with one kafkajs admin (a bench fixture, not what is measured), waiting for
 * their leaders: a bench that plans or lists right after must see every topic.
 */
export async function createTopics(bootstrap, names, {partitions = 1} = {}) {
  const {Kafka, logLevel} = (await import('kafkajs')).default
  const admin = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING}).admin()
  await admin.connect()
  try {
    for (let i = 0; i < names.length; i += 500) {
      await admin.createTopics({waitForLeaders: false, topics: names.slice(i, i + 500).map((topic) => ({topic, numPartitions: partitions, replicationFactor: 1})), timeout: 60_000})
    }
    // kafkajs's waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION; ask until every topic has leaders.
    for (const deadline = Date.now() + 120_000; ; ) {
      const ready = await admin.fetchTopicMetadata({topics: names}).then(
        ({topics}) => topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)),
        () => false,
      )
      if (ready) break
      if (Date.now() > deadline) throw new Error(`${names.length} topics not ready after 120 s`)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  } finally {
    await admin.disconnect()
  }
}

export async function deleteTopics(bootstrap, names) {
  const {Kafka, logLevel} = (await import('kafkajs')).default
  const admin = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING}).admin()
  await admin.connect()
  try {
    for (let i = 0; i < names.length; i += 500) await admin.deleteTopics({topics: names.slice(i, i + 500), timeout: 60_000})
  } finally {
    await admin.disconnect()
  }
}
