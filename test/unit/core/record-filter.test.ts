import {Buffer} from 'node:buffer'
import {describe, expect, it} from 'vitest'

import type {ConsumedRecord, RecordHeaders} from '../../../src/core/record.js'
import {replaySettingsFromFlags} from '../../../src/cli/replay-flags.js'
import {filterRejection} from '../../../src/core/dlq-replay.js'
import {decodeDlqRecord} from '../../../src/core/dlq.js'
import {aliasWords, compileRecordFilter, failedEverywhere, parseValue, type RecordFilter} from '../../../src/core/record-filter.js'

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8')
const NOT_UTF8 = Buffer.from([0xc3, 0x28, 0xff])

function record(fields: Partial<Omit<ConsumedRecord, 'key' | 'value'>> & {key?: string | Buffer | null; value?: string | Buffer | null} = {}): ConsumedRecord {
  const toBytes = (v: string | Buffer | null | undefined) => (v === undefined || v === null ? null : typeof v === 'string' ? bytes(v) : v)
  return {
    topic: fields.topic ?? 'orders',
    partition: fields.partition ?? 0,
    offset: fields.offset ?? '7',
    timestamp: fields.timestamp ?? '1793527200000', // 2026-11-01T10:00:00Z
    key: toBytes(fields.key),
    value: fields.value === undefined ? bytes('{"order_id": 42, "amount": 12.5, "status": "Refunded", "items": [{"sku": "a-1"}], "note": null}') : toBytes(fields.value),
    headers: fields.headers ?? [],
  }
}

function filter(...sources: string[]): RecordFilter {
  const compiled = compileRecordFilter(sources)
  if (!compiled.ok) throw new Error(compiled.error)
  return compiled.filter
}

const matches = (source: string, r: ConsumedRecord = record()): boolean => filter(source).test(r)

function compileError(...sources: string[]): string {
  const compiled = compileRecordFilter(sources)
  if (compiled.ok) throw new Error(`compiled: ${sources.join(' ')}`)
  return compiled.error
}

const headers = (...pairs: Array<[string, string | null]>): RecordHeaders => pairs.map(([name, value]) => ({name, value: value === null ? null : bytes(value)}))

describe('value', () => {
  it.each([
    ['value.order_id == 42', true],
    ['value.order_id == 42.0', true],
    ['value.order_id == 43', false],
    ['value.order_id == "42"', false],
    ['value.amount > 12 && value.amount < 13', true],
    ['value.order_id in [41, 42]', true],
    ['value.order_id in [1, "42"]', false],
    ['value.items[0].sku == "a-1"', true],
    ['size(value.items) == 1', true],
    ['value.note == null', true],
    ['has(value.note)', true],
    ['has(value.missing)', false],
    ['!has(value.missing)', true],
    ['value.status.startsWith("Ref")', true],
    ['value.status.contains("fund")', true],
  ])('%s → %s', (source, expected) => {
    expect(matches(source)).toBe(expected)
  })

  it('a value that is not JSON is its text; JSON text is parsed (a JSON string too)', () => {
    expect(matches('value == "hello world"', record({value: 'hello world'}))).toBe(true)
    expect(matches('value == "hello"', record({value: '"hello"'}))).toBe(true)
    expect(matches('value == 42', record({value: '42'}))).toBe(true)
    expect(matches('value == "42"', record({value: '42'}))).toBe(false)
    expect(matches('value == "{not json"', record({value: '{not json'}))).toBe(true)
    expect(matches('value == "tru"', record({value: 'tru'}))).toBe(true)
  })

  it('a null value (tombstone) and a non-UTF-8 value are null', () => {
    expect(matches('value == null', record({value: null}))).toBe(true)
    expect(matches('value == null', record({value: NOT_UTF8}))).toBe(true)
    expect(parseValue(NOT_UTF8)).toBeNull()
    expect(parseValue(bytes(''))).toBe('')
    expect(parseValue(bytes(' [1, 2]'))).toEqual([1, 2])
  })

  it('a missing field fails the expression: no match, counted, first failure named with its record', () => {
    const f = filter('value.customer.id == 1')
    expect(f.test(record())).toBe(false)
    expect(f.test(record({value: null, offset: '9'}))).toBe(false)
    expect(f.failures).toBe(2)
    expect(f.firstFailure).toBe('value.customer.id == 1: no such key: customer (partition 0, offset 7)')
  })

  it('failedEverywhere: only when the expression failed on every record tested', () => {
    const f = filter('value.customer.id == 1')
    f.test(record())
    f.test(record({value: null}))
    expect(failedEverywhere(f)).toBe('--where failed on every record read (2); the first: value.customer.id == 1: no such key: customer (partition 0, offset 7)')
    f.test(record({value: '{"customer": {"id": 2}}'}))
    expect(failedEverywhere(f)).toBeUndefined()
    expect(failedEverywhere(filter('value.order_id == 42'))).toBeUndefined()
  })

  it('a negation of a failing comparison does not match either (CEL errors are not false)', () => {
    expect(matches('!(value.missing == 1)')).toBe(false)
    expect(matches('!has(value.missing) || value.missing != 1')).toBe(true)
  })

  it('|| and && absorb an error when the other side decides (CEL semantics)', () => {
    expect(matches('value.missing == 1 || value.order_id == 42')).toBe(true)
    expect(matches('value.order_id == 1 && value.missing == 1')).toBe(false)
  })

  it('a numeric comparison on text is an error, not a match', () => {
    const f = filter('value > 3')
    expect(f.test(record({value: 'abc'}))).toBe(false)
    expect(f.failures).toBe(1)
  })
})

