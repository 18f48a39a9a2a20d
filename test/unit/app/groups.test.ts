import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {
  checkGroupsDeletable,
  deleteGroups,
  describeGroup,
  executeGroupOffsetDelete,
  executeGroupReset,
  exportOffsetsBeforeDelete,
  exportOffsetsBeforeReset,
  groupsLag,
  listGroups,
  planGroupOffsetDelete,
  planGroupReset,
} from '../../../src/app/groups.js'
import type {KafkaClient} from '../../../src/app/kafka-client.js'
import type {ResetChoice} from '../../../src/core/consumer-groups.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0)
const MINUTE = 60_000

/** orders (3 partitions, 10 records each, one a minute from T0 - 30 min) and payments (1 partition, 4 records). */
function cluster(): FakeKafka {
  const fake = new FakeKafka({brokers: 3})
  fake.addTopic('orders', {partitions: 3, replicationFactor: 2})
  fake.addTopic('payments', {partitions: 1})
  for (const p of [0, 1, 2]) fake.append('orders', p, Array.from({length: 10}, (_, i) => ({value: `o${p}-${i}`, timestamp: T0 - 30 * MINUTE + i * MINUTE})))
  fake.append('payments', 0, Array.from({length: 4}, (_, i) => ({value: `p${i}`, timestamp: T0 - 10 * MINUTE + i * MINUTE})))
  return fake
}

// ---------------------------------------------------------------------------------------------

describe('listGroups', () => {
  it('state, members and the topics of assignments and commits, with one describe and one offset fetch for every group', async () => {
    const fake = cluster()
    fake.addGroup('billing', {members: [{assignment: [{topic: 'payments', partition: 0}]}], offsets: {'orders:0': 3}})
    fake.addGroup('audit', {protocolType: '', offsets: {'payments:0': 1}})
    fake.addGroup('kip848', {state: 'Dead'})
    const groups = await listGroups(fake.client())
    expect(groups).toEqual([
      {group: 'audit', state: 'Empty', protocolType: '', members: 0, topics: ['payments']},
      {group: 'billing', state: 'Stable', protocolType: 'consumer', members: 1, topics: ['orders', 'payments']},
      // Listed, yet described as Dead: a group kafkit cannot see into, not a missing one.
      {group: 'kip848', state: 'Unknown', protocolType: 'consumer', members: 0, topics: []},
    ])
    expect(fake.callsOf('describeGroups')).toEqual([[['audit', 'billing', 'kip848']]])
    expect(fake.callsOf('committedOffsetsOfGroups')).toEqual([[['audit', 'billing', 'kip848']]])
    expect(fake.callsOf('committedOffsets')).toEqual([])
  })
})

describe('describeGroup', () => {
  it('a group the coordinator does not know and that has no offsets is GROUP_NOT_FOUND', async () => {
    const error = await rejection(describeGroup(cluster().client(), 'nobody'))
    expect(error.code).toBe('GROUP_NOT_FOUND')
    expect(error.message).toBe('consumer group "nobody" not found on fake:9092')
  })

  it('a Dead group that holds offsets exists (shown as Unknown)', async () => {
    const fake = cluster()
    fake.addGroup('new-protocol', {state: 'Dead', offsets: {'payments:0': 2}})
    const details = await describeGroup(fake.client(), 'new-protocol')
    expect(details.state).toBe('Unknown')
    expect(details.totalLag).toBe(2)
  })

  it('lag per partition: log end minus committed; unknown where nothing is committed or the partition is offline', async () => {
    const fake = cluster()
    fake.append('orders', 1, [{value: 'late'}])
    fake.partition('orders', 2).leader = -1
    const member = {consumerId: 'c-1', clientId: 'app', host: '/10.0.0.9', assignment: [{topic: 'orders', partition: 0}, {topic: 'orders', partition: 1}]}
    fake.addGroup('app', {members: [member], offsets: {'orders:1': 4, 'orders:2': 5, 'payments:0': 4}})
    const d = await describeGroup(fake.client(), 'app')
    expect(d.partitions.map((p) => [p.topic, p.partition, p.committed, p.logEnd, p.lag, p.owner?.consumerId ?? null])).toEqual([
      ['orders', 0, null, 10, null, 'c-1'],
      ['orders', 1, 4, 11, 7, 'c-1'],
      ['orders', 2, 5, null, null, null],
      ['payments', 0, 4, 4, 0, null],
    ])
    expect(d.totalLag).toBe(7)
    expect(d.partitionsWithoutLag).toBe(2)
    expect(d.topics.find((t) => t.topic === 'orders')).toMatchObject({lag: 7, partitionsWithoutLag: 2, partitionsWithoutLogEnd: 1})
    expect(d).toMatchObject({state: 'Stable', assignor: 'range', coordinator: {nodeId: 1}})
  })
})

