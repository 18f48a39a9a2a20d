import {Buffer} from 'node:buffer'
import {describe, expect, it} from 'vitest'
import {bytesToJson} from '../../../src/core/json-bytes.js'
import {compactJson, jsonArrayElementSpans, jsonObjectMemberSpans} from '../../../src/core/json-text.js'
import {parseProducerJsonLine, parseProducerLine} from '../../../src/core/producer-input.js'
import {type ConsumedRecord, type RecordHeaders, parseHeaderFlag} from '../../../src/core/record.js'
import {recordToJson, recordToJsonLine} from '../../../src/core/record-json.js'
import {compileRecordTemplate, renderRecord} from '../../../src/core/record-template.js'

const bytes = (...values: number[]): Buffer => Buffer.from(values)
const text = (s: string): Buffer => Buffer.from(s, 'utf8')
/** Headers in order from name, value, name, value, ...; a string value is its UTF-8 text. */
const headers = (...items: Array<string | Buffer | null>): RecordHeaders => {
  const list: RecordHeaders = []
  for (let i = 0; i < items.length; i += 2) list.push({name: items[i] as string, value: typeof items[i + 1] === 'string' ? text(items[i + 1] as string) : (items[i + 1] as Buffer | null)})
  return list
}

function record(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: 'orders',
    partition: 3,
    offset: '42',
    timestamp: '1729333800123',
    key: text('k1'),
    value: text('v1'),
    headers: [],
    ...overrides,
  }
}

describe('bytesToJson: UTF-8 text as a string, anything else as base64', () => {
  it.each([
    ['ASCII', text('hello'), 'hello'],
    ['empty', bytes(), ''],
    ['multi-byte UTF-8', text('é€😀'), 'é€😀'],
    ['NUL and control bytes are still UTF-8', bytes(0x61, 0x00, 0x0a, 0x62), 'a\u0000\nb'],
    ['a BOM is kept', bytes(0xef, 0xbb, 0xbf, 0x41), '\ufeffA'],
    ['a lone 0xff byte', bytes(0xff), {base64: '/w=='}],
    ['truncated multi-byte sequence', bytes(0x61, 0xc3), {base64: 'YcM='}],
    ['overlong encoding of /', bytes(0xc0, 0xaf), {base64: 'wK8='}],
    ['UTF-8-encoded surrogate (CESU)', bytes(0xed, 0xa0, 0x80), {base64: '7aCA'}],
  ])('%s', (_name, input, expected) => {
    expect(bytesToJson(input)).toEqual(expected)
  })
})

describe('recordToJsonLine', () => {
  it('writes every field, numbers for offset and timestamp, headers in order as kcat -J does', () => {
    const line = recordToJsonLine(record({headers: headers('multi', 'a', 'trace', 'abc', 'bin', bytes(0xff, 0x00), 'multi', 'b', 'none', null)}))
    expect(JSON.parse(line)).toEqual({
      topic: 'orders',
      partition: 3,
      offset: 42,
      timestamp: 1_729_333_800_123,
      key: 'k1',
      value: 'v1',
      headers: ['multi', 'a', 'trace', 'abc', 'bin', {base64: '/wA='}, 'multi', 'b', 'none', null],
    })
    expect(line).not.toContain('\n')
  })

  it('null key and tombstone value are JSON null', () => {
    expect(recordToJson(record({key: null, value: null}))).toMatchObject({key: null, value: null})
  })

  it('is always valid UTF-8 text even for binary values', () => {
    const line = recordToJsonLine(record({value: bytes(0x80, 0x81, 0xfe)}))
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line)
    expect(JSON.parse(line).value).toEqual({base64: 'gIH+'})
  })

  it.each([
    ['text', text('{"a": 1}')],
    ['binary', bytes(0x00, 0xff, 0x10, 0x80)],
    ['empty', bytes()],
    ['looks like a base64 object', text('{"base64":"AAAA"}')],
  ])('round-trips %s through parseProducerJsonLine byte for byte', (_name, value) => {
    const original = record({key: bytes(0xfe, 0x01), value, headers: headers('h', bytes(0xc0), 'x', null, 'h', 'x', 'constructor', '', '__proto__', 'p')})
    const parsed = parseProducerJsonLine(recordToJsonLine(original), 1)
    expect(parsed).toEqual({
      ok: true,
      message: {key: original.key, value, headers: original.headers, partition: 3, timestamp: '1729333800123'},
    })
  })
})

