import {describe, expect, it} from 'vitest'

import {electLeaders} from '../../../src/app/leaders.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka} from './fake-kafka.js'

function cluster(): FakeKafka {
  const fake = new FakeKafka({brokers: 3})
  fake.addTopic('orders', {replicas: [[1, 2], [2, 3], [3, 1]]})
  fake.addTopic('payments', {replicas: [[1, 2]]})
  // orders:0 is led by its second replica (preferred 1 in sync): elected. orders:1 by its
  // preferred: not needed. orders:2's preferred replica 3 is out of the ISR: failed.
  fake.partition('orders', 0).leader = 2
  Object.assign(fake.partition('orders', 2), {leader: 1, isr: [1]})
  return fake
}

describe('electLeaders', () => {
  it('every partition named gets an outcome, counted; one Metadata read and one ElectLeaders for exactly those partitions', async () => {
    const fake = cluster()
    const report = await electLeaders(fake.client(), {selectors: [{topic: 'orders', partitions: null}]})
    expect(report.type).toBe('preferred')
    expect(report.partitions.map((r) => [r.partition, r.outcome, r.code])).toEqual([
      [0, 'elected', null],
      [1, 'not-needed', 'ELECTION_NOT_NEEDED'],
      [2, 'failed', 'PREFERRED_LEADER_NOT_AVAILABLE'],
    ])
    expect([report.elected, report.notNeeded, report.failed]).toEqual([1, 1, 1])
    expect(fake.callsOf('describeTopics')).toEqual([[{configs: false}]])
    expect(fake.callsOf('electLeaders')).toEqual([
      [
        {
          type: 'preferred',
          partitions: [
            {topic: 'orders', partition: 0},
            {topic: 'orders', partition: 1},
            {topic: 'orders', partition: 2},
          ],
        },
      ],
    ])
    expect(fake.partition('orders', 0).leader).toBe(1)
  })

  it('--all sends an explicit list of every partition (the controller would leave out those already led by the preferred replica)', async () => {
    const fake = cluster()
    const report = await electLeaders(fake.client(), {selectors: 'all', unclean: true})
    expect(report.type).toBe('unclean')
    const [[req]] = fake.callsOf('electLeaders') as [[{type: string; partitions: unknown[]}]]
    expect(req.type).toBe('unclean')
    expect(req.partitions).toHaveLength(4)
    expect(report.partitions).toHaveLength(4)
  })

  it('an unknown topic or partition is refused before any election', async () => {
    const fake = cluster()
    const error = await electLeaders(fake.client(), {selectors: [{topic: 'order', partitions: null}]}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkitError)
    expect((error as KafkitError).code).toBe('TOPIC_NOT_FOUND')
    const partition = await electLeaders(fake.client(), {selectors: [{topic: 'orders', partitions: [5]}]}).catch((e: unknown) => e)
    expect((partition as KafkitError).code).toBe('PARTITION_NOT_FOUND')
    expect(fake.callsOf('electLeaders')).toEqual([])
  })

  it('a selection with no partition sends no ElectLeaders', async () => {
    const fake = new FakeKafka()
    const report = await electLeaders(fake.client(), {selectors: 'all'})
    expect(report.partitions).toEqual([])
    expect(fake.callsOf('electLeaders')).toEqual([])
  })
})
