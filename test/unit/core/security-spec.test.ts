import {describe, expect, it} from 'vitest'

import {formatProblem} from '../../../src/core/problem.js'
import {planSecurityChanges, summariseSecurityPlan, type LiveSecurity} from '../../../src/core/security-plan.js'
import {denyCovers} from '../../../src/core/security-lint.js'
import {lintTopicsFile} from '../../../src/core/topics-lint.js'
import type {AclBinding} from '../../../src/core/acls.js'

const lint = (text: string) => lintTopicsFile(text, 'f.yaml')
const lines = (text: string) => lint(text).problems.map(formatProblem)
const head = 'version: 1\npolicy: {naming: {severity: off}, minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}}\ntopics: []\n'

const acl = (b: Partial<AclBinding>): AclBinding => ({principal: 'User:a', host: '*', resourceType: 'topic', resourceName: 't', patternType: 'literal', operation: 'read', permission: 'allow', ...b})

describe('security sections of topics.yaml', () => {
  it('a topics-only file has no security spec (plan reads no ACLs, users or quotas)', () => {
    const {spec} = lint(head)
    expect(spec).toBeDefined()
    expect(spec!.security).toBeUndefined()
  })

  it('expands the producer and consumer roles into plain bindings', () => {
    const {spec, problems} = lint(`${head}acls:
  - principal: User:orders-app
    producer: {topic: orders., pattern: prefixed}
  - principal: User:billing
    consumer: {topic: orders.paid, group: billing}
`)
    expect(problems).toEqual([])
    const bindings = spec!.security!.acls.map((b) => `${b.principal} ${b.permission} ${b.operation} ${b.resourceType}:${b.resourceName} ${b.patternType} ${b.role} ${b.location.line}`)
    expect(bindings).toEqual([
      'User:orders-app allow write topic:orders. prefixed producer 5',
      'User:orders-app allow describe topic:orders. prefixed producer 5',
      'User:orders-app allow idempotent-write cluster:kafka-cluster literal producer 5',
      'User:billing allow read topic:orders.paid literal consumer 7',
      'User:billing allow describe topic:orders.paid literal consumer 7',
      'User:billing allow read group:billing literal consumer 7',
    ])
    expect(spec!.security!.reads).toEqual({acls: true, users: false, quotas: false})
  })

  it('bad input: unknown operation, unknown resource type, malformed principal, each at its line and column', () => {
    expect(lines(`${head}acls:
  - principal: alice
    resource: {type: topic, name: x}
    operations: [read]
  - principal: User:bob
    resource: {type: topics, name: x}
    operations: [read]
  - principal: User:bob
    resource: {type: topic, name: x}
    operations: [read, raed]
  - principal: User:bob
    resource: {type: cluster}
    operations: Read
  - principal: User:bob
    consumer: {topic: x}
`)).toEqual([
      'f.yaml:5:16: acls[0].principal: malformed principal "alice": expected TYPE:NAME, e.g. User:alice (User:* for every user)',
      'f.yaml:9:22: acls[1].resource.type: unknown ACL resource type "topics" (did you mean "topic"?); one of topic, group, cluster, transactional-id',
      'f.yaml:13:24: acls[2]: unknown ACL operation "raed" (did you mean "read"?); one of all, read, write, create, delete, alter, describe, cluster-action, describe-configs, alter-configs, idempotent-write',
      'f.yaml:16:17: acls[3]: Cluster does not take Read; it takes Create, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, Alter, Describe, All',
      'f.yaml:18:15: acls[4].consumer: name its group (consumer: {topic: x, group: NAME}); a consumer without Read on its group cannot commit or join',
    ])
    expect(lint(`${head}acls:\n  - principal: alice\n    producer: x\n`).spec).toBeUndefined()
    expect(lines(`${head}managed: {principals: [user:alice]}\n`)).toEqual([
      'f.yaml:4:24: managed.principals[0]: principal "user:alice": the type is "User" (did you mean "User:alice"?); Kafka matches it exactly',
    ])
  })

  it('users name a password source, never a password; quotas parse units', () => {
    expect(lines(`${head}users:\n  - name: app\n    password: hunter2\nquotas:\n  - user: app\n    producer_byte_rate: fast\n  - clientId: '<default>'\n    consumer_bytes_rate: 1\n`)).toEqual([
      'f.yaml:5:5: user "app": give exactly one of passwordEnv: VAR or passwordFile: PATH (a password is never written in the file)',
      'f.yaml:6:5: unknown key "users[0].password" (did you mean "passwordEnv"?)',
      'f.yaml:9:25: quota of user=app: producer_byte_rate=fast: not a rate like 1MiB/s, 512KiB/s or 1048576 (bytes per second)',
      'f.yaml:11:5: unknown key "quotas[1].consumer_bytes_rate" (did you mean "consumer_byte_rate"?)',
    ])
    expect(lines(`${head}quotas:\n  - {user: a, producer_byte_rate: 1.5, controller_mutation_rate: 2.5}\n`)).toEqual([
      'f.yaml:5:35: quota of user=a: producer_byte_rate=1.5: a byte rate is a whole number of bytes per second',
    ])
    const {spec} = lint(`${head}users:\n  - {name: app, mechanism: SCRAM-SHA-256, passwordEnv: APP_PW}\nquotas:\n  - {user: app, clientId: '<default>', producer_byte_rate: 1MiB/s, request_percentage: 200}\n`)
    expect(spec!.security!.users).toMatchObject([{name: 'app', mechanism: 'SCRAM-SHA-256', password: {env: 'APP_PW'}}])
    expect(spec!.security!.quotas[0]).toMatchObject({entity: [{type: 'user', name: 'app'}, {type: 'client-id', name: null}], values: {producer_byte_rate: 1048576, request_percentage: 200}})
  })

  it('lint: Write on *, a consumer without its group, a DENY shadowing every ALLOW, a quota of 0; severities from policy', () => {
    const file = `${head}acls:
  - principal: User:wild
    producer: '*'
  - principal: User:reader
    resource: {type: topic, name: orders., pattern: prefixed}
    operations: [read, describe]
  - principal: User:shadowed
    resource: {type: topic, name: orders.paid}
    operations: [write, describe]
  - principal: User:shadowed
    resource: {type: topic, name: orders., pattern: prefixed}
    operations: [all]
    permission: deny
quotas:
  - {user: slow, producer_byte_rate: 0}
`
    expect(lines(file)).toEqual([
      'f.yaml:5:5: warning: User:wild may Write every topic (Topic:* LITERAL): grant the topics or a prefix it writes',
      'f.yaml:7:5: warning: User:reader may read Topic:orders. but no group: a consumer in a group needs Read on it (the consumer role: consumer: {topic, group})',
      'f.yaml:13:5: warning: every ALLOW of User:shadowed is cancelled by a DENY (DENY wins in Kafka): it can do nothing the file grants it',
      'f.yaml:18:38: warning: quota of user=slow: producer_byte_rate 0/s stops the client rather than slowing it; remove the key for no limit',
    ])
    // A producer role's IdempotentWrite on the cluster is not cancelled by a DENY on topics.
    expect(lines(file.replace('    resource: {type: topic, name: orders.paid}\n    operations: [write, describe]\n', '    producer: orders.paid\n'))).toHaveLength(3)
    const strict = lint(file.replace('policy: {', 'policy: {aclWriteOnAll: {severity: error}, zeroQuota: {severity: off}, '))
    expect(strict.spec).toBeUndefined()
    expect(strict.problems.map((p) => p.severity)).toEqual(['error', 'warning', 'warning'])
  })

  it('a DENY covers an ALLOW only on the same type and operation (or All), host, and a name it includes', () => {
    expect(denyCovers(acl({permission: 'deny', resourceName: '*'}), acl({resourceName: 'x'}))).toBe(true)
    expect(denyCovers(acl({permission: 'deny', patternType: 'prefixed', resourceName: 'ord'}), acl({resourceName: 'orders'}))).toBe(true)
    expect(denyCovers(acl({permission: 'deny', patternType: 'prefixed', resourceName: 'ord'}), acl({resourceName: 'x'}))).toBe(false)
    expect(denyCovers(acl({permission: 'deny', operation: 'write'}), acl({}))).toBe(false)
    expect(denyCovers(acl({permission: 'deny', operation: 'all'}), acl({}))).toBe(true)
    expect(denyCovers(acl({permission: 'deny', host: '10.0.0.1'}), acl({}))).toBe(false)
    expect(denyCovers(acl({permission: 'deny', resourceType: 'group'}), acl({}))).toBe(false)
  })
})