describe('renderRecord (kcat -f templates), on bytes', () => {
  const r = record({headers: headers('b', '2', 'a', '1', 'b', '3', 'e', '', 'n', null, 'constructor', 'c')})
  it.each([
    ['%t', 'orders'],
    ['%p', '3'],
    ['%o', '42'],
    ['%T', '1729333800123'],
    ['%k', 'k1'],
    ['%v', 'v1'],
    ['%s', 'v1'],
    ['%K/%S', '2/2'],
    ['%h', 'b=2,a=1,b=3,e=,n,constructor=c'],
    ['%k\\t%v\\n', 'k1\tv1\n'],
    ['\\r\\n', '\r\n'],
    ['100%% %t', '100% orders'],
    ['a\\\\b', 'a\\b'],
    ['\\q stays', '\\q stays'],
    ['trailing \\', 'trailing \\'],
    ['\\x41\\x7e', 'A~'],
    ['\\x4 is not an escape', '\\x4 is not an escape'],
    ['→ %t 😀', '→ orders 😀'],
    ['', ''],
  ])('%j', (template, expected) => {
    expect(renderRecord(template, r)).toEqual(text(expected))
  })

  it('writes keys, values and header values as raw bytes', () => {
    const binary = record({key: bytes(0x00, 0xff), value: bytes(0x80), headers: headers('h', bytes(0xfe))})
    expect(renderRecord('%k|%v|%h', binary)).toEqual(bytes(0x00, 0xff, 0x7c, 0x80, 0x7c, 0x68, 0x3d, 0xfe))
  })

  it('\\xHH is one raw byte, not its UTF-8 encoding', () => {
    expect(renderRecord('\\xff\\x00', r)).toEqual(bytes(0xff, 0x00))
  })

  it('null key and value render as nothing; sizes are -1 like kcat', () => {
    expect(renderRecord('[%k][%v] %K %S', record({key: null, value: null}))).toEqual(text('[][] -1 -1'))
    expect(renderRecord('%K %S', record({key: bytes(), value: bytes()}))).toEqual(text('0 0'))
  })

  it('sizes are byte lengths, not character counts', () => {
    expect(renderRecord('%S', record({value: text('é😀')}))).toEqual(text('6'))
  })

  it('no headers renders as nothing', () => {
    expect(renderRecord('<%h>', record())).toEqual(text('<>'))
  })

  it.each([
    ['%z', 'unknown format directive %z'],
    ['abc %', 'unknown format directive a lone % at the end'],
    ['%', 'a lone %'],
  ])('rejects %j', (template, message) => {
    const compiled = compileRecordTemplate(template)
    expect(compiled.ok).toBe(false)
    expect(!compiled.ok && compiled.error).toContain(message)
    expect(() => renderRecord(template, r)).toThrow(RangeError)
  })

  it('a compiled template renders many records', () => {
    const compiled = compileRecordTemplate('%o:%v\\n')
    if (!compiled.ok) throw new Error(compiled.error)
    const out = Buffer.concat([1, 2, 3].map((n) => compiled.render(record({offset: String(n), value: text(`m${n}`)}))))
    expect(out).toEqual(text('1:m1\n2:m2\n3:m3\n'))
  })
})

