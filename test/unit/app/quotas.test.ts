import {describe, expect, it} from 'vitest'

import {applyQuotas, listQuotas, planQuotas} from '../../../src/app/quotas.js'
import {quotaListFilter} from '../../../src/cli/quota-flags.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka} from './fake-kafka.js'

type Entity = {type: 'user' | 'client-id' | 'ip'; name: string | null}[]

function cluster(): FakeKafka {
  const fake = new FakeKafka()
  const add = (entity: Entity, values: Record<string, number>) => fake.quotas.set(JSON.stringify(entity), {entity, values})
  add([{type: 'user', name: 'alice'}], {producer_byte_rate: 1024})
  add([{type: 'user', name: 'alice'}, {type: 'client-id', name: 'app'}], {consumer_byte_rate: 2048})
  add([{type: 'user', name: null}], {request_percentage: 50})
  add([{type: 'ip', name: '10.0.0.1'}], {connection_creation_rate: 10})
  return fake
}

describe('quotaListFilter', () => {
  it('each flag narrows; a name wins over the default flag of the same type', () => {
    expect(quotaListFilter({})).toEqual([])
    expect(quotaListFilter({user: 'alice', 'user-default': true, 'client-id-default': true})).toEqual([
      {type: 'user', match: 'exact', name: 'alice'},
      {type: 'client-id', match: 'default'},
    ])
  })
})

describe('listQuotas', () => {
  it('quotas of users and client ids sorted by entity, without IP quotas; the filter goes to the broker as given', async () => {
    const fake = cluster()
    expect(await listQuotas(fake.client(), [])).toEqual([
      {entity: [{type: 'user', name: null}], values: {request_percentage: 50}},
      {entity: [{type: 'user', name: 'alice'}], values: {producer_byte_rate: 1024}},
      {entity: [{type: 'user', name: 'alice'}, {type: 'client-id', name: 'app'}], values: {consumer_byte_rate: 2048}},
    ])
    const filter = quotaListFilter({'client-id': 'app'})
    expect((await listQuotas(fake.client(), filter)).map((q) => q.values)).toEqual([{consumer_byte_rate: 2048}])
    expect(fake.callsOf('describeClientQuotas')).toEqual([[[]], [filter]])
  })
})

describe('planQuotas / applyQuotas', () => {
  it("plans against the entity's own quotas only (a strict read), not those of alice+app", async () => {
    const fake = cluster()
    const plan = await planQuotas(fake.client(), [{type: 'user', name: 'alice'}], {set: {producer_byte_rate: 4096, consumer_byte_rate: 100}})
    expect(fake.callsOf('describeClientQuotas')).toEqual([[[{type: 'user', match: 'exact', name: 'alice'}], {strict: true}]])
    expect(plan.changes).toEqual([
      {key: 'producer_byte_rate', old: 1024, new: 4096, unchanged: false},
      {key: 'consumer_byte_rate', old: null, new: 100, unchanged: false},
    ])
  })

  it('the default user entity is read with the default match', async () => {
    const fake = cluster()
    const plan = await planQuotas(fake.client(), [{type: 'user', name: null}], {delete: ['request_percentage', 'producer_byte_rate']})
    expect(fake.callsOf('describeClientQuotas')[0]).toEqual([[{type: 'user', match: 'default'}], {strict: true}])
    expect(plan.changes).toEqual([
      {key: 'request_percentage', old: 50, new: null, unchanged: false},
      {key: 'producer_byte_rate', old: null, new: null, unchanged: true},
    ])
  })

  it('apply sends only the changing keys (set and remove) in one request; other keys stay', async () => {
    const fake = cluster()
    const entity = [{type: 'user' as const, name: 'alice'}]
    const plan = await planQuotas(fake.client(), entity, {set: {request_percentage: 25}, delete: ['producer_byte_rate', 'consumer_byte_rate']})
    expect(plan.changes.map((c) => c.unchanged)).toEqual([false, false, true])
    await applyQuotas(fake.client(), plan)
    expect(fake.callsOf('alterClientQuotas')).toEqual([[[{entity, set: {request_percentage: 25}, remove: ['producer_byte_rate']}]]])
    expect(fake.quotas.get(JSON.stringify(entity))?.values).toEqual({request_percentage: 25})
    expect(fake.quotas.get(JSON.stringify([...entity, {type: 'client-id', name: 'app'}]))?.values).toEqual({consumer_byte_rate: 2048})
  })

  it('nothing changing: no AlterClientQuotas request', async () => {
    const fake = cluster()
    const plan = await planQuotas(fake.client(), [{type: 'user', name: 'alice'}], {set: {producer_byte_rate: 1024}})
    await applyQuotas(fake.client(), plan)
    expect(fake.callsOf('alterClientQuotas')).toEqual([])
  })

  it("the broker's refusal is one line naming the entity, with the broker's code", async () => {
    const fake = cluster()
    fake.quotaRefusals.set('request_percentage', {code: 'INVALID_REQUEST' as never, message: 'request_percentage must be at most 100'})
    const plan = await planQuotas(fake.client(), [{type: 'user', name: 'bob'}], {set: {request_percentage: 500}})
    const error = await applyQuotas(fake.client(), plan).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KafkitError)
    expect((error as KafkitError).code).toBe('INVALID_REQUEST')
    expect((error as KafkitError).message).toMatch(/^quota of .*bob.* not changed: request_percentage must be at most 100$/)
  })
})
