import {Buffer} from 'node:buffer'

import {describe, expect, it} from 'vitest'

import {encodeMessageIndexes, frameWire, jsonSafe, parseMessageIndexes, parseSubjectVersion, parseWireFrame} from '../../../src/core/schema-wire.js'

describe('Confluent wire format', () => {
  it('reads magic byte 0 and a big-endian schema id, the payload after them', () => {
    const bytes = Buffer.from([0, 0, 0, 1, 2, 0x54, 0x08])
    const frame = parseWireFrame(bytes)
    expect(frame?.schemaId).toBe(258)
    expect([...frame!.payload]).toEqual([0x54, 0x08])
  })

  it('is not text, JSON, a short buffer, another magic byte or a negative id', () => {
    for (const bytes of [Buffer.from('{"a":1}'), Buffer.from([0, 0, 0, 1]), Buffer.from([1, 0, 0, 0, 1, 9]), Buffer.from([0, 0xff, 0xff, 0xff, 0xff, 9]), Buffer.alloc(0)]) {
      expect(parseWireFrame(bytes)).toBeUndefined()
    }
    expect(parseWireFrame(null)).toBeUndefined()
  })

  it('an empty payload after the header is still the format (an empty Avro record)', () => {
    expect(parseWireFrame(Buffer.from([0, 0, 0, 0, 7]))).toEqual({schemaId: 7, payload: Buffer.alloc(0)})
  })

  it('frames a payload back to the same bytes', () => {
    const payload = Buffer.from([1, 2, 3])
    const framed = frameWire(2_000_000, payload)
    expect([...framed.subarray(0, 5)]).toEqual([0, 0x00, 0x1e, 0x84, 0x80])
    expect(parseWireFrame(framed)).toEqual({schemaId: 2_000_000, payload})
  })
})

describe('Protobuf message indexes', () => {
  it('a lone 0 is the first message', () => {
    expect(parseMessageIndexes(Buffer.from([0, 0x0a, 0x01, 0x61]))).toEqual({ok: true, indexes: [0], message: Buffer.from([0x0a, 0x01, 0x61])})
    expect([...encodeMessageIndexes([0])]).toEqual([0])
  })

  it('a zigzag count and zigzag indexes: [1, 0] is the first nested message of the second', () => {
    // count 2 -> 4, 1 -> 2, 0 -> 0
    const encoded = encodeMessageIndexes([1, 0])
    expect([...encoded]).toEqual([4, 2, 0])
    expect(parseMessageIndexes(Buffer.concat([encoded, Buffer.from([0x08, 0x01])]))).toEqual({ok: true, indexes: [1, 0], message: Buffer.from([0x08, 0x01])})
    // multi-byte varint: index 100 -> zigzag 200 = 0xc8 0x01
    expect([...encodeMessageIndexes([100])]).toEqual([2, 0xc8, 0x01])
    expect(parseMessageIndexes(Buffer.from([2, 0xc8, 0x01]))).toMatchObject({ok: true, indexes: [100]})
  })

  it('refuses truncated or absurd indexes', () => {
    expect(parseMessageIndexes(Buffer.alloc(0)).ok).toBe(false)
    expect(parseMessageIndexes(Buffer.from([4, 2])).ok).toBe(false)
    expect(parseMessageIndexes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).ok).toBe(false)
  })
})

describe('SUBJECT[:VERSION]', () => {
  it.each([
    ['orders-value', {subject: 'orders-value', version: 'latest'}],
    ['orders-value:3', {subject: 'orders-value', version: 3}],
    ['orders-value:latest', {subject: 'orders-value', version: 'latest'}],
    ['a:b-value:2', {subject: 'a:b-value', version: 2}],
  ])('%s', (text, expected) => {
    expect(parseSubjectVersion(text)).toEqual({ok: true, ...expected})
  })

  it('refuses an empty subject and version 0', () => {
    expect(parseSubjectVersion('').ok).toBe(false)
    expect(parseSubjectVersion('s:0')).toEqual({ok: false, error: '"s:0": a version is a number from 1'})
  })
})

describe('jsonSafe', () => {
  it('bytes as base64, bigints as numbers when exact, else strings, Maps as objects', () => {
    expect(
      jsonSafe({b: Buffer.from([1, 2]), u: new Uint8Array([255]), small: 5n, big: 12345678901234567890n, m: new Map([['k', 1]]), list: [undefined, null], nan: Number.NaN, skip: undefined}),
    ).toEqual({b: {base64: 'AQI='}, u: {base64: '/w=='}, small: 5, big: '12345678901234567890', m: {k: 1}, list: [null, null], nan: 'NaN'})
  })
})
