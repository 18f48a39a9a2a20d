import {describe, expect, it} from 'vitest'

import {
  choosePartitions,
  isCompactedOnly,
  planTruncate,
  refuseCompactedOnly,
} from '../../../src/core/topic-records.js'
import {kafkitErrorOf} from '../kafkit-error.js'

const NOW = Date.parse('2026-11-30T12:00:00Z')

describe('choosePartitions', () => {
  it('all partitions without -p, sorted', () => {
    expect(choosePartitions('orders', [2, 0, 1], undefined)).toEqual([0, 1, 2])
  })
  it('names partitions out of range and what the topic has', () => {
    expect(kafkitErrorOf(() => choosePartitions('orders', [0, 1, 2], [1, 3, 7])).message).toBe('orders has no partition 3, 7 (it has 3 partitions: 0-2)')
  })
})

describe('compacted-only topics', () => {
  it.each([
    ['compact', true],
    ['COMPACT', true],
    ['delete', false],
    ['compact,delete', false],
    ['delete, compact', false],
    [null, false],
  ])('%j → %j', (policy, expected) => {
    expect(isCompactedOnly(policy)).toBe(expected)
  })
  it('refuses with one line naming the policy', () => {
    const e = kafkitErrorOf(() => refuseCompactedOnly('users.state', 'compact'))
    expect(e.message).toContain('cannot truncate users.state: its cleanup.policy is compact')
    expect(e.code).toBe('COMPACTED_TOPIC')
  })
})

describe('planTruncate', () => {
  const partitions = [
    {partition: 1, start: 0, end: 100},
    {partition: 0, start: 40, end: 300},
    {partition: 2, start: 0, end: 0},
  ]

  it('before an offset: new start, count and notes per partition, in partition order', () => {
    const plan = planTruncate('orders', partitions.slice(0, 2), {kind: 'offset', offset: 50})
    expect(plan.rows).toEqual([
      {partition: 0, start: 40, newStart: 50, end: 300, records: 10, note: null},
      {partition: 1, start: 0, newStart: 50, end: 100, records: 50, note: null},
    ])
    expect([plan.records, plan.partitionsChanged]).toEqual([60, 2])
  })

  it('refuses an offset past the end, naming every such partition and its end', () => {
    const e = kafkitErrorOf(() => planTruncate('orders', partitions, {kind: 'offset', offset: 150}))
    expect(e.message).toBe('cannot truncate before offset 150: orders:1 ends at 100, orders:2 ends at 0')
    expect(e.code).toBe('OFFSET_PAST_END')
  })

  it('an offset at the end deletes everything; one before the start deletes nothing', () => {
    const plan = planTruncate('orders', [{partition: 0, start: 40, end: 300}, {partition: 1, start: 0, end: 30}], {kind: 'offset', offset: 30})
    expect(plan.rows).toEqual([
      {partition: 0, start: 40, newStart: 40, end: 300, records: 0, note: 'offset 30 is before the log start'},
      {partition: 1, start: 0, newStart: 30, end: 30, records: 30, note: null},
    ])
    expect(plan.records).toBe(30)
    expect(plan.partitionsChanged).toBe(1)
  })

  it('before a time: the offset for the time, or the end when every record is older', () => {
    const plan = planTruncate(
      'orders',
      [
        {partition: 0, start: 40, end: 300, offsetForTime: 120},
        {partition: 1, start: 0, end: 100, offsetForTime: null},
        {partition: 2, start: 0, end: 0, offsetForTime: null},
        {partition: 3, start: 10, end: 20, offsetForTime: 10},
      ],
      {kind: 'time', timestamp: NOW},
    )
    expect(plan.rows.map((r) => [r.partition, r.newStart, r.records, r.note])).toEqual([
      [0, 120, 80, null],
      [1, 100, 100, 'every record is older than the time'],
      [2, 0, 0, 'empty'],
      [3, 10, 0, null],
    ])
    expect(plan.records).toBe(180)
  })

  it('a start past the end (read while retention moved it) asks for a re-run', () => {
    expect(kafkitErrorOf(() => planTruncate('orders', [{partition: 0, start: 5, end: 4}], {kind: 'offset', offset: 4})).code).toBe('OFFSETS_INCONSISTENT')
  })
})
