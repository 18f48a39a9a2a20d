import {createServer, type Server} from 'node:http'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {kafkit, startKafkit, uniqueName} from '../helpers.js'

/**
 * SASL/OAUTHBEARER against the SASL_SSL listener of the test cluster (`local start --secure`),
 * whose broker checks every token with Kafka's own unsecured-JWS validator (alg none, sub, exp)
 * and ends sessions when their token expires (connections.max.reauth.ms). Tokens come from a
 * token command, a token file, and the client-credentials grant of a small OAuth server stand-in
 * started here (it issues unsecured JWS; the broker still validates them).
 */
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
const jws = (claims: Record<string, unknown>) => `${b64({alg: 'none'})}.${b64(claims)}.`
const nowS = () => Math.floor(Date.now() / 1000)

/** A token command: prints {access_token, expires_in} for `sub` living `lifetime` s; logs each token (and its exp) it gave to `log`. */
const TOKEN_SCRIPT = `
const {appendFileSync} = require('node:fs')
const [lifetime, sub, log] = process.argv.slice(2)
const now = Math.floor(Date.now() / 1000)
const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
const token = b({alg: 'none'}) + '.' + b({sub, iat: now, exp: now + Number(lifetime), jti: Math.random().toString(36).slice(2)}) + '.'
appendFileSync(log, token + ' ' + (now + Number(lifetime)) + '\\n')
process.stdout.write(JSON.stringify({access_token: token, token_type: 'Bearer', expires_in: Number(lifetime)}))
`