describe('groupsLag', () => {
  it('refuses no groups, and groups together with --all-groups, before any request', async () => {
    const fake = cluster()
    expect((await rejection(groupsLag(fake.client(), {groups: [], allGroups: false, timeLag: false}))).code).toBe('INVALID_FLAG')
    expect((await rejection(groupsLag(fake.client(), {groups: ['a'], allGroups: true, timeLag: false}))).message).toBe('name groups or pass --all-groups, not both')
    expect(fake.calls).toEqual([])
  })

  it('names every missing group at once', async () => {
    const fake = cluster()
    fake.addGroup('real', {offsets: {'orders:0': 1}})
    const error = await rejection(groupsLag(fake.client(), {groups: ['ghost', 'real', 'phantom'], allGroups: false, timeLag: false}))
    expect(error.message).toBe('consumer groups "ghost", "phantom" not found on fake:9092')
    expect(error.code).toBe('GROUP_NOT_FOUND')
  })

  it('one ListOffsets for the union of every group\'s partitions; totals and --fail-above breaches, worst first', async () => {
    const fake = cluster()
    fake.addGroup('a', {offsets: {'orders:0': 9, 'orders:1': 9}})
    fake.addGroup('b', {offsets: {'orders:0': 0, 'payments:0': 1}})
    fake.addGroup('c', {offsets: {'payments:0': 3}})
    const result = await groupsLag(fake.client(), {groups: [], allGroups: true, timeLag: false})
    expect(result.groups.map((g) => [g.group, g.totalLag])).toEqual([
      ['a', 2],
      ['b', 13],
      ['c', 1],
    ])
    expect(fake.callsOf('logOffsets')).toHaveLength(1)
    const [partitions, spec] = fake.callsOf('logOffsets')[0] as [{topic: string; partition: number}[], string]
    expect(spec).toBe('latest')
    expect(partitions.map((p) => `${p.topic}:${p.partition}`).sort()).toEqual(['orders:0', 'orders:1', 'payments:0'])
    expect(result.breaches).toEqual([])

    const breached = await groupsLag(fake.client(), {groups: ['a', 'b', 'c', 'a'], allGroups: false, timeLag: false, failAbove: 1})
    expect(breached.threshold).toBe(1)
    expect(breached.groups).toHaveLength(3)
    expect(breached.breaches).toEqual([
      {group: 'b', lag: 13, threshold: 1},
      {group: 'a', lag: 2, threshold: 1},
    ])
  })

  it('time lag: the age of the next unconsumed record; null when caught up; from the log start when retention passed the commit', async () => {
    const fake = cluster()
    fake.deleteRecordsBefore('orders', 1, 6)
    // orders:0 at 7 → record 7 is 30-7 = 23 min old; orders:1 at 2 (deleted) → reads 6: 24 min; payments caught up.
    fake.addGroup('app', {offsets: {'orders:0': 7, 'orders:1': 2, 'payments:0': 4}})
    const result = await groupsLag(fake.client(), {groups: ['app'], allGroups: false, timeLag: true, now: () => T0})
    const [app] = result.groups
    expect(app.partitions.map((p) => [`${p.topic}:${p.partition}`, p.timeLagMs])).toEqual([
      ['orders:0', 23 * MINUTE],
      ['orders:1', 24 * MINUTE],
      ['payments:0', null],
    ])
    expect(app.maxTimeLagMs).toBe(24 * MINUTE)
    expect(app.topics.map((t) => [t.topic, t.maxTimeLagMs])).toEqual([
      ['orders', 24 * MINUTE],
      ['payments', null],
    ])
    // Only the lagging partitions are read; the deleted offset is moved to the log start.
    expect(fake.callsOf('nextMessageTimestamps')).toEqual([
      [
        [
          {group: 'app', topic: 'orders', partition: 0, offset: 7},
          {group: 'app', topic: 'orders', partition: 1, offset: 6},
        ],
      ],
    ])
  })
})

