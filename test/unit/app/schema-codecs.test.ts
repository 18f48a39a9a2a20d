/** The codecs built from registry schemas (avsc, protobufjs, ajv): bytes as Confluent's serializers write them. */
import {Buffer} from 'node:buffer'

import {describe, expect, it} from 'vitest'

import {compileSchema} from '../../../src/app/schema-codecs.js'
import {jsonSafe, parseWireFrame} from '../../../src/core/schema-wire.js'

const order = JSON.stringify({type: 'record', name: 'Order', fields: [{name: 'id', type: 'long'}, {name: 'item', type: 'string'}, {name: 'note', type: ['null', 'string'], default: null}, {name: 'blob', type: 'bytes', default: ''}]})

describe('Avro', () => {
  it('encodes to magic byte, id, Avro binary; decodes back', async () => {
    const codec = await compileSchema({id: 2, type: 'AVRO', schema: order, subject: 'orders-value', version: 1})
    const encoded = codec.encode({id: 42, item: 'book', note: 'gift', blob: {base64: 'AQI='}})
    expect(encoded.ok).toBe(true)
    const bytes = (encoded as {bytes: Buffer}).bytes
    // 42 -> zigzag 84 (0x54); "book" -> length 4 zigzag 8, then the text; union branch 1; bytes length 2
    expect(bytes.toString('hex')).toBe(`0000000002540862${Buffer.from('ook').toString('hex')}0208${Buffer.from('gift').toString('hex')}040102`)
    expect(jsonSafe(codec.decode(parseWireFrame(bytes)!.payload))).toMatchObject({id: 42, item: 'book', note: 'gift'})
  })

  it('longs beyond 2^53 decode exactly (as strings in JSON) and encode from a decimal string', async () => {
    const codec = await compileSchema({id: 2, type: 'AVRO', schema: order})
    const big = codec.encode({id: '1234567890123456789', item: 'x'})
    expect(big.ok).toBe(true)
    const payload = parseWireFrame((big as {bytes: Buffer}).bytes)!.payload
    expect(jsonSafe(codec.decode(payload))).toMatchObject({id: '1234567890123456789', item: 'x'})
    expect(jsonSafe(codec.decode(parseWireFrame((codec.encode({id: 42, item: 'x'}) as {bytes: Buffer}).bytes)!.payload))).toMatchObject({id: 42})
    expect(codec.encode({id: '99999999999999999999', item: 'x'})).toEqual({ok: false, errors: ['field "id": "99999999999999999999" is not long']})
  })

  it('says what does not fit: wrong type, missing field, unknown field', async () => {
    const codec = await compileSchema({id: 2, type: 'AVRO', schema: order})
    expect(codec.encode({id: 'x', item: 'book'})).toEqual({ok: false, errors: ['field "id": "x" is not long']})
    expect(codec.encode({id: 1})).toEqual({ok: false, errors: ['field "item": missing (string)']})
    expect(codec.encode({id: 1, item: 'a', extra: true})).toEqual({ok: false, errors: ['unknown field "extra" (not in the schema)']})
    expect(codec.encode('text')).toEqual({ok: false, errors: ['"text" is not record Order']})
  })

  it('decoding bytes that do not fit throws (the caller prints them raw)', async () => {
    const codec = await compileSchema({id: 2, type: 'AVRO', schema: order})
    expect(() => codec.decode(Buffer.from([0x54]))).toThrow()
  })

  it('a schema that is not Avro is one line naming the id', async () => {
    await expect(compileSchema({id: 9, type: 'AVRO', schema: '{"type": "record"}'})).rejects.toThrow(/^schema id 9 \(AVRO\): /)
  })
})

describe('Protobuf', () => {
  const proto = 'syntax = "proto3";\npackage shop;\nimport "google/protobuf/timestamp.proto";\nmessage Order { string id = 1; int64 amount = 2; Status status = 3; google.protobuf.Timestamp at = 4; }\nenum Status { NEW = 0; PAID = 1; }\nmessage Other { message Inner { bool ok = 1; } }\n'

  it('encodes the first message with index [0] (one 0 byte) and decodes any message by its indexes', async () => {
    const codec = await compileSchema({id: 3, type: 'PROTOBUF', schema: proto})
    const encoded = codec.encode({id: 'a', amount: 5})
    expect(encoded.ok).toBe(true)
    const bytes = (encoded as {bytes: Buffer}).bytes
    expect(bytes.toString('hex')).toBe('0000000003' + '00' + '0a0161' + '1005')
    expect(codec.decode(parseWireFrame(bytes)!.payload)).toEqual({id: 'a', amount: '5', status: 'NEW', at: null})
    // [1, 0]: Other.Inner
    expect(codec.decode(Buffer.from([4, 2, 0, 0x08, 0x01]))).toEqual({ok: true})
  })

  it('refuses what protobufjs would coerce: a string for an integer, an unknown field, an unknown enum', async () => {
    const codec = await compileSchema({id: 3, type: 'PROTOBUF', schema: proto})
    expect(codec.encode({id: 'a', amount: 'abc', status: 'LOST', extra: 1})).toEqual({
      ok: false,
      errors: ['field "amount": "abc" is not an integer (int64)', 'field "status": "LOST" is not one of NEW, PAID', 'field "extra": unknown field (not in Order)'],
    })
  })
})

describe('JSON Schema', () => {
  const schema = JSON.stringify({$schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {id: {type: 'integer'}}, required: ['id'], additionalProperties: false})

  it('encodes the JSON text after the header and validates it', async () => {
    const codec = await compileSchema({id: 4, type: 'JSON', schema})
    const encoded = codec.encode({id: 1})
    expect((encoded as {bytes: Buffer}).bytes).toEqual(Buffer.concat([Buffer.from([0, 0, 0, 0, 4]), Buffer.from('{"id":1}')]))
    expect(codec.decode(Buffer.from('{"id":2}'))).toEqual({id: 2})
    expect(codec.encode({id: 'x', more: 1})).toEqual({ok: false, errors: ['must NOT have additional properties ("more")', 'field "id": must be integer']})
  })

  it('draft 2020-12 schemas compile too', async () => {
    const codec = await compileSchema({id: 5, type: 'JSON', schema: JSON.stringify({$schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string'})})
    expect(codec.encode(1).ok).toBe(false)
    expect(codec.encode('a').ok).toBe(true)
  })
})
