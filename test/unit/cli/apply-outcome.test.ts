import {describe, expect, it} from 'vitest'

import {applyOutcomeLines} from '../../../src/commands/topics/apply.js'

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
