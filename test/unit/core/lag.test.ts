import {describe, expect, it} from 'vitest'
import {KafkitError} from '../../../src/errors.js'
import {
  computeGroupLag,
  computeGroupsLag,
  formatLagCell,
  lagBreaches,
  nextUnconsumedOffset,
  partitionsForLag,
  timeLagMs,
  type GroupLag,
  type GroupOffsets,
  type PartitionLag,
} from '../../../src/core/lag.js'

const alice = {consumerId: 'consumer-1-aaa', host: '/10.0.0.1', clientId: 'consumer-1'}
const bob = {consumerId: 'consumer-2-bbb', host: '/10.0.0.2', clientId: 'consumer-2'}

const logEnd = [
  {topic: 'orders', partition: 0, offset: 100},
  {topic: 'orders', partition: 1, offset: 50},
  {topic: 'orders', partition: 2, offset: 10},
  {topic: 'orders', partition: 3, offset: 0},
  {topic: 'payments', partition: 0, offset: 30},
  {topic: 'payments', partition: 1, offset: 5},
  // orders:4 is missing on purpose: its leader is unavailable, so its log end is unknown.
]

const shop: GroupOffsets = {
  group: 'shop',
  members: [
    {...alice, assignment: [{topic: 'orders', partition: 0}, {topic: 'orders', partition: 1}, {topic: 'orders', partition: 4}]},
    {...bob, assignment: [{topic: 'orders', partition: 2}, {topic: 'orders', partition: 3}]},
    // A member without partitions contributes no rows, as in Kafka's --describe.
    {consumerId: 'idle', host: '/10.0.0.3', clientId: 'idle', assignment: []},
  ],
  committed: [
    {topic: 'orders', partition: 0, offset: 90},
    {topic: 'orders', partition: 1, offset: 50},
    // orders:2 has no commit yet (new consumer), orders:3 is reported with Kafka's -1 marker.
    {topic: 'orders', partition: 3, offset: -1},
    {topic: 'orders', partition: 4, offset: 7},
    // Committed but no longer assigned to anyone: Kafka prints it with '-' as owner.
    {topic: 'payments', partition: 0, offset: 20},
    // Listed with -1 and unassigned (kafkajs fetchOffsets with topics does this): no row.
    {topic: 'payments', partition: 1, offset: -1},
  ],
}

/** [topic, partition, CURRENT-OFFSET, LOG-END-OFFSET, LAG, CONSUMER-ID] as kafka-consumer-groups.sh prints them. */
function describeLine(row: PartitionLag) {
  return [row.topic, row.partition, formatLagCell(row.committed), formatLagCell(row.logEnd), formatLagCell(row.lag), row.owner?.consumerId ?? '-']
}

describe('computeGroupLag (kafka-consumer-groups.sh --describe numbers)', () => {
  const lag = computeGroupLag(shop, logEnd)

  it('has a row per assigned or committed partition, with - where Kafka prints -', () => {
    expect(lag.partitions.map(describeLine)).toEqual([
      ['orders', 0, '90', '100', '10', 'consumer-1-aaa'],
      ['orders', 1, '50', '50', '0', 'consumer-1-aaa'],
      ['orders', 2, '-', '10', '-', 'consumer-2-bbb'],
      ['orders', 3, '-', '0', '-', 'consumer-2-bbb'],
      ['orders', 4, '7', '-', '-', 'consumer-1-aaa'],
      ['payments', 0, '20', '30', '10', '-'],
    ])
  })

  it('carries the owner (consumer id, host, client id)', () => {
    expect(lag.partitions[0].owner).toEqual(alice)
    expect(lag.partitions[2].owner).toEqual(bob)
    expect(lag.partitions[5].owner).toBeNull()
  })

  it('totals known lags per topic and per group, counting partitions whose lag is unknown', () => {
    expect(lag.topics).toEqual([
      // orders:4 has no log end (no leader): its lag is unknown, not 0, and counted apart
      {topic: 'orders', partitions: 5, lag: 10, partitionsWithoutLag: 3, partitionsWithoutLogEnd: 1},
      {topic: 'payments', partitions: 1, lag: 10, partitionsWithoutLag: 0, partitionsWithoutLogEnd: 0},
    ])
    expect(lag).toMatchObject({group: 'shop', totalLag: 20, partitionsWithoutLag: 3})
  })

  it('keeps a negative lag (committed past the log end, e.g. a re-created topic), like Kafka', () => {
    const group = {group: 'g', members: [], committed: [{topic: 'orders', partition: 2, offset: 15}]}
    expect(computeGroupLag(group, logEnd)).toMatchObject({partitions: [{lag: -5}], totalLag: -5})
  })

  it('gives an empty result for a group with no members and no commits', () => {
    expect(computeGroupLag({group: 'new', members: [], committed: []}, logEnd)).toEqual({
      group: 'new', partitions: [], topics: [], totalLag: 0, partitionsWithoutLag: 0,
    })
  })

  it('accepts null as "no committed offset" like -1', () => {
    const group = {group: 'g', members: [{...alice, assignment: [{topic: 'orders', partition: 0}]}], committed: [{topic: 'orders', partition: 0, offset: null}]}
    expect(computeGroupLag(group, logEnd).partitions.map(describeLine)).toEqual([['orders', 0, '-', '100', '-', 'consumer-1-aaa']])
  })

  it('takes the first member listed when two claim a partition (mid-rebalance)', () => {
    const both = [{topic: 'orders', partition: 0}]
    const group = {group: 'g', members: [{...bob, assignment: both}, {...alice, assignment: both}], committed: []}
    expect(computeGroupLag(group, logEnd).partitions.map((row) => row.owner)).toEqual([bob])
  })
})

