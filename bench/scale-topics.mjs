#!/usr/bin/env node
// Scale: topics (issue 12). For 1,000 and 10,000 topics (1-3 partitions, a third with config
// overrides, declared in a matching topics.yaml under the default policy), in the same run on the
// same broker: `kafkit topics lint` (offline), `kafkit topics plan` (in sync) vs `kafka-topics
// --describe` of the same topics, `kafkit topics list` (table and -o json) vs `kafka-topics --list`
// and `kcat -L`, and `kafkit topics export` vs `kafka-topics --describe`. Wall time (median),
// peak RSS, kafkit's Kafka requests (KAFKIT_REQUEST_STATS=1), output size, and the load average
// it ran under. Nothing here asserts a time.
//
//   npm run bench:scale -- topics                     # this script only, into bench/RESULTS.md
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:46092 BENCH_SCALE_TOPICS=10000 node bench/scale-topics.mjs
//
// The topics are created here with kafkajs (batched CreateTopics, not what is measured) and
// deleted at the end. `topics list` and kcat list every topic of the broker: a broker of its own
// (KAFKA_BOOTSTRAP_SERVERS unset) holds only these.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

import {KAFKIT, benchBroker, fmtMs, fmtRss, kafkaTool, printTable, timeCommand} from './lib.mjs'

const SIZES = (process.env.BENCH_SCALE_TOPICS ?? '1000,10000').split(',').map(Number)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const CHUNK = 500

/** Overrides every third topic gets, by turns; values as Kafka prints them (so the plan is in sync). */
const OVERRIDES = [
  {'retention.ms': '172800000'},
  {'cleanup.policy': 'compact', 'min.cleanable.dirty.ratio': '0.2'},
  {'retention.ms': '604800000', 'max.message.bytes': '524288'},
  {'segment.bytes': '268435456'},
]
const PARTITIONS = [1, 2, 1, 3, 1, 1]

function topicsOf(count, prefix) {
  return Array.from({length: count}, (_, i) => ({
    name: `${prefix}.d${i % 100}.t${i}`,
    partitions: PARTITIONS[i % PARTITIONS.length],
    config: i % 3 === 2 ? OVERRIDES[Math.floor(i / 3) % OVERRIDES.length] : {},
  }))
}

/** The matching topics.yaml, default policy: RF 1 breaks two rules on every topic (grouped warnings). */
function topicsYaml(topics) {
  const lines = ['version: 1', 'defaults: {replicationFactor: 1}', 'topics:']
  for (const t of topics) {
    lines.push(`  - name: ${t.name}`, `    partitions: ${t.partitions}`)
    const config = Object.entries(t.config)
    if (config.length > 0) lines.push(`    config: {${config.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`)
  }
  return `${lines.join('\n')}\n`
}

async function withAdmin(bootstrap, fn) {
  const {Kafka, logLevel} = (await import('kafkajs')).default
  const admin = new Kafka({brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, requestTimeout: 120_000}).admin()
  await admin.connect()
  try {
    return await fn(admin)
  } finally {
    await admin.disconnect()
  }
}

/** Batched CreateTopics (CHUNK per request), then waits until every partition has a leader. */
async function createTopics(bootstrap, topics) {
  await withAdmin(bootstrap, async (admin) => {
    for (let i = 0; i < topics.length; i += CHUNK) {
      const batch = topics.slice(i, i + CHUNK).map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: 1,
        configEntries: Object.entries(t.config).map(([name, value]) => ({name, value})),
      }))
      await admin.createTopics({waitForLeaders: false, timeout: 120_000, topics: batch})
    }
    const want = new Map(topics.map((t) => [t.name, t.partitions]))
    for (let progressAt = Date.now(); want.size > 0; ) {
      const {topics: live} = await admin.fetchTopicMetadata({topics: []})
      const before = want.size
      for (const t of live) if (want.get(t.name) === t.partitions.length && t.partitions.every((p) => p.leader >= 0)) want.delete(t.name)
      if (want.size < before) progressAt = Date.now()
      else if (Date.now() - progressAt > 60_000) throw new Error(`${want.size} topics without leaders after 60 s without progress`)
      if (want.size > 0) await new Promise((resolve) => setTimeout(resolve, 500))
    }
  })
}

async function deleteTopics(bootstrap, topics) {
  await withAdmin(bootstrap, async (admin) => {
    for (let i = 0; i < topics.length; i += 1000) {
      await admin.deleteTopics({topics: topics.slice(i, i + 1000).map((t) => t.name), timeout: 120_000}).catch(() => {})
    }
  })
}

const load = () => loadavg()[0].toFixed(1)

/** Median of RUNS (after one warm-up for kafkit; Kafka's JVM tools and kcat once fewer on 10,000). */
async function median(argv, {env = {}, runs = RUNS, warmUp = true, expect = [0]} = {}) {
  if (warmUp) await timeCommand(argv, {env})
  const results = []
  for (let i = 0; i < runs; i++) {
    const r = await timeCommand(argv, {env})
    if (!expect.includes(r.code)) throw new Error(`${argv.slice(0, 6).join(' ')} exited ${r.code}: ${r.stderr.toString().slice(0, 400)}`)
    results.push(r)
  }
  results.sort((a, b) => a.ms - b.ms)
  return results[Math.floor(results.length / 2)]
}

