import {afterEach, describe, expect, it} from 'vitest'
import {Document} from 'yaml'

import {applySecurityPlan, planSecurity} from '../../../src/app/declarative-security.js'
import {planSecurityChanges, type LiveSecurity} from '../../../src/core/security-plan.js'
import {exportSecuritySpec} from '../../../src/core/security-export.js'
import {lintTopicsFile} from '../../../src/core/topics-lint.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka} from './fake-kafka.js'

const head = 'version: 1\ntopics: []\n'
const specOf = (text: string) => {
  const {spec, problems} = lintTopicsFile(text, '/tmp/topics.yaml')
  if (!spec) throw new Error(problems.map((p) => p.message).join('\n'))
  return spec
}
const READS = ['describeAcls', 'describeScramUsers', 'describeClientQuotas']

const file = `${head}acls:
  - principal: User:app
    producer: orders
  - principal: User:app
    resource: {type: group, name: g}
    operations: [read]
users:
  - {name: app, passwordEnv: TEST_SEC_APP_PW}
quotas:
  - {user: app, producer_byte_rate: 1MiB/s}
  - {clientId: '<default>', request_percentage: 50}
`

describe('declarative security use cases', () => {
  afterEach(() => {
    delete process.env.TEST_SEC_APP_PW
  })

  it('a topics-only file reads no ACLs, users or quotas; a users-only file reads only users', async () => {
    const fake = new FakeKafka()
    expect(await planSecurity(fake.client(), specOf(head), {prune: false, updatePasswords: false})).toBeUndefined()
    expect(fake.calls.filter((c) => READS.includes(c.method))).toEqual([])
    await planSecurity(fake.client(), specOf(`${head}users: [{name: a, passwordEnv: X}]\n`), {prune: false, updatePasswords: false})
    expect(fake.calls.map((c) => c.method)).toEqual(['describeScramUsers'])
  })

  it('applies in one request per kind, then plans again with nothing left', async () => {
    process.env.TEST_SEC_APP_PW = 'pw'
    const fake = new FakeKafka()
    const spec = specOf(file)
    const planned = (await planSecurity(fake.client(), spec, {prune: false, updatePasswords: false}))!
    expect(planned.errors).toEqual([])
    expect(planned.summary).toMatchObject({aclsToCreate: 4, usersToCreate: 1, quotasToChange: 2})
    const report = await applySecurityPlan(fake.client(), spec, planned, {prune: false})
    expect(report.failed).toEqual([])
    expect(report.applied).toHaveLength(7)
    expect(fake.callsOf('createAcls')).toHaveLength(1)
    expect(fake.callsOf('alterScramCredentials')).toHaveLength(1)
    expect(fake.callsOf('alterClientQuotas')).toHaveLength(1)
    expect(report.after?.plan.changes).toEqual([])
    expect(fake.scram.get('app')?.get('SCRAM-SHA-512')).toBe(8192)
  })

  it('an unset password env var is a plan error at the user entry, and apply writes nothing', async () => {
    const fake = new FakeKafka()
    const spec = specOf(file)
    const planned = (await planSecurity(fake.client(), spec, {prune: false, updatePasswords: false}))!
    expect(planned.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(['10:5 user "app": password env var TEST_SEC_APP_PW is not set'])
    await expect(applySecurityPlan(fake.client(), spec, planned, {prune: false})).rejects.toBeInstanceOf(KafkitError)
    expect(fake.calls.filter((c) => !READS.includes(c.method))).toEqual([])
  })

  it('a refused CreateAcls is retried per ACL: the others are created, the refused one reported', async () => {
    process.env.TEST_SEC_APP_PW = 'pw'
    const fake = new FakeKafka()
    const spec = specOf(file)
    const planned = (await planSecurity(fake.client(), spec, {prune: false, updatePasswords: false}))!
    fake.failNext('createAcls', new KafkitError('batch refused'))
    fake.failNext('createAcls', new KafkitError('this one refused'))
    const report = await applySecurityPlan(fake.client(), spec, planned, {prune: false})
    expect(report.failed).toEqual([{kind: 'acl-create', item: 'ALLOW User:app write topic:orders (literal) from *', error: 'this one refused'}])
    expect(fake.callsOf('createAcls')).toHaveLength(5)
    expect(fake.acls).toHaveLength(3)
    expect(report.after?.plan.changes.map((c) => c.kind)).toEqual(['acl-create'])
  })

  it("a user's two mechanisms go in two AlterUserScramCredentials requests (Kafka refuses a user twice in one)", async () => {
    process.env.TEST_SEC_APP_PW = 'pw'
    const fake = new FakeKafka()
    const spec = specOf(`${head}users:\n  - {name: app, mechanism: SCRAM-SHA-256, passwordEnv: TEST_SEC_APP_PW}\n  - {name: app, passwordEnv: TEST_SEC_APP_PW}\n  - {name: other, passwordEnv: TEST_SEC_APP_PW}\n`)
    const planned = (await planSecurity(fake.client(), spec, {prune: false, updatePasswords: false}))!
    const report = await applySecurityPlan(fake.client(), spec, planned, {prune: false})
    expect(report.failed).toEqual([])
    const requests = fake.callsOf('alterScramCredentials').map(([c]) => (c as {upsert: {user: string; mechanism: string}[]}).upsert.map((u) => `${u.user} ${u.mechanism}`))
    expect(requests).toEqual([['app SCRAM-SHA-256', 'other SCRAM-SHA-512'], ['app SCRAM-SHA-512']])
  })

  it('export then plan against the same cluster: no changes', () => {
    const live: LiveSecurity = {
      acls: [
        {principal: 'User:a', host: '*', resourceType: 'topic' as const, resourceName: 'x.', patternType: 'prefixed' as const, operation: 'write' as const, permission: 'allow' as const},
        {principal: 'User:a', host: '*', resourceType: 'topic' as const, resourceName: 'x.', patternType: 'prefixed' as const, operation: 'describe' as const, permission: 'allow' as const},
        {principal: 'User:a', host: '10.0.0.1', resourceType: 'cluster' as const, resourceName: 'kafka-cluster', patternType: 'literal' as const, operation: 'idempotent-write' as const, permission: 'deny' as const},
      ],
      users: [{user: 'a', credentials: [{mechanism: 'SCRAM-SHA-256', iterations: 4096}, {mechanism: 'SCRAM-SHA-512', iterations: 8192}]}],
      quotas: [
        {entity: [{type: 'user' as const, name: null}], values: {producer_byte_rate: 1048576}},
        {entity: [{type: 'user' as const, name: 'a'}, {type: 'client-id' as const, name: 'c'}], values: {request_percentage: 200, controller_mutation_rate: 2.5}},
      ],
    }
    const {sections, counts} = exportSecuritySpec(live)
    expect(counts).toEqual({acls: 3, users: 2, quotas: 2})
    const text = new Document({version: 1, topics: [], ...sections}).toString()
    expect(text).not.toMatch(/password:/)
    const spec = specOf(text)
    const plan = planSecurityChanges(spec.security!, live, {prune: true, updatePasswords: false})
    expect(plan.changes).toEqual([])
    expect(plan.inSync).toEqual({acls: 3, users: 2, quotas: 2})
  })
})
