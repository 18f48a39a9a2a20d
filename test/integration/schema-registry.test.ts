/**
 * Schema Registry decoding and encoding against the real registry (Apicurio's Confluent API,
 * test/registry-helpers.ts) and the real broker (#18): records written by kafkit and by another
 * client (kcat sending bytes framed by avsc/protobufjs here) decode to the same JSON; schema
 * evolution; a deleted schema degrades to raw with one warning; produce refuses bad input whole;
 * dlq replay keeps the encoded bytes.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import avro from 'avsc'
import protobuf from 'protobufjs'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'

import {createTopic} from '../dlq-helpers.js'
import {kafkit, kcat, uniqueName} from '../helpers.js'
import {REGISTRY_START_TIMEOUT_MS, testRegistryUrl} from '../registry-helpers.js'

let url: string
let dir: string

beforeAll(async () => {
  url = await testRegistryUrl()
  dir = mkdtempSync(join(tmpdir(), 'kafkit-sr-'))
}, REGISTRY_START_TIMEOUT_MS)

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true})
})

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : {'content-type': 'application/vnd.schemaregistry.v1+json'},
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

async function register(subject: string, schema: unknown, schemaType?: 'PROTOBUF' | 'JSON'): Promise<number> {
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema)
  return (await call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, schemaType ? {schema: text, schemaType} : {schema: text})).id
}

/** Magic byte 0, the id big-endian, the payload: what Confluent's serializers write. */
function framed(id: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(5)
  header.writeInt32BE(id, 1)
  return Buffer.concat([header, payload])
}

/** Another client: kcat sends the file's bytes as one record. */
function kcatProduce(topic: string, value: Buffer, key?: string): void {
  const file = join(dir, uniqueName('record'))
  writeFileSync(file, value)
  const res = kcat(['-P', '-t', topic, '-p', '0', ...(key === undefined ? [] : ['-k', key]), file])
  expect(res.status, res.stderr).toBe(0)
}

async function topic(prefix: string): Promise<string> {
  const name = uniqueName(prefix)
  await createTopic(inject('kafkaBootstrap'), name, 1)
  return name
}

const sr = () => ['--schema-registry', url]

async function consumeJson(name: string, extra: string[] = []): Promise<{records: any[]; stderr: string}> {
  const res = await kafkit(['consume', name, '--from-beginning', '-e', '-o', 'json', ...extra])
  expect(res.code, res.stderr).toBe(0)
  return {records: res.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)), stderr: res.stderr}
}

/**
 * A registry gives one id to one schema text whatever the subject: each test gets schemas of its
 * own (a unique namespace), so deleting one test's subject deletes its schema.
 */
function orders() {
  const v1 = {type: 'record', name: 'Order', namespace: `dev.kafkit.test.${uniqueName('n').replace('.', '_')}`, fields: [{name: 'id', type: 'long'}, {name: 'item', type: 'string'}]}
  /** v2 adds an optional field (default null): BACKWARD compatible. */
  const v2 = {...v1, fields: [...v1.fields, {name: 'coupon', type: ['null', 'string'], default: null}]}
  return {orderV1: v1, orderV2: v2}
}

