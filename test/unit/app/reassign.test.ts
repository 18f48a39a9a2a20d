import {describe, expect, it} from 'vitest'

import {cancelReassign, executeReassign, planReassign, removeThrottles, setThrottles} from '../../../src/app/reassign.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

const RATES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate']
const LISTS = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas']

/** orders: partitions 0 and 1 on broker 1, partition 2 on broker 2 (1000 and 500 bytes on 0 and 1). */
function cluster(): FakeKafka {
  const fake = new FakeKafka({brokers: 3})
  fake.addTopic('orders', {replicas: [[1], [1], [2]]})
  fake.addTopic('payments', {replicas: [[3]]})
  fake.replicaBytes.set('orders:0', 1000)
  fake.replicaBytes.set('orders:1', 500)
  return fake
}

const toBrokers = (...brokers: number[]) => ({kind: 'brokers' as const, brokers})

describe('planReassign', () => {
  it('moves off brokers not in the target, with bytes = size × new replicas read from the source brokers only, batches and throttle settings', async () => {
    const fake = cluster()
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}], target: toBrokers(2, 3), throttle: 1000, batch: 1})
    expect(plan.moves).toEqual([
      {topic: 'orders', partition: 0, from: [1], to: [3], bytes: 1000},
      {topic: 'orders', partition: 1, from: [1], to: [2], bytes: 500},
    ])
    expect([plan.partitions, plan.batches, plan.bytes]).toEqual([3, 2, 1500])
    expect(plan.throttles).toEqual({brokers: [1, 2, 3], topics: [{topic: 'orders', leader: '0:1,1:1', follower: '0:3,1:2'}]})
    expect(fake.callsOf('replicaSizes')).toEqual([[[1], plan.moves.map(({bytes: _, ...m}) => m)]])
    expect(fake.callsOf('alterReassignments')).toEqual([])
  })

  it('bytes unknown when a source broker cannot say: the reason is kept, the plan still stands', async () => {
    const fake = cluster()
    fake.logDirsUnknown.set(1, 'DescribeLogDirs not supported')
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}], target: toBrokers(2, 3)})
    expect(plan.bytes).toBeNull()
    expect(plan.bytesUnknown).toBe('broker 1: DescribeLogDirs not supported')
    expect(plan.moves).toHaveLength(2)
    expect(plan.throttles).toBeNull()
  })

  it('a target broker not in the cluster is INVALID_REASSIGNMENT; an unknown topic is TOPIC_NOT_FOUND; a prefix matching nothing is NO_TOPICS', async () => {
    const fake = cluster()
    expect((await rejection(planReassign(fake.client(), {scopes: [{topic: 'orders'}], target: toBrokers(2, 9)}))).code).toBe('INVALID_REASSIGNMENT')
    expect((await rejection(planReassign(fake.client(), {scopes: [{topic: 'nope'}], target: toBrokers(2)}))).code).toBe('TOPIC_NOT_FOUND')
    expect((await rejection(planReassign(fake.client(), {scopes: [], prefix: 'zzz', target: toBrokers(2)}))).code).toBe('NO_TOPICS')
  })

  it('a partition already moving is planned from where that move takes it, and the move is listed in progress', async () => {
    const fake = cluster()
    fake.movePolls = 100
    await fake.client().alterReassignments([{topic: 'orders', partition: 0, replicas: [2]}])
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders', partitions: [0]}], target: toBrokers(2, 3)})
    expect(plan.inProgress).toEqual([{topic: 'orders', partition: 0, replicas: [2, 1], adding: [2], removing: [1]}])
    expect(plan.moves).toEqual([])
    expect(plan.bytes).toBe(0)
  })

  it('finds throttles left behind: a topic list when none of its partitions moves, broker rates only when nothing in the cluster moves', async () => {
    const fake = cluster()
    fake.topics.get('orders')!.overrides['leader.replication.throttled.replicas'] = '0:1'
    fake.brokerDynamic.set('1', {'leader.replication.throttled.rate': '1000', 'num.io.threads': '8'})
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}]})
    expect(plan.leftovers).toEqual({topics: [{topic: 'orders', keys: ['leader.replication.throttled.replicas']}], brokers: [{broker: 1, keys: ['leader.replication.throttled.rate']}]})

    fake.movePolls = 100
    await fake.client().alterReassignments([{topic: 'payments', partition: 0, replicas: [1]}])
    const whileMoving = await planReassign(fake.client(), {scopes: [{topic: 'orders'}]})
    expect(whileMoving.leftovers).toEqual({topics: [{topic: 'orders', keys: ['leader.replication.throttled.replicas']}], brokers: []})
  })
})

