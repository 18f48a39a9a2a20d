/**
 * The local schema registry is a real Confluent-API-compatible one: schemas registered through
 * its ccompat API come back by id, versions accumulate, compatibility is checked by the registry's
 * own Avro rules, and what is not a schema is refused. (#18 section 0)
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {findFreeBasePort} from '../../src/local/harness.js'
import {kafkit, uniqueName} from '../helpers.js'
import {REGISTRY_START_TIMEOUT_MS, testRegistryUrl} from '../registry-helpers.js'

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

let url: string

async function call(method: string, path: string, body?: unknown): Promise<{status: number; json: any}> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : {'content-type': CONTENT_TYPE},
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return {status: res.status, json: text ? JSON.parse(text) : undefined}
}

const subjectPath = (subject: string) => `/subjects/${encodeURIComponent(subject)}`

const userV1 = {type: 'record', name: 'User', namespace: 'dev.kafkit.test', fields: [{name: 'name', type: 'string'}]}
/** Adds a field with a default: readers of v2 can read v1 data (BACKWARD compatible). */
const userV2 = {...userV1, fields: [...userV1.fields, {name: 'age', type: 'int', default: 0}]}
/** Adds a field without a default: v2 readers cannot read v1 data (not BACKWARD compatible). */
const userBad = {...userV1, fields: [...userV1.fields, {name: 'email', type: 'string'}]}

beforeAll(async () => {
  url = await testRegistryUrl()
}, REGISTRY_START_TIMEOUT_MS)

describe('local schema registry (Confluent-compatible API)', () => {
  it('registers an Avro schema, returns it by id and lists the subject', async () => {
    const subject = uniqueName('users-value')
    const created = await call('POST', `${subjectPath(subject)}/versions`, {schema: JSON.stringify(userV1)})
    expect(created.status).toBe(200)
    expect(created.json.id).toEqual(expect.any(Number))

    const byId = await call('GET', `/schemas/ids/${created.json.id}`)
    expect(byId.status).toBe(200)
    expect(JSON.parse(byId.json.schema)).toEqual(userV1)

    const latest = await call('GET', `${subjectPath(subject)}/versions/latest`)
    expect(latest.json).toMatchObject({subject, version: 1, id: created.json.id})
    expect((await call('GET', '/subjects')).json).toContain(subject)

    // The same schema again is the same schema: same id, no new version.
    const again = await call('POST', `${subjectPath(subject)}/versions`, {schema: JSON.stringify(userV1)})
    expect(again.json.id).toBe(created.json.id)
    expect((await call('GET', `${subjectPath(subject)}/versions`)).json).toEqual([1])
    // ... and a lookup by content finds it.
    expect((await call('POST', subjectPath(subject), {schema: JSON.stringify(userV1)})).json).toMatchObject({subject, version: 1, id: created.json.id})
  })

  it('checks BACKWARD compatibility with Avro rules and refuses an incompatible version', async () => {
    const subject = uniqueName('users-value')
    await call('POST', `${subjectPath(subject)}/versions`, {schema: JSON.stringify(userV1)})
    expect((await call('PUT', `/config/${encodeURIComponent(subject)}`, {compatibility: 'BACKWARD'})).status).toBe(200)

    const ok = await call('POST', `/compatibility${subjectPath(subject)}/versions/latest`, {schema: JSON.stringify(userV2)})
    expect(ok).toEqual({status: 200, json: {is_compatible: true}})
    const bad = await call('POST', `/compatibility${subjectPath(subject)}/versions/latest`, {schema: JSON.stringify(userBad)})
    expect(bad).toEqual({status: 200, json: {is_compatible: false}})

    expect((await call('POST', `${subjectPath(subject)}/versions`, {schema: JSON.stringify(userBad)})).status).toBe(409)
    const v2 = await call('POST', `${subjectPath(subject)}/versions`, {schema: JSON.stringify(userV2)})
    expect(v2.status).toBe(200)
    expect((await call('GET', `${subjectPath(subject)}/versions`)).json).toEqual([1, 2])
    // Both versions stay readable: old records keep decoding after the evolution.
    expect(JSON.parse((await call('GET', `${subjectPath(subject)}/versions/1`)).json.schema)).toEqual(userV1)
    expect(JSON.parse((await call('GET', `/schemas/ids/${v2.json.id}`)).json.schema)).toEqual(userV2)
  })

  it('keeps Protobuf and JSON Schema schemas with their type', async () => {
    const proto = 'syntax = "proto3";\npackage dev.kafkit.test;\nmessage Order { string id = 1; int64 amount = 2; }\n'
    const p = await call('POST', `${subjectPath(uniqueName('orders-value'))}/versions`, {schemaType: 'PROTOBUF', schema: proto})
    expect(p.status).toBe(200)
    expect((await call('GET', `/schemas/ids/${p.json.id}`)).json).toMatchObject({schemaType: 'PROTOBUF', schema: proto})

    // Apicurio 2.1 recognises a JSON Schema by its $schema keyword.
    const jsonSchema = JSON.stringify({$schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {id: {type: 'string'}}})
    const j = await call('POST', `${subjectPath(uniqueName('events-value'))}/versions`, {schemaType: 'JSON', schema: jsonSchema})
    expect(j.status).toBe(200)
    expect((await call('GET', `/schemas/ids/${j.json.id}`)).json).toMatchObject({schemaType: 'JSON', schema: jsonSchema})
  })

  it('refuses what is not a schema and answers 404 for unknown ids and subjects', async () => {
    const notAvro = await call('POST', `${subjectPath(uniqueName('junk'))}/versions`, {schema: '{"type": "record"}'})
    expect(notAvro.status).toBe(422)
    expect(notAvro.json.message).toEqual(expect.any(String))
    expect((await call('GET', '/schemas/ids/987654321')).status).toBe(404)
    expect((await call('GET', `${subjectPath(uniqueName('missing'))}/versions`)).status).toBe(404)
  })
})

describe('kafkit local start --registry-port', () => {
  let stateDir: string
  let blocker: Server
  afterAll(() => {
    blocker?.close()
    if (stateDir) rmSync(stateDir, {recursive: true, force: true})
  })

  it('refuses a taken registry port in one line before any broker starts', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'kafkit-registry-port-'))
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen({port: 0, host: '127.0.0.1'}, resolve))
    const taken = (blocker.address() as {port: number}).port
    const res = await kafkit(['local', 'start', '--port', String(await findFreeBasePort(1)), '--state-dir', stateDir, '--registry-port', String(taken)])
    expect(res.code).toBe(1)
    expect(res.stderr.trim().split('\n')).toEqual([`kafkit: port ${taken} on 127.0.0.1 is in use — choose another with --registry-port`])
    const status = await kafkit(['local', 'status', '--state-dir', stateDir])
    expect(status.code).toBe(1)
    expect(status.stdout).toContain('no local Kafka')
  })
})