describe('consume decodes the Confluent wire format with the registry', () => {
  it('an Avro record written by kcat and one written by kafkit produce decode to the same JSON, from the same bytes', async () => {
    const {orderV1} = orders()
    const name = await topic('sr-avro')
    const subject = `${name}-value`
    const id = await register(subject, orderV1)
    kcatProduce(name, framed(id, avro.Type.forSchema(orderV1 as any).toBuffer({id: 42, item: 'book'})), 'k1')
    const produced = await kafkit(['produce', name, '--format', 'json', '--value-schema', subject, ...sr()], {input: '{"key":"k1","value":{"id":42,"item":"book"}}\n'})
    expect(produced.code, produced.stderr).toBe(0)

    const {records, stderr} = await consumeJson(name, sr())
    expect(stderr).toBe('')
    expect(records.map((r) => [r.key, r.value, r.valueSchema])).toEqual([
      ['k1', {id: 42, item: 'book'}, {id, type: 'AVRO', subject}],
      ['k1', {id: 42, item: 'book'}, {id, type: 'AVRO', subject}],
    ])
    // The same bytes on the wire: kafkit encodes as Confluent's serializer (and avsc) do.
    const raw = await consumeJson(name, [...sr(), '--raw'])
    expect(raw.records[0].value).toEqual(raw.records[1].value)
    expect(raw.records[0].valueSchema).toBeUndefined()

    // Templates print the decoded value; --where filters on it.
    const template = await kafkit(['consume', name, '--from-beginning', '-e', '-f', '%o %k %v\\n', '--where', 'value.item == "book"', ...sr()])
    expect(template.stdout).toBe('0 k1 {"id":42,"item":"book"}\n1 k1 {"id":42,"item":"book"}\n')
  })

  it('schema evolution: records written with v1 and v2 both decode, each with its own schema id', async () => {
    const {orderV1, orderV2} = orders()
    const name = await topic('sr-evolve')
    const subject = `${name}-value`
    const v1 = await register(subject, orderV1)
    await kafkit(['produce', name, '--format', 'json', '--value-schema', subject, ...sr()], {input: '{"value":{"id":1,"item":"pen"}}\n'})
    const v2 = await register(subject, orderV2)
    expect(v2).not.toBe(v1)
    const produced = await kafkit(['produce', name, '--format', 'json', '--value-schema', subject, ...sr()], {input: '{"value":{"id":2,"item":"cup","coupon":"SAVE"}}\n{"value":{"id":3,"item":"mug","coupon":null}}\n'})
    expect(produced.code, produced.stderr).toBe(0)
    // An explicit older version still encodes (and refuses the new field).
    const old = await kafkit(['produce', name, '--format', 'json', '--value-schema', `${subject}:1`, ...sr()], {input: '{"value":{"id":4,"item":"ink","coupon":"X"}}\n'})
    expect(old.code).toBe(1)
    expect(old.stderr).toContain(`line 1: does not fit ${subject} v1 (id ${v1}): value: unknown field "coupon" (not in the schema)`)

    const {records} = await consumeJson(name, sr())
    expect(records.map((r) => [r.value, r.valueSchema.id])).toEqual([
      [{id: 1, item: 'pen'}, v1],
      [{id: 2, item: 'cup', coupon: 'SAVE'}, v2],
      [{id: 3, item: 'mug', coupon: null}, v2],
    ])
  })

  it('Protobuf (written by another client) and JSON Schema values, and an Avro key', async () => {
    const name = await topic('sr-multi')
    const proto = 'syntax = "proto3";\npackage dev.kafkit.test;\nmessage Payment { string id = 1; int64 cents = 2; repeated string tags = 3; }\n'
    const protoId = await register(`${name}-proto`, proto, 'PROTOBUF')
    const Payment = protobuf.parse(proto).root.lookupType('dev.kafkit.test.Payment')
    // Message index [0]: one 0 byte after the id.
    kcatProduce(name, framed(protoId, Buffer.concat([Buffer.from([0]), Buffer.from(Payment.encode(Payment.fromObject({id: 'p1', cents: 1250, tags: ['a']})).finish())])))

    const jsonSchema = {$schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {event: {type: 'string'}}, required: ['event']}
    const jsonSubject = `${name}-value`
    const jsonId = await register(jsonSubject, jsonSchema, 'JSON')
    const keySubject = `${name}-key`
    const keyId = await register(keySubject, '"string"')
    const produced = await kafkit(['produce', name, '--format', 'json', '--value-schema', jsonSubject, '--key-schema', keySubject, ...sr()], {input: '{"key":"user-7","value":{"event":"login"}}\n'})
    expect(produced.code, produced.stderr).toBe(0)
    // Protobuf produce: the first message of the file.
    const protoProduced = await kafkit(['produce', name, '--format', 'json', '--value-schema', `${name}-proto`, ...sr()], {input: '{"value":{"id":"p2","cents":"99","tags":[]}}\n'})
    expect(protoProduced.code, protoProduced.stderr).toBe(0)

    const {records, stderr} = await consumeJson(name, sr())
    expect(stderr).toBe('')
    expect(records.map((r) => ({key: r.key, value: r.value, keySchema: r.keySchema?.id, valueSchema: r.valueSchema.type}))).toEqual([
      {key: null, value: {id: 'p1', cents: '1250', tags: ['a']}, keySchema: undefined, valueSchema: 'PROTOBUF'},
      {key: 'user-7', value: {event: 'login'}, keySchema: keyId, valueSchema: 'JSON'},
      {key: null, value: {id: 'p2', cents: '99', tags: []}, keySchema: undefined, valueSchema: 'PROTOBUF'},
    ])
    expect(records[1].valueSchema).toEqual({id: jsonId, type: 'JSON', subject: jsonSubject})
  })

  it('a deleted subject degrades to raw output with one warning line, not one per record, and exit 0', async () => {
    const {orderV1} = orders()
    const name = await topic('sr-deleted')
    const subject = `${name}-value`
    const id = await register(subject, orderV1)
    const input = [1, 2, 3].map((i) => JSON.stringify({value: {id: i, item: `i${i}`}})).join('\n')
    expect((await kafkit(['produce', name, '--format', 'json', '--value-schema', subject, ...sr()], {input})).code).toBe(0)
    const before = await consumeJson(name, [...sr(), '--raw'])
    await call('DELETE', `/subjects/${encodeURIComponent(subject)}`)

    const {records, stderr} = await consumeJson(name, sr())
    expect(stderr.trim().split('\n')).toEqual([`kafkit: warning: schema id ${id} is not in ${url} (deleted?); records with schema id ${id} are printed raw`])
    expect(records.map((r) => r.value)).toEqual(before.records.map((r) => r.value))
    expect(records.every((r) => r.valueSchema === undefined)).toBe(true)
  })

  it('an unreachable registry is one warning per schema id, the records raw', async () => {
    const name = await topic('sr-down')
    kcatProduce(name, framed(1, Buffer.from([2])))
    const res = await kafkit(['consume', name, '--from-beginning', '-e', '--schema-registry', 'http://127.0.0.1:1'])
    expect(res.code).toBe(0)
    expect(res.stderr).toBe('kafkit: warning: schema id 1: schema registry http://127.0.0.1:1: connection refused (is it running?); records with schema id 1 are printed raw\n')
    expect(res.stdout).toBe('\u0000\u0000\u0000\u0000\u0001\u0002\n')
  })

  it('the registry of a context (schemaRegistry in the config file) is used with --context', async () => {
    const {orderV1} = orders()
    const name = await topic('sr-context')
    const subject = `${name}-value`
    await register(subject, orderV1)
    const config = join(dir, 'config.yaml')
    writeFileSync(config, `contexts:\n  dev:\n    brokers: [${inject('kafkaBootstrap')}]\n    schemaRegistry: {url: "${url}"}\n  locked:\n    brokers: [${inject('kafkaBootstrap')}]\n    schemaRegistry: {url: "${url}", username: svc, passwordEnv: KAFKIT_TEST_SR_PASSWORD}\n`)
    const env = {KAFKIT_CONFIG: config, KAFKIT_TEST_SR_PASSWORD: undefined}
    expect((await kafkit(['produce', name, '--context', 'dev', '--format', 'json', '--value-schema', subject], {env, input: '{"value":{"id":5,"item":"x"}}\n'})).code).toBe(0)
    const res = await kafkit(['consume', name, '--context', 'dev', '--from-beginning', '-e'], {env})
    expect(res.stdout).toBe('{"id":5,"item":"x"}\n')
    const locked = await kafkit(['consume', name, '--context', 'locked', '--from-beginning', '-e'], {env})
    expect(locked.code).toBe(1)
    expect(locked.stderr).toBe('kafkit: schema registry password env var KAFKIT_TEST_SR_PASSWORD is not set (context locked)\n')
  })
})

