import {describe, expect, it} from 'vitest'

import {applyOutcomeLines, renderApplyResult} from '../../../src/cli/render-apply.js'

const names = (n: number, prefix = 'orders') => Array.from({length: n}, (_, i) => `${prefix}.t${i}`)

describe('apply outcome for a human', () => {
  it('all applied: one line, as before', () => {
    expect(applyOutcomeLines(names(10_000).map((topic) => ({topic, kind: 'create'})), [])).toEqual(['Applied 10000 change(s).'])
  })

  it('10,000 topics failing alike are one line with the count and three names; lines never carry the batch', () => {
    const failed = names(10_000).map((topic) => ({topic, kind: 'create' as const, error: 'created, but without a leader for every partition after 40s (none appeared in the last 10s)'}))
    const lines = applyOutcomeLines([], failed)
    expect(lines).toEqual([
      'Applied 0 change(s).',
      'By step: create 0 applied, 10000 failed.',
      'FAILED create of 10000 topics: created, but without a leader for every partition after 40s (none appeared in the last 10s) ("orders.t0", "orders.t1", "orders.t2" and 9997 more; -o json lists all)',
    ])
  })

  it('a few failures with their own reasons: one line each, naming only its topic; counts per step', () => {
    const applied = [...names(5).map((topic) => ({topic, kind: 'create' as const})), {topic: 'orders.x', kind: 'config' as const}]
    const failed = [
      {topic: 'orders.a', kind: 'create' as const, error: "Topic 'orders.a' collides with existing topic: orders_a"},
      {topic: 'orders.b', kind: 'config' as const, error: 'invalid config'},
    ]
    expect(applyOutcomeLines(applied, failed)).toEqual([
      'Applied 6 change(s).',
      'By step: create 5 applied, 1 failed; config 1 applied, 1 failed.',
      "FAILED create orders.a: Topic 'orders.a' collides with existing topic: orders_a",
      'FAILED config orders.b: invalid config',
    ])
  })

  it('many distinct reasons: at most 20 failure lines, then a count', () => {
    const failed = names(5000).map((topic) => ({topic, kind: 'config' as const, error: `reason of ${topic}`}))
    const lines = applyOutcomeLines([], failed)
    expect(lines).toHaveLength(2 + 20 + 1)
    expect(lines.at(-1)).toBe('… and 4980 more failed change(s) (-o json lists all)')
  })
})

describe('apply result for a human: the outcome, then what planning again found', () => {
  const summary = {create: 0, addPartitions: 0, replication: 0, config: 0, delete: 0, topicsChanged: 0, unmanaged: 0, inSync: 4, errors: 0}
  const base = {file: 'topics.yaml', planned: summary, applied: [{topic: 'a', kind: 'create' as const}], failed: []}
  const failed = [{topic: 'b', kind: 'config' as const, error: 'refused'}]

  it.each([
    ['in sync', {...base, remaining: {summary, changes: []}}, '4 topics in sync.'],
    ['still differs', {...base, remaining: {summary: {...summary, topicsChanged: 2}, changes: [{kind: 'delete', topic: 'c'}] as never[]}}, '4 topics in sync; 2 still differ (run kafkit topics plan)'],
    ['failed but in sync by metadata', {...base, failed, remaining: {summary, changes: []}}, '4 topics match the file by metadata, but 1 change(s) failed: fix the cause and run apply again'],
    ['could not plan again', {...base, remaining: {error: 'timeout'}}, 'could not plan again after applying: timeout'],
  ])('%s', (_what, result, last) => {
    expect(renderApplyResult(result).split('\n').at(-1)).toBe(last)
  })
})