describe('executeReassign', () => {
  it('sets the throttle, starts one batch at a time and waits for it, then removes the throttle', async () => {
    const fake = cluster()
    fake.movePolls = 1
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}], target: toBrokers(2, 3), throttle: 1000, batch: 1})
    const report = await executeReassign(fake.client(), plan, {pollMs: 1})
    expect(report).toMatchObject({moved: 2, failed: [], stillMoving: 0, notStarted: 0, interrupted: false})
    expect(report.throttles).toMatchObject({removed: true})
    expect(fake.callsOf('alterReassignments')).toEqual([[[{topic: 'orders', partition: 0, replicas: [3]}]], [[{topic: 'orders', partition: 1, replicas: [2]}]]])
    expect(fake.partition('orders', 0).replicas).toEqual([3])
    expect(fake.partition('orders', 1).replicas).toEqual([2])
    // Throttle set before the first move, every key removed after the last.
    const order = fake.calls.map((c) => c.method).filter((m) => m === 'incrementalAlterConfigs' || m === 'alterReassignments')
    expect(order).toEqual(['incrementalAlterConfigs', 'alterReassignments', 'alterReassignments', 'incrementalAlterConfigs'])
    expect(fake.configWrites.slice(0, 3)).toEqual([1, 2, 3].map((id) => ({type: 'broker', name: String(id), set: {[RATES[0]]: '1000', [RATES[1]]: '1000'}, delete: []})))
    expect(fake.configWrites.at(-1)).toEqual({type: 'topic', name: 'orders', set: {}, delete: LISTS})
    expect(fake.brokerDynamic.get('1')).toEqual({})
    expect(fake.topics.get('orders')!.overrides).toEqual({})
  })

  it('a partition the controller refuses is reported failed and not waited for; the rest moves', async () => {
    const fake = cluster()
    fake.reassignRefusals.set('orders:0', {code: 'INVALID_REPLICA_ASSIGNMENT' as never, message: 'replica assignment refused'})
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}], target: toBrokers(2, 3)})
    const report = await executeReassign(fake.client(), plan, {pollMs: 1})
    expect(report.failed).toEqual([{topic: 'orders', partition: 0, error: 'replica assignment refused'}])
    expect(report.moved).toBe(1)
    expect(fake.partition('orders', 0).replicas).toEqual([1])
    expect(report.throttles).toBeNull()
    expect(fake.configWrites).toEqual([])
  })

  it('interrupted: later batches are not started and the throttle stays with the move still running', async () => {
    const fake = cluster()
    fake.movePolls = 1000
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}], target: toBrokers(2, 3), throttle: 1000, batch: 1})
    const abort = new AbortController()
    const report = await executeReassign(fake.client(), plan, {pollMs: 1, signal: abort.signal, onProgress: () => abort.abort()})
    expect(report).toMatchObject({interrupted: true, moved: 0, stillMoving: 1, notStarted: 1})
    expect(report.throttles).toMatchObject({removed: false})
    expect(fake.callsOf('alterReassignments')).toHaveLength(1)
    expect(fake.brokerDynamic.get('1')).toEqual({[RATES[0]]: '1000', [RATES[1]]: '1000'})
  })

  it('waits for a move in progress first, then removes its throttle and the leftovers', async () => {
    const fake = cluster()
    fake.movePolls = 2
    await fake.client().alterReassignments([{topic: 'orders', partition: 2, replicas: [3]}])
    fake.brokerDynamic.set('2', {[RATES[0]]: '5'})
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}]})
    expect(plan.inProgress).toHaveLength(1)
    const report = await executeReassign(fake.client(), plan, {pollMs: 1})
    expect(report.resumed).toBe(1)
    expect(fake.partition('orders', 2).replicas).toEqual([3])
    expect(fake.brokerDynamic.get('2')).toEqual({})
  })
})

