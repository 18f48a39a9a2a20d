#!/usr/bin/env node
// `groups lag --all-groups` over 200 groups with committed offsets vs Kafka's own
// `kafka-consumer-groups --describe --all-groups`, in the same run on the same broker: wall time,
// peak RSS, kafkit's request count, and a check that both report the same total lag.
import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, kafkaTool, medianTime, printTable, ROOT} from './lib.mjs'
import {join} from 'node:path'

const GROUPS = Number(process.env.BENCH_GROUPS ?? 200)
const TOPICS = Number(process.env.BENCH_GROUP_TOPICS ?? 20)
const PARTITIONS = 4
const MESSAGES_PER_PARTITION = 50

const broker = await benchBroker()
const prefix = `benchlag${Date.now().toString(36)}`
const topics = Array.from({length: TOPICS}, (_, i) => `${prefix}.topic.t${i}`)
const groups = Array.from({length: GROUPS}, (_, i) => `${prefix}.group.g${i}`)

/** Fixture, not measured: messages on every partition, then each group's offsets committed (two topics per group). */
async function setUp() {
  await createTopics(broker.bootstrap, topics, {partitions: PARTITIONS})
  const {Kafka, logLevel} = (await import('kafkajs')).default
  const kafka = new Kafka({brokers: broker.bootstrap.split(','), logLevel: logLevel.NOTHING})
  const producer = kafka.producer()
  await producer.connect()
  await producer.sendBatch({
    topicMessages: topics.map((topic) => ({
      topic,
      messages: Array.from({length: PARTITIONS * MESSAGES_PER_PARTITION}, (_, i) => ({partition: i % PARTITIONS, value: `m${i}`})),
    })),
  })
  await producer.disconnect()
  // kafkit's own adapter commits the offsets (one OffsetCommit per group, as Kafka's tool would).
  const {KafkaConnection} = await import(join(ROOT, 'dist/kafka/connection.js'))
  const {offsetsClient} = await import(join(ROOT, 'dist/kafka/groups.js'))
  const conn = new KafkaConnection({settings: {brokers: broker.bootstrap.split(','), clientId: 'kafkit-bench', source: 'bench'}, timeoutMs: 60_000})
  try {
    const client = await offsetsClient(conn)
    for (let i = 0; i < groups.length; i += 20) {
      await Promise.all(
        groups.slice(i, i + 20).map((group, j) => {
          const n = i + j
          const offsets = [topics[n % TOPICS], topics[(n + 7) % TOPICS]].flatMap((topic) =>
            Array.from({length: PARTITIONS}, (_, partition) => ({topic, partition, offset: (n * 7 + partition * 3) % (MESSAGES_PER_PARTITION + 1)})),
          )
          return client.commitOffsetsWhileInactive(group, offsets)
        }),
      )
    }
  } finally {
    await conn.close()
  }
}

function kafkaTotalLag(stdout) {
  let total = 0
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s+/)
    if (cells.length >= 9 && cells[0].startsWith(`${prefix}.`) && /^\d+$/.test(cells[5])) total += Number(cells[5])
  }
  return total
}

try {
  await setUp()
  const env = {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap}
  const kafkitTable = await medianTime([...KAFKIT, 'groups', 'lag', '--all-groups'], {env})
  const kafkitJson = await medianTime([...KAFKIT, 'groups', 'lag', '--all-groups', '-o', 'json'], {env: {...env, KAFKIT_REQUEST_STATS: '1'}})
  const peer = await medianTime([...(await kafkaTool('consumerGroups')), '--bootstrap-server', broker.bootstrap, '--describe', '--all-groups'], {}, 3)
  for (const [name, r] of [['kafkit', kafkitTable], ['kafkit -o json', kafkitJson], ['kafka-consumer-groups', peer]]) {
    if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.stderr}`)
  }
  const ours = JSON.parse(kafkitJson.stdout).groups.filter((g) => g.group.startsWith(`${prefix}.`))
  const oursTotal = ours.reduce((sum, g) => sum + g.totalLag, 0)
  const theirsTotal = kafkaTotalLag(peer.stdout.toString())
  const requests = /kafkit: requests: (\d+) \(([^)]*)\)/.exec(kafkitJson.stderr)
  const ratio = (r) => (r.ms / kafkitTable.ms).toFixed(2)
  printTable(`groups lag --all-groups: ${GROUPS} groups, ${TOPICS * PARTITIONS} partitions (median of 3)`, ['command', 'wall', 'peak RSS', 'time / kafkit'], [
    ['kafkit groups lag --all-groups', fmtMs(kafkitTable.ms), fmtRss(kafkitTable.rssKb), '1.00'],
    ['kafkit groups lag --all-groups -o json', fmtMs(kafkitJson.ms), fmtRss(kafkitJson.rssKb), ratio(kafkitJson)],
    ['kafka-consumer-groups --describe --all-groups', fmtMs(peer.ms), fmtRss(peer.rssKb), ratio(peer)],
  ])
  process.stdout.write(
    `kafkit requests: ${requests ? `${requests[1]} (${requests[2]})` : '?'}\n` +
      `total lag of the ${ours.length} bench groups: kafkit ${oursTotal}, kafka-consumer-groups ${theirsTotal}${oursTotal === theirsTotal ? ' (equal)' : ' (DIFFERENT)'}\n\n`,
  )
  if (oursTotal !== theirsTotal || ours.length !== GROUPS) process.exitCode = 1
} finally {
  try {
    const {Kafka, logLevel} = (await import('kafkajs')).default
    const admin = new Kafka({brokers: broker.bootstrap.split(','), logLevel: logLevel.NOTHING}).admin()
    await admin.connect()
    await admin.deleteGroups(groups).catch(() => {})
    await admin.disconnect()
    await deleteTopics(broker.bootstrap, topics)
  } finally {
    await broker.stop()
  }
}
