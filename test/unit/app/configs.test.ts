import {describe, expect, it} from 'vitest'

import {applyConfigPlan, describeResourceConfigs, planConfigChange} from '../../../src/app/configs.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

function cluster(): FakeKafka {
  const fake = new FakeKafka({brokers: 3})
  fake.addTopic('orders', {partitions: 3, replicationFactor: 2, configs: {'retention.ms': '86400000'}})
  fake.brokerDynamic.set('2', {'num.io.threads': '16'})
  return fake
}

const topic = {type: 'topic', name: 'orders'} as const
const broker2 = {type: 'broker', name: '2'} as const
const brokerDefault = {type: 'broker', name: ''} as const

describe('describeResourceConfigs', () => {
  it('a topic: only its overrides by default, every entry with --all, the keys asked for; one DescribeConfigs of that topic', async () => {
    const fake = cluster()
    const overrides = await describeResourceConfigs(fake.client(), topic)
    expect(overrides.shown).toBe('overrides')
    expect(overrides.entries.map((e) => [e.name, e.value, e.source])).toEqual([['retention.ms', '86400000', 'topic']])
    expect(fake.callsOf('describeConfigs')).toEqual([[[topic]]])

    const all = await describeResourceConfigs(fake.client(), topic, {all: true})
    expect(all.shown).toBe('all')
    expect(all.entries.map((e) => e.name)).toContain('cleanup.policy')

    const keys = await describeResourceConfigs(fake.client(), topic, {keys: ['cleanup.policy']})
    expect(keys.shown).toBe('keys')
    expect(keys.entries.map((e) => [e.name, e.value, e.source])).toEqual([['cleanup.policy', 'delete', 'default']])
  })

  it('an unknown topic key is refused before connecting', async () => {
    const fake = cluster()
    const error = await rejection(describeResourceConfigs(fake.client(), topic, {keys: ['retention.mss']}))
    expect(error.message).toMatch(/^topic orders: /)
    expect(error.message).toContain('retention.ms')
    expect(fake.calls).toEqual([])
  })

  it('an unknown topic is TOPIC_NOT_FOUND; a broker id not in the cluster is BROKER_NOT_FOUND with the ids there', async () => {
    const fake = cluster()
    const missing = await rejection(describeResourceConfigs(fake.client(), {type: 'topic', name: 'nope'}))
    expect(missing.code).toBe('TOPIC_NOT_FOUND')
    expect(missing.message).toBe('topic "nope" not found on fake:9092')
    const noBroker = await rejection(describeResourceConfigs(fake.client(), {type: 'broker', name: '9'}))
    expect(noBroker.code).toBe('BROKER_NOT_FOUND')
    expect(noBroker.message).toContain('brokers: 1, 2, 3')
    expect(noBroker.hint).toBe('kafkit cluster info lists the brokers')
  })

  it('a broker: its dynamic overrides; an unknown broker key is refused with the live names (read from the broker)', async () => {
    const fake = cluster()
    const d = await describeResourceConfigs(fake.client(), broker2)
    expect(d.entries.map((e) => [e.name, e.value, e.source])).toEqual([['num.io.threads', '16', 'dynamic-broker']])
    const error = await rejection(describeResourceConfigs(fake.client(), broker2, {keys: ['num.io.thread']}))
    expect(error.message).toMatch(/^broker 2: /)
    expect(error.message).toContain('num.io.threads')
  })

  it('the cluster-wide default: one DescribeConfigs for the default and a live broker (which knows every key)', async () => {
    const fake = cluster()
    fake.brokerDynamic.set('', {'log.retention.ms': '3600000'})
    const d = await describeResourceConfigs(fake.client(), brokerDefault, {keys: ['log.retention.ms']})
    expect(d.entries.map((e) => [e.name, e.value, e.source])).toEqual([['log.retention.ms', '3600000', 'dynamic-default-broker']])
    expect(fake.callsOf('describeConfigs')).toEqual([[[brokerDefault, {type: 'broker', name: '1'}]]])
    expect(fake.callsOf('describeCluster')).toHaveLength(1)
  })
})

