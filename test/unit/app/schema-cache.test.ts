/**
 * Schemas are fetched once per id per run and a missing one is reported once. The registry here
 * is a stand-in object (the HTTP client is exercised against the real registry in
 * test/integration/schema-registry.test.ts); what is tested is the cache's bookkeeping.
 */
import {Buffer} from 'node:buffer'

import {describe, expect, it} from 'vitest'

import {RecordSchemaDecoding} from '../../../src/app/schemas.js'
import type {ConsumedRecord} from '../../../src/core/record.js'
import {frameWire} from '../../../src/core/schema-wire.js'
import {RegistryHttpError, type SchemaRegistryClient} from '../../../src/registry/client.js'

const schema = JSON.stringify({type: 'record', name: 'R', fields: [{name: 'n', type: 'int'}]})

function registry(known: Record<number, string>) {
  const calls: number[] = []
  const client = {
    url: 'http://registry',
    async schemaById(id: number) {
      calls.push(id)
      if (known[id] === undefined) throw new RegistryHttpError('HTTP 404', 404, 40403)
      return {id, schema: known[id], schemaType: 'AVRO' as const}
    },
    async idVersions() {
      return [{subject: 's-value', version: 1}]
    },
  } as unknown as SchemaRegistryClient
  return {client, calls}
}

const rec = (value: Buffer, offset = 0): ConsumedRecord => ({topic: 't', partition: 0, offset: String(offset), timestamp: '0', key: null, value, headers: []})

describe('RecordSchemaDecoding', () => {
  it('fetches each schema id once, however many batches and records carry it', async () => {
    const {client, calls} = registry({1: schema})
    const warnings: string[] = []
    const decoding = new RecordSchemaDecoding(client, (w) => warnings.push(w))
    const batch = [rec(frameWire(1, Buffer.from([2]))), rec(frameWire(1, Buffer.from([4])), 1)]
    await decoding.prepare(batch)
    await decoding.prepare(batch)
    expect(calls).toEqual([1])
    expect(decoding.decode(batch[1])).toEqual({value: {schemaId: 1, type: 'AVRO', subject: 's-value', value: {n: 2}}})
    expect(warnings).toEqual([])
  })

  it('batches prepared at the same time share one request per id', async () => {
    const {client, calls} = registry({1: schema})
    const decoding = new RecordSchemaDecoding(client, () => {})
    const batch = [rec(frameWire(1, Buffer.from([2])))]
    await Promise.all([decoding.prepare(batch), decoding.prepare(batch), decoding.prepare(batch)])
    expect(calls).toEqual([1])
    expect(decoding.decode(batch[0]).value?.value).toEqual({n: 1})
  })

  it('a schema that cannot be fetched: one warning, one request, records left raw', async () => {
    const {client, calls} = registry({})
    const warnings: string[] = []
    const decoding = new RecordSchemaDecoding(client, (w) => warnings.push(w))
    const batch = Array.from({length: 5}, (_, i) => rec(frameWire(7, Buffer.from([2])), i))
    await decoding.prepare(batch)
    await decoding.prepare(batch)
    for (const r of batch) expect(decoding.decode(r)).toEqual({})
    expect(calls).toEqual([7])
    expect(warnings).toEqual(['schema id 7 is not in http://registry (deleted?); records with schema id 7 are printed raw'])
  })

  it('bytes that do not fit their schema: one warning per id, not per record', async () => {
    const {client} = registry({1: schema})
    const warnings: string[] = []
    const decoding = new RecordSchemaDecoding(client, (w) => warnings.push(w))
    const batch = [rec(frameWire(1, Buffer.alloc(0))), rec(frameWire(1, Buffer.alloc(0)), 1)]
    await decoding.prepare(batch)
    for (const r of batch) expect(decoding.decode(r)).toEqual({})
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^schema id 1: does not decode with its AVRO schema: .*; records with schema id 1 are printed raw$/)
  })
})
