#!/usr/bin/env node
// Start-up cost of a command that does no Kafka work: `--version`, and `topics lint` of the
// example file (offline), against kcat and Kafka's own kafka-topics.sh (a JVM).
import {KAFKIT, ROOT, fmtMs, fmtRss, kafkaTool, medianTime, printTable} from './lib.mjs'

const runs = Number(process.env.BENCH_RUNS ?? 7)
const kafkitVersion = await medianTime([...KAFKIT, '--version'], {}, runs)
const kafkitLint = await medianTime([...KAFKIT, 'topics', 'lint', '-f', `${ROOT}topics.yaml`], {}, runs)
const kcat = await medianTime(['kcat', '-V'], {}, runs)
const kafkaTopics = await medianTime([...(await kafkaTool('topics')), '--version'], {}, 3)
printTable('cold start (median of runs)', ['command', 'wall', 'peak RSS', 'vs kafkit --version'], [
  ['kafkit --version', fmtMs(kafkitVersion.ms), fmtRss(kafkitVersion.rssKb), '1.00'],
  ['kafkit topics lint (offline)', fmtMs(kafkitLint.ms), fmtRss(kafkitLint.rssKb), (kafkitLint.ms / kafkitVersion.ms).toFixed(2)],
  ['kcat -V', fmtMs(kcat.ms), fmtRss(kcat.rssKb), (kcat.ms / kafkitVersion.ms).toFixed(2)],
  ['kafka-topics --version (JVM)', fmtMs(kafkaTopics.ms), fmtRss(kafkaTopics.rssKb), (kafkaTopics.ms / kafkitVersion.ms).toFixed(2)],
])