describe('parseProducerLine', () => {
  it.each([
    ['no separator: whole line is the value', 'a:b', undefined, null, 'a:b'],
    ['split at the first separator', 'k:v:w', ':', 'k', 'v:w'],
    ['multi-character separator', 'k::v', '::', 'k', 'v'],
    ['tab separator', 'k\tv', '\t', 'k', 'v'],
    ['empty key is an empty key, not null', ':v', ':', '', 'v'],
    ['empty value', 'k:', ':', 'k', ''],
    ['empty line', '', undefined, null, ''],
    ['multi-byte separator', 'k→v', '→', 'k', 'v'],
  ])('%s', (_name, line, keySeparator, key, value) => {
    const parsed = parseProducerLine(line, {keySeparator})
    expect(parsed).toEqual({ok: true, message: {key: key === null ? null : text(key), value: text(value), headers: []}})
  })

  it('splits Buffer lines on bytes, keeping invalid UTF-8 intact', () => {
    const line = bytes(0xff, 0x3a, 0x80, 0x3a)
    expect(parseProducerLine(line, {keySeparator: ':'})).toEqual({
      ok: true,
      message: {key: bytes(0xff), value: bytes(0x80, 0x3a), headers: []},
    })
  })

  it('a line without the separator is an error, not a null key', () => {
    expect(parseProducerLine('novalue', {keySeparator: '\t'})).toEqual({ok: false, error: 'key separator "\\t" not found'})
  })

  it('an empty separator is a programming error', () => {
    expect(() => parseProducerLine('x', {keySeparator: ''})).toThrow(RangeError)
  })
})

