import {describe, expect, it} from 'vitest'

import {deleteUser, listUsers, upsertUser, userMechanisms} from '../../../src/app/users.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

function cluster(): FakeKafka {
  const fake = new FakeKafka()
  fake.scram.set('zoe', new Map([['SCRAM-SHA-512', 8192]]))
  fake.scram.set('alice', new Map([['SCRAM-SHA-256', 4096], ['SCRAM-SHA-512', 4096]]))
  return fake
}

describe('listUsers', () => {
  it('every SCRAM user with mechanisms and iterations, sorted; no names asks for all (null)', async () => {
    const fake = cluster()
    expect(await listUsers(fake.client())).toEqual([
      {user: 'alice', credentials: [{mechanism: 'SCRAM-SHA-256', iterations: 4096}, {mechanism: 'SCRAM-SHA-512', iterations: 4096}]},
      {user: 'zoe', credentials: [{mechanism: 'SCRAM-SHA-512', iterations: 8192}]},
    ])
    await listUsers(fake.client(), [])
    expect(fake.callsOf('describeScramUsers')).toEqual([[null], [null]])
  })

  it('named users without a credential are USER_NOT_FOUND, all of them in one line', async () => {
    const fake = cluster()
    const error = await rejection(listUsers(fake.client(), ['alice', 'bob', 'carl']))
    expect(error.code).toBe('USER_NOT_FOUND')
    expect(error.message).toBe('SCRAM users "bob", "carl" not found on fake:9092')
    expect(fake.callsOf('describeScramUsers')).toEqual([[['alice', 'bob', 'carl']]])
  })

  it('one named user missing is USER_NOT_FOUND too (singular), not the broker\'s RESOURCE_NOT_FOUND', async () => {
    const error = await rejection(listUsers(cluster().client(), ['bob']))
    expect(error.code).toBe('USER_NOT_FOUND')
    expect(error.message).toBe('SCRAM user "bob" not found on fake:9092')
    expect(error.hint).toBe('kafkit users list shows what exists')
  })
})

describe('userMechanisms', () => {
  it("the user's mechanisms, [] for a user without a credential", async () => {
    const fake = cluster()
    expect(await userMechanisms(fake.client(), 'alice')).toEqual(['SCRAM-SHA-256', 'SCRAM-SHA-512'])
    expect(await userMechanisms(fake.client(), 'bob')).toEqual([])
  })
})

describe('upsertUser / deleteUser', () => {
  it('upsert sends the wire mechanism name, password and iterations in one request', async () => {
    const fake = cluster()
    await upsertUser(fake.client(), {user: 'bob', mechanism: 'scram-sha-256', password: 'pw', iterations: 10000})
    expect(fake.callsOf('alterScramCredentials')).toEqual([[{upsert: [{user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'pw', iterations: 10000}]}]])
    expect(await userMechanisms(fake.client(), 'bob')).toEqual(['SCRAM-SHA-256'])
  })

  it('delete removes the mechanisms named in one request; one the user lacks is refused with the broker code', async () => {
    const fake = cluster()
    await deleteUser(fake.client(), 'alice', ['SCRAM-SHA-256', 'SCRAM-SHA-512'])
    expect(fake.callsOf('alterScramCredentials')).toEqual([
      [
        {
          delete: [
            {user: 'alice', mechanism: 'SCRAM-SHA-256'},
            {user: 'alice', mechanism: 'SCRAM-SHA-512'},
          ],
        },
      ],
    ])
    expect(fake.scram.has('alice')).toBe(false)
    const error = await rejection(deleteUser(fake.client(), 'zoe', ['SCRAM-SHA-256']))
    expect(error.code).toBe('RESOURCE_NOT_FOUND')
    expect(error.message).toMatch(/^user zoe not deleted: /)
  })
})