describe('planConfigChange / applyConfigPlan', () => {
  it('a topic set: planned old → new, checked by a validateOnly run that changes nothing; apply sends the same keys for real', async () => {
    const fake = cluster()
    const client = fake.client()
    const plan = await planConfigChange(client, topic, {set: [{key: 'retention.ms', value: '7d'}]})
    expect(plan.changes).toHaveLength(1)
    expect(plan.changes[0]).toMatchObject({key: 'retention.ms', op: 'set', old: {value: '86400000'}, new: {value: '604800000'}, unchanged: false})
    expect(fake.callsOf('incrementalAlterConfigs')).toEqual([[[{type: 'topic', name: 'orders', set: {'retention.ms': '604800000'}, delete: []}], {validateOnly: true}]])
    expect(fake.configWrites).toEqual([])
    expect(fake.topics.get('orders')!.overrides['retention.ms']).toBe('86400000')

    await applyConfigPlan(client, plan)
    expect(fake.callsOf('incrementalAlterConfigs')[1]).toEqual([[{type: 'topic', name: 'orders', set: {'retention.ms': '604800000'}, delete: []}], {validateOnly: false}])
    expect(fake.topics.get('orders')!.overrides['retention.ms']).toBe('604800000')
  })

  it('a malformed topic value is refused before connecting', async () => {
    const fake = cluster()
    const error = await rejection(planConfigChange(fake.client(), topic, {set: [{key: 'retention.ms', value: 'a week'}]}))
    expect(error.message).toMatch(/^topic orders: retention\.ms/)
    expect(fake.calls).toEqual([])
  })

  it('setting a value already in place is unchanged: no validateOnly run, and apply sends nothing', async () => {
    const fake = cluster()
    const plan = await planConfigChange(fake.client(), topic, {set: [{key: 'retention.ms', value: '86400000'}]})
    expect(plan.changes.map((c) => c.unchanged)).toEqual([true])
    await applyConfigPlan(fake.client(), plan)
    expect(fake.callsOf('incrementalAlterConfigs')).toEqual([])
  })

  it('delete sends only the keys that have an override; the plan shows what they fall back to', async () => {
    const fake = cluster()
    const plan = await planConfigChange(fake.client(), topic, {delete: ['retention.ms', 'cleanup.policy']})
    expect(plan.changes.map((c) => [c.key, c.unchanged])).toEqual([
      ['retention.ms', false],
      ['cleanup.policy', true],
    ])
    expect(plan.changes[0].new).toMatchObject({value: '604800000', source: 'default'})
    await applyConfigPlan(fake.client(), plan)
    expect(fake.configWrites).toEqual([{type: 'topic', name: 'orders', set: {}, delete: ['retention.ms']}])
  })

  it("the broker's refusal in the validateOnly run is one line naming the change when the broker's words do not; nothing is written", async () => {
    const fake = cluster()
    fake.configRefusals.set('broker:2:log.cleaner.threads', {code: 'INVALID_CONFIG' as never, message: '/ by zero'})
    const error = await rejection(planConfigChange(fake.client(), broker2, {set: [{key: 'log.cleaner.threads', value: '0'}]}))
    expect(error.message).toBe('broker 2: the broker refused log.cleaner.threads=0: / by zero')
    expect(error.code).toBe('INVALID_CONFIG')
    expect(fake.configWrites).toEqual([])
  })

  it('a read-only broker key: the refusal says it needs server.properties and a restart', async () => {
    const fake = cluster()
    const error = await rejection(planConfigChange(fake.client(), broker2, {set: [{key: 'broker.id', value: '7'}]}))
    expect(error.message).toContain('broker.id')
    expect(error.message).toContain('read-only')
    expect(error.message).toContain('server.properties')
    expect(fake.configWrites).toEqual([])
  })

  it('a sensitive value is sent to the broker but never kept in the plan', async () => {
    const fake = cluster()
    const key = 'listener.name.internal.ssl.key.password'
    const plan = await planConfigChange(fake.client(), broker2, {set: [{key, value: 's3cret'}]})
    expect(JSON.stringify(plan)).not.toContain('s3cret')
    await applyConfigPlan(fake.client(), plan)
    expect(fake.configWrites).toEqual([{type: 'broker', name: '2', set: {[key]: 's3cret'}, delete: []}])
  })
})