describe('checkGroupsDeletable / deleteGroups', () => {
  it('missing groups, one active group, several active groups: each refused in its own words', async () => {
    const fake = cluster()
    fake.addGroup('idle', {offsets: {'orders:0': 1}})
    fake.addGroup('busy', {members: [{consumerId: 'c-1', clientId: 'app', host: '/10.0.0.1'}]})
    fake.addGroup('busier', {members: [{}, {}]})
    expect((await rejection(checkGroupsDeletable(fake.client(), ['idle', 'ghost']))).message).toBe('consumer group "ghost" not found on fake:9092')
    const one = await rejection(checkGroupsDeletable(fake.client(), ['idle', 'busy']))
    expect(one.code).toBe('GROUP_ACTIVE')
    expect(one.message).toBe('cannot delete group "busy": it has 1 active member: c-1 (client app, host /10.0.0.1)')
    const many = await rejection(checkGroupsDeletable(fake.client(), ['busy', 'busier']))
    expect(many.message).toBe('cannot delete groups with active members: "busy" (1), "busier" (2)')
  })

  it('an empty group and a Dead one holding offsets are deletable; offsets are fetched only for the Dead one', async () => {
    const fake = cluster()
    fake.addGroup('idle')
    fake.addGroup('kip848', {state: 'Dead', offsets: {'orders:0': 1}})
    const checked = await checkGroupsDeletable(fake.client(), ['idle', 'kip848', 'idle'])
    expect(checked.map((d) => d.group)).toEqual(['idle', 'kip848'])
    expect(fake.callsOf('committedOffsets')).toEqual([['kip848']])
  })

  it('deletes in one request; a group that failed is named with why, with the ones that were deleted', async () => {
    const fake = cluster()
    fake.addGroup('a')
    fake.addGroup('b')
    expect(await deleteGroups(fake.client(), ['a', 'b'])).toEqual(['a', 'b'])
    expect(fake.groups.size).toBe(0)
    fake.addGroup('a')
    fake.addGroup('joined', {members: [{}]})
    const error = await rejection(deleteGroups(fake.client(), ['a', 'gone', 'joined']))
    expect(error.code).toBe('DELETE_GROUPS_FAILED')
    expect(error.message).toBe('could not delete "gone" (it does not exist), "joined" (it has active members); deleted "a"')
    expect(fake.callsOf('deleteGroups')).toHaveLength(2)
  })
})

// ---------------------------------------------------------------------------------------------

const reset = (strategy: ResetChoice['strategy'], scope: ResetChoice['scope']): ResetChoice => ({strategy, scope})
const rows = (plan: Awaited<ReturnType<typeof planGroupReset>>) => plan.plan.rows.map((r) => [`${r.topic}:${r.partition}`, r.current, r.new])

