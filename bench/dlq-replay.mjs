#!/usr/bin/env node
// `dlq replay` of 100k header-based DLQ records (seed 003 format, 4 partitions) into their
// original topic, each chunk of records committed in a Kafka transaction with the replay group's
// offsets: records/s, wall time and peak RSS. No CLI replays DLQs, so the reference is a plain
// kcat -C | kcat -P copy of the values only (no keys, headers or transactions) in the same run.
// Also `dlq inspect` over the same DLQ. The target is checked read_committed: exactly 100k records.
import {spawnSync} from 'node:child_process'

import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, printTable, timeCommand} from './lib.mjs'

const RECORDS = Number(process.env.BENCH_DLQ_RECORDS ?? 100_000)
const PARTITIONS = 4

const broker = await benchBroker()
const prefix = `benchdlq${Date.now().toString(36)}`
const dlq = `${prefix}.orders.dlq`
const original = `${prefix}.orders`
const copy = `${prefix}.kcat-copy`

/** Fixture, not measured: RECORDS DLQ records of ~200 bytes with seed 003's headers. */
async function setUp() {
  await createTopics(broker.bootstrap, [dlq, original, copy], {partitions: PARTITIONS})
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
  await setUp()
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
  const rows = [
    [`kafkit dlq replay (transactional, keys + headers)`, fmtMs(replay.ms), rate(replay.ms), fmtRss(replay.rssKb)],
    [`kafkit dlq inspect`, fmtMs(inspect.ms), rate(inspect.ms), fmtRss(inspect.rssKb)],
    [`reference: kcat -C \\| kcat -P (values only, no transactions)`, fmtMs(kcatCopy.ms), rate(kcatCopy.ms), fmtRss(kcatCopy.rssKb)],
  ]
  printTable(`dlq replay: ${RECORDS.toLocaleString('en-US')} records, ${PARTITIONS} partitions (target checked read_committed: ${delivered.toLocaleString('en-US')})`, ['command', 'wall', 'records/s', 'peak RSS'], rows)
} finally {
  await deleteTopics(broker.bootstrap, [dlq, original, copy]).catch(() => {})
  await broker.stop()
}
