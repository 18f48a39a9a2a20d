import {Buffer} from 'node:buffer'
import {describe, expect, it} from 'vitest'
import {DLQ_DECODERS, decodeWithDlqDecoders} from '../../../src/core/dlq.js'
import {FILTER_DECODERS, FieldBytes, OUTPUT_DECODERS, decodeField, type FieldDecoder} from '../../../src/core/record-decoders.js'
import type {ConsumedRecord} from '../../../src/core/record.js'

const NOT_UTF8 = Buffer.from([0xc3, 0x28])
const text = (s: string): Buffer => Buffer.from(s, 'utf8')
const record = (value: Buffer | null, headers: ConsumedRecord['headers'] = []): ConsumedRecord => ({topic: 'orders', partition: 0, offset: '7', timestamp: '0', key: null, value, headers})

describe('field decoder chains', () => {
  it.each<[string, Buffer, string, unknown]>([
    ['a JSON object', text('{"a": 12}'), 'json', {a: 12}],
    ['a JSON number', text(' 42'), 'json', 42],
    ['text that only looks like JSON', text('{not json'), 'utf8', '{not json'],
    ['plain text', text('hello'), 'utf8', 'hello'],
    ['a real U+FFFD', text('a\uFFFDb'), 'utf8', 'a\uFFFDb'],
    ['bytes that are not UTF-8', NOT_UTF8, 'bytes', NOT_UTF8],
  ])('--where: %s → the %s decoder', (_what, bytes, decoder, value) => {
    expect(decodeField(FILTER_DECODERS, bytes)).toEqual({decoder, value})
  })

  it('output: text stays text (JSON too), other bytes are bytes; null stays null', () => {
    expect(decodeField(OUTPUT_DECODERS, text('{"a":1}'))).toEqual({decoder: 'utf8', value: '{"a":1}'})
    expect(decodeField(OUTPUT_DECODERS, NOT_UTF8)).toEqual({decoder: 'bytes', value: NOT_UTF8})
    expect(decodeField(OUTPUT_DECODERS, null)).toBeNull()
  })

  it('a decoder put in front (as a Schema Registry decoder will be) is asked first, and sees the record', () => {
    const seen: string[] = []
    const magicByte: FieldDecoder = {
      name: 'magic',
      canDecode: (field) => field.bytes[0] === 0,
      decode: (field) => {
        seen.push(field.record!.topic)
        return `schema ${field.bytes.readUInt32BE(1)}`
      },
    }
    const chain = FILTER_DECODERS.with(magicByte)
    expect(decodeField(chain, Buffer.from([0, 0, 0, 0, 5, 1]), record(null))).toEqual({decoder: 'magic', value: 'schema 5'})
    expect(decodeField(chain, text('[1]'), record(null))).toEqual({decoder: 'json', value: [1]})
    expect(seen).toEqual(['orders'])
    // The original chain is unchanged.
    expect(FILTER_DECODERS.decoders.map((d) => d.name)).toEqual(['json', 'utf8', 'bytes'])
  })

  it('decodes the text once for every decoder that asks', () => {
    const field = new FieldBytes(text('{"a":1}'))
    expect(field.text()).toBe(field.text())
    expect(field.json()).toBe(field.json())
  })
})

describe('the DLQ envelope decoder', () => {
  it('decodes a DLQ record to its failure and says why it cannot decode another', () => {
    const dlq = record(text('x'), [{name: 'kafka_dlt-original-topic', value: text('orders')}])
    expect(DLQ_DECODERS.decode(dlq)).toMatchObject({decoder: 'dlq', value: {originalTopic: 'orders'}})
    expect(DLQ_DECODERS.decode(record(text('plain')))).toBeUndefined()
    expect(decodeWithDlqDecoders(record(text('plain')))).toEqual({ok: false, reason: expect.stringContaining('value is not JSON')})
  })
})
