import {describe, expect, it} from 'vitest'

import {resetChoiceFromFlags} from '../../../src/cli/reset-flags.js'
import {planOffsetDelete, refuseSubscribed} from '../../../src/core/offset-delete.js'
import {planOffsetReset, type PartitionResetState} from '../../../src/core/offset-reset.js'
import {kafkitErrorOf} from '../kafkit-error.js'

const live = [{topic: 'orders', partitions: [0, 1, 2]}]
const committed = [
  {topic: 'orders', partition: 0, offset: 10},
  {topic: 'orders', partition: 2, offset: 30},
  {topic: 'orders.old', partition: 0, offset: 5},
  {topic: 'orders', partition: 1, offset: null},
]
const member = {consumerId: 'c-1', clientId: 'app', host: '/10.0.0.7', assignment: [{topic: 'orders', partition: 0}]}

describe('planOffsetDelete', () => {
  it('--topic T: every partition with a committed offset', () => {
    expect(planOffsetDelete({group: 'g', scopes: [{topic: 'orders'}], live, committed, members: []})).toEqual([
      {topic: 'orders', partition: 0, offset: 10},
      {topic: 'orders', partition: 2, offset: 30},
    ])
  })

  it('a topic that no longer exists, while the group has offsets for it', () => {
    expect(planOffsetDelete({group: 'g', scopes: [{topic: 'orders.old'}], live, committed, members: []})).toEqual([{topic: 'orders.old', partition: 0, offset: 5}])
  })

  it('--topic T:P names every partition it cannot delete, in one line', () => {
    const e = kafkitErrorOf(() => planOffsetDelete({group: 'g', scopes: [{topic: 'orders', partitions: [0, 1, 7]}, {topic: 'nope'}], live, committed, members: []}))
    expect(e.message).toBe('group "g" has no committed offset for orders:1; orders has no partition 7 (it has 0-2); unknown topic "nope" (and the group has no offsets for it)')
    expect(e.message).not.toContain('\n')
  })

  it('refuses while a member consumes the topic, naming it', () => {
    const e = kafkitErrorOf(() => planOffsetDelete({group: 'g', scopes: [{topic: 'orders', partitions: [2]}], live, committed, members: [member]}))
    expect(e.code).toBe('GROUP_SUBSCRIBED_TO_TOPIC')
    expect(e.message).toBe('cannot delete offsets of group "g" for "orders": the group is subscribed to that topic (1 active member: c-1 (client app, host /10.0.0.7))')
  })

  it('members consuming other topics do not block', () => {
    expect(refuseSubscribed('g', ['orders.old'], [member])).toBeUndefined()
  })
})

describe('reset-offsets --to-group', () => {
  const states: PartitionResetState[] = [
    {topic: 'orders', partition: 0, committed: 3, earliest: 0, latest: 100},
    {topic: 'orders', partition: 1, committed: null, earliest: 50, latest: 100},
  ]

  it('is a strategy of its own, exclusive with the others', () => {
    expect(resetChoiceFromFlags({'to-group': 'billing', topic: ['orders']}).strategy).toEqual({kind: 'group', group: 'billing'})
    expect(kafkitErrorOf(() => resetChoiceFromFlags({'to-group': 'billing', 'to-earliest': true, topic: ['orders']})).message).toBe('--to-earliest and --to-group cannot be combined')
    expect(kafkitErrorOf(() => resetChoiceFromFlags({'to-group': ' ', topic: ['orders']})).message).toBe('--to-group: " " is not valid')
  })

  it("copies the other group's offsets, clamped to the log like --to-offset", () => {
    const plan = planOffsetReset({
      partitions: states,
      strategy: {kind: 'group', group: 'billing', offsets: [{topic: 'orders', partition: 0, offset: 42}, {topic: 'orders', partition: 1, offset: 7}, {topic: 'other', partition: 0, offset: 1}]},
    })
    expect(plan.rows.map((r) => [r.partition, r.current, r.new, r.clamped])).toEqual([
      [0, 3, 42, null],
      [1, null, 50, 'earliest'],
    ])
  })

  it('refuses partitions in scope where the other group has no offset', () => {
    const e = kafkitErrorOf(() => planOffsetReset({partitions: states, strategy: {kind: 'group', group: 'billing', offsets: [{topic: 'orders', partition: 0, offset: 42}]}}))
    expect(e.code).toBe('COPY_WITHOUT_COMMITTED_OFFSET')
    expect(e.message).toBe('group "billing" has no committed offset for orders:1, so there is nothing to copy there')
  })
})