describe('planGroupReset', () => {
  function withGroup(): FakeKafka {
    const fake = cluster()
    fake.deleteRecordsBefore('orders', 2, 4)
    fake.addGroup('app', {offsets: {'orders:0': 5, 'orders:1': 8, 'payments:0': 2}})
    return fake
  }

  it('refuses a group with members before reading any offsets', async () => {
    const fake = withGroup()
    fake.groups.get('app')!.members.push({consumerId: 'c-9', clientId: 'svc', host: '/10.1.1.1', assignment: []})
    const error = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'earliest'}, 'all')}))
    expect(error.code).toBe('GROUP_ACTIVE')
    expect(error.message).toBe('cannot reset offsets of group "app": it has 1 active member: c-9 (client svc, host /10.1.1.1)')
    expect(fake.callsOf('logOffsets')).toEqual([])
  })

  it('--to-earliest on a topic: the log start of every partition (retention moved one)', async () => {
    const plan = await planGroupReset(withGroup().client(), {group: 'app', choice: reset({kind: 'earliest'}, [{topic: 'orders'}])})
    expect(rows(plan)).toEqual([
      ['orders:0', 5, 0],
      ['orders:1', 8, 0],
      ['orders:2', null, 4],
    ])
    expect(plan).toMatchObject({groupExists: true, timestamp: null})
  })

  it('--to-latest --all-topics: the partitions the group has committed offsets for', async () => {
    const plan = await planGroupReset(withGroup().client(), {group: 'app', choice: reset({kind: 'latest'}, 'all')})
    expect(rows(plan)).toEqual([
      ['orders:0', 5, 10],
      ['orders:1', 8, 10],
      ['payments:0', 2, 4],
    ])
  })

  it('--all-topics of a group without offsets selects nothing and says so', async () => {
    const error = await rejection(planGroupReset(cluster().client(), {group: 'fresh', choice: reset({kind: 'latest'}, 'all')}))
    expect(error.code).toBe('EMPTY_SCOPE')
  })

  it('--shift-by and --to-offset are clamped to the log; a partition list narrows the scope', async () => {
    const fake = withGroup()
    const shift = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'shift', by: 3}, [{topic: 'orders', partitions: [0, 1]}])})
    expect(rows(shift)).toEqual([
      ['orders:0', 5, 8],
      ['orders:1', 8, 10],
    ])
    expect(shift.plan.rows[1].clamped).toBe('latest')
    const offset = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'offset', offset: 1}, [{topic: 'orders', partitions: [2]}])})
    expect(rows(offset)).toEqual([['orders:2', null, 4]])
    expect(offset.plan.rows[0].clamped).toBe('earliest')
  })

  it('--to-datetime and --by-duration read the offsets for that time; none after it falls back to the log end', async () => {
    const fake = withGroup()
    const at = T0 - 25 * MINUTE
    const plan = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'datetime', timestamp: at}, [{topic: 'orders', partitions: [0]}, {topic: 'payments'}])})
    // orders: record 5 is the first at T0-25min; payments' records are all later: its first.
    expect(rows(plan)).toEqual([
      ['orders:0', 5, 5],
      ['payments:0', 2, 0],
    ])
    expect(plan.timestamp).toBe(new Date(at).toISOString())
    expect(fake.callsOf('logOffsets').map(([, spec]) => spec)).toEqual(['earliest', 'latest', {timestamp: at}])

    const duration = await planGroupReset(fake.client(), {group: 'app', now: T0 + 60 * MINUTE, choice: reset({kind: 'duration', ms: 5 * MINUTE}, [{topic: 'payments'}])})
    expect(rows(duration)).toEqual([['payments:0', 2, 4]])
    expect(duration.plan.rows[0].clamped).toBe('latest')
    expect(duration.timestamp).toBe(new Date(T0 + 55 * MINUTE).toISOString())
  })

  it('a group that does not exist yet gets a plan that would create it', async () => {
    const plan = await planGroupReset(cluster().client(), {group: 'fresh', choice: reset({kind: 'earliest'}, [{topic: 'payments'}])})
    expect(plan.groupExists).toBe(false)
    expect(rows(plan)).toEqual([['payments:0', null, 0]])
  })

  it('an unknown topic or partition in the scope, and a partition without a leader, fail with one line each', async () => {
    const fake = withGroup()
    const unknown = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'earliest'}, [{topic: 'nope'}, {topic: 'orders', partitions: [7]}])}))
    expect(unknown.message).toBe('unknown topic "nope"; unknown partition orders:7 (orders has partitions 0-2)')
    fake.partition('orders', 1).leader = -1
    const offline = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'earliest'}, [{topic: 'orders'}])}))
    expect(offline.code).toBe('OFFSETS_UNAVAILABLE')
    expect(offline.message).toBe('cannot read the log start/end of orders:1 (no leader?)')
  })

  it('--from-file: the file\'s partitions and offsets (clamped); --export writes the undo file Kafka\'s tool reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-groups-'))
    const file = join(dir, 'offsets.csv')
    writeFileSync(file, 'orders,1,3\npayments,0,99\n')
    const fake = withGroup()
    const plan = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'file', path: file}, 'file')})
    expect(rows(plan)).toEqual([
      ['orders:1', 8, 3],
      ['payments:0', 2, 4],
    ])
    const undo = join(dir, 'undo.csv')
    expect(exportOffsetsBeforeReset(undo, plan)).toBe(2)
    expect(readFileSync(undo, 'utf8')).toBe('orders,1,8\npayments,0,2\n')
    expect((() => {
      try {
        exportOffsetsBeforeReset(join(dir, 'missing', 'x.csv'), plan)
      } catch (error) {
        return (error as KafkitError).code
      }
    })()).toBe('EXPORT_FAILED')
  })

  it('an unreadable --from-file fails before any request', async () => {
    const fake = cluster()
    const error = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'file', path: '/nonexistent/offsets.csv'}, 'file')}))
    expect(error.code).toBe('FILE_UNREADABLE')
    expect(fake.calls).toEqual([])
  })
})