describe('setThrottles / removeThrottles', () => {
  it('a refusal on one resource removes what was set and is one line naming it', async () => {
    const fake = cluster()
    fake.configRefusals.set(`topic:orders:${LISTS[0]}`, {code: 'INVALID_CONFIG' as never, message: 'bad list'})
    const error = await rejection(setThrottles(fake.client(), {brokers: [1], topics: [{topic: 'orders', leader: '0:1', follower: ''}]}, 1000))
    expect(error.message).toBe('could not set the throttle on topic orders: bad list')
    expect(fake.callsOf('incrementalAlterConfigs')).toHaveLength(2)
    expect(fake.brokerDynamic.get('1')).toEqual({})
  })

  it('an empty follower list is deleted, not set to ""; remove deletes every throttle key', async () => {
    const fake = cluster()
    await setThrottles(fake.client(), {brokers: [], topics: [{topic: 'orders', leader: '0:1', follower: ''}]}, 10)
    expect(fake.configWrites).toEqual([{type: 'topic', name: 'orders', set: {[LISTS[0]]: '0:1'}, delete: [LISTS[1]]}])
    await removeThrottles(fake.client(), {brokers: [2], topics: [{topic: 'orders', leader: '0:1', follower: ''}]})
    expect(fake.configWrites.slice(1)).toEqual([
      {type: 'broker', name: '2', set: {}, delete: RATES},
      {type: 'topic', name: 'orders', set: {}, delete: LISTS},
    ])
  })
})

describe('cancelReassign', () => {
  it('nothing in progress: NOTHING_TO_CANCEL, nothing sent', async () => {
    const fake = cluster()
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}]})
    const error = await rejection(cancelReassign(fake.client(), plan))
    expect(error.code).toBe('NOTHING_TO_CANCEL')
    expect(error.message).toBe('no reassignment in progress for topic "orders": nothing to cancel')
    expect(fake.callsOf('alterReassignments')).toEqual([])
  })

  it('cancels each move in progress (replicas null), the replicas go back, and its throttle is removed', async () => {
    const fake = cluster()
    fake.movePolls = 1000
    await fake.client().alterReassignments([
      {topic: 'orders', partition: 0, replicas: [2]},
      {topic: 'orders', partition: 1, replicas: [3]},
    ])
    const plan = await planReassign(fake.client(), {scopes: [{topic: 'orders'}]})
    const report = await cancelReassign(fake.client(), plan, {pollMs: 1})
    expect(fake.callsOf('alterReassignments').at(-1)).toEqual([
      [
        {topic: 'orders', partition: 0, replicas: null},
        {topic: 'orders', partition: 1, replicas: null},
      ],
    ])
    expect(report.cancelled).toEqual([
      {topic: 'orders', partition: 0},
      {topic: 'orders', partition: 1},
    ])
    expect(report).toMatchObject({failed: [], stillMoving: 0})
    expect(fake.partition('orders', 0).replicas).toEqual([1])
    expect(fake.configWrites.map((w) => [w.type, w.name])).toEqual([
      ['broker', '1'],
      ['broker', '2'],
      ['broker', '3'],
      ['topic', 'orders'],
    ])
  })
})
