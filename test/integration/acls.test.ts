import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {kafkaTool, kafkit, uniqueName} from '../helpers.js'

/**
 * ACLs, SCRAM users and quotas against the secure test node's StandardAuthorizer
 * (allow.everyone.if.no.acl.found=false): kafkit as the super user creates them over SASL_SSL, the
 * unprivileged SCRAM user alice produces and consumes with kafkit exactly what they grant;
 * cross-checked with Kafka's AclCommand and ConfigCommand on the same cluster's PLAINTEXT listener.
 */
describe('acls, users and quotas against the authorizer', () => {
  const secure = inject('kafkaSecure')
  const alice = secure.unprivileged!
  const plain = secure.plaintextBootstrap!
  let env: Record<string, string | undefined>
  const as = (context: string) => ({env: {...env, KAFKIT_CONTEXT: undefined}, ctx: ['--context', context]})

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-acls-'))
    const file = join(dir, 'config.yaml')
    const base = `brokers: [${secure.bootstrap}]\n    tls: {ca: ${secure.caFile}}`
    writeFileSync(
      file,
      `currentContext: admin
contexts:
  admin:
    ${base}
    sasl: {mechanism: scram-sha-512, username: ${secure.username}, passwordEnv: TEST_ADMIN_PASSWORD}
  alice:
    ${base}
    sasl: {mechanism: scram-sha-512, username: ${alice.username}, passwordEnv: TEST_ALICE_PASSWORD}
  bob:
    ${base}
    sasl: {mechanism: scram-sha-512, username: bob, passwordEnv: TEST_BOB_PASSWORD}
`,
    )
    env = {KAFKIT_CONFIG: file, KAFKA_BOOTSTRAP_SERVERS: undefined, TEST_ADMIN_PASSWORD: secure.password, TEST_ALICE_PASSWORD: alice.password, TEST_BOB_PASSWORD: 'bob-secret-1'}
  })

  const run = (args: string[], context = 'admin', input?: string) => kafkit([...args, '--context', context], {env: as(context).env, input})

  it('alice produces and consumes exactly what acls create grants; TOPIC/GROUP_AUTHORIZATION_FAILED otherwise', async () => {
    const topic = uniqueName('acl.orders')
    const other = uniqueName('acl.other')
    const group = uniqueName('acl.billing')
    expect((await run(['topics', 'create', topic, '-p', '1', '-r', '1'])).code).toBe(0)
    expect((await run(['topics', 'create', other, '-p', '1', '-r', '1'])).code).toBe(0)

    const denied = await run(['produce', topic], 'alice', 'before\n')
    expect(denied.code).toBe(1)
    expect(denied.stderr).toBe(`kafkit: not authorized to access topic "${topic}" as User:alice on ${secure.bootstrap} — an ACL must allow Describe (and Read or Write) on it: kafkit acls list --topic NAME --pattern match\n`)

    const created = await run(['acls', 'create', '--principal', 'User:alice', '--operation', 'write,describe', '--topic', topic])
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toBe(`+ ALLOW User:alice Write Topic:${topic} (LITERAL) from *\n+ ALLOW User:alice Describe Topic:${topic} (LITERAL) from *\n\ncreated 2 ACLs\n`)
    // Again: nothing to create.
    expect((await run(['acls', 'create', '--principal', 'User:alice', '--operation', 'describe', '--topic', topic])).stdout).toContain('nothing to create: 1 ACL already there')

    expect(await run(['produce', topic], 'alice', 'one\ntwo\n')).toMatchObject({code: 0})
    const otherDenied = await run(['produce', other], 'alice', 'x\n')
    expect(otherDenied.code).toBe(1)
    expect(otherDenied.stderr).toContain(`not authorized to access topic "${other}" as User:alice`)

    // Write + Describe do not let alice read: Read on the topic and on the group are needed.
    const noGroup = await run(['consume', topic, '--from-beginning', '-e', '--group', group], 'alice')
    expect(noGroup.code).toBe(1)
    expect(noGroup.stderr).toMatch(new RegExp(`^kafkit: not authorized to use consumer group "${group}" as User:alice`))
    expect((await run(['acls', 'create', '--principal', 'User:alice', '--operation', 'read', '--group', group])).code).toBe(0)
    const noRead = await run(['consume', topic, '--from-beginning', '-e', '--group', group], 'alice')
    expect(noRead.code).toBe(1)
    expect(noRead.stderr).toMatch(/TOPIC_AUTHORIZATION_FAILED|not authorized for this topic/)
    expect((await run(['acls', 'create', '--principal', 'User:alice', '--operation', 'read', '--topic', topic])).code).toBe(0)
    const consumed = await run(['consume', topic, '--from-beginning', '-e', '--group', group], 'alice')
    expect(consumed, consumed.stderr).toMatchObject({code: 0, stdout: 'one\ntwo\n'})

    // Kafka's own tool sees the same four bindings.
    const listed = kafkaTool('acls', ['--list', '--topic', topic], {bootstrap: plain})
    expect(listed.status, listed.stderr).toBe(0)
    for (const op of ['WRITE', 'DESCRIBE', 'READ']) expect(listed.stdout).toContain(`(principal=User:alice, host=*, operation=${op}, permissionType=ALLOW)`)
    const json = JSON.parse((await run(['acls', 'list', '--principal', 'User:alice', '--topic', topic, '-o', 'json'])).stdout)
    expect(json.map((b: any) => b.operation).sort()).toEqual(['describe', 'read', 'write'])

    // delete without a terminal refuses; --dry-run shows; --yes deletes exactly the Write ACL.
    const refused = await run(['acls', 'delete', '--principal', 'User:alice', '--operation', 'write', '--topic', topic])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('not confirmed: stdin is not a terminal')
    const dry = await run(['acls', 'delete', '--principal', 'User:alice', '--operation', 'write', '--topic', topic, '--dry-run'])
    expect(dry.stdout).toBe(`- ALLOW User:alice Write Topic:${topic} (LITERAL) from *\n\ndry run: would delete 1 ACL; nothing changed\n`)
    const deleted = await run(['acls', 'delete', '--principal', 'User:alice', '--operation', 'write', '--topic', topic, '--yes'])
    expect(deleted.stdout).toContain('deleted 1 ACL')
    const after = kafkaTool('acls', ['--list', '--topic', topic], {bootstrap: plain})
    expect(after.stdout).not.toContain('operation=WRITE')
    expect(after.stdout).toContain('operation=READ')
    const again = await run(['produce', topic], 'alice', 'three\n')
    expect(again.code).toBe(1)
    // With Write on no topic at all, the idempotent producer's InitProducerId is refused first
    // (it needs IdempotentWrite on the cluster or Write on some topic): CLUSTER_AUTHORIZATION_FAILED.
    expect(again.stderr).toMatch(/^kafkit: not authorized for this cluster operation/)
    await run(['acls', 'delete', '--principal', 'User:alice', '--topic', topic, '--yes'])
    await run(['acls', 'delete', '--principal', 'User:alice', '--group', group, '--yes'])
    await run(['topics', 'delete', topic, other, '--yes'])
  })

  it('prefixed ACLs cover every topic starting with the prefix', async () => {
    const prefix = `${uniqueName('acl.team')}.`
    expect((await run(['topics', 'create', `${prefix}a`, '-p', '1', '-r', '1'])).code).toBe(0)
    const created = await run(['acls', 'create', '--principal', 'User:alice', '--operation', 'write', '--operation', 'describe', '--topic', prefix, '--pattern', 'prefixed'])
    expect(created.stdout).toContain(`+ ALLOW User:alice Write Topic:${prefix} (PREFIXED) from *`)
    expect((await run(['produce', `${prefix}a`], 'alice', 'x\n')).code).toBe(0)
    const matched = JSON.parse((await run(['acls', 'list', '--topic', `${prefix}a`, '--pattern', 'match', '-o', 'json'])).stdout)
    expect(matched.map((b: any) => b.patternType)).toEqual(['prefixed', 'prefixed'])
    expect((await run(['acls', 'delete', '--principal', 'User:alice', '--topic', prefix, '--pattern', 'prefixed', '--yes'])).stdout).toContain('deleted 2 ACLs')
    await run(['topics', 'delete', `${prefix}a`, '--yes'])
  })

  it('users create / list / delete: the new user logs in with kafkit; the password never comes from an argument', async () => {
    const created = await run(['users', 'create', 'bob', '--password-stdin'], 'admin', 'bob-secret-1\n')
    expect(created, created.stderr).toMatchObject({code: 0, stdout: 'created user bob (SCRAM-SHA-512)\n'})
    const listed = JSON.parse((await run(['users', 'list', '-o', 'json'])).stdout)
    expect(listed.find((u: any) => u.user === 'bob')).toEqual({user: 'bob', credentials: [{mechanism: 'SCRAM-SHA-512', iterations: 8192}]})
    expect(listed.map((u: any) => u.user)).toEqual(expect.arrayContaining(['alice', secure.username]))
    // bob logs in (a cluster read needs no ACL).
    const login = await run(['cluster', 'info'], 'bob')
    expect(login.code, login.stderr).toBe(0)
    expect((await kafkit(['cluster', 'info', '--context', 'bob'], {env: {...env, TEST_BOB_PASSWORD: 'wrong'}})).stderr).toContain('wrong user name or password')

    const asArg = await run(['users', 'create', 'bob', 'hunter2'])
    expect(asArg).toMatchObject({code: 1, stderr: 'kafkit: a password is never taken as an argument (shell history, ps): use --password-stdin, --password-file FILE or --password-env VAR\n'})
    const unset = await kafkit(['users', 'create', 'bob', '--password-env', 'TEST_UNSET_PW', '--context', 'admin'], {env: {...env, TEST_UNSET_PW: undefined}})
    expect(unset).toMatchObject({code: 1, stderr: 'kafkit: password env var TEST_UNSET_PW is not set\n'})
    const replace = await run(['users', 'create', 'bob', '--password-env', 'TEST_BOB_PASSWORD'])
    expect(replace.stderr).toContain('not confirmed')

    expect((await run(['users', 'delete', 'bob'])).stderr).toContain('not confirmed')
    expect((await run(['users', 'delete', 'bob', '--yes'])).stdout).toBe('deleted user bob (SCRAM-SHA-512)\n')
    expect((await run(['cluster', 'info'], 'bob')).stderr).toContain('authentication failed')
    expect((await run(['users', 'list', 'bob'])).stderr).toBe(`kafkit: SCRAM user "bob" not found on ${secure.bootstrap} — kafkit users list shows what exists\n`)
  })

  it('quotas set / list / delete, cross-checked with kafka-configs', async () => {
    const user = uniqueName('quota-user')
    const set = await run(['quotas', 'set', '--user', user, 'producer_byte_rate=1MiB/s', 'request_percentage=200', '--yes'])
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain('changed 2 quotas of user=' + user)
    const desc = kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', user], {bootstrap: plain})
    expect(desc.stdout).toContain('producer_byte_rate=1048576.0')
    expect(desc.stdout).toContain('request_percentage=200.0')
    const clientId = uniqueName('app')
    expect((await run(['quotas', 'set', '--user', user, '--client-id', clientId, 'consumer_byte_rate=512KiB', '--yes'])).code).toBe(0)
    const clients = kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', user, '--entity-type', 'clients', '--entity-name', clientId], {bootstrap: plain})
    expect(clients.stdout).toContain('consumer_byte_rate=524288.0')
    const list = await run(['quotas', 'list', '--user', user])
    expect(list.stdout).toContain('1MiB/s')
    expect(list.stdout).toContain('512KiB/s')
    expect((await run(['quotas', 'delete', '--user', user, 'producer_byte_rate'])).stderr).toContain('not confirmed')
    expect((await run(['quotas', 'delete', '--user', user, 'producer_byte_rate', 'request_percentage', '--yes'])).stdout).toContain('changed 2 quotas')
    expect((await run(['quotas', 'delete', '--user', user, '--client-id', clientId, 'consumer_byte_rate', '--yes'])).code).toBe(0)
    const gone = kafkaTool('configs', ['--describe', '--entity-type', 'users', '--entity-name', user], {bootstrap: plain})
    expect(gone.stdout).not.toContain('producer_byte_rate')
  })

  it('bad input is one line and exit 1', async () => {
    const cases: [string[], string][] = [
      [['acls', 'create', '--principal', 'alice', '--operation', 'read', '--topic', 't'], 'kafkit: malformed principal "alice": expected TYPE:NAME, e.g. User:alice (User:* for every user)\n'],
      [['acls', 'create', '--principal', 'User:alice', '--operation', 'raed', '--topic', 't'], 'kafkit: unknown ACL operation "raed" (did you mean "read"?); one of all, read, write, create, delete, alter, describe, cluster-action, describe-configs, alter-configs, idempotent-write\n'],
      [['acls', 'create', '--principal', 'User:alice', '--operation', 'read', '--cluster'], 'kafkit: Cluster does not take Read; it takes Create, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, Alter, Describe, All\n'],
      [['acls', 'create', '--principal', 'User:alice', '--operation', 'read'], 'kafkit: name the resource: --topic NAME, --group NAME, --transactional-id NAME or --cluster\n'],
      [['acls', 'delete', '--yes'], 'kafkit: name what to delete: --principal, a resource (--topic, --group, --transactional-id, --cluster), --operation or --host — to remove every ACL of a resource, name the resource\n'],
      [['quotas', 'set', '--user', 'u', 'consumer_bytes_rate=1MiB'], 'kafkit: unknown quota key "consumer_bytes_rate" (did you mean "consumer_byte_rate"?); one of producer_byte_rate, consumer_byte_rate, request_percentage, controller_mutation_rate\n'],
      [['quotas', 'set', '--user', 'u', 'producer_byte_rate=fast'], 'kafkit: producer_byte_rate=fast: not a rate like 1MiB/s, 512KiB/s or 1048576 (bytes per second)\n'],
      [['quotas', 'set', 'producer_byte_rate=1MiB'], 'kafkit: name the entity: --user NAME, --client-id ID, both, or --user-default / --client-id-default\n'],
    ]
    for (const [args, line] of cases) {
      const res = await run(args)
      expect({args, code: res.code, stderr: res.stderr}).toEqual({args, code: 1, stderr: line})
    }
  })
})