describe('produce --value-schema', () => {
  it('refuses the whole input when a record does not fit, naming every bad line: nothing is produced', async () => {
    const {orderV1} = orders()
    const name = await topic('sr-refuse')
    const subject = `${name}-value`
    const id = await register(subject, orderV1)
    const input = ['{"value":{"id":1,"item":"ok"}}', '{"value":{"id":"two","item":"x"}}', '', '{"value":{"id":3}}', '{"value":{"id":4,"item":"y","color":"red"}}', 'nope', '{"key":"k"}'].join('\n')
    const res = await kafkit(['produce', name, '--format', 'json', '--value-schema', subject, ...sr()], {input})
    expect(res.code).toBe(1)
    const at = `${subject} v1 (id ${id})`
    expect(res.stderr.trim().split('\n')).toEqual([
      `kafkit: line 2: does not fit ${at}: value: field "id": "two" is not long`,
      `kafkit: line 4: does not fit ${at}: value: field "item": missing (string)`,
      `kafkit: line 5: does not fit ${at}: value: unknown field "color" (not in the schema)`,
      expect.stringMatching(/^kafkit: line 6: not valid JSON/),
      'kafkit: line 7: field "value" is missing (use "value": null for a tombstone)',
      'kafkit: 5 of 6 records cannot be encoded: nothing was produced — fix the lines above and run again',
    ])
    const offsets = await kafkit(['topics', 'offsets', name, '-o', 'json'])
    expect(JSON.parse(offsets.stdout).partitions[0].latest).toBe(0)
  })

  it('an unknown subject, text input and no registry are one line each', async () => {
    const name = await topic('sr-flags')
    const missing = await kafkit(['produce', name, '--format', 'json', '--value-schema', 'no-such-subject-value', ...sr()], {input: '{"value":1}\n'})
    expect(missing.stderr).toBe(`kafkit: subject "no-such-subject-value" is not in ${url} — kafkit schemas list shows what is registered\n`)
    const text = await kafkit(['produce', name, '--value-schema', 'x', ...sr()], {input: 'a\n'})
    expect(text.stderr).toBe('kafkit: --value-schema and --key-schema encode JSON input: add --format json\n')
    const none = await kafkit(['produce', name, '--format', 'json', '--value-schema', 'x'], {input: '{"value":1}\n'})
    expect(none.stderr).toBe('kafkit: --value-schema / --key-schema needs a schema registry — give --schema-registry URL, or a schemaRegistry: {url: ...} in the context\n')
    for (const r of [missing, text, none]) expect(r.code).toBe(1)
  })
})

