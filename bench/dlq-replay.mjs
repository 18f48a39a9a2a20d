#!/usr/bin/env node
// `dlq replay` of 100k header-based DLQ records (seed 003 format, 4 partitions) into their
// original topic, each chunk of records committed in a Kafka transaction with the replay group's
// offsets: records/s, wall time and peak RSS. No CLI replays DLQs, so the reference is a plain
// kcat -C | kcat -P copy of the values only (no keys, headers or transactions) in the same run.
// Also `dlq inspect` over the same DLQ. The target is checked read_committed: exactly 100k records.
// Then, for memory, a replay of BENCH_DLQ_MEMORY_RECORDS (default 1,000,000; 0: skip): its peak
// RSS must stay flat. BENCH_KAFKIT_BASELINE=<another checkout's bin/run.js> adds a replay by that
// kafkit (into a topic of its own) in the same run.
import {spawnSync} from 'node:child_process'
import {loadavg} from 'node:os'

import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, printTable, timeCommand} from './lib.mjs'

const RECORDS = Number(process.env.BENCH_DLQ_RECORDS ?? 100_000)
const MEMORY_RECORDS = Number(process.env.BENCH_DLQ_MEMORY_RECORDS ?? 1_000_000)
const BASELINE = process.env.BENCH_KAFKIT_BASELINE
const PARTITIONS = 4
/** Issue #16's goals for a replay. */
const GOAL_RATE = 25_000
const GOAL_RSS_MIB = 150

const broker = await benchBroker()
const prefix = `benchdlq${Date.now().toString(36)}`
const dlq = `${prefix}.orders.dlq`
const original = `${prefix}.orders`
const copy = `${prefix}.kcat-copy`
const baselineTarget = `${prefix}.baseline-target`
const bigDlq = `${prefix}.big.orders.dlq`
const bigOriginal = `${prefix}.big.orders`

/** Fixture, not measured: RECORDS DLQ records of ~200 bytes with seed 003's headers. */
async function setUp(dlq, original, RECORDS, extra = []) {
  await createTopics(broker.bootstrap, [dlq, original, ...extra], {partitions: PARTITIONS})
  const {Kafka, logLevel} = (await import('kafkajs')).default
  const kafka = new Kafka({brokers: broker.bootstrap.split(','), logLevel: logLevel.NOTHING})
  const producer = kafka.producer()
  await producer.connect()
  const failedAt = new Date(Date.now() - 3_600_000).toISOString().replace('Z', '')
  for (let i = 0; i < RECORDS; i += 5000) {
    const messages = []
    for (let j = i; j < Math.min(RECORDS, i + 5000); j++) {
      messages.push({
        partition: j % PARTITIONS,
        key: `order-${j}`,
        value: JSON.stringify({id: j, amount: (j % 997) * 1.5, currency: 'EUR', note: 'x'.repeat(60)}),
        headers: {
          original_topic: original,
          original_partition: String(j % PARTITIONS),
          original_offset: String(j),
          error_type: j % 3 === 0 ? 'TimeoutError' : 'ValueError',
          error_message: 'downstream timed out',
          failed_at: failedAt,
        },
      })
    }
    await producer.send({topic: dlq, acks: -1, messages})
  }
  await producer.disconnect()
}