describe('key, partition, offset, timestamp, topic', () => {
  it('key is text, not parsed as JSON; null and non-UTF-8 keys are null', () => {
    expect(matches('key == "42"', record({key: '42'}))).toBe(true)
    expect(matches('key == 42', record({key: '42'}))).toBe(false)
    expect(matches('key == null', record({key: null}))).toBe(true)
    expect(matches('key == null', record({key: NOT_UTF8}))).toBe(true)
    expect(matches('key.matches("^cust-")', record({key: 'cust-9'}))).toBe(true)
  })

  it('offsets are 64-bit integers, exact beyond 2^53', () => {
    const big = record({offset: '9223372036854775806'})
    expect(matches('offset == 9223372036854775806', big)).toBe(true)
    expect(matches('offset == 9223372036854775807', big)).toBe(false)
    expect(matches('offset > 9007199254740993', big)).toBe(true)
    expect(matches('offset >= 7 && offset < 8')).toBe(true)
    expect(matches('offset > 6.5')).toBe(true)
    expect(matches('offset in [1, 7]')).toBe(true)
  })

  it('partition, topic, timestamp (ms) and time', () => {
    expect(matches('partition == 3 && topic == "orders"', record({partition: 3}))).toBe(true)
    expect(matches('timestamp >= 1793527200000')).toBe(true)
    expect(matches('timestamp > 1793527200000')).toBe(false)
    expect(matches('time >= timestamp("2026-11-01T10:00:00Z") && time < timestamp("2026-11-01T10:00:01Z")')).toBe(true)
  })
})

describe('headers', () => {
  const repeated = headers(['type', 'order'], ['tenant', 'acme'], ['type', 'refund'], ['flag', null], ['type', null], ['x-trace', 'abc'])

  it('headers.x is the last value, as Kafka lastHeader', () => {
    expect(matches('headers.tenant == "acme"', record({headers: repeated}))).toBe(true)
    // The last `type` is null: the earlier "refund" is not what headers.type is.
    expect(matches('headers.type == null', record({headers: repeated}))).toBe(true)
    expect(matches('headers.type == "refund"', record({headers: repeated}))).toBe(false)
    expect(matches('headers.type == "refund"', record({headers: headers(['type', 'order'], ['type', 'refund'])}))).toBe(true)
  })

  it('all_headers.x is every value in order, nulls included', () => {
    const r = record({headers: repeated})
    expect(matches('"refund" in all_headers.type', r)).toBe(true)
    expect(matches('all_headers.type == ["order", "refund", null]', r)).toBe(true)
    expect(matches('size(all_headers.type) == 3', r)).toBe(true)
  })

  it('a null header value is null; a missing header fails (use "x" in headers)', () => {
    const r = record({headers: repeated})
    expect(matches('headers.flag == null', r)).toBe(true)
    expect(matches('"flag" in headers', r)).toBe(true)
    expect(matches('"nope" in headers', r)).toBe(false)
    const f = filter('headers.nope == "x"')
    expect(f.test(r)).toBe(false)
    expect(f.failures).toBe(1)
  })

  it('names that are not identifiers, non-UTF-8 values, a __proto__ header', () => {
    const r = record({headers: [...repeated, {name: 'bin', value: NOT_UTF8}, {name: '__proto__', value: bytes('p')}, {name: '__connect.errors.topic', value: bytes('orders')}]})
    expect(matches('headers["x-trace"] == "abc"', r)).toBe(true)
    expect(matches('headers.bin == null', r)).toBe(true)
    expect(matches('headers["__proto__"] == "p"', r)).toBe(true)
    expect(matches('headers["__connect.errors.topic"] == "orders"', r)).toBe(true)
  })

  it('only the headers an expression names are decoded, and that changes no answer', () => {
    const r = record({headers: repeated})
    expect(matches('size(headers) == 4', r)).toBe(true)
    expect(matches('headers.tenant == "acme" && size(headers) == 4', r)).toBe(true)
    expect(matches('has(headers.flag) && !has(headers.nope) && "x-trace" in headers', r)).toBe(true)
    expect(filter('headers.type == null', 'headers["x-trace"] == "abc"', 'tenant=acme').test(r)).toBe(true)
    expect(filter('headers.tenant == "acme"', 'headers.x == "a" || true').test(r)).toBe(true)
    const f = filter('headers.tenant == "acme"', 'headers.x == "a"')
    expect(f.test(r)).toBe(false)
    expect(f.firstFailure).toBe('headers.x == "a": no such key: x (partition 0, offset 7)')
  })

  it('name=value is the header shorthand: any value of the header, exact bytes', () => {
    const r = record({headers: repeated})
    expect(matches('type=refund', r)).toBe(true)
    expect(matches('type=order', r)).toBe(true)
    expect(matches('type=Refund', r)).toBe(false)
    expect(matches('tenant=', record({headers: headers(['tenant', ''])}))).toBe(true)
    expect(matches('note=a=b', record({headers: headers(['note', 'a=b'])}))).toBe(true)
    expect(matches('__connect.errors.topic=orders', record({headers: headers(['__connect.errors.topic', 'orders'])}))).toBe(true)
    expect(matches('flag=', r)).toBe(false)
  })
})

