import {describe, expect, it} from 'vitest'

import {electionRows, electionTargets, parsePartitionSelector, partitionsNotLedByPreferred} from '../../../src/core/leader-election.js'

const topic = (name: string, partitions: [number, number[]][]) => ({name, partitions: partitions.map(([leader, replicas], partition) => ({partition, leader, replicas, isr: replicas}))})

describe('parsePartitionSelector', () => {
  it('reads T, T:P,... and ranges', () => {
    expect(parsePartitionSelector('orders')).toEqual({topic: 'orders', partitions: null})
    expect(parsePartitionSelector('orders:2,0,2')).toEqual({topic: 'orders', partitions: [0, 2]})
    expect(parsePartitionSelector('orders:0-2,5')).toEqual({topic: 'orders', partitions: [0, 1, 2, 5]})
    expect(() => parsePartitionSelector('orders:')).toThrow('--topic "orders:": no partition after ":" (e.g. orders:0,1)')
    expect(() => parsePartitionSelector('orders:x')).toThrow('--topic "orders:x": "x" is not a partition number')
    expect(() => parsePartitionSelector('orders:3-1')).toThrow('"3-1" is not a partition range (low-high)')
    expect(() => parsePartitionSelector('a b:1')).toThrow(/"a b" is not a topic name/)
  })
})

describe('electionTargets', () => {
  const topics = [topic('orders', [[1, [1, 2]], [1, [2, 1]], [-1, [3]]]), topic('payments', [[2, [2]]])]
  it('every partition of the topics named, or all; preferred = first replica', () => {
    expect(electionTargets(topics, [parsePartitionSelector('orders:1'), parsePartitionSelector('payments')])).toEqual([
      {topic: 'orders', partition: 1, preferred: 2, leader: 1},
      {topic: 'payments', partition: 0, preferred: 2, leader: 2},
    ])
    expect(electionTargets(topics, 'all')).toHaveLength(4)
  })
  it('an unknown topic or partition is one line', () => {
    expect(() => electionTargets(topics, [parsePartitionSelector('order')])).toThrow('topic "order" does not exist (did you mean "orders"?)')
    expect(() => electionTargets(topics, [parsePartitionSelector('orders:3,4')])).toThrow('topic orders has no partition 3, 4 (it has 3 partitions: 0-2)')
  })
})

describe('electionRows / partitionsNotLedByPreferred', () => {
  it('names each outcome; an unanswered partition failed', () => {
    const targets = electionTargets([topic('t', [[1, [2, 1]], [1, [1]], [1, [3, 1]], [1, [1]]])], 'all')
    const rows = electionRows(
      targets,
      [
        {topic: 't', partition: 0, error: null},
        {topic: 't', partition: 1, error: {code: 'ELECTION_NOT_NEEDED', message: 'x'}},
        {topic: 't', partition: 2, error: {code: 'PREFERRED_LEADER_NOT_AVAILABLE', message: 'the preferred replica is not available (down or not in sync)'}},
      ],
      'preferred',
    )
    expect(rows.map((r) => [r.outcome, r.detail])).toEqual([
      ['elected', 'elected: broker 2 leads'],
      ['not-needed', 'already led by its preferred replica'],
      ['failed', 'not possible: the preferred replica is not available (down or not in sync)'],
      ['failed', 'the controller did not answer for this partition'],
    ])
  })
  it('counts led partitions whose leader is not the first replica (offline ones are not counted)', () => {
    expect(partitionsNotLedByPreferred([topic('t', [[1, [2, 1]], [1, [1, 2]], [-1, [3, 1]]])])).toBe(1)
  })
})
