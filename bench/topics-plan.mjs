#!/usr/bin/env node
// `topics plan` of N declared topics against a cluster holding them: wall time and the number of
// Kafka requests, for 100 and 1,000 topics. The request count must not grow with the topic count.
// Peer: kafka-topics --describe of the same topics (what an operator would script instead).
import {writeFileSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, kafkaTool, medianTime, printTable} from './lib.mjs'

const sizes = (process.env.BENCH_TOPICS ?? '100,1000').split(',').map(Number)
const broker = await benchBroker()
const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-plan-'))
const rows = []
try {
  for (const n of sizes) {
    const prefix = `bench${n}x${Date.now().toString(36)}`
    const names = Array.from({length: n}, (_, i) => `${prefix}.topic.t${i}`)
    await createTopics(broker.bootstrap, names, {partitions: 2})
    const file = join(dir, `topics-${n}.yaml`)
    writeFileSync(file, `version: 1\npolicy: {minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}}\ndefaults: {partitions: 2, replicationFactor: 1}\ntopics:\n${names.map((t) => `  - name: ${t}\n`).join('')}`)
    const env = {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKIT_REQUEST_STATS: '1'}
    const plan = await medianTime([...KAFKIT, 'topics', 'plan', '-f', file, '--detailed-exitcode'], {env})
    if (plan.code !== 0) throw new Error(`plan exited ${plan.code}: ${plan.stderr}\n${plan.stdout}`)
    const requests = /kafkit: requests: (\d+) \(([^)]*)\)/.exec(plan.stderr)
    const peer = await medianTime([...(await kafkaTool('topics')), '--bootstrap-server', broker.bootstrap, '--describe', '--topic', `${prefix}\\..*`], {}, 1)
    rows.push([String(n), fmtMs(plan.ms), requests ? `${requests[1]} (${requests[2]})` : '?', fmtRss(plan.rssKb), fmtMs(peer.ms), fmtRss(peer.rssKb), (peer.ms / plan.ms).toFixed(2)])
    await deleteTopics(broker.bootstrap, names)
  }
} finally {
  await broker.stop()
}
printTable('topics plan: N declared topics, cluster in sync', ['topics', 'kafkit plan', 'kafkit requests', 'kafkit RSS', 'kafka-topics --describe', 'its RSS', 'speed-up'], rows)