describe('parseProducerJsonLine', () => {
  it.each<[string, string, {key: Buffer | null; value: Buffer | null; headers?: RecordHeaders; partition?: number; timestamp?: string}]>([
    ['string key and value', '{"key": "k", "value": "v"}', {key: text('k'), value: text('v')}],
    ['absent key is null', '{"value": "v"}', {key: null, value: text('v')}],
    ['null value is a tombstone', '{"key": "k", "value": null}', {key: text('k'), value: null}],
    ['JSON object value, compacted', '{"value": {"a": 1, "b": [true, null]}}', {key: null, value: text('{"a":1,"b":[true,null]}')}],
    ['big integers kept exactly', '{"value": {"id": 12345678901234567890, "x": 2.50}}', {key: null, value: text('{"id":12345678901234567890,"x":2.50}')}],
    ['string escapes kept as written', '{"value": {"a": "\\u00e9 \\"q\\""}}', {key: null, value: text('{"a":"\\u00e9 \\"q\\""}')}],
    ['whitespace inside strings kept', '{"value": {"a b": " c "}}', {key: null, value: text('{"a b":" c "}')}],
    ['number key', '{"key": 123, "value": "v"}', {key: text('123'), value: text('v')}],
    ['boolean value', '{"value": false}', {key: null, value: text('false')}],
    ['array value', '{"value": [1, "two"]}', {key: null, value: text('[1,"two"]')}],
    ['string value that looks like JSON stays as written', '{"value": "{\\"a\\": 1}"}', {key: null, value: text('{"a": 1}')}],
    ['base64 key and value', '{"key": {"base64": "/w=="}, "value": {"base64": ""}}', {key: bytes(0xff), value: bytes()}],
    ['an object with more than base64 is JSON', '{"value": {"base64": "AA==", "x": 1}}', {key: null, value: text('{"base64":"AA==","x":1}')}],
    [
      'object form: string, base64, repeated, JSON, null',
      '{"value": "v", "headers": {"a": "1", "b": {"base64": "AP8="}, "c": ["x", null, "y"], "n": 7, "o": {"k": 1}, "z": null}}',
      {key: null, value: text('v'), headers: headers('a', '1', 'b', bytes(0x00, 0xff), 'c', 'x', 'c', null, 'c', 'y', 'n', '7', 'o', '{"k":1}', 'z', null)},
    ],
    [
      'ordered form: interleaved repeats, null, base64, JSON, built-in names',
      '{"value": "v", "headers": ["x", "1", "y", null, "x", {"base64": "AP8="}, "constructor", {"k": 1.50}, "__proto__", ""]}',
      {key: null, value: text('v'), headers: headers('x', '1', 'y', null, 'x', bytes(0x00, 0xff), 'constructor', '{"k":1.50}', '__proto__', '')},
    ],
    ['object form with built-in names', '{"value": "v", "headers": {"toString": "t", "__proto__": "p"}}', {key: null, value: text('v'), headers: headers('toString', 't', '__proto__', 'p')}],
    ['object form in the order written, integer-like names too', '{"value": "v", "headers": {"b": "1", "2": "x", "a": ["3", "4"], "1": "y"}}', {key: null, value: text('v'), headers: headers('b', '1', '2', 'x', 'a', '3', 'a', '4', '1', 'y')}],
    ['empty ordered form', '{"value": "v", "headers": []}', {key: null, value: text('v')}],
    ['partition', '{"value": "v", "partition": 2}', {key: null, value: text('v'), partition: 2}],
    ['timestamp number', '{"value": "v", "timestamp": 1729333800123}', {key: null, value: text('v'), timestamp: '1729333800123'}],
    ['timestamp string', '{"value": "v", "timestamp": "1729333800123"}', {key: null, value: text('v'), timestamp: '1729333800123'}],
    ['timestamp in exponent form', '{"value": "v", "timestamp": 1.5e12}', {key: null, value: text('v'), timestamp: '1500000000000'}],
    [
      'repeated header with JSON values',
      '{"value": "v", "headers": {"h": [ {"a": 1.50}, "s", {"base64": "AA=="} ]}}',
      {key: null, value: text('v'), headers: headers('h', '{"a":1.50}', 'h', 's', 'h', bytes(0))},
    ],
    ['null headers/partition/timestamp are absent', '{"value": "v", "headers": null, "partition": null, "timestamp": null}', {key: null, value: text('v')}],
    ['topic and offset from consume -o json are ignored', '{"topic": "t", "offset": 9, "value": "v"}', {key: null, value: text('v')}],
    ['surrounding whitespace', '  {"value": "v"}  ', {key: null, value: text('v')}],
  ])('%s', (_name, line, expected) => {
    expect(parseProducerJsonLine(line, 1)).toEqual({ok: true, message: {headers: [], ...expected}})
  })

  it.each(['', '   ', '\t'])('blank line %j gives no message', (line) => {
    expect(parseProducerJsonLine(line, 4)).toEqual({ok: true, message: null})
  })

  it.each([
    ['{"value": ', 'line 7: not valid JSON ('],
    ['[1, 2]', 'line 7: expected a JSON object with key, value, headers, partition; got an array'],
    ['"text"', 'line 7: expected a JSON object with key, value, headers, partition; got "text"'],
    ['null', 'got null'],
    ['{"key": "k"}', 'line 7: field "value" is missing (use "value": null for a tombstone)'],
    ['{"vaule": "v"}', 'line 7: unknown field "vaule" (expected key, value, headers, partition, timestamp)'],
    ['{"value": {"base64": "not base64!"}}', 'line 7: field "value": invalid base64'],
    ['{"key": {"base64": "AAA"}, "value": "v"}', 'line 7: field "key": invalid base64'],
    ['{"value": "v", "partition": -1}', 'line 7: field "partition" must be a non-negative integer, got -1'],
    ['{"value": "v", "partition": 1.5}', 'field "partition" must be a non-negative integer, got 1.5'],
    ['{"value": "v", "partition": "2"}', 'field "partition" must be a non-negative integer, got "2"'],
    ['{"value": "v", "partition": 2147483648}', 'field "partition"'],
    ['{"value": "v", "timestamp": "yesterday"}', 'line 7: field "timestamp" must be epoch milliseconds'],
    ['{"value": "v", "timestamp": -5}', 'field "timestamp"'],
    ['{"value": "v", "timestamp": 1729333800123.5}', 'field "timestamp"'],
    ['{"value": "v", "timestamp": 9007199254740993}', 'field "timestamp"'],
    ['{"value": "v", "headers": ["a=b"]}', 'line 7: field "headers" has 1 items; expected ["name", value, ...] pairs'],
    ['{"value": "v", "headers": ["a", "1", 2, "x"]}', 'line 7: field "headers[2]": a header name must be a string, got 2'],
    ['{"value": "v", "headers": [null, "x"]}', 'field "headers[0]": a header name must be a string, got null'],
    ['{"value": "v", "headers": ["a", {"base64": "%%"}]}', 'line 7: field "headers[1]": invalid base64'],
    ['{"value": "v", "headers": "a=b"}', 'field "headers" must be ["name", value, ...] or an object of name → value, got "a=b"'],
    ['{"value": "v", "headers": {"h": [["x"]]}}', 'field "headers.h": a header value must be a string, a JSON value, {"base64": ...} or null, got an array'],
    ['{"value": "v", "headers": {"h": {"base64": "%%"}}}', 'line 7: field "headers.h": invalid base64'],
  ])('%s → error', (line, message) => {
    const parsed = parseProducerJsonLine(line, 7)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.error).toContain(message)
  })
})

