/**
 * The registry client's own HTTP: basic auth from the context's env var or file, the error lines.
 * (What a registry answers is tested against the real one: test/integration/schema-registry.test.ts.
 * The local Apicurio runs without auth, so the Authorization header is checked here on a plain
 * node:http listener that records what it is sent.)
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {registryConnection, SchemaRegistryClient} from '../../../src/registry/client.js'

let server: Server
let url: string
const seen: IncomingMessage[] = []
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafkit-registry-client-'))
  server = createServer((req, res) => {
    seen.push(req)
    const ok = req.headers.authorization === `Basic ${Buffer.from('svc:s3cret').toString('base64')}`
    res.writeHead(ok ? 200 : 401, {'content-type': 'application/vnd.schemaregistry.v1+json'})
    res.end(ok ? '["orders-value"]' : '{"error_code":40101,"message":"Unauthorized"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as {port: number}).port}/api`
})

afterAll(() => {
  server?.close()
  if (dir) rmSync(dir, {recursive: true, force: true})
})

describe('registry credentials', () => {
  it('sends basic auth with the password from an env var or a file (its trailing newline dropped)', async () => {
    process.env.KAFKIT_TEST_SR_PASS = 's3cret'
    const fromEnv = new SchemaRegistryClient(registryConnection({url, username: 'svc', passwordEnv: 'KAFKIT_TEST_SR_PASS', source: 'context t'}, 5000))
    expect(await fromEnv.subjects()).toEqual(['orders-value'])
    expect(seen.at(-1)!.url).toBe('/api/subjects')

    const file = join(dir, 'pass')
    writeFileSync(file, 's3cret\n')
    process.env.KAFKIT_TEST_SR_USER = 'svc'
    const fromFile = new SchemaRegistryClient(registryConnection({url, usernameEnv: 'KAFKIT_TEST_SR_USER', passwordFile: file, source: 'context t'}, 5000))
    expect(await fromFile.subjects()).toEqual(['orders-value'])
  })

  it('a refused password, a missing env var or file are one line each', async () => {
    const wrong = new SchemaRegistryClient({url, username: 'svc', password: 'nope', timeoutMs: 5000})
    await expect(wrong.subjects()).rejects.toThrow(`schema registry ${url}: HTTP 401: Unauthorized (check the registry username and password of the context)`)
    expect(() => registryConnection({url, username: 'svc', passwordEnv: 'KAFKIT_TEST_SR_UNSET', source: 'context t'}, 5000)).toThrow(
      'schema registry password env var KAFKIT_TEST_SR_UNSET is not set (context t)',
    )
    expect(() => registryConnection({url, username: 'svc', passwordFile: join(dir, 'missing'), source: 'context t'}, 5000)).toThrow(
      `cannot read the schema registry password file ${join(dir, 'missing')}: no such file or directory`,
    )
    expect(() => new SchemaRegistryClient({url, caFile: join(dir, 'no-ca.pem'), timeoutMs: 5000})).toThrow(`schema registry CA file ${join(dir, 'no-ca.pem')}: no such file or directory`)
  })
})

describe('registry TLS', () => {
  /** A CA and a certificate for 127.0.0.1 it signed, made with openssl (as kafkit local --secure makes its own). */
  function certificates(): {ca: string; key: string; cert: string} {
    const run = (args: string[]) => {
      const res = spawnSync('openssl', args, {cwd: dir, encoding: 'utf8'})
      if (res.status !== 0) throw new Error(`openssl ${args[0]}: ${res.stderr}`)
    }
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.pem'])
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr'])
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n')
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem'])
    return {ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8')}
  }

  it('trusts a registry certificate signed by the CA of tls.ca, and says what to do without it', async () => {
    const {ca, key, cert} = certificates()
    const https = createHttpsServer({key, cert}, (_req, res) => {
      res.writeHead(200, {'content-type': 'application/vnd.schemaregistry.v1+json'})
      res.end('["tls-value"]')
    })
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
    try {
      const httpsUrl = `https://127.0.0.1:${(https.address() as {port: number}).port}`
      expect(await new SchemaRegistryClient(registryConnection({url: httpsUrl, tls: {ca}, source: 'context t'}, 5000)).subjects()).toEqual(['tls-value'])
      await expect(new SchemaRegistryClient({url: httpsUrl, timeoutMs: 5000}).subjects()).rejects.toThrow(
        `schema registry ${httpsUrl}: unable to verify the first certificate (give the registry's CA as schemaRegistry.tls.ca in the context)`,
      )
    } finally {
      https.close()
    }
  })
})