describe('executeGroupReset', () => {
  it('commits the planned offsets in one call and verifies them by reading them back', async () => {
    const fake = cluster()
    fake.addGroup('app', {offsets: {'orders:0': 5, 'orders:1': 8}})
    const plan = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'earliest'}, 'all')})
    const done = await executeGroupReset(fake.client(), plan)
    expect(done).toEqual([
      {topic: 'orders', partition: 0, offset: 0},
      {topic: 'orders', partition: 1, offset: 0},
    ])
    expect(fake.callsOf('commitOffsetsWhileInactive')).toEqual([['app', done]])
    expect(Object.fromEntries(fake.groups.get('app')!.offsets)).toEqual({'orders:0': 0, 'orders:1': 0})
  })

  it('a consumer that joined after the plan: the commit is refused and nothing changes', async () => {
    const fake = cluster()
    fake.addGroup('app', {offsets: {'orders:0': 5}})
    const plan = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'latest'}, 'all')})
    fake.groups.get('app')!.members.push({consumerId: 'late', clientId: 'svc', host: '/h', assignment: []})
    const error = await rejection(executeGroupReset(fake.client(), plan))
    expect(error.code).toBe('GROUP_ACTIVE')
    expect(fake.groups.get('app')!.offsets.get('orders:0')).toBe(5)
  })

  it('offsets read back that differ from the plan are RESET_NOT_VERIFIED, naming each partition', async () => {
    const fake = cluster()
    fake.addGroup('app', {offsets: {'orders:0': 5, 'orders:1': 8}})
    const plan = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'latest'}, 'all')})
    // Someone commits right after ours (a consumer starting up).
    const inner = fake.client()
    const client: KafkaClient = Object.create(inner)
    client.commitOffsetsWhileInactive = async (group, offsets) => {
      await inner.commitOffsetsWhileInactive(group, offsets)
      fake.groups.get('app')!.offsets.set('orders:1', 9)
    }
    const error = await rejection(executeGroupReset(client, plan))
    expect(error.code).toBe('RESET_NOT_VERIFIED')
    expect(error.message).toBe('group "app": committed offsets differ from the plan at orders:1 (planned 10, found 9)')
  })
})

