import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, inject, it} from 'vitest'

import {kafkit, uniqueName} from '../helpers.js'

/** The main commands through a context with TLS (self-signed CA) + SASL SCRAM-SHA-512. */
describe('TLS + SCRAM-SHA-512 through a context', () => {
  const secure = inject('kafkaSecure')
  let env: Record<string, string | undefined>
  let passwordFile: string

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-sec-'))
    passwordFile = join(dir, 'password')
    writeFileSync(passwordFile, `${secure.password}\n`)
    const file = join(dir, 'config.yaml')
    writeFileSync(
      file,
      `currentContext: secure
contexts:
  secure:
    brokers: [${secure.bootstrap}]
    tls: {ca: ${secure.caFile}}
    sasl: {mechanism: scram-sha-512, username: ${secure.username}, passwordEnv: TEST_KAFKA_PASSWORD}
  from-file:
    brokers: [${secure.bootstrap}]
    tls: {ca: ${secure.caFile}}
    sasl: {mechanism: scram-sha-512, username: ${secure.username}, passwordFile: ${passwordFile}}
  untrusted:
    brokers: [${secure.bootstrap}]
    tls: true
    sasl: {mechanism: scram-sha-512, username: ${secure.username}, passwordEnv: TEST_KAFKA_PASSWORD}
`,
    )
    env = {KAFKIT_CONFIG: file, KAFKA_BOOTSTRAP_SERVERS: undefined, TEST_KAFKA_PASSWORD: secure.password}
  })

  it('runs cluster info and topic create / describe / list / delete', async () => {
    const topic = uniqueName('secure.topic')
    const info = await kafkit(['cluster', 'info', '-o', 'json'], {env})
    expect(info.stderr).toBe('')
    expect(JSON.parse(info.stdout).brokers[0].port).toBe(Number(secure.bootstrap.split(':')[1]))
    expect((await kafkit(['topics', 'create', topic, '-p', '2', '-r', '1'], {env})).code).toBe(0)
    const desc = JSON.parse((await kafkit(['topics', 'describe', topic, '-o', 'json'], {env})).stdout)
    expect(desc.partitions).toHaveLength(2)
    expect((await kafkit(['topics', 'list', '-o', 'json', '--prefix', topic], {env})).stdout).toContain(topic)
    expect((await kafkit(['topics', 'delete', topic, '--yes'], {env})).code).toBe(0)
  })

  it('reads the password from a file', async () => {
    const res = await kafkit(['cluster', 'info', '--context', 'from-file'], {env})
    expect(res.code, res.stderr).toBe(0)
  })

  it('a wrong password is one clear line and exit 1', async () => {
    const res = await kafkit(['cluster', 'info'], {env: {...env, TEST_KAFKA_PASSWORD: 'not-the-password'}})
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(`kafkit: authentication failed at ${secure.bootstrap}: wrong user name or password\n`)
  })

  it('an untrusted certificate is one clear line and exit 1', async () => {
    const res = await kafkit(['cluster', 'info', '--context', 'untrusted'], {env})
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(`kafkit: cannot connect to Kafka at ${secure.bootstrap}: TLS: the broker certificate is not trusted (self-signed CA; set tls.ca)\n`)
  })

  it('never prints the password, not even with --debug', async () => {
    const res = await kafkit(['cluster', 'info', '--debug'], {env})
    expect(res.code).toBe(0)
    expect(res.stderr).toContain('[kafkajs')
    expect(res.stdout + res.stderr).not.toContain(secure.password)
    const list = await kafkit(['context', 'list', '-o', 'json'], {env})
    expect(list.stdout).not.toContain(secure.password)
    expect(list.stdout).toContain('env TEST_KAFKA_PASSWORD (set, redacted)')
  })

  it('a missing password env var is named', async () => {
    const res = await kafkit(['cluster', 'info'], {env: {...env, TEST_KAFKA_PASSWORD: undefined}})
    expect(res.stderr).toBe('kafkit: SASL password env var TEST_KAFKA_PASSWORD is not set\n')
  })
})
