/**
 * Issue 12 at CI scale: 500 groups with committed offsets (bench/fixtures/groups.mjs, batched
 * commits, no consumer joins). Batched lag (one OffsetFetch v8 per coordinator) must equal
 * Kafka's own kafka-consumer-groups per partition, and the request count must not grow with the
 * number of groups. The bench (bench/scale-groups.mjs) measures 5,000.
 */
import {createRequire} from 'node:module'

import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {createScaleGroups, deleteScaleGroups, scaleGroups, type ScaleGroupsFixture} from '../../bench/fixtures/groups.mjs'
import {offsetsClient} from '../../src/kafka/groups.js'
import {asKafkaRows, parseKafkaDescribe, withConnection} from '../groups-helpers.js'
import {kafkaTool, kafkit, uniqueName, useBootstrap} from '../helpers.js'

// Thousands of topics or groups: on a node of their own, so other files' requests do not queue behind them.
useBootstrap(inject('kafkaScaleBootstrap'))

const GROUPS = 500
const bootstrap = inject('kafkaScaleBootstrap')
const prefix = uniqueName('gscale')
let fixture: ScaleGroupsFixture

beforeAll(async () => {
  fixture = scaleGroups(GROUPS, prefix)
  await createScaleGroups(bootstrap, fixture)
})

afterAll(async () => {
  await deleteScaleGroups(bootstrap, prefix)
})

/** `kafkit: requests: N (Api=n ...)` → {total, Api: n}. */
function requestCounts(stderr: string): Record<string, number> {
  const m = /kafkit: requests: (\d+) \(([^)]*)\)/.exec(stderr)
  expect(m, stderr).not.toBeNull()
  return {total: Number(m![1]), ...Object.fromEntries([...m![2].matchAll(/(\w+)=(\d+)/g)].map((x) => [x[1], Number(x[2])]))}
}

describe(`groups lag and list over ${GROUPS} groups`, () => {
  it('lag of every group equals kafka-consumer-groups --describe, partition by partition', async () => {
    const names = fixture.groups.map((g) => g.group)
    const res = await kafkit(['groups', 'lag', ...names, '-o', 'json'], {env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(res.code, res.stderr).toBe(0)
    const lag = JSON.parse(res.stdout)
    expect(lag.groups.map((g: any) => g.group)).toEqual(names)

    const kafka = kafkaTool('consumerGroups', ['--describe', ...names.flatMap((g) => ['--group', g])], {bootstrap})
    expect(kafka.status, kafka.stderr).toBe(0)
    for (const [i, g] of lag.groups.entries()) {
      const theirs = parseKafkaDescribe(kafka.stdout, g.group)
      expect(theirs.size, g.group).toBe(4)
      expect(asKafkaRows(g.partitions), g.group).toEqual(theirs)
      // And what the fixture committed: 20 messages per partition.
      expect(g.totalLag, g.group).toBe(fixture.groups[i].offsets.reduce((sum, o) => sum + 20 - o.offset, 0))
    }
    // One coordinator (a single broker): one OffsetFetch and one DescribeGroups for all 500.
    const counts = requestCounts(res.stderr)
    expect(counts.OffsetFetch).toBe(1)
    expect(counts.DescribeGroups).toBe(1)
    expect(counts.ListOffsets).toBe(1)
  })

  it('costs the same requests for 5 groups as for 500 (lag), and list sends one OffsetFetch per coordinator', async () => {
    const names = fixture.groups.map((g) => g.group)
    const few = await kafkit(['groups', 'lag', ...names.slice(0, 5), '-o', 'json'], {env: {KAFKIT_REQUEST_STATS: '1'}})
    const all = await kafkit(['groups', 'lag', ...names, '-o', 'json'], {env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(few.code, few.stderr).toBe(0)
    expect(all.code, all.stderr).toBe(0)
    expect(requestCounts(all.stderr)).toEqual(requestCounts(few.stderr))

    const list = await kafkit(['groups', 'list', '-o', 'json'], {env: {KAFKIT_REQUEST_STATS: '1'}})
    expect(list.code, list.stderr).toBe(0)
    const listed = JSON.parse(list.stdout)
    const ours = new Map(listed.filter((g: any) => g.group.startsWith(`${prefix}.`)).map((g: any) => [g.group, g]))
    expect(ours.size).toBe(GROUPS)
    for (const {group, offsets} of fixture.groups) {
      expect((ours.get(group) as any).topics, group).toEqual([...new Set(offsets.map((o) => o.topic))].sort())
    }
    // 2,000 groups per request: the whole shared cluster fits in one unless other tests left thousands.
    const counts = requestCounts(list.stderr)
    expect(counts.OffsetFetch).toBe(Math.ceil(listed.length / 2000))
    expect(counts.DescribeGroups).toBe(Math.ceil(listed.length / 2000))
  })

  it('falls back to one OffsetFetch per group, with the same offsets, when the broker does not offer v8', async () => {
    const names = fixture.groups.slice(0, 40).map((g) => g.group)
    const batched = await withConnection(bootstrap, async (conn) => (await offsetsClient(conn)).committedOffsetsOfGroups(names))
    // The broker is Kafka 4.x; an ApiVersions answer capped at OffsetFetch v7 is what Kafka 2.x sends.
    const require = createRequire(import.meta.url)
    const Broker = require('kafkajs/src/broker/index.js') as {prototype: {apiVersions(): Promise<Record<number, {minVersion: number; maxVersion: number}>>}}
    const apiVersions = Broker.prototype.apiVersions
    Broker.prototype.apiVersions = async function (this: unknown) {
      const versions = await apiVersions.call(this)
      return {...versions, 9: {...versions[9], maxVersion: 7}}
    }
    try {
      const {offsets, requests} = await withConnection(bootstrap, async (conn) => ({
        offsets: await (await offsetsClient(conn)).committedOffsetsOfGroups(names),
        requests: conn.requestCounts,
      }))
      expect(offsets).toEqual(batched)
      expect(requests.OffsetFetch).toBe(names.length)
    } finally {
      Broker.prototype.apiVersions = apiVersions
    }
    expect(batched.map((committed) => committed.length)).toEqual(names.map(() => 4))
  })
})
