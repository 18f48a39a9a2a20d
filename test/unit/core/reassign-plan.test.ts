import {describe, expect, it} from 'vitest'

import {
  batchMoves,
  bytesToMove,
  etaSeconds,
  formatBytes,
  formatSeconds,
  parseThrottle,
  planReassignment,
  throttleLeftovers,
  throttleSettings,
  type ReassignPartition,
} from '../../../src/core/reassign-plan.js'

const brokers = (...ids: number[]) => ids.map((nodeId) => ({nodeId}))
const topic = (name: string, assignments: number[][]): ReassignPartition[] => assignments.map((replicas, partition) => ({topic: name, partition, replicas}))

/** Replicas per broker in the planned end state. */
function loads(partitions: ReassignPartition[], moves: {topic: string; partition: number; to: number[]}[]): Record<number, number> {
  const out: Record<number, number> = {}
  for (const p of partitions) {
    const move = moves.find((m) => m.topic === p.topic && m.partition === p.partition)
    for (const id of move ? move.to : p.replicas) out[id] = (out[id] ?? 0) + 1
  }
  return out
}

describe('parseThrottle', () => {
  it.each([
    ['50MiB/s', 52_428_800],
    ['100KiB/s', 102_400],
    ['500KB/s', 500_000],
    ['1048576', 1_048_576],
    ['2MiB', 2_097_152],
    [' 1 GiB / s ', 1_073_741_824],
  ])('%j → %d bytes/s', (text, n) => expect(parseThrottle(text)).toBe(n))
  it.each(['0', '0MiB/s', '0.0KiB/s'])('refuses %j: must be more than 0', (text) => expect(() => parseThrottle(text)).toThrow(/must be more than 0/))
  it.each(['fast', '-5MiB/s', '', '5 parsecs', 'MiB/s'])('refuses %j with the forms it takes', (text) => expect(() => parseThrottle(text)).toThrow(/expected a rate like 50MiB\/s/))
})

describe('planReassignment', () => {
  it('moves replicas off brokers not in --brokers, spread evenly over the given ones, keeping the replication factor', () => {
    const parts = topic('orders', [[1, 2], [2, 3], [3, 1], [1, 3]])
    const {moves, errors} = planReassignment(parts, brokers(1, 2, 3, 4), {kind: 'brokers', brokers: [2, 3, 4]})
    expect(errors).toEqual([])
    for (const m of moves) {
      expect(m.to).toHaveLength(m.from.length)
      expect(new Set(m.to).size).toBe(m.to.length)
      expect(m.to.every((id) => [2, 3, 4].includes(id))).toBe(true)
    }
    // 8 replicas over 3 brokers: 3,3,2.
    expect(Object.values(loads(parts, moves)).sort()).toEqual([2, 3, 3])
    expect(loads(parts, moves)[1]).toBeUndefined()
  })

  it('moves nothing when the replicas are already in place and spread', () => {
    const parts = topic('orders', [[1, 2], [2, 3], [3, 1]])
    expect(planReassignment(parts, brokers(1, 2, 3), {kind: 'balance'})).toEqual({moves: [], errors: []})
  })

  it('--balance spreads a topic crowded on two brokers over all, moving as few replicas as it can', () => {
    const parts = topic('t', [[1, 2], [1, 2], [2, 1], [2, 1], [1, 2], [2, 1]])
    const {moves} = planReassignment(parts, brokers(1, 2, 3), {kind: 'balance'})
    expect(loads(parts, moves)).toEqual({1: 4, 2: 4, 3: 4})
    // 4 replicas must land on broker 3: exactly 4 partitions move, one replica each.
    expect(moves).toHaveLength(4)
    for (const m of moves) expect(m.to.filter((id) => !m.from.includes(id))).toEqual([3])
  })

  it('keeps the first replica (preferred leader) first while it stays; a partition losing it gets the least-leading replica first', () => {
    const parts = topic('t', [[1, 2], [1, 2]])
    const {moves} = planReassignment(parts, brokers(1, 2, 3), {kind: 'brokers', brokers: [2, 3]})
    expect(moves.map((m) => m.to)).toEqual([
      [2, 3],
      [3, 2],
    ])
  })

  it('places a new replica in a rack the partition does not use yet', () => {
    const racked = [
      {nodeId: 1, rack: 'a'},
      {nodeId: 2, rack: 'a'},
      {nodeId: 3, rack: 'a'},
      {nodeId: 4, rack: 'b'},
    ]
    // Broker 1 leaves; partition 0 keeps 2 (rack a): its new replica must be 4 (rack b), not 3 (rack a; first by share and id).
    const parts = topic('t', [[2, 1]])
    const {moves} = planReassignment(parts, racked, {kind: 'brokers', brokers: [2, 3, 4]})
    expect(moves).toEqual([{topic: 't', partition: 0, from: [2, 1], to: [2, 4]}])
    expect(planReassignment(parts, brokers(1, 2, 3, 4), {kind: 'brokers', brokers: [2, 3, 4]}).moves[0].to).toEqual([2, 3])
  })

  it('a broker id that does not exist is one error naming the brokers there are', () => {
    expect(planReassignment(topic('t', [[1]]), brokers(1, 2, 3), {kind: 'brokers', brokers: [1, 9]}).errors).toEqual(['no broker with id 9 in the cluster (brokers: 1, 2, 3)'])
  })

  it('fewer brokers than replicas is an error per topic', () => {
    const {errors} = planReassignment(topic('t', [[1, 2, 3]]), brokers(1, 2, 3), {kind: 'brokers', brokers: [1, 2]})
    expect(errors).toEqual(['topic "t" has 3 replicas per partition, more than the 2 broker(s) given (--brokers 1,2): each replica needs its own broker'])
  })
})

