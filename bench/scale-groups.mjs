#!/usr/bin/env node
// Scale: groups (issue 12). 200 and 5,000 groups with committed offsets (bench/fixtures/groups.mjs:
// 4 partitions each, on one two-partition topic per 10 groups), then, in the same run on the same
// broker: `kafkit groups list` vs `kafka-consumer-groups --list`, `kafkit groups describe G` vs
// `kafka-consumer-groups --describe --group G` (one group among them all), and `kafkit groups lag
// --all-groups` (table and -o json) vs `kafka-consumer-groups --describe --all-groups`. Prints
// wall time, peak RSS, ratios, kafkit's request count, and checks that every group's total lag
// is the same in both tools. BENCH_SCALE_GROUPS=200,5000 picks the sizes.
//
// The broker should hold only the fixture: --all-groups covers every group on it. With
// KAFKA_BOOTSTRAP_SERVERS unset a broker of its own is started (bench/lib.mjs).
import {loadavg} from 'node:os'

import {fmtMs, fmtRss, KAFKIT, benchBroker, kafkaTool, medianTime, printTable} from './lib.mjs'
import {createScaleGroups, deleteScaleGroups, scaleGroups} from './fixtures/groups.mjs'

const SIZES = (process.env.BENCH_SCALE_GROUPS ?? '200,5000').split(',').map(Number)

/** Every group's total lag in kafka-consumer-groups --describe output (rows of groups without a lag count 0). */
function kafkaTotals(stdout, prefix) {
  const totals = new Map()
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/\s+/)
    if (cells.length < 9 || !cells[0].startsWith(`${prefix}.`)) continue
    totals.set(cells[0], (totals.get(cells[0]) ?? 0) + (/^-?\d+$/.test(cells[5]) ? Number(cells[5]) : 0))
  }
  return totals
}

function requestsOf(stderr) {
  const m = /kafkit: requests: (\d+) \(([^)]*)\)/.exec(stderr)
  return m ? `${m[1]} (${m[2]})` : '?'
}

function check(name, r) {
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.stderr.toString().slice(0, 500)}`)
  return r
}

const broker = await benchBroker()
const env = {KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKIT_REQUEST_STATS: '1'}
const consumerGroups = await kafkaTool('consumerGroups')
let failed = false
try {
  for (const size of SIZES) {
    const prefix = `sg${size}x${Date.now().toString(36)}`
    const fixture = scaleGroups(size, prefix)
    const loadBefore = loadavg()[0].toFixed(1)
    const started = Date.now()
    await createScaleGroups(broker.bootstrap, fixture)
    const setUpMs = Date.now() - started
    try {
      // Fewer repetitions where Kafka's tool takes most of a minute per run.
      const runs = size >= 1000 ? 1 : 3
      const list = check('kafkit groups list', await medianTime([...KAFKIT, 'groups', 'list'], {env}, runs))
      const peerList = check('kafka-consumer-groups --list', await medianTime([...consumerGroups, '--bootstrap-server', broker.bootstrap, '--list'], {}, runs))
      const lag = check('kafkit groups lag', await medianTime([...KAFKIT, 'groups', 'lag', '--all-groups'], {env}, runs))
      const lagJson = check('kafkit groups lag -o json', await medianTime([...KAFKIT, 'groups', 'lag', '--all-groups', '-o', 'json'], {env}, runs))
      // One group among all of them: what describe costs does not depend on how many others exist.
      const one = fixture.groups[Math.floor(size / 2)].group
      const describe = check('kafkit groups describe', await medianTime([...KAFKIT, 'groups', 'describe', one], {env}, runs))
      const peerDescribe = check('kafka-consumer-groups --describe --group', await medianTime([...consumerGroups, '--bootstrap-server', broker.bootstrap, '--describe', '--group', one], {}, runs))
      const peerLag = check(
        'kafka-consumer-groups --describe',
        await medianTime([...consumerGroups, '--bootstrap-server', broker.bootstrap, '--describe', '--all-groups'], {}, runs),
      )

      const ours = JSON.parse(lagJson.stdout).groups.filter((g) => g.group.startsWith(`${prefix}.`))
      const theirs = kafkaTotals(peerLag.stdout.toString(), prefix)
      const differing = ours.filter((g) => theirs.get(g.group) !== g.totalLag)
      const total = ours.reduce((sum, g) => sum + g.totalLag, 0)
      const partitions = fixture.topics.reduce((n, t) => n + t.partitions, 0)
      const ratio = (peer, own) => `${(peer.ms / own.ms).toFixed(1)}×`
      printTable(
        `Scale: groups, ${size.toLocaleString('en')} groups (4 committed partitions each, ${partitions.toLocaleString('en')} partitions; ${runs === 1 ? 'one run after a warm-up' : `median of ${runs}`}), load ${loadBefore} → ${loadavg()[0].toFixed(1)}`,
        ['command', 'wall', 'peak RSS', 'kafkit requests', 'peer time / kafkit'],
        [
          ['kafkit groups list', fmtMs(list.ms), fmtRss(list.rssKb), requestsOf(list.stderr), ratio(peerList, list)],
          ['kafka-consumer-groups --list', fmtMs(peerList.ms), fmtRss(peerList.rssKb), '', ''],
          ['kafkit groups describe GROUP', fmtMs(describe.ms), fmtRss(describe.rssKb), requestsOf(describe.stderr), ratio(peerDescribe, describe)],
          ['kafka-consumer-groups --describe --group GROUP', fmtMs(peerDescribe.ms), fmtRss(peerDescribe.rssKb), '', ''],
          ['kafkit groups lag --all-groups', fmtMs(lag.ms), fmtRss(lag.rssKb), requestsOf(lag.stderr), ratio(peerLag, lag)],
          ['kafkit groups lag --all-groups -o json', fmtMs(lagJson.ms), fmtRss(lagJson.rssKb), requestsOf(lagJson.stderr), ratio(peerLag, lagJson)],
          ['kafka-consumer-groups --describe --all-groups', fmtMs(peerLag.ms), fmtRss(peerLag.rssKb), '', ''],
        ],
      )
      process.stdout.write(
        `fixture: ${size} groups committed in ${fmtMs(setUpMs)}; total lag kafkit ${total}, kafka-consumer-groups ` +
          `${[...theirs.values()].reduce((a, b) => a + b, 0)}; groups whose total differs: ${differing.length}` +
          `${ours.length === size && theirs.size === size ? '' : ` (GROUPS MISSING: kafkit ${ours.length}, Kafka ${theirs.size})`}\n\n`,
      )
      if (differing.length > 0 || ours.length !== size || theirs.size !== size) failed = true
    } finally {
      await deleteScaleGroups(broker.bootstrap, prefix)
    }
  }
} finally {
  await broker.stop()
}
if (failed) process.exitCode = 1
