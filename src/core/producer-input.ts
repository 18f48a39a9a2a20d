/** `produce` input: plain lines (optionally key + separator + value) and JSON lines as messages. Pure. */
import {Buffer} from 'node:buffer'
import {jsonValueToBytes} from './json-bytes.js'
import {type TextSpan, jsonArrayElementSpans, jsonObjectMemberSpans} from './json-text.js'
import type {ProducerMessage, RecordHeaders} from './record.js'

export type ProducerLineResult = {ok: true; message: ProducerMessage} | {ok: false; error: string}

/**
 * One input line (without its line terminator) as a message. With a key separator the line is
 * split at its first occurrence (so values may contain it); a line without the separator is an
 * error, because silently sending a null key would break per-key ordering. A Buffer line is split
 * on bytes, so non-UTF-8 input passes through unchanged.
 */
export function parseProducerLine(line: string | Buffer, options: {keySeparator?: string} = {}): ProducerLineResult {
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line
  const {keySeparator} = options
  if (keySeparator === undefined) return {ok: true, message: {key: null, value: bytes, headers: []}}
  if (keySeparator === '') throw new RangeError('keySeparator must not be empty')
  const at = bytes.indexOf(keySeparator, 0, 'utf8')
  if (at < 0) return {ok: false, error: `key separator ${JSON.stringify(keySeparator)} not found`}
  return {
    ok: true,
    message: {key: bytes.subarray(0, at), value: bytes.subarray(at + Buffer.byteLength(keySeparator)), headers: []},
  }
}

const PRODUCER_JSON_FIELDS = ['key', 'value', 'headers', 'partition', 'timestamp']
/** Fields of `consume -o json` output that produce ignores, so that output can be piped back in. */
const IGNORED_PRODUCER_JSON_FIELDS = ['topic', 'offset']

function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return JSON.stringify(value)
}

/** Header bytes or null: a JSON value's bytes (see jsonValueToBytes), or null for a null header value. */
function headerValueBytes(item: unknown, rawText: () => string, where: string): {ok: true; value: Buffer | null} | {ok: false; error: string} {
  if (item === null) return {ok: true, value: null}
  const bytes = jsonValueToBytes(item, rawText)
  return bytes.ok ? {ok: true, value: bytes.bytes} : {ok: false, error: `field "${where}": ${bytes.error}`}
}

/**
 * A JSON line's "headers": the ordered form ["name", value, ...] or the object form
 * {name: value | [values]}; `start` finds where the member's text begins (for exact JSON values).
 */
function parseJsonHeaders(json: unknown, line: string, start: () => number): {ok: true; headers: RecordHeaders} | {ok: false; error: string} {
  const raw = (at: TextSpan): string => line.slice(at.start, at.end)
  const headers: RecordHeaders = []
  if (Array.isArray(json)) {
    if (json.length % 2 !== 0) return {ok: false, error: `field "headers" has ${json.length} items; expected ["name", value, ...] pairs`}
    let spans: TextSpan[] | undefined
    const itemText = (index: number) => raw((spans ??= jsonArrayElementSpans(line, start()))[index])
    for (let i = 0; i < json.length; i += 2) {
      const name: unknown = json[i]
      if (typeof name !== 'string') return {ok: false, error: `field "headers[${i}]": a header name must be a string, got ${describeJson(name)}`}
      const value = headerValueBytes(json[i + 1], () => itemText(i + 1), `headers[${i + 1}]`)
      if (!value.ok) return value
      headers.push({name, value: value.value})
    }
    return {ok: true, headers}
  }
  if (typeof json !== 'object') return {ok: false, error: `field "headers" must be ["name", value, ...] or an object of name → value, got ${describeJson(json)}`}
  // In the order of the text: Object.entries would put integer-like names ("1") first.
  const memberSpans = jsonObjectMemberSpans(line, start())
  const memberSpan = (name: string): TextSpan => memberSpans.get(name)!
  for (const name of memberSpans.keys()) {
    const headerValue = (json as Record<string, unknown>)[name]
    // A repeated header is an array of values; find each element's source text only if needed.
    const items = Array.isArray(headerValue) ? headerValue : [headerValue]
    const itemText = Array.isArray(headerValue)
      ? (index: number) => raw(jsonArrayElementSpans(line, memberSpan(name).start)[index])
      : () => raw(memberSpan(name))
    for (const [index, item] of items.entries()) {
      if (Array.isArray(item)) {
        return {ok: false, error: `field "headers.${name}": a header value must be a string, a JSON value, {"base64": ...} or null, got an array`}
      }
      const value = headerValueBytes(item, () => itemText(index), `headers.${name}`)
      if (!value.ok) return value
      headers.push({name, value: value.value})
    }
  }
  return {ok: true, headers}
}

