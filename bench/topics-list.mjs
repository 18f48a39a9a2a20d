#!/usr/bin/env node
// `topics list` on a cluster with 1,000 topics: kafkit vs kcat -L vs kafka-topics --list.
import {KAFKIT, benchBroker, createTopics, deleteTopics, fmtMs, fmtRss, kafkaTool, medianTime, printTable} from './lib.mjs'

const n = Number(process.env.BENCH_TOPICS ?? 1000)
const broker = await benchBroker()
const names = Array.from({length: n}, (_, i) => `benchlist${Date.now().toString(36)}.topic.t${i}`)
try {
  await createTopics(broker.bootstrap, names, {partitions: 3})
  await new Promise((r) => setTimeout(r, 2000))
  const kafkit = await medianTime([...KAFKIT, 'topics', 'list', '-b', broker.bootstrap])
  const kafkitJson = await medianTime([...KAFKIT, 'topics', 'list', '-b', broker.bootstrap, '-o', 'json'])
  const kcat = await medianTime(['kcat', '-L', '-b', broker.bootstrap])
  const kafkaTopics = await medianTime([...(await kafkaTool('topics')), '--bootstrap-server', broker.bootstrap, '--list'], {}, 1)
  const ratio = (r) => (r.ms / kafkit.ms).toFixed(2)
  printTable(`topics list with ${n} topics (median of 3)`, ['command', 'wall', 'peak RSS', 'time / kafkit'], [
    ['kafkit topics list', fmtMs(kafkit.ms), fmtRss(kafkit.rssKb), '1.00'],
    ['kafkit topics list -o json', fmtMs(kafkitJson.ms), fmtRss(kafkitJson.rssKb), ratio(kafkitJson)],
    ['kcat -L', fmtMs(kcat.ms), fmtRss(kcat.rssKb), ratio(kcat)],
    ['kafka-topics --list', fmtMs(kafkaTopics.ms), fmtRss(kafkaTopics.rssKb), ratio(kafkaTopics)],
  ])
} finally {
  await deleteTopics(broker.bootstrap, names)
  await broker.stop()
}