describe('many groups', () => {
  const other: GroupOffsets = {group: 'audit', members: [], committed: [{topic: 'payments', partition: 1, offset: 1}]}

  it('partitionsForLag lists each needed partition once, for a single ListOffsets round', () => {
    expect(partitionsForLag([shop, other, shop])).toEqual([
      {topic: 'orders', partition: 0}, {topic: 'orders', partition: 1}, {topic: 'orders', partition: 2},
      {topic: 'orders', partition: 3}, {topic: 'orders', partition: 4},
      {topic: 'payments', partition: 0}, {topic: 'payments', partition: 1},
    ])
  })

  it('partitionsForLag skips -1 entries no member owns, like the rows', () => {
    expect(partitionsForLag([{group: 'g', members: [], committed: [{topic: 'x', partition: 0, offset: -1}]}])).toEqual([])
  })

  it('computeGroupsLag equals computeGroupLag for each group, in input order', () => {
    expect(computeGroupsLag([shop, other], logEnd)).toEqual([computeGroupLag(shop, logEnd), computeGroupLag(other, logEnd)])
    expect(computeGroupsLag([shop, other], logEnd).map((g) => [g.group, g.totalLag])).toEqual([['shop', 20], ['audit', 4]])
  })
})

describe('lagBreaches (--fail-above)', () => {
  const groups = [
    {group: 'b', totalLag: 500},
    {group: 'a', totalLag: 100},
    {group: 'c', totalLag: 101},
    {group: 'd', totalLag: 500},
  ] as GroupLag[]

  it.each<[number, string[]]>([
    [0, ['b', 'd', 'c', 'a']],
    [100, ['b', 'd', 'c']], // exactly at the threshold is not above it
    [101, ['b', 'd']],
    [500, []],
  ])('threshold %d → %j, worst first', (threshold, expected) => {
    expect(lagBreaches(groups, threshold).map((breach) => breach.group)).toEqual(expected)
  })

  it('reports lag and threshold', () => {
    expect(lagBreaches(groups, 400)).toEqual([{group: 'b', lag: 500, threshold: 400}, {group: 'd', lag: 500, threshold: 400}])
  })

  it.each([-1, 1.5, Number.NaN])('rejects threshold %d', (threshold) => {
    expect(() => lagBreaches(groups, threshold)).toThrow(KafkitError)
  })
})

describe('time lag', () => {
  const row = (committed: number | null, logEndOffset: number | null): PartitionLag => ({
    topic: 't', partition: 0, committed, logEnd: logEndOffset,
    lag: committed === null || logEndOffset === null ? null : logEndOffset - committed, owner: null,
  })

  it.each<[string, PartitionLag, number | null]>([
    ['behind: the committed offset is the next message', row(40, 50), 40],
    ['caught up', row(50, 50), null],
    ['no committed offset', row(null, 50), null],
    ['unknown log end', row(40, null), null],
    ['committed past the log end', row(60, 50), null],
  ])('nextUnconsumedOffset when %s', (_name, input, expected) => {
    expect(nextUnconsumedOffset(input)).toBe(expected)
  })

  const now = Date.parse('2026-11-22T12:00:00Z')
  it.each<[string, number | null | undefined, number | null]>([
    ['an hour-old message', now - 3_600_000, 3_600_000],
    ['a message from now', now, 0],
    ['a message stamped in the future (clock skew)', now + 5_000, 0],
    ['caught up (null)', null, null],
    ['caught up (undefined)', undefined, null],
  ])('timeLagMs for %s', (_name, timestamp, expected) => {
    expect(timeLagMs(timestamp, now)).toBe(expected)
  })
})