describe('regular expressions', () => {
  it('matches() with and without flags', () => {
    expect(matches('value.status.matches("^ref")')).toBe(false)
    expect(matches('value.status.matches("^ref", "i")')).toBe(true)
    expect(matches(String.raw`value.status.matches(r"^\w+ed$")`)).toBe(true)
    expect(matches(String.raw`value.status.matches("^\\w+ed$")`)).toBe(true)
    expect(matches('value.status.matches("fund")')).toBe(true)
  })

  it('a bad literal pattern or flag is a compile error with its column', () => {
    expect(compileError('value.status.matches("(")')).toBe('invalid regular expression (unterminated group) at column 22')
    expect(compileError('value.status.matches("a", "q")')).toBe('invalid regular expression flags "q" at column 27')
    expect(compileError('value.status.matches("(?i)ref")')).toMatch(/^invalid regular expression \(invalid group\) at column 22$/)
  })

  it('a pattern only known per record that is bad fails that record', () => {
    const f = filter('value.status.matches(value.pattern)')
    expect(f.test(record({value: '{"status": "x", "pattern": "("}'}))).toBe(false)
    expect(f.failures).toBe(1)
    expect(f.test(record({value: '{"status": "x", "pattern": "^x$"}'}))).toBe(true)
  })
})

describe('and / or words, precedence', () => {
  it('the issue example reads as written', () => {
    const r = record({headers: headers(['type', 'refund'])})
    expect(matches('value.order_id == 42 and headers.type == "refund"', r)).toBe(true)
    expect(matches('value.order_id == 41 or headers.type == "refund"', r)).toBe(true)
    expect(matches('value.order_id == 41 or headers.type == "x"', r)).toBe(false)
  })

  it('and binds tighter than or (as && and ||)', () => {
    // false and false or true = (false and false) or true = true; as false and (false or true) it would be false.
    expect(matches('value.order_id == 1 and value.order_id == 2 or value.order_id == 42')).toBe(true)
    expect(matches('value.order_id == 1 && (value.order_id == 2 || value.order_id == 42)')).toBe(false)
    expect(matches('!(value.order_id == 1) && value.amount * 2.0 == 25.0')).toBe(true)
  })

  it('words in strings and field names stay', () => {
    expect(aliasWords('value.and == "a and b" or value.or == \'or\'')).toBe('value.and == "a and b" || value.or == \'or\'')
    // In a raw string a backslash escapes nothing: the string ends at the second quote.
    expect(aliasWords(String.raw`x == r"a\" or y`)).toBe(String.raw`x == r"a\" || y`)
    expect(aliasWords(String.raw`x == "a\" or y"`)).toBe(String.raw`x == "a\" or y"`)
    expect(aliasWords('s == """and "or" """ and t')).toBe('s == """and "or" """ &&  t')
    expect(matches('value.status == "and or" or value.order_id == 42')).toBe(true)
    expect(aliasWords('value.android == 1 and value.oracle == 2')).toBe('value.android == 1 &&  value.oracle == 2')
  })

  it('a shorthand is not taken from ==, !=, <=, >= or a quoted string', () => {
    expect(matches('value.order_id>=42')).toBe(true)
    expect(matches('value.order_id<=42')).toBe(true)
    expect(matches('value.order_id!=41')).toBe(true)
    expect(matches('"a=b" == "a=b"')).toBe(true)
  })
})