/**
 * One line of `produce --format json`: {"key", "value", "headers", "partition", "timestamp"}.
 *   key        string | JSON value | {"base64"} | null/absent (null key)
 *   value      string | JSON value | {"base64"} | null (tombstone); required, so a typo like
 *              "vaule" cannot silently send tombstones
 *   headers    ["name", value, ...] in order (consume -o json's and kcat -J's form), or
 *              {name: value | array of values (a repeated header)}; a value is bytes or null
 *   partition  integer 0..2^31-1
 *   timestamp  epoch milliseconds, number or decimal string
 * JSON values (objects, arrays, numbers, booleans) become their compact JSON text with number
 * literals kept exactly. "topic" and "offset" are ignored; other fields are errors. A blank line
 * gives message null (skip it). Errors name the line number and the field.
 */
export function parseProducerJsonLine(
  line: string,
  lineNo: number,
): {ok: true; message: ProducerMessage | null} | {ok: false; error: string} {
  const fail = (error: string): {ok: false; error: string} => ({ok: false, error: `line ${lineNo}: ${error}`})
  if (line.trim() === '') return {ok: true, message: null}
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fail(`expected a JSON object with key, value, headers, partition; got ${describeJson(parsed)}`)
  }
  const object = parsed as Record<string, unknown>
  for (const name of Object.keys(object)) {
    if (!PRODUCER_JSON_FIELDS.includes(name) && !IGNORED_PRODUCER_JSON_FIELDS.includes(name)) {
      return fail(`unknown field "${name}" (expected ${PRODUCER_JSON_FIELDS.join(', ')})`)
    }
  }
  let spans: Map<string, TextSpan> | undefined
  const span = (name: string): TextSpan => (spans ??= jsonObjectMemberSpans(line)).get(name)!
  const raw = (at: TextSpan): string => line.slice(at.start, at.end)

  let key: Buffer | null = null
  if (object.key !== undefined && object.key !== null) {
    const bytes = jsonValueToBytes(object.key, () => raw(span('key')))
    if (!bytes.ok) return fail(`field "key": ${bytes.error}`)
    key = bytes.bytes
  }

  if (!('value' in object)) return fail('field "value" is missing (use "value": null for a tombstone)')
  let value: Buffer | null = null
  if (object.value !== null) {
    const bytes = jsonValueToBytes(object.value, () => raw(span('value')))
    if (!bytes.ok) return fail(`field "value": ${bytes.error}`)
    value = bytes.bytes
  }

  let headers: RecordHeaders = []
  if (object.headers !== undefined && object.headers !== null) {
    const parsedHeaders = parseJsonHeaders(object.headers, line, () => span('headers').start)
    if (!parsedHeaders.ok) return fail(parsedHeaders.error)
    headers = parsedHeaders.headers
  }

  const message: ProducerMessage = {key, value, headers}
  if (object.partition !== undefined && object.partition !== null) {
    const p = object.partition
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 2_147_483_647) {
      return fail(`field "partition" must be a non-negative integer, got ${describeJson(p)}`)
    }
    message.partition = p
  }
  if (object.timestamp !== undefined && object.timestamp !== null) {
    const t = object.timestamp
    const valid = typeof t === 'number' ? Number.isSafeInteger(t) && t >= 0 : typeof t === 'string' && /^\d+$/.test(t)
    if (!valid) return fail(`field "timestamp" must be epoch milliseconds (a non-negative integer), got ${describeJson(t)}`)
    message.timestamp = String(BigInt(t as number | string))
  }
  return {ok: true, message}
}
