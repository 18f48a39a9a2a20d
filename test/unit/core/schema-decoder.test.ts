import {Buffer} from 'node:buffer'

import {describe, expect, it} from 'vitest'

import type {ConsumedRecord} from '../../../src/core/record.js'
import {recordToJson} from '../../../src/core/record-json.js'
import {decodedView, decodeRecordSchemas, SchemaFieldDecoder, schemaOutputChain, type SchemaCodec, type SchemaProblem} from '../../../src/core/schema-decoder.js'
import {frameWire} from '../../../src/core/schema-wire.js'

/** A codec whose payload is UTF-8 JSON of an object (like JSON Schema's); throws on anything else. */
const codec = (id: number, subject?: string): SchemaCodec => ({
  id,
  type: 'JSON',
  subject,
  decode(payload) {
    const value = JSON.parse(payload.toString('utf8'))
    if (typeof value !== 'object') throw new Error('not an object')
    return value
  },
})

function record(key: Buffer | null, value: Buffer | null): ConsumedRecord {
  return {topic: 't', partition: 0, offset: '7', timestamp: '1000', key, value, headers: []}
}

function setup(codecs: Record<number, SchemaCodec | null>) {
  const problems: SchemaProblem[] = []
  const decoder = new SchemaFieldDecoder((id) => codecs[id], (p) => problems.push(p))
  return {chain: schemaOutputChain(decoder), problems}
}

describe('the schema decoder in the output chain', () => {
  it('decodes wire-format keys and values whose schema is known; text stays text', () => {
    const {chain} = setup({5: codec(5, 't-value'), 6: codec(6)})
    const r = record(frameWire(6, Buffer.from('{"k":1}')), frameWire(5, Buffer.from('{"id":42,"blob":"x"}')))
    const schemas = decodeRecordSchemas(chain, r)
    expect(schemas).toEqual({key: {schemaId: 6, type: 'JSON', value: {k: 1}}, value: {schemaId: 5, type: 'JSON', subject: 't-value', value: {id: 42, blob: 'x'}}})
    expect(decodeRecordSchemas(chain, record(Buffer.from('plain'), null))).toEqual({})
  })

  it('an unknown schema (null: could not be fetched) leaves the bytes to the rest of the chain, without a problem of its own', () => {
    const {chain, problems} = setup({9: null})
    const r = record(null, frameWire(9, Buffer.from('{}')))
    expect(decodeRecordSchemas(chain, r)).toEqual({})
    expect(problems).toEqual([])
  })

  it('bytes that do not decode with their schema are reported and left raw', () => {
    const {chain, problems} = setup({5: codec(5)})
    expect(decodeRecordSchemas(chain, record(null, frameWire(5, Buffer.from('"a string"'))))).toEqual({})
    expect(problems).toEqual([{schemaId: 5, reason: 'does not decode with its JSON schema: not an object'}])
  })

  it('-o json: the decoded value with the schema it came from; raw fields as before', () => {
    const {chain} = setup({5: codec(5, 't-value')})
    const r = record(Buffer.from('k'), frameWire(5, Buffer.from('{"id":1}')))
    const json = recordToJson(r, decodeRecordSchemas(chain, r))
    expect(json).toEqual({topic: 't', partition: 0, offset: 7, timestamp: 1000, key: 'k', value: {id: 1}, valueSchema: {id: 5, type: 'JSON', subject: 't-value'}, headers: []})
    // Without schemas, exactly what it was.
    expect(recordToJson(r)).toEqual({topic: 't', partition: 0, offset: 7, timestamp: 1000, key: 'k', value: '\u0000\u0000\u0000\u0000\u0005{"id":1}', headers: []})
  })

  it('names the record topic\'s own subject when the schema is registered under several', () => {
    const shared: SchemaCodec = {...codec(5, 'other-value'), subjects: ['other-value', 't-value']}
    const {chain} = setup({5: shared})
    expect(decodeRecordSchemas(chain, record(null, frameWire(5, Buffer.from('{}')))).value?.subject).toBe('t-value')
    const elsewhere = {...record(null, frameWire(5, Buffer.from('{}'))), topic: 'x'}
    expect(decodeRecordSchemas(chain, elsewhere).value?.subject).toBe('other-value')
  })

  it('templates and --where see the decoded value as JSON text', () => {
    const {chain} = setup({5: codec(5)})
    const r = record(Buffer.from('k'), frameWire(5, Buffer.from('{ "id" : 1 }')))
    const view = decodedView(r, decodeRecordSchemas(chain, r))
    expect(view.value?.toString('utf8')).toBe('{"id":1}')
    expect(view.key).toBe(r.key)
    expect(decodedView(r, {})).toBe(r)
  })
})