describe('errors: one line with the column', () => {
  it.each([
    ['value.order_id == == 42', 'unexpected "==" at column 19'],
    ['value.order_id == 42 and', 'unexpected end of expression at column 25'],
    ['(value.order_id == 42', 'expected ")" at column 22, found the end'],
    ['value.status == "abc', 'unterminated string at column 17'],
    ['value.order_id = 42', 'unexpected "=" at column 16 (== compares)'],
    ['value.x == 1 ||| true', 'unexpected "|" at column 16 (&& is and, || is or)'],
    ['vaule.order_id == 42', 'unknown name "vaule" at column 1 (a record has key, value, headers, all_headers, partition, offset, timestamp, time, topic)'],
    ['not value.a == 1', 'unexpected "not" at column 1: write !(condition)'],
    ['offset + 1', 'the expression gives int, not true or false (e.g. value.id == 42)'],
    ['offset == "7"', 'no such overload: int == string at column 1'],
    ['', 'the expression is empty'],
    ['   ', 'the expression is empty'],
  ])('%j → %s', (source, expected) => {
    expect(compileError(source)).toBe(expected)
  })

  it('a field of the value could be a boolean: allowed, and only true matches', () => {
    expect(matches('value.order_id')).toBe(false)
    expect(matches('value.ok', record({value: '{"ok": true}'}))).toBe(true)
  })

  it('an expression of several lines gets the line too', () => {
    expect(compileError('value.a == 1\n&& ==')).toBe('unexpected "==" at line 2, column 4')
    expect(compileError('value.a == 1 &&\n  key.matches("(")')).toBe('invalid regular expression (unterminated group) at line 2, column 15')
  })

  it('with several --where, the error names which one', () => {
    expect(compileError('tenant=acme', 'value.a ==')).toBe('"value.a ==": unexpected end of expression at column 11')
  })
})

describe('several conditions', () => {
  it('all must hold', () => {
    const r = record({headers: headers(['tenant', 'acme'])})
    expect(filter('tenant=acme', 'value.order_id == 42').test(r)).toBe(true)
    expect(filter('tenant=acme', 'value.order_id == 41').test(r)).toBe(false)
    expect(filter('tenant=other', 'value.order_id == 42').test(r)).toBe(false)
  })

  it('a view is not reused stale: each record is parsed afresh', () => {
    const f = filter('value.order_id == 1')
    expect(f.test(record({value: '{"order_id": 1}'}))).toBe(true)
    expect(f.test(record({value: '{"order_id": 2}'}))).toBe(false)
    expect(f.test(record({value: '{"order_id": 1}'}))).toBe(true)
  })
})

describe('dlq replay --where', () => {
  const dlqRecord = (headerPairs: Array<[string, string | null]>, value = '{"order_id": 42}'): ConsumedRecord =>
    record({topic: 'orders.dlq', value, headers: headers(['original_topic', 'orders'], ['error_type', 'ValueError'], ['failed_at', '2024-10-19T10:30:00'], ...headerPairs)})

  it('name=value stays a header condition; anything else is an expression, compiled before connecting', () => {
    const settings = replaySettingsFromFlags('orders.dlq', {where: ['tenant=acme', 'value.order_id == 42 and headers.error_type == "ValueError"']})
    expect(settings.filter.where).toEqual([{name: 'tenant', value: 'acme'}])
    expect(settings.filter.expression?.sources).toEqual(['value.order_id == 42 and headers.error_type == "ValueError"'])
    expect(() => replaySettingsFromFlags('orders.dlq', {where: ['value.order_id ==']})).toThrow('--where: unexpected end of expression at column 18')
  })

  it('the expression sees the DLQ record (its value and every header, DLQ metadata included)', () => {
    const {filter} = replaySettingsFromFlags('orders.dlq', {where: ['tenant=acme', 'value.order_id == 42 and headers.error_type == "ValueError"']})
    const hit = dlqRecord([['tenant', 'acme']])
    const decode = (r: ConsumedRecord) => {
      const decoded = decodeDlqRecord(r)
      if (!decoded.ok) throw new Error(decoded.reason)
      return decoded.failure
    }
    expect(filterRejection(hit, decode(hit), filter)).toBeUndefined()
    const miss = dlqRecord([['tenant', 'acme']], '{"order_id": 41}')
    expect(filterRejection(miss, decode(miss), filter)).toBe('--where "value.order_id == 42 and headers.error_type == \\"ValueError\\"" does not hold')
    const otherTenant = dlqRecord([['tenant', 'other']])
    expect(filterRejection(otherTenant, decode(otherTenant), filter)).toBe('header tenant is not "acme"')
  })
})