describe('dlq', () => {
  it('inspect shows sample values decoded; replay re-sends the encoded bytes exactly as they were', async () => {
    const {orderV1} = orders()
    const original = await topic('sr-orig')
    const dlq = await topic('sr-orig.dlq')
    const subject = `${original}-value`
    const id = await register(subject, orderV1)
    const bytes = framed(id, avro.Type.forSchema(orderV1 as any).toBuffer({id: 9, item: 'lamp'}))
    const line = JSON.stringify({key: 'k9', value: {base64: bytes.toString('base64')}, headers: ['original_topic', original, 'error_type', 'Timeout', 'error_message', 'slow']})
    expect((await kafkit(['produce', dlq, '--format', 'json'], {input: `${line}\n`})).code).toBe(0)

    const inspected = await kafkit(['dlq', 'inspect', dlq, '-o', 'json', ...sr()])
    expect(inspected.code, inspected.stderr).toBe(0)
    expect(JSON.parse(inspected.stdout).samples[0]).toMatchObject({key: 'k9', value: {id: 9, item: 'lamp'}, valueSchema: {id, type: 'AVRO', subject}})
    const raw = JSON.parse((await kafkit(['dlq', 'inspect', dlq, '-o', 'json', '--raw', ...sr()])).stdout)
    expect(raw.samples[0].valueSchema).toBeUndefined()
    // --where sees the decoded value.
    const where = async (expr: string) => JSON.parse((await kafkit(['dlq', 'inspect', dlq, '-o', 'json', '--where', expr, ...sr()])).stdout).records
    expect([await where('value.item == "lamp"'), await where('value.item == "desk"')]).toEqual([1, 0])

    const replay = await kafkit(['dlq', 'replay', dlq, '--yes'])
    expect(replay.code, replay.stderr).toBe(0)
    // kcat reads the original topic: the very bytes that went into the DLQ, not a re-encoding.
    const read = kcat(['-C', '-t', original, '-e', '-f', '%s', '-c', '1'])
    expect(read.status, read.stderr).toBe(0)
    expect(read.stdout.equals(bytes)).toBe(true)
    const {records} = await consumeJson(original, sr())
    expect(records[0].value).toEqual({id: 9, item: 'lamp'})
  })
})