describe('batchMoves', () => {
  it('splits into batches of at most N, all at once without N', () => {
    expect(batchMoves([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(batchMoves([1, 2, 3])).toEqual([[1, 2, 3]])
    expect(batchMoves([], 2)).toEqual([])
  })
})

describe('throttleSettings', () => {
  it('as kafka-reassign-partitions: leaders = current replicas, followers = new replicas only, rates on every broker of old and new lists', () => {
    const settings = throttleSettings([
      {topic: 'b', partition: 1, from: [1, 2], to: [2, 3]},
      {topic: 'b', partition: 0, from: [2, 1], to: [2, 4]},
      {topic: 'a', partition: 3, from: [5], to: [1]},
    ])
    expect(settings).toEqual({
      brokers: [1, 2, 3, 4, 5],
      topics: [
        {topic: 'a', leader: '3:5', follower: '3:1'},
        {topic: 'b', leader: '0:1,0:2,1:1,1:2', follower: '0:4,1:3'},
      ],
    })
  })
})

describe('throttleLeftovers', () => {
  const topics = [
    {topic: 'idle', keys: ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']},
    {topic: 'moving', keys: ['leader.replication.throttled.replicas']},
    {topic: 'clean', keys: []},
  ]
  const rates = [{broker: 1, keys: ['leader.replication.throttled.rate', 'follower.replication.throttled.rate']}, {broker: 2, keys: []}]

  it("a topic's lists are leftovers when none of its partitions moves; broker rates only when nothing in the cluster moves", () => {
    expect(throttleLeftovers({topics, brokers: rates, movingTopics: new Set(['moving']), anyMoving: true})).toEqual({
      topics: [{topic: 'idle', keys: ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']}],
      brokers: [],
    })
    expect(throttleLeftovers({topics, brokers: rates, movingTopics: new Set(), anyMoving: false})).toEqual({
      topics: [
        {topic: 'idle', keys: ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']},
        {topic: 'moving', keys: ['leader.replication.throttled.replicas']},
      ],
      brokers: [{broker: 1, keys: ['leader.replication.throttled.rate', 'follower.replication.throttled.rate']}],
    })
  })

  it('a move elsewhere in the cluster keeps the broker rates', () => {
    expect(throttleLeftovers({topics: [], brokers: rates, movingTopics: new Set(['other']), anyMoving: true}).brokers).toEqual([])
  })
})

describe('bytes and time', () => {
  it('bytes to move = size × new replicas; unknown when a copying partition has no size', () => {
    const moves = [
      {topic: 't', partition: 0, from: [1, 2], to: [3, 4]},
      {topic: 't', partition: 1, from: [1, 2], to: [2, 1]},
    ]
    expect(bytesToMove(moves, (_t, p) => (p === 0 ? 1000 : undefined))).toBe(2000)
    expect(bytesToMove(moves, () => undefined)).toBeUndefined()
  })

  it('ETA from the rate so far', () => {
    expect(etaSeconds(1000, 3000, 10_000)).toBe(20)
    expect(etaSeconds(0, 3000, 10_000)).toBeUndefined()
    expect(etaSeconds(3000, 3000, 10_000)).toBe(0)
  })

  it('formats', () => {
    expect(formatBytes(52_428_800)).toBe('50MiB')
    expect(formatBytes(1536)).toBe('1.5KiB')
    expect(formatBytes(0)).toBe('0B')
    expect(formatSeconds(42)).toBe('42s')
    expect(formatSeconds(185)).toBe('3m05s')
    expect(formatSeconds(3720)).toBe('1h02m')
  })
})
