import {describe, expect, it} from 'vitest'

import {liveNames} from '../../../src/app/completion.js'
import {FakeKafka} from './fake-kafka.js'

describe('liveNames', () => {
  it('topics: sorted, without Kafka\'s own __ topics, read without configs', async () => {
    const fake = new FakeKafka()
    for (const name of ['payments', '__consumer_offsets', 'orders', '_schemas', '__transaction_state']) fake.addTopic(name)
    expect(await liveNames(fake.client(), 'topic')).toEqual(['_schemas', 'orders', 'payments'])
    expect(fake.callsOf('describeTopics')).toEqual([[{configs: false}]])
  })

  it('groups: every listed group, sorted', async () => {
    const fake = new FakeKafka()
    fake.addGroup('zeta')
    fake.addGroup('billing', {members: [{}]})
    fake.addGroup('alpha', {protocolType: ''})
    expect(await liveNames(fake.client(), 'group')).toEqual(['alpha', 'billing', 'zeta'])
    expect(fake.calls.map((c) => c.method)).toEqual(['listGroups'])
  })
})