describe('kafkit schemas', () => {
  it('list, get by subject[:version] and by id, check a local file against a subject', async () => {
    const {orderV1, orderV2} = orders()
    const subject = uniqueName('sr-schemas-value')
    const v1 = await register(subject, orderV1)
    await call('PUT', `/config/${encodeURIComponent(subject)}`, {compatibility: 'BACKWARD'})
    const v2 = await register(subject, orderV2)

    const list = await kafkit(['schemas', 'list', '--prefix', subject, '-o', 'json', ...sr()])
    expect(JSON.parse(list.stdout)).toEqual([{subject, versions: [1, 2], latest: {version: 2, id: v2, type: 'AVRO'}}])
    const table = await kafkit(['schemas', 'list', '--prefix', subject, ...sr()])
    expect(table.stdout).toMatch(new RegExp(`^SUBJECT +VERSIONS +LATEST +ID +TYPE\\n${subject.replaceAll('.', '\\.')} +1,2 +2 +${v2} +AVRO\\n\\n1 subject\\n$`))

    const got = JSON.parse((await kafkit(['schemas', 'get', `${subject}:1`, '-o', 'json', ...sr()])).stdout)
    expect(got).toMatchObject({id: v1, type: 'AVRO', subjects: [{subject, version: 1}]})
    expect(JSON.parse(got.schema)).toEqual(orderV1)
    const byId = JSON.parse((await kafkit(['schemas', 'get', '--id', String(v2), '-o', 'json', ...sr()])).stdout)
    expect(byId.subjects).toEqual([{subject, version: 2}])

    const ok = join(dir, 'order-v3.avsc')
    writeFileSync(ok, JSON.stringify({...orderV2, fields: [...orderV2.fields, {name: 'qty', type: 'int', default: 1}]}))
    const bad = join(dir, 'order-bad.avsc')
    writeFileSync(bad, JSON.stringify({...orderV2, fields: [...orderV2.fields, {name: 'qty', type: 'int'}]}))
    const compatible = await kafkit(['schemas', 'check', subject, ok, ...sr()])
    expect([compatible.code, compatible.stdout]).toEqual([0, `compatible: ${ok} (AVRO) can be registered under ${subject} (latest version)\n`])
    const incompatible = await kafkit(['schemas', 'check', subject, bad, ...sr()])
    expect(incompatible.code).toBe(1)
    expect(incompatible.stdout).toMatch(new RegExp(`^NOT compatible: ${bad.replaceAll('.', '\\.')} \\(AVRO\\) against ${subject.replaceAll('.', '\\.')} \\(latest version\\)\\n`))
    // Nothing was registered by the checks.
    expect(await call('GET', `/subjects/${encodeURIComponent(subject)}/versions`)).toEqual([1, 2])
  })

  it('topics lint --schema-registry: declared subjects must exist; without the flag lint stays offline', async () => {
    const {orderV1} = orders()
    const subject = uniqueName('shop.lint-value')
    await register(subject, orderV1)
    const file = join(dir, 'topics.yaml')
    writeFileSync(file, `version: 1\ndefaults: {partitions: 1, replicationFactor: 3, config: {min.insync.replicas: 2}}\ntopics:\n  - name: shop.lint.ok\n    valueSchema: ${subject}\n  - name: shop.lint.missing\n    valueSchema: shop.lint.missing-value\n`)
    const offline = await kafkit(['topics', 'lint', '-f', file])
    expect([offline.code, offline.stdout]).toEqual([0, `${file}: 2 topics OK; 0 errors, 0 warnings\n`])
    const checked = await kafkit(['topics', 'lint', '-f', file, ...sr()])
    expect(checked.code).toBe(1)
    expect(checked.stdout).toBe(`${file}:7:18: topic "shop.lint.missing": valueSchema subject "shop.lint.missing-value" is not in the schema registry ${url}\n${file}: invalid; 1 error, 0 warnings\n`)
  })

  it('mistakes are one line each', async () => {
    const missing = await kafkit(['schemas', 'get', 'no-such-subject-value', ...sr()])
    expect([missing.code, missing.stderr]).toEqual([1, `kafkit: subject "no-such-subject-value" is not in ${url} — kafkit schemas list shows what is registered\n`])
    const noId = await kafkit(['schemas', 'get', '--id', '987654321', ...sr()])
    expect(noId.stderr).toBe(`kafkit: schema id 987654321 is not in ${url} — kafkit schemas list shows what is registered\n`)
    const file = join(dir, 'broken.avsc')
    writeFileSync(file, '{"type": "record"}')
    const broken = await kafkit(['schemas', 'check', 'x-value', file, ...sr()])
    expect(broken.stderr).toMatch(new RegExp(`^kafkit: ${file.replaceAll('.', '\\.')}: not a valid AVRO schema: .+\\n$`))
    const none = await kafkit(['schemas', 'list'])
    expect(none.stderr).toBe('kafkit: kafkit schemas list needs a schema registry — give --schema-registry URL, or a schemaRegistry: {url: ...} in the context\n')
  })
})