describe('parseHeaderFlag', () => {
  it.each([
    ['k=v', 'k', 'v'],
    ['k=', 'k', ''],
    ['k=a=b', 'k', 'a=b'],
    ['trace-id=abc 123', 'trace-id', 'abc 123'],
  ])('%j', (flag, name, value) => {
    expect(parseHeaderFlag(flag)).toEqual({ok: true, name, value})
  })
  it.each([
    ['novalue', 'expected name=value, got "novalue"'],
    ['=v', 'header name is empty in "=v"'],
  ])('rejects %j', (flag, error) => {
    expect(parseHeaderFlag(flag)).toEqual({ok: false, error})
  })
})

describe('lossless JSON text helpers', () => {
  const json = '{ "a" : "x\\"}{", "b": [1, {"c": "]"}], "d":null ,"e":-1.5e3, "a\\u0041": {} }'
  it('finds member spans past strings with brackets and escaped quotes', () => {
    const spans = jsonObjectMemberSpans(json)
    const raw = Object.fromEntries([...spans].map(([name, span]) => [name, json.slice(span.start, span.end)]))
    expect(raw).toEqual({a: '"x\\"}{"', b: '[1, {"c": "]"}]', d: 'null', e: '-1.5e3', aA: '{}'})
  })
  it('finds array element spans', () => {
    const array = ' [ 1 , "a,b" , [2, 3], {"x": [4]} , true ] '
    expect(jsonArrayElementSpans(array).map((s) => array.slice(s.start, s.end))).toEqual(['1', '"a,b"', '[2, 3]', '{"x": [4]}', 'true'])
    expect(jsonArrayElementSpans('[]')).toEqual([])
  })
  it('empty object', () => expect(jsonObjectMemberSpans(' { } ').size).toBe(0))
  it.each([
    ['{ "a" : [ 1 , 2 ] }', '{"a":[1,2]}'],
    ['"  spaced  "', '"  spaced  "'],
    ['{"q": "a\\" b", "n": 1.000}', '{"q":"a\\" b","n":1.000}'],
    ['\n[\ttrue,\r\nnull ]\n', '[true,null]'],
    // The text is {"a": "x\\", "b": [ 1 ]}: an escaped backslash, then the closing quote.
    ['{"a": "x\\\\", "b": [ 1 ]}', '{"a":"x\\\\","b":[1]}'],
    ['["\\\\\\"", 2]', '["\\\\\\"",2]'],
  ])('compactJson(%j)', (input, expected) => expect(compactJson(input)).toBe(expected))
})