function committedCount(topic) {
  const res = spawnSync('kcat', ['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '.'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return res.stdout.length
}

const rate = (ms) => `${Math.round(RECORDS / (ms / 1000)).toLocaleString('en-US')}`

try {
  await setUp(dlq, original, RECORDS, [copy, baselineTarget])
  const inspect = await timeCommand([...KAFKIT, 'dlq', 'inspect', dlq, '-o', 'json'], {env: {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}})
  if (inspect.code !== 0) throw new Error(`dlq inspect failed: ${inspect.stderr}`)
  const replay = await timeCommand([...KAFKIT, 'dlq', 'replay', dlq, '--yes', '-o', 'json'], {env: {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}})
  if (replay.code !== 0) throw new Error(`dlq replay failed: ${replay.stderr}`)
  const summary = JSON.parse(replay.stdout.toString())
  const delivered = committedCount(original)
  if (summary.replayed !== RECORDS || delivered !== RECORDS) throw new Error(`replayed ${summary.replayed}, target holds ${delivered}, expected ${RECORDS}`)
  const kcatCopy = await timeCommand([
    'sh',
    '-c',
    `kcat -b ${broker.bootstrap} -C -t ${dlq} -o beginning -e -q -D '\\n' | kcat -b ${broker.bootstrap} -P -t ${copy} -D '\\n'`,
  ])
  const baseline = BASELINE
    ? await timeCommand([process.execPath, BASELINE, 'dlq', 'replay', dlq, '--yes', '-o', 'json', '--to', baselineTarget, '--group', `${prefix}.baseline`], {env: {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}})
    : undefined
  if (baseline !== undefined && (baseline.code !== 0 || committedCount(baselineTarget) !== RECORDS)) throw new Error(`baseline dlq replay failed: ${baseline.stderr}`)
  let big
  if (MEMORY_RECORDS > 0) {
    await setUp(bigDlq, bigOriginal, MEMORY_RECORDS)
    big = await timeCommand([...KAFKIT, 'dlq', 'replay', bigDlq, '--yes', '-o', 'json'], {env: {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}})
    const bigSummary = big.code === 0 ? JSON.parse(big.stdout.toString()) : {}
    if (bigSummary.replayed !== MEMORY_RECORDS) throw new Error(`dlq replay of ${MEMORY_RECORDS} failed: ${big.stderr}`)
  }
  const rows = [
    [`kafkit dlq replay (transactional, keys + headers)`, fmtMs(replay.ms), rate(replay.ms), fmtRss(replay.rssKb)],
    ...(baseline ? [[`kafkit dlq replay (baseline, same DLQ, its own group and target)`, fmtMs(baseline.ms), rate(baseline.ms), fmtRss(baseline.rssKb)]] : []),
    [`kafkit dlq inspect`, fmtMs(inspect.ms), rate(inspect.ms), fmtRss(inspect.rssKb)],
    [`reference: kcat -C \\| kcat -P (values only, no transactions)`, fmtMs(kcatCopy.ms), rate(kcatCopy.ms), fmtRss(kcatCopy.rssKb)],
  ]
  if (big) rows.push([`kafkit dlq replay of ${MEMORY_RECORDS.toLocaleString('en-US')} records (memory)`, fmtMs(big.ms), `${Math.round(MEMORY_RECORDS / (big.ms / 1000)).toLocaleString('en-US')}`, fmtRss(big.rssKb)])
  printTable(`dlq replay: ${RECORDS.toLocaleString('en-US')} records, ${PARTITIONS} partitions (target checked read_committed: ${delivered.toLocaleString('en-US')})`, ['command', 'wall', 'records/s', 'peak RSS'], rows)
  const perSecond = RECORDS / (replay.ms / 1000)
  const peak = Math.max(replay.rssKb ?? 0, big?.rssKb ?? 0) / 1024
  process.stdout.write(
    [
      `goals (#16), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}:`,
      `- replay: ${Math.round(perSecond).toLocaleString('en-US')} records/s (goal ≥ ${GOAL_RATE.toLocaleString('en-US')}) ${perSecond >= GOAL_RATE ? 'met' : 'NOT met'}${baseline ? `; ${(baseline.ms / replay.ms).toFixed(2)}× the baseline's rate` : ''}`,
      `- replay peak RSS at ${RECORDS.toLocaleString('en-US')}${big ? ` and ${MEMORY_RECORDS.toLocaleString('en-US')}` : ''}: at most ${peak.toFixed(0)} MiB (goal ≤ ${GOAL_RSS_MIB} MiB) ${peak <= GOAL_RSS_MIB ? 'met' : 'NOT met'}`,
      '',
      '',
    ].join('\n'),
  )
} finally {
  await deleteTopics(broker.bootstrap, [dlq, original, copy, baselineTarget, bigDlq, bigOriginal]).catch(() => {})
  await broker.stop()
}