describe('planGroupReset --to-group', () => {
  it('copies the other group\'s offsets of the scope, clamped to the log; --all-topics takes every partition it has', async () => {
    const fake = cluster()
    fake.deleteRecordsBefore('orders', 1, 6)
    fake.addGroup('app', {offsets: {'orders:0': 9}})
    fake.addGroup('blue', {offsets: {'orders:0': 2, 'orders:1': 3, 'payments:0': 4}})
    const scoped = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'group', group: 'blue'}, [{topic: 'orders', partitions: [0, 1]}])})
    expect(rows(scoped)).toEqual([
      ['orders:0', 9, 2],
      ['orders:1', null, 6],
    ])
    // A partition in scope the other group has no offset for is not guessed.
    const gap = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'group', group: 'blue'}, [{topic: 'orders'}])}))
    expect(gap.message).toBe('group "blue" has no committed offset for orders:2, so there is nothing to copy there')
    const all = await planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'group', group: 'blue'}, 'all')})
    expect(rows(all).map(([tp]) => tp)).toEqual(['orders:0', 'orders:1', 'payments:0'])
  })

  it('the group itself, a missing group, and a group without offsets are each one line', async () => {
    const fake = cluster()
    fake.addGroup('app', {offsets: {'orders:0': 1}})
    fake.addGroup('empty')
    const itself = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'group', group: 'app'}, 'all')}))
    expect(itself.message).toBe('--to-group names group "app" itself: there is nothing to copy')
    expect(fake.calls).toEqual([])
    const missing = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'group', group: 'ghost'}, 'all')}))
    expect(missing.message).toBe('consumer group "ghost" (--to-group) not found on fake:9092')
    const nothing = await rejection(planGroupReset(fake.client(), {group: 'app', choice: reset({kind: 'group', group: 'empty'}, 'all')}))
    expect(nothing.code).toBe('EMPTY_SCOPE')
    expect(nothing.message).toBe('group "empty" has no committed offsets, so there is nothing to copy')
  })
})

describe('planGroupOffsetDelete / executeGroupOffsetDelete', () => {
  it('the plan is the group\'s committed offsets in scope; executing deletes them in one request and verifies none is left', async () => {
    const fake = cluster()
    fake.addGroup('app', {offsets: {'orders:0': 3, 'orders:2': 7, 'payments:0': 1}})
    const plan = await planGroupOffsetDelete(fake.client(), 'app', [{topic: 'orders'}])
    expect(plan).toEqual({
      group: 'app',
      offsets: [
        {topic: 'orders', partition: 0, offset: 3},
        {topic: 'orders', partition: 2, offset: 7},
      ],
    })
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-delete-offsets-'))
    expect(exportOffsetsBeforeDelete(join(dir, 'undo.csv'), plan)).toBe(2)
    expect(readFileSync(join(dir, 'undo.csv'), 'utf8')).toBe('orders,0,3\norders,2,7\n')
    await executeGroupOffsetDelete(fake.client(), plan)
    expect(fake.callsOf('deleteGroupOffsets')).toEqual([['app', plan.offsets]])
    expect(Object.fromEntries(fake.groups.get('app')!.offsets)).toEqual({'payments:0': 1})
  })

  it('a missing group, and a group whose members consume the topic, are refused before anything is deleted', async () => {
    const fake = cluster()
    expect((await rejection(planGroupOffsetDelete(fake.client(), 'ghost', [{topic: 'orders'}]))).code).toBe('GROUP_NOT_FOUND')
    fake.addGroup('live', {members: [{consumerId: 'c-1', clientId: 'svc', host: '/h', assignment: [{topic: 'orders', partition: 0}]}], offsets: {'orders:0': 1}})
    const error = await rejection(planGroupOffsetDelete(fake.client(), 'live', [{topic: 'orders'}]))
    expect(error.code).toBe('GROUP_SUBSCRIBED_TO_TOPIC')
    expect(fake.callsOf('deleteGroupOffsets')).toEqual([])
  })

  it('a consumer that started between plan and delete: the broker\'s refusal gets the same line, naming it', async () => {
    const fake = cluster()
    fake.addGroup('app', {offsets: {'orders:0': 3}})
    const plan = await planGroupOffsetDelete(fake.client(), 'app', [{topic: 'orders'}])
    fake.groups.get('app')!.members.push({consumerId: 'c-7', clientId: 'svc', host: '/10.0.0.7', assignment: [{topic: 'orders', partition: 0}]})
    const error = await rejection(executeGroupOffsetDelete(fake.client(), plan))
    expect(error.code).toBe('GROUP_SUBSCRIBED_TO_TOPIC')
    expect(error.message).toBe('cannot delete offsets of group "app" for "orders": the group is subscribed to that topic (1 active member: c-7 (client svc, host /10.0.0.7))')
    expect(fake.groups.get('app')!.offsets.get('orders:0')).toBe(3)
  })
})
