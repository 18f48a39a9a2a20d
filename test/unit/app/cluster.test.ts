import {describe, expect, it} from 'vitest'

import {clusterHealth, clusterInfo} from '../../../src/app/cluster.js'
import {FakeKafka} from './fake-kafka.js'

describe('clusterInfo', () => {
  it('returns the brokers sorted, with racks', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.brokers = [fake.brokers[2], {...fake.brokers[0], rack: 'eu-1a'}, fake.brokers[1]]
    const info = await clusterInfo(fake.client())
    expect(info.clusterId).toBe('fake-cluster')
    expect(info.brokers.map((b) => b.nodeId)).toEqual([1, 2, 3])
    expect(info.brokers[0].rack).toBe('eu-1a')
  })
})

describe('clusterHealth', () => {
  it('a cluster whose partitions are all fully replicated is healthy, counting every topic and partition', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.addTopic('orders', {partitions: 6, replicationFactor: 3})
    fake.addTopic('__consumer_offsets', {partitions: 4, replicationFactor: 3})
    const health = await clusterHealth(fake.client())
    expect(health).toMatchObject({healthy: true, brokers: 3, brokersDown: [], topics: 2, partitions: 10, offline: 0, underReplicated: 0, underMinIsr: 0, problems: []})
  })

  it('counts offline, under-replicated and under-min-ISR partitions separately (a partition can be several)', async () => {
    const fake = new FakeKafka({brokers: 3})
    const orders = fake.addTopic('orders', {partitions: 3, replicationFactor: 3, configs: {'min.insync.replicas': '2'}})
    // p0: offline and nothing in sync; p1: one replica out of sync (still 2 >= min 2); p2: healthy.
    Object.assign(orders.partitions[0], {leader: -1, isr: []})
    orders.partitions[1].isr = [2, 3]
    const payments = fake.addTopic('payments', {partitions: 2, replicationFactor: 3})
    // No topic override: the broker's min.insync.replicas applies.
    fake.brokerConfigs['min.insync.replicas'] = {value: '2', source: 'static-broker'}
    payments.partitions[1].isr = [3]

    const health = await clusterHealth(fake.client())
    expect(health.healthy).toBe(false)
    expect(health.offline).toBe(1)
    expect(health.underReplicated).toBe(3)
    expect(health.underMinIsr).toBe(2)
    expect(health.problems.map((p) => [`${p.topic}:${p.partition}`, p.problems])).toEqual([
      ['orders:0', ['offline', 'under-replicated', 'under-min-isr']],
      ['orders:1', ['under-replicated']],
      ['payments:1', ['under-replicated', 'under-min-isr']],
    ])
    expect(health.problems.find((p) => p.topic === 'payments')?.minIsr).toBe(2)
  })

  it('names brokers that replica lists mention but that are not up; that alone makes the cluster unhealthy', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.addTopic('orders', {replicas: [[1, 2], [2, 3]]})
    // Brokers 3 went away, but its replicas are still "in sync" as far as metadata says.
    fake.brokers = fake.brokers.filter((b) => b.nodeId !== 3)
    const health = await clusterHealth(fake.client())
    expect(health).toMatchObject({healthy: false, brokers: 2, brokersDown: [3], offline: 0, underReplicated: 0})
  })

  it('reads the cluster with one describeCluster (no racks) and one describeTopics asking only for min.insync.replicas', async () => {
    const fake = new FakeKafka()
    for (let i = 0; i < 20; i++) fake.addTopic(`t${i}`, {partitions: 2})
    await clusterHealth(fake.client())
    expect(fake.calls.map((c) => c.method)).toEqual(['describeCluster', 'describeTopics'])
    expect(fake.callsOf('describeCluster')[0][0]).toEqual({racks: false})
    expect(fake.callsOf('describeTopics')[0][0]).toEqual({configs: ['min.insync.replicas']})
  })
})