describe('security plan', () => {
  const spec = lint(`${head}managed:
  principals: [User:app]
  users: [old]
  quotas: [{user: app}]
acls:
  - principal: User:app
    producer: orders
users:
  - {name: app, passwordEnv: X}
  - {name: fixed, iterations: 8192, passwordEnv: X}
quotas:
  - {user: app, producer_byte_rate: 1MiB/s}
`).spec!.security!

  const live: LiveSecurity = {
    // Created in another order, one of them already there: in sync.
    acls: [
      acl({principal: 'User:app', operation: 'describe', resourceName: 'orders'}),
      acl({principal: 'User:app', operation: 'read', resourceName: 'other'}),
      acl({principal: 'User:someone', operation: 'read', resourceName: 'orders'}),
    ],
    users: [
      {user: 'fixed', credentials: [{mechanism: 'SCRAM-SHA-512', iterations: 4096}]},
      {user: 'old', credentials: [{mechanism: 'SCRAM-SHA-256', iterations: 4096}]},
      {user: 'kafkit', credentials: [{mechanism: 'SCRAM-SHA-512', iterations: 4096}]},
    ],
    quotas: [
      {entity: [{type: 'user', name: 'app'}], values: {producer_byte_rate: 1048576, consumer_byte_rate: 10}},
      {entity: [{type: 'user', name: 'app'}, {type: 'client-id', name: 'x'}], values: {request_percentage: 50}},
      {entity: [{type: 'client-id', name: 'y'}], values: {request_percentage: 50}},
    ],
  }

  it('compares effectively and leaves unmanaged items alone without --prune', () => {
    const plan = planSecurityChanges(spec, live, {prune: false, updatePasswords: false})
    expect(plan.changes.map((c) => `${c.kind} ${'binding' in c ? `${c.binding.principal} ${c.binding.operation} ${c.binding.resourceName}` : 'user' in c ? `${c.user} ${c.mechanism}${'reason' in c ? ` ${c.reason}` : ''}` : `${c.label} ${JSON.stringify(c.entries)}`}`)).toEqual([
      'user-create app SCRAM-SHA-512',
      'user-update fixed SCRAM-SHA-512 iterations 4096 → 8192',
      'acl-create User:app write orders',
      'acl-create User:app idempotent-write kafka-cluster',
      'quota user=app [{"key":"consumer_byte_rate","from":10,"to":null}]',
    ])
    expect(plan.inSync).toEqual({acls: 1, users: 0, quotas: 0})
    expect(plan.unmanaged.users).toEqual(['kafkit', 'old'])
    expect(plan.unmanaged.quotas).toEqual(['client-id=y', 'user=app, client-id=x'])
    expect(plan.unmanaged.acls.map((b) => b.principal)).toEqual(['User:app', 'User:someone'])
  })

  it('--prune deletes only under the managed scope; --update-passwords rewrites in-sync credentials', () => {
    const plan = planSecurityChanges(spec, live, {prune: true, updatePasswords: true})
    const kinds = plan.changes.map((c) => c.kind)
    expect(kinds).toEqual(['user-create', 'user-update', 'acl-create', 'acl-create', 'quota', 'quota', 'acl-delete', 'user-delete'])
    expect(plan.changes.filter((c) => c.kind === 'acl-delete').map((c) => (c as {binding: AclBinding}).binding.resourceName)).toEqual(['other'])
    expect(plan.changes.find((c) => c.kind === 'user-delete')).toEqual({kind: 'user-delete', user: 'old', mechanism: 'SCRAM-SHA-256'})
    expect(plan.unmanaged).toEqual({acls: [live.acls![2]], users: ['kafkit'], quotas: ['client-id=y']})
    expect(summariseSecurityPlan(plan)).toEqual({aclsToCreate: 2, aclsToDelete: 1, usersToCreate: 1, usersToUpdate: 1, usersToDelete: 1, quotasToChange: 2, inSync: 1})

    const synced = planSecurityChanges(spec, {...live, users: [{user: 'app', credentials: [{mechanism: 'SCRAM-SHA-512', iterations: 4096}]}]}, {prune: false, updatePasswords: true})
    expect(synced.changes.find((c) => c.kind === 'user-update' && c.user === 'app')).toMatchObject({reason: '--update-passwords', iterations: 4096})
  })
})
