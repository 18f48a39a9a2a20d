import {describe, expect, it} from 'vitest'

import {applyCreateAcls, applyDeleteAcls, listAcls, planCreateAcls, planDeleteAcls} from '../../../src/app/acls.js'
import type {AclBinding} from '../../../src/core/acls.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

const acl = (over: Partial<AclBinding>): AclBinding => ({
  principal: 'User:alice',
  host: '*',
  resourceType: 'topic',
  resourceName: 'orders',
  patternType: 'literal',
  operation: 'read',
  permission: 'allow',
  ...over,
})

function cluster(): FakeKafka {
  const fake = new FakeKafka()
  fake.acls.push(
    acl({principal: 'User:bob', operation: 'write'}),
    acl({operation: 'describe'}),
    acl({operation: 'read'}),
    acl({resourceName: 'orders.', patternType: 'prefixed', operation: 'read'}),
    acl({principal: 'User:carol', resourceType: 'group', resourceName: 'billing'}),
  )
  return fake
}

describe('listAcls', () => {
  it('what the filter matches, sorted by principal, resource, pattern and operation; one DescribeAcls', async () => {
    const fake = cluster()
    const filter = {resourceType: 'topic', resourceName: 'orders', patternType: 'literal'} as const
    const listed = await listAcls(fake.client(), filter)
    expect(listed.map((a) => [a.principal, a.operation])).toEqual([
      ['User:alice', 'read'],
      ['User:alice', 'describe'],
      ['User:bob', 'write'],
    ])
    expect(fake.callsOf('describeAcls')).toEqual([[filter]])
  })
})

describe('planCreateAcls / applyCreateAcls', () => {
  it('splits the wanted bindings into new and existing from one read of their resource; apply creates only the new ones in one request', async () => {
    const fake = cluster()
    const wanted = [acl({operation: 'read'}), acl({operation: 'write'}), acl({operation: 'describe', permission: 'deny'})]
    const plan = await planCreateAcls(fake.client(), wanted)
    expect(fake.callsOf('describeAcls')).toEqual([[{resourceType: 'topic', resourceName: 'orders', patternType: 'literal'}]])
    expect(plan.existing).toEqual([acl({operation: 'read'})])
    expect(plan.create).toEqual([acl({operation: 'write'}), acl({operation: 'describe', permission: 'deny'})])

    await applyCreateAcls(fake.client(), plan)
    expect(fake.callsOf('createAcls')).toEqual([[plan.create]])
    expect(fake.acls).toHaveLength(7)
  })

  it('a prefixed binding on the same name is not the literal one: it is created', async () => {
    const fake = cluster()
    const plan = await planCreateAcls(fake.client(), [acl({resourceName: 'orders', patternType: 'prefixed'})])
    expect(plan.create).toHaveLength(1)
    expect(plan.existing).toEqual([])
  })

  it('nothing new: no CreateAcls request', async () => {
    const fake = cluster()
    const plan = await planCreateAcls(fake.client(), [acl({operation: 'describe'})])
    await applyCreateAcls(fake.client(), plan)
    expect(fake.callsOf('createAcls')).toEqual([])
  })
})

describe('planDeleteAcls / applyDeleteAcls', () => {
  it('refuses a filter that names nothing (it would remove every ACL), before connecting', async () => {
    const fake = cluster()
    const error = await rejection(planDeleteAcls(fake.client(), {patternType: 'any'}))
    expect(error.code).toBe('INVALID_ACL')
    expect(error.message).toMatch(/^name what to delete/)
    expect(fake.calls).toEqual([])
    expect(fake.acls).toHaveLength(5)
  })

  it('shows what the filter matches, and deletes exactly those bindings (an ACL added since is not removed)', async () => {
    const fake = cluster()
    const shown = await planDeleteAcls(fake.client(), {principal: 'User:alice', patternType: 'any'})
    expect(shown.map((a) => [a.resourceName, a.patternType, a.operation])).toEqual([
      ['orders', 'literal', 'read'],
      ['orders', 'literal', 'describe'],
      ['orders.', 'prefixed', 'read'],
    ])
    fake.acls.push(acl({operation: 'alter'}))
    const deleted = await applyDeleteAcls(fake.client(), shown)
    expect(fake.callsOf('deleteAcls')).toEqual([[shown]])
    expect(deleted).toEqual(shown)
    expect(fake.acls.filter((a) => a.principal === 'User:alice')).toEqual([acl({operation: 'alter'})])
  })
})