function requests(r) {
  const m = /kafkit: requests: (\d+) \(([^)]*)\)/.exec(r.stderr.toString())
  return m ? `${m[1]} (${m[2]})` : '0'
}

const lines = (buffer) => buffer.toString().split('\n').filter((l) => l !== '').length
const kb = (bytes) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(0)} KiB`)

const broker = await benchBroker()
const env = {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKIT_REQUEST_STATS: '1', KAFKIT_CONFIG: '/nonexistent'}
const kafkaTopics = await kafkaTool('topics')
const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-scale-topics-'))
try {
  for (const n of SIZES) {
    const prefix = `st${n}x${Date.now().toString(36)}`
    const topics = topicsOf(n, prefix)
    const file = join(dir, `topics-${n}.yaml`)
    writeFileSync(file, topicsYaml(topics))
    const created = Date.now()
    await createTopics(broker.bootstrap, topics)
    const setUpMs = Date.now() - created
    const peerRuns = n >= 10_000 ? Math.max(1, RUNS - 2) : RUNS
    const regex = `${prefix.replace(/\./g, '\\.')}\\..*`
    try {
      const loadBefore = load()
      const lint = await median([...KAFKIT, 'topics', 'lint', '-f', file], {env})
      const lintJson = await median([...KAFKIT, 'topics', 'lint', '-f', file, '-o', 'json'], {env})
      const plan = await median([...KAFKIT, 'topics', 'plan', '-f', file, '--detailed-exitcode'], {env})
      const describe = await median([...kafkaTopics, '--bootstrap-server', broker.bootstrap, '--describe', '--topic', regex], {runs: peerRuns, warmUp: false})
      const list = await median([...KAFKIT, 'topics', 'list'], {env})
      const listJson = await median([...KAFKIT, 'topics', 'list', '-o', 'json'], {env})
      const kafkaList = await median([...kafkaTopics, '--bootstrap-server', broker.bootstrap, '--list'], {runs: peerRuns, warmUp: false})
      const kcat = await median(['kcat', '-L', '-b', broker.bootstrap], {runs: peerRuns})
      const exported = await median([...KAFKIT, 'topics', 'export', '--prefix', `${prefix}.`], {env})
      const loadAfter = load()
      const listed = JSON.parse(listJson.stdout.toString()).length
      if (lines(list.stdout) !== listed + 1) throw new Error(`topics list printed ${lines(list.stdout)} lines for ${listed} topics`)
      const planLine = plan.stdout.toString().trim().split('\n').pop()
      const ratio = (peer, own) => `${(peer.ms / own.ms).toFixed(2)}×`
      printTable(`Scale: topics, ${n.toLocaleString('en')} topics (${topics.reduce((s, t) => s + t.partitions, 0).toLocaleString('en')} partitions; created in ${fmtMs(setUpMs)}), load ${loadBefore} → ${loadAfter}`, ['command', 'wall (median)', 'peak RSS', 'kafkit requests', 'output', 'peer / kafkit'], [
          ['kafkit topics lint (offline, default policy)', fmtMs(lint.ms), fmtRss(lint.rssKb), '0', `${lines(lint.stdout)} lines, ${kb(lint.stdout.length)}`, ''],
          ['kafkit topics lint -o json (every warning)', fmtMs(lintJson.ms), fmtRss(lintJson.rssKb), '0', kb(lintJson.stdout.length), ''],
          [`kafkit topics plan (in sync: "${planLine}")`, fmtMs(plan.ms), fmtRss(plan.rssKb), requests(plan), `${lines(plan.stdout) + lines(plan.stderr) - 1} lines`, '1.00'],
          ['kafka-topics --describe (same topics)', fmtMs(describe.ms), fmtRss(describe.rssKb), '', `${lines(describe.stdout)} lines`, ratio(describe, plan)],
          ['kafkit topics export --prefix', fmtMs(exported.ms), fmtRss(exported.rssKb), requests(exported), kb(exported.stdout.length), ratio(describe, exported)],
          ['kafkit topics list (table)', fmtMs(list.ms), fmtRss(list.rssKb), requests(list), `${lines(list.stdout)} lines`, '1.00'],
          ['kafkit topics list -o json', fmtMs(listJson.ms), fmtRss(listJson.rssKb), requests(listJson), kb(listJson.stdout.length), `table / json ${(list.ms / listJson.ms).toFixed(2)}`],
          ['kafka-topics --list', fmtMs(kafkaList.ms), fmtRss(kafkaList.rssKb), '', `${lines(kafkaList.stdout)} lines`, ratio(kafkaList, list)],
          ['kcat -L', fmtMs(kcat.ms), fmtRss(kcat.rssKb), '', `${lines(kcat.stdout)} lines`, ratio(kcat, list)],
        ],
      )
    } finally {
      await deleteTopics(broker.bootstrap, topics)
    }
  }
} finally {
  await broker.stop()
}
process.stdout.write(
  'Ratios are the peer\'s median wall time over kafkit\'s, measured in the same run; "peer / kafkit" for export is against kafka-topics --describe. ' +
    'The plan reads every topic\'s configs (one DescribeConfigs for all topics); the broker\'s answer dominates its time at 10,000 topics.\n',
)
