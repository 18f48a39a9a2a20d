import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {kafkaTool, kafkit, uniqueName} from '../helpers.js'

/**
 * acls, users and quotas declared in topics.yaml, planned and applied against the secure test
 * node's StandardAuthorizer (allow.everyone.if.no.acl.found=false): users the file creates log in
 * and may do exactly what the file grants; cross-checked with Kafka's AclCommand and
 * ConfigCommand on the node's PLAINTEXT listener.
 */
describe('topics plan/apply with acls, users and quotas', () => {
  const secure = inject('kafkaSecure')
  const plain = secure.plaintextBootstrap!
  const id = uniqueName('sd').replace('.', '-')
  const producer = `${id}-producer`
  const consumer = `${id}-consumer`
  const stranger = `${id}-stranger`
  const operator = `${id}-operator`
  const topicX = `${id}.orders.x`
  const topicY = `${id}.orders.y`
  const group = `${id}-billing`
  const clientId = `${id}-app`
  let dir: string
  let env: Record<string, string | undefined>

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafkit-secdecl-'))
    const config = join(dir, 'config.yaml')
    const context = (user: string, passwordEnv: string) =>
      `    brokers: [${secure.bootstrap}]\n    tls: {ca: ${secure.caFile}}\n    sasl: {mechanism: scram-sha-512, username: ${user}, passwordEnv: ${passwordEnv}}\n`
    writeFileSync(
      config,
      `currentContext: admin\ncontexts:\n  admin:\n${context(secure.username, 'TEST_ADMIN_PASSWORD')}  producer:\n${context(producer, 'TEST_PRODUCER_PASSWORD')}  consumer:\n${context(consumer, 'TEST_CONSUMER_PASSWORD')}  operator:\n${context(operator, 'TEST_OPERATOR_PASSWORD')}`,
    )
    writeFileSync(join(dir, 'consumer.password'), 'consumer-secret-1\n')
    env = {
      KAFKIT_CONFIG: config,
      KAFKA_BOOTSTRAP_SERVERS: undefined,
      TEST_ADMIN_PASSWORD: secure.password,
      TEST_PRODUCER_PASSWORD: 'producer-secret-1',
      TEST_CONSUMER_PASSWORD: 'consumer-secret-1',
      TEST_OPERATOR_PASSWORD: 'operator-secret-1',
    }
  })

  const run = (args: string[], opts: {context?: string; input?: string; env?: Record<string, string | undefined>} = {}) =>
    kafkit([...args, '--context', opts.context ?? 'admin'], {env: {...env, ...opts.env}, input: opts.input})

  const writeFile = (name: string, text: string) => {
    const file = join(dir, name)
    writeFileSync(file, text)
    return file
  }

  const fileText = (quota: string) => `version: 1
defaults: {partitions: 1, replicationFactor: 1}
policy: {naming: {severity: off}, minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}}
managed:
  principals: [User:${producer}, User:${consumer}]
  users: [${producer}, ${consumer}]
  quotas: [{user: ${producer}}]
topics:
  - name: ${topicX}
  - name: ${topicY}
acls:
  - principal: User:${producer}
    producer: ${topicX}
  - principal: User:${consumer}
    consumer: {topic: ${id}.orders., pattern: prefixed, group: ${group}}
users:
  - {name: ${producer}, passwordEnv: TEST_PRODUCER_PASSWORD}
  - {name: ${consumer}, passwordFile: consumer.password, iterations: 4096}
quotas:
  - {user: ${producer}, producer_byte_rate: ${quota}}
  - {user: ${consumer}, clientId: ${clientId}, consumer_byte_rate: 512KiB/s, request_percentage: 200}
`

  it('apply grants exactly what the file says; plan after apply shows no changes; Kafka tools agree', async () => {
    const file = writeFile('topics.yaml', fileText('1MiB/s'))
    const plan = await run(['topics', 'plan', '-f', file, '--detailed-exitcode'])
    expect(plan.code, plan.stderr).toBe(2)
    // Roles shown expanded; credentials without anything secret.
    expect(plan.stdout).toContain(`+ user ${producer}: create credentials (SCRAM-SHA-512, 8192 iterations)`)
    expect(plan.stdout).toContain(`+ user ${consumer}: create credentials (SCRAM-SHA-512, 4096 iterations)`)
    expect(plan.stdout).toContain(`+ ALLOW User:${producer} Write Topic:${topicX} (LITERAL) from * (producer role)`)
    expect(plan.stdout).toContain(`+ ALLOW User:${producer} Describe Topic:${topicX} (LITERAL) from * (producer role)`)
    expect(plan.stdout).toContain(`+ ALLOW User:${producer} IdempotentWrite Cluster:kafka-cluster (LITERAL) from * (producer role)`)
    expect(plan.stdout).toContain(`+ ALLOW User:${consumer} Read Topic:${id}.orders. (PREFIXED) from * (consumer role)`)
    expect(plan.stdout).toContain(`+ ALLOW User:${consumer} Read Group:${group} (LITERAL) from * (consumer role)`)
    expect(plan.stdout).toContain(`+ quotas of user=${producer}\n    producer_byte_rate: (none) → 1MiB/s`)
    expect(plan.stdout).toContain('Security plan: ACLs: 6 to create, 0 to delete; credentials: 2 to create, 0 to update, 0 to delete; quotas: 2 entities to change; 0 in sync.')
    expect(plan.stdout).not.toContain('secret')

    const json = JSON.parse((await run(['topics', 'plan', '-f', file, '-o', 'json'])).stdout)
    expect(json.security.summary).toEqual({aclsToCreate: 6, aclsToDelete: 0, usersToCreate: 2, usersToUpdate: 0, usersToDelete: 0, quotasToChange: 2, inSync: 0})
    const markdown = await run(['topics', 'plan', '-f', file, '-o', 'markdown'])
    expect(markdown.stdout).toContain(`+ ALLOW User:${producer} Write Topic:${topicX} (LITERAL) from * (producer role)`)
    expect(markdown.stdout.split('\n')[0]).toBe('### kafkit topics plan — Plan: 2 to create, 0 to change, 0 to delete; 0 in sync. Security plan: ACLs: 6 to create, 0 to delete; credentials: 2 to create, 0 to update, 0 to delete; quotas: 2 entities to change; 0 in sync.')

    const applied = await run(['topics', 'apply', '-f', file, '--yes'])
    expect(applied.code, applied.stderr).toBe(0)
    expect(applied.stdout).toContain('Applied 2 change(s).\n2 topics in sync.\nApplied 10 security changes.\n10 in sync (ACLs, credentials, quota entities).')

    const again = await run(['topics', 'plan', '-f', file, '--detailed-exitcode'])
    expect(again.code, again.stdout).toBe(0)
    expect(again.stdout).toContain('No security changes. 10 in sync (ACLs, credentials, quota entities).')
    expect((await run(['topics', 'apply', '-f', file, '--yes'])).stdout).toContain('No security changes.')

    // The created users log in; each does what its role grants, and nothing else.
    const produced = await run(['produce', topicX], {context: 'producer', input: 'one\ntwo\n'})
    expect(produced.code, produced.stderr).toBe(0)
    const refused = await run(['produce', topicY], {context: 'producer', input: 'x\n'})
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`not authorized to access topic "${topicY}" as User:${producer}`)
    const refusedJson = await run(['produce', topicY, '--json'], {context: 'producer', input: 'x\n'})
    expect(JSON.parse(refusedJson.stdout).error.code).toBe('TOPIC_AUTHORIZATION_FAILED')
    const consumed = await run(['consume', topicX, '--from-beginning', '-e', '--group', group], {context: 'consumer'})
    expect(consumed, consumed.stderr).toMatchObject({code: 0, stdout: 'one\ntwo\n'})
    const otherGroup = await run(['consume', topicX, '--from-beginning', '-e', '--group', `${group}-other`], {context: 'consumer'})
    expect(otherGroup.code).toBe(1)
    expect(otherGroup.stderr).toContain(`not authorized to use consumer group "${group}-other"`)
    const consumerWrites = await run(['produce', topicX], {context: 'consumer', input: 'x\n'})
    expect(consumerWrites.code).toBe(1)
    const wrongPassword = await run(['cluster', 'info'], {context: 'producer', env: {TEST_PRODUCER_PASSWORD: 'wrong'}})
    expect(wrongPassword.stderr).toContain('wrong user name or password')

    // Kafka's AclCommand lists the same bindings.
    const listed = kafkaTool('acls', ['--list', '--principal', `User:${producer}`], {bootstrap: plain})
    expect(listed.status, listed.stderr).toBe(0)
    expect(listed.stdout).toContain(`ResourcePattern(resourceType=TOPIC, name=${topicX}, patternType=LITERAL)`)
    for (const op of ['WRITE', 'DESCRIBE', 'IDEMPOTENT_WRITE']) expect(listed.stdout).toContain(`(principal=User:${producer}, host=*, operation=${op}, permissionType=ALLOW)`)
    const listedConsumer = kafkaTool('acls', ['--list', '--principal', `User:${consumer}`], {bootstrap: plain})
    expect(listedConsumer.stdout).toContain(`ResourcePattern(resourceType=TOPIC, name=${id}.orders., patternType=PREFIXED)`)
    expect(listedConsumer.stdout).toContain(`ResourcePattern(resourceType=GROUP, name=${group}, patternType=LITERAL)`)
    // ConfigCommand shows the quotas.
    const quota = kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', producer], {bootstrap: plain})
    expect(quota.stdout).toContain('producer_byte_rate=1048576.0')
    const clientQuota = kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', consumer, '--entity-type', 'clients', '--entity-name', clientId], {bootstrap: plain})
    expect(clientQuota.stdout).toContain('consumer_byte_rate=524288.0')
    expect(clientQuota.stdout).toContain('request_percentage=200.0')

    // A changed quota is old → new; an ACL created by hand, in another order, is in sync.
    const changed = writeFile('changed.yaml', fileText('2MiB/s'))
    const quotaPlan = await run(['topics', 'plan', '-f', changed])
    expect(quotaPlan.stdout).toContain(`~ quotas of user=${producer}\n    producer_byte_rate: 1MiB/s → 2MiB/s`)
    expect((await run(['topics', 'apply', '-f', changed, '--yes'])).code).toBe(0)
    expect(kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', producer], {bootstrap: plain}).stdout).toContain('producer_byte_rate=2097152.0')

    // --prune: an extra ACL of a managed principal goes, one of an unmanaged principal stays.
    expect((await run(['acls', 'create', '--principal', `User:${producer}`, '--operation', 'read', '--topic', topicY])).code).toBe(0)
    expect((await run(['acls', 'create', '--principal', `User:${stranger}`, '--operation', 'read', '--topic', topicY])).code).toBe(0)
    const withExtra = await run(['topics', 'plan', '-f', changed, '--detailed-exitcode'])
    expect(withExtra.code).toBe(0)
    expect(withExtra.stdout).toMatch(new RegExp(`Unmanaged \\(live, not in the file, left alone\\): \\d+ ACLs of .*User:${producer}`))
    const prunePlan = await run(['topics', 'plan', '-f', changed, '--prune', '-o', 'json'])
    const deletes = JSON.parse(prunePlan.stdout).security.plan.changes.filter((c: any) => c.kind === 'acl-delete')
    expect(deletes).toEqual([{kind: 'acl-delete', binding: {principal: `User:${producer}`, host: '*', resourceType: 'topic', resourceName: topicY, patternType: 'literal', operation: 'read', permission: 'allow'}}])
    const pruned = await run(['topics', 'apply', '-f', changed, '--prune', '--yes'])
    expect(pruned.code, pruned.stdout + pruned.stderr).toBe(0)
    expect(pruned.stdout).toContain(`- ALLOW User:${producer} Read Topic:${topicY} (LITERAL) from *`)
    const afterPrune = kafkaTool('acls', ['--list', '--topic', topicY], {bootstrap: plain})
    expect(afterPrune.stdout).not.toContain(`principal=User:${producer}`)
    expect(afterPrune.stdout).toContain(`principal=User:${stranger}`)

    // export --security then plan: nothing of these principals, users or quotas differs.
    const exported = join(dir, 'exported.yaml')
    const exportRun = await run(['topics', 'export', '--security', '-o', exported])
    expect(exportRun.code, exportRun.stderr).toBe(0)
    const exportedPlan = JSON.parse((await run(['topics', 'plan', '-f', exported, '-o', 'json'])).stdout)
    const mine = exportedPlan.security.plan.changes.filter((c: any) => JSON.stringify(c).includes(id))
    expect(mine).toEqual([])
    expect(exportedPlan.security.summary.inSync).toBeGreaterThanOrEqual(12)

    await run(['acls', 'delete', '--principal', `User:${stranger}`, '--yes'])
    // ~40 kafkit runs and five JVM tools in turn: 25-50 s here, more on a loaded machine.
  }, 300_000)

  it('a change the broker refuses fails alone: the others are applied, the failure named, exit 1', async () => {
    // An operator allowed to read and write ACLs (Describe, Alter on the cluster) and to read
    // quotas (DescribeConfigs), but not to change them (AlterConfigs).
    const setup = writeFile('operator.yaml', `version: 1
topics: []
acls:
  - principal: User:${operator}
    resource: {type: cluster}
    operations: [Describe, Alter, DescribeConfigs]
users:
  - {name: ${operator}, passwordEnv: TEST_OPERATOR_PASSWORD}
`)
    const granted = await run(['topics', 'apply', '-f', setup, '--yes'])
    expect(granted.code, granted.stdout + granted.stderr).toBe(0)
    const target = `${id}-target`
    const file = writeFile('operated.yaml', `version: 1
topics: []
acls:
  - principal: User:${target}
    producer: ${topicX}
quotas:
  - {user: ${target}, producer_byte_rate: 1024}
`)
    const res = await run(['topics', 'apply', '-f', file, '--yes', '-o', 'json'], {context: 'operator'})
    expect(res.code, res.stderr).toBe(1)
    const out = JSON.parse(res.stdout)
    expect(out.security.applied.map((a: any) => a.kind)).toEqual(['acl-create', 'acl-create', 'acl-create'])
    expect(out.security.failed).toEqual([{kind: 'quota', item: `user=${target}`, error: 'not authorized for this cluster operation'}])
    expect(out.security.remaining.changes.map((c: any) => c.kind)).toEqual(['quota'])
    const text = await run(['topics', 'apply', '-f', file, '--yes'], {context: 'operator'})
    expect(text.code).toBe(1)
    expect(text.stdout).toContain(`Applied 0 security changes.\nFAILED quota user=${target}: not authorized for this cluster operation\n3 in sync; 1 security change(s) still differ (run kafkit topics plan)`)
    const listed = kafkaTool('acls', ['--list', '--principal', `User:${target}`], {bootstrap: plain})
    expect(listed.stdout).toContain(`(principal=User:${target}, host=*, operation=WRITE, permissionType=ALLOW)`)
    await run(['acls', 'delete', '--principal', `User:${target}`, '--yes'])
    await run(['acls', 'delete', '--principal', `User:${operator}`, '--yes'])
  })

  it('bad input is one line with file:line:col and exit 1, and nothing is applied', async () => {
    const newcomer = `${id}-newcomer`
    const unset = writeFile('unset.yaml', `version: 1
topics: []
acls:
  - principal: User:${newcomer}
    producer: ${topicX}
users:
  - {name: ${newcomer}, passwordEnv: TEST_UNSET_PASSWORD}
`)
    const res = await run(['topics', 'apply', '-f', unset, '--yes'], {env: {TEST_UNSET_PASSWORD: undefined}})
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(`${unset}:7:5: user "${newcomer}": password env var TEST_UNSET_PASSWORD is not set\nkafkit: Security plan has 1 error; nothing can be applied.\n`)
    expect(JSON.parse((await run(['acls', 'list', '--principal', `User:${newcomer}`, '-o', 'json'])).stdout)).toEqual([])

    const broken = writeFile('broken.yaml', `version: 1
topics: []
acls:
  - principal: ${newcomer}
    producer: ${topicX}
  - principal: User:${newcomer}
    resource: {type: topik, name: x}
    operations: [read]
  - principal: User:${newcomer}
    resource: {type: topic, name: x}
    operations: [raed]
`)
    const parsed = await run(['topics', 'apply', '-f', broken, '--yes'])
    expect(parsed.code).toBe(1)
    expect(parsed.stderr.split('\n')).toEqual([
      `${broken}:4:16: acls[0].principal: malformed principal "${newcomer}": expected TYPE:NAME, e.g. User:alice (User:* for every user)`,
      `${broken}:7:22: acls[1].resource.type: unknown ACL resource type "topik" (did you mean "topic"?); one of topic, group, cluster, transactional-id`,
      `${broken}:11:18: acls[2]: unknown ACL operation "raed" (did you mean "read"?); one of all, read, write, create, delete, alter, describe, cluster-action, describe-configs, alter-configs, idempotent-write`,
      `kafkit: ${broken}: 3 errors, nothing was planned`,
      '',
    ])
    expect(JSON.parse((await run(['acls', 'list', '--principal', `User:${newcomer}`, '-o', 'json'])).stdout)).toEqual([])
  })
})