describe('SASL/OAUTHBEARER through a context', () => {
  const secure = inject('kafkaSecure')
  // The token's sub is the principal: the cluster's super user (the local cluster runs the
  // StandardAuthorizer; any other principal gets only what ACLs grant, see acls.test.ts).
  const SUPER = secure.username
  const secret = `client-secret-${Math.random().toString(36).slice(2)}`
  let dir: string
  let env: Record<string, string | undefined>
  let server: Server
  const issued: string[] = []
  const tokenRequests: {authorization?: string; body: string}[] = []
  const logged = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').filter(Boolean).map((l) => ({token: l.split(' ')[0], exp: Number(l.split(' ')[1])}))

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafkit-oauth-'))
    const script = join(dir, 'token.cjs')
    writeFileSync(script, TOKEN_SCRIPT)
    for (const f of ['cmd.log', 'short.log']) writeFileSync(join(dir, f), '')
    writeFileSync(join(dir, 'good.token'), `${jws({sub: SUPER, iat: nowS(), exp: nowS() + 3600})}\n`)
    writeFileSync(join(dir, 'expired.token'), jws({sub: SUPER, iat: nowS() - 3600, exp: nowS() - 600}))
    writeFileSync(join(dir, 'garbage.token'), 'not-a-token\n')
    // An OAuth 2 token endpoint stand-in: client_credentials with HTTP Basic client authentication.
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        tokenRequests.push({authorization: req.headers.authorization, body})
        const params = new URLSearchParams(body)
        const [id, pass] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')
        res.setHeader('content-type', 'application/json')
        if (req.method !== 'POST' || params.get('grant_type') !== 'client_credentials') {
          res.writeHead(400).end(JSON.stringify({error: 'unsupported_grant_type'}))
        } else if (id !== 'svc-orders' || decodeURIComponent(pass ?? '') !== secret) {
          res.writeHead(401).end(JSON.stringify({error: 'invalid_client', error_description: 'Client authentication failed'}))
        } else {
          const token = jws({sub: id, iat: nowS(), exp: nowS() + 300, scope: params.get('scope')})
          issued.push(token)
          res.writeHead(200).end(JSON.stringify({access_token: token, token_type: 'Bearer', expires_in: 300}))
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as {port: number}).port
    const base = `brokers: [${secure.bootstrap}]\n    tls: {ca: ${secure.caFile}}`
    const file = join(dir, 'config.yaml')
    writeFileSync(
      file,
      `currentContext: cmd
contexts:
  cmd:
    ${base}
    sasl: {mechanism: oauthbearer, tokenCommand: [${process.execPath}, ${script}, 3600, ${SUPER}, ${join(dir, 'cmd.log')}]}
  short:
    ${base}
    sasl: {mechanism: oauthbearer, tokenCommand: "'${process.execPath}' '${script}' 16 ${SUPER} '${join(dir, 'short.log')}'"}
  file:
    ${base}
    sasl: {mechanism: oauthbearer, tokenFile: ${join(dir, 'good.token')}}
  expired:
    ${base}
    sasl: {mechanism: oauthbearer, tokenFile: ${join(dir, 'expired.token')}}
  garbage:
    ${base}
    sasl: {mechanism: oauthbearer, tokenFile: ${join(dir, 'garbage.token')}}
  failing:
    ${base}
    sasl: {mechanism: oauthbearer, tokenCommand: "echo 'token cache empty' >&2; echo 'not logged in: run idp-login first' >&2; exit 2"}
  cc:
    ${base}
    sasl: {mechanism: oauthbearer, tokenEndpoint: "http://127.0.0.1:${port}/oauth2/token", clientId: svc-orders, clientSecretEnv: TEST_OAUTH_SECRET, scope: kafka.produce kafka.consume}
`,
    )
    env = {KAFKIT_CONFIG: file, KAFKA_BOOTSTRAP_SERVERS: undefined, TEST_OAUTH_SECRET: secret}
  })

  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  it('a token from a command: create, produce, consume, delete; one command run per kafkit process', async () => {
    const topic = uniqueName('oauth.cmd')
    expect(await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1'], {env})).toMatchObject({code: 0, stderr: ''})
    const produced = await kafkit(['produce', topic], {env, input: 'one\ntwo\n'})
    expect(produced.code, produced.stderr).toBe(0)
    const consumed = await kafkit(['consume', topic, '--from-beginning', '-e'], {env})
    expect(consumed).toMatchObject({code: 0, stdout: 'one\ntwo\n'})
    expect((await kafkit(['topics', 'delete', topic, '--yes'], {env})).code).toBe(0)
    // Four processes, each with admin and producer or consumer connections: each ran the command once.
    expect(logged('cmd.log')).toHaveLength(4)
  })

  it('a token from a file', async () => {
    const res = await kafkit(['cluster', 'info', '-o', 'json', '--context', 'file'], {env})
    expect(res.code, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).brokers[0].port).toBe(Number(secure.bootstrap.split(':')[1]))
  })

  it('a token by the client-credentials grant', async () => {
    const before = tokenRequests.length
    const res = await kafkit(['cluster', 'info', '--context', 'cc'], {env})
    expect(res.code, res.stderr).toBe(0)
    const requests = tokenRequests.slice(before)
    expect(requests).toHaveLength(1)
    expect(new URLSearchParams(requests[0].body).get('scope')).toBe('kafka.produce kafka.consume')
    expect(requests[0].authorization).toBe(`Basic ${Buffer.from(`svc-orders:${secret}`).toString('base64')}`)
  })

  it('a refused client secret is one line naming the endpoint and its answer', async () => {
    const res = await kafkit(['cluster', 'info', '--context', 'cc'], {env: {...env, TEST_OAUTH_SECRET: 'wrong'}})
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^kafkit: OAuth token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token refused client svc-orders: HTTP 401 invalid_client: Client authentication failed\n$/)
    const unset = await kafkit(['cluster', 'info', '--context', 'cc'], {env: {...env, TEST_OAUTH_SECRET: undefined}})
    expect(unset).toMatchObject({code: 1, stderr: 'kafkit: OAuth client secret env var TEST_OAUTH_SECRET is not set\n'})
  })

  it('an expired token is one line naming why, exit 1', async () => {
    const res = await kafkit(['cluster', 'info', '--context', 'expired'], {env})
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(
      new RegExp(`^kafkit: authentication failed at ${secure.bootstrap}: the broker rejected the OAuth token from tokenFile \\S+expired.token \\(invalid_token\\): it expired at \\S+Z \\(\\d+m ago\\)\\n$`),
    )
  })

  it('a malformed token is one line naming why, exit 1', async () => {
    const res = await kafkit(['topics', 'list', '--context', 'garbage'], {env})
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(
      new RegExp(`^kafkit: authentication failed at ${secure.bootstrap}: the broker rejected the OAuth token from tokenFile \\S+garbage.token \\(invalid_token\\): it is not a JWT \\(expected header.payload.signature\\)\\n$`),
    )
  })

  it('a failing token command is one line with its last error line', async () => {
    const res = await kafkit(['cluster', 'info', '--context', 'failing'], {env})
    expect(res).toMatchObject({code: 1, stderr: 'kafkit: tokenCommand of context failing failed (exit 2): not logged in: run idp-login first\n'})
  })

  it('never prints a token or the client secret, not even with --debug', async () => {
    for (const context of ['cmd', 'cc', 'file']) {
      const res = await kafkit(['topics', 'list', '--debug', '--context', context], {env})
      expect(res.code, res.stderr).toBe(0)
      expect(res.stderr).toContain('[kafkajs')
      expect(res.stderr).toContain('SASL OAUTHBEARER authentication successful')
      const out = res.stdout + res.stderr
      expect(out).not.toContain(secret)
      for (const token of [...logged('cmd.log').map((t) => t.token), ...issued, readFileSync(join(dir, 'good.token'), 'utf8').trim()]) {
        expect(out).not.toContain(token)
        expect(out).not.toContain(token.split('.')[1])
      }
    }
    const failed = await kafkit(['cluster', 'info', '--debug', '--context', 'expired'], {env})
    expect(failed.code).toBe(1)
    expect(failed.stdout + failed.stderr).not.toContain(readFileSync(join(dir, 'expired.token'), 'utf8').split('.')[1])
    const list = await kafkit(['context', 'list', '-o', 'json'], {env})
    expect(list.stdout).not.toContain(secret)
    expect(list.stdout).toContain('client secret env TEST_OAUTH_SECRET (set, redacted)')
  })

  it('a long consume outlives its first token: kafkit fetches a new one when kafkajs re-authenticates', async () => {
    const topic = uniqueName('oauth.refresh')
    expect((await kafkit(['topics', 'create', topic, '-p', '1', '-r', '1', '--context', 'short'], {env})).code).toBe(0)
    writeFileSync(join(dir, 'short.log'), '')
    const consumer = startKafkit(['consume', topic, '--from-beginning', '--context', 'short'], {env})
    const waitFor = async (what: () => boolean, label: string) => {
      for (let i = 0; i < 600 && !what(); i++) await new Promise((r) => setTimeout(r, 100))
      expect(what(), `${label}; stderr: ${consumer.stderr()}`).toBe(true)
    }
    try {
      expect((await kafkit(['produce', topic, '--context', 'short'], {env, input: 'before\n'})).code).toBe(0)
      await waitFor(() => consumer.stdout().includes('before\n'), 'the first record was consumed')
      // The consumer's first token (16 s; the broker ends the session when it expires) must be
      // past its expiry before the second record is produced.
      const firstExp = logged('short.log')[0].exp
      await waitFor(() => nowS() > firstExp + 1, 'the first token expired')
      expect((await kafkit(['produce', topic, '--context', 'short'], {env, input: 'after\n'})).code).toBe(0)
      await waitFor(() => consumer.stdout().includes('after\n'), 'the record produced after the first token expired was consumed')
      expect(consumer.stderr()).toBe('')
    } finally {
      consumer.child.kill('SIGINT')
    }
    expect(await consumer.closed).toBe(130)
    expect(consumer.stdout()).toBe('before\nafter\n')
    // The consumer, the two producers and the create each ran the command; the consumer more than once.
    expect(logged('short.log').length).toBeGreaterThanOrEqual(4)
    await kafkit(['topics', 'delete', topic, '--yes', '--context', 'short'], {env})
  })
})
