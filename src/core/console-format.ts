/**
 * Bytes in and out of the console: kcat-style templates and JSON lines for `consume`, line and
 * JSON-line parsing for `produce`. Pure: no I/O, no kafkajs. Headers are a list in wire order
 * (names repeat and interleave, values may be null), never an object keyed by name.
 *
 * Binary-safe JSON encoding of bytes (keys, values, header values), used for output and accepted
 * on input so that `consume -o json | produce --format json` round-trips any bytes:
 *   - null bytes (a null key, a tombstone, a null header value) → JSON null
 *   - bytes that are valid UTF-8                       → a JSON string of that text
 *   - any other bytes                                  → {"base64": "<standard, padded base64>"}
 * On input, an object whose only member is "base64" with a string value is read as bytes. To
 * produce a value whose text really is `{"base64":"..."}`, pass it as a JSON string instead.
 */
import {Buffer, isUtf8} from 'node:buffer'

// ---------------------------------------------------------------------------------------------
// Record shapes

/** One record header as on the wire. Names may repeat and interleave; a value may be null. */
export interface RecordHeader {
  name: string
  value: Buffer | null
}

/** A record's headers in wire order: a list, never an object keyed by name (see RecordHeader). */
export type RecordHeaders = RecordHeader[]

/** One consumed record, as plain data (kafkajs's shape: offset and timestamp are strings). */
export interface ConsumedRecord {
  topic: string
  partition: number
  /** 64-bit offset as a decimal string. */
  offset: string
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeaders
}

/** One message to produce; the topic comes from the command, not from here. */
export interface ProducerMessage {
  key: Buffer | null
  /** null produces a tombstone. */
  value: Buffer | null
  headers: RecordHeaders
  partition?: number
  /** Milliseconds since the epoch as a decimal string (kafkajs's type); absent means "now". */
  timestamp?: string
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Every value of a header, in record order. */
export function headerValues(headers: RecordHeaders, name: string): Array<Buffer | null> {
  return headers.filter((header) => header.name === name).map((header) => header.value)
}

/**
 * The last value of a header, as Kafka's Headers.lastHeader does: the most recently added wins.
 * undefined when the record has no such header; null when its last one has a null value.
 */
export function lastHeaderValue(headers: RecordHeaders, name: string): Buffer | null | undefined {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i].name === name) return headers[i].value
  return undefined
}

/** `--header k=v`: splits at the first `=`, so values may contain `=`; an empty value is allowed. */
export function parseHeaderFlag(text: string): {ok: true; name: string; value: string} | {ok: false; error: string} {
  const eq = text.indexOf('=')
  if (eq < 0) return {ok: false, error: `expected name=value, got "${text}"`}
  const name = text.slice(0, eq)
  if (name === '') return {ok: false, error: `header name is empty in "${text}"`}
  return {ok: true, name, value: text.slice(eq + 1)}
}

// ---------------------------------------------------------------------------------------------
// Binary-safe JSON encoding of bytes (see the module comment)

export type JsonBytes = string | {base64: string}

export function bytesToJson(bytes: Buffer): JsonBytes {
  // isUtf8 rejects overlong forms and encoded surrogates, so the string decodes back to the same bytes.
  return isUtf8(bytes) ? bytes.toString('utf8') : {base64: bytes.toString('base64')}
}

export function nullableBytesToJson(bytes: Buffer | null): JsonBytes | null {
  return bytes === null ? null : bytesToJson(bytes)
}

function isBase64Object(value: unknown): value is {base64: string} {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && keys[0] === 'base64' && typeof (value as {base64: unknown}).base64 === 'string'
}

// Buffer.from(text, 'base64') silently skips junk; a typo must be an error, not different bytes.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * A parsed JSON value as message bytes: a string is its UTF-8 text, a {"base64"} object its
 * decoded bytes, anything else (object, array, number, boolean) its compact JSON text taken from
 * `rawText()` — the value's own source text — so number literals survive exactly (JSON.parse would
 * round 12345678901234567890). rawText is a function because finding the source text costs a scan
 * that plain strings never need. The caller handles null, whose meaning depends on the field.
 */
export function jsonValueToBytes(value: unknown, rawText: () => string): {ok: true; bytes: Buffer} | {ok: false; error: string} {
  if (typeof value === 'string') return {ok: true, bytes: Buffer.from(value, 'utf8')}
  if (isBase64Object(value)) {
    if (!STRICT_BASE64.test(value.base64)) return {ok: false, error: 'invalid base64 in {"base64": ...}'}
    return {ok: true, bytes: Buffer.from(value.base64, 'base64')}
  }
  return {ok: true, bytes: Buffer.from(compactJson(rawText()), 'utf8')}
}

// ---------------------------------------------------------------------------------------------
// Lossless JSON text helpers. They run on text JSON.parse has already accepted, so they only
// find boundaries; they do not validate.

/** Where a JSON value sits in its source text: text.slice(start, end). */
export interface TextSpan {
  start: number
  end: number
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
}

function skipJsonWhitespace(text: string, i: number): number {
  while (i < text.length && isJsonWhitespace(text.charCodeAt(i))) i++
  return i
}

/** `i` is at an opening quote; returns the index just after the closing quote. */
function endOfJsonString(text: string, i: number): number {
  let quote = text.indexOf('"', i + 1)
  while (quote >= 0) {
    // The quote closes the string unless an odd number of backslashes escapes it.
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++
    if (backslashes % 2 === 0) return quote + 1
    quote = text.indexOf('"', quote + 1)
  }
  return text.length
}

/** `i` is at the first character of a value; returns the index just after it. */
function endOfJsonValue(text: string, i: number): number {
  const first = text[i]
  if (first === '"') return endOfJsonString(text, i)
  if (first === '{' || first === '[') {
    let depth = 0
    while (i < text.length) {
      const ch = text[i]
      if (ch === '"') {
        i = endOfJsonString(text, i)
        continue
      }
      if (ch === '{' || ch === '[') depth++
      else if (ch === '}' || ch === ']') {
        depth--
        if (depth === 0) return i + 1
      }
      i++
    }
    return i
  }
  // number, true, false, null
  while (i < text.length && !',]}'.includes(text[i]) && !isJsonWhitespace(text.charCodeAt(i))) i++
  return i
}

/** Source spans of an object's members (the last one wins on duplicates, as in JSON.parse). */
export function jsonObjectMemberSpans(text: string, objectStart = 0): Map<string, TextSpan> {
  const members = new Map<string, TextSpan>()
  let i = skipJsonWhitespace(text, objectStart) + 1 // past '{'
  i = skipJsonWhitespace(text, i)
  if (text[i] === '}') return members
  while (i < text.length) {
    i = skipJsonWhitespace(text, i)
    const nameEnd = endOfJsonString(text, i)
    const name = JSON.parse(text.slice(i, nameEnd)) as string
    i = skipJsonWhitespace(text, skipJsonWhitespace(text, nameEnd) + 1) // past ':'
    const end = endOfJsonValue(text, i)
    members.set(name, {start: i, end})
    i = skipJsonWhitespace(text, end)
    if (text[i] !== ',') break
    i++
  }
  return members
}

/** Source spans of an array's elements. */
export function jsonArrayElementSpans(text: string, arrayStart = 0): TextSpan[] {
  const elements: TextSpan[] = []
  let i = skipJsonWhitespace(text, skipJsonWhitespace(text, arrayStart) + 1) // past '['
  if (text[i] === ']') return elements
  while (i < text.length) {
    i = skipJsonWhitespace(text, i)
    const end = endOfJsonValue(text, i)
    elements.push({start: i, end})
    i = skipJsonWhitespace(text, end)
    if (text[i] !== ',') break
    i++
  }
  return elements
}

/**
 * Valid JSON text without insignificant whitespace. Unlike JSON.stringify(JSON.parse(text)) it
 * keeps number literals and string escapes exactly as written.
 */
export function compactJson(text: string): string {
  const parts: string[] = []
  let i = 0
  while (i < text.length) {
    if (isJsonWhitespace(text.charCodeAt(i))) {
      i++
    } else if (text[i] === '"') {
      const end = endOfJsonString(text, i)
      parts.push(text.slice(i, end))
      i = end
    } else {
      let j = i
      while (j < text.length && text[j] !== '"' && !isJsonWhitespace(text.charCodeAt(j))) j++
      parts.push(text.slice(i, j))
      i = j
    }
  }
  return parts.join('')
}

// ---------------------------------------------------------------------------------------------
// Output: kcat-style templates

/** Renders one record to the exact bytes to write (no terminator is added; put \n in the template). */
export type RecordRenderer = (record: ConsumedRecord) => Buffer

const EMPTY = Buffer.alloc(0)
const COMMA = Buffer.from(',')
const EQUALS = Buffer.from('=')

/** `name=value,...` in record order; a null value is the name alone, so it differs from `name=`. */
function renderHeaders(headers: RecordHeaders): Buffer {
  const parts: Buffer[] = []
  for (const {name, value} of headers) {
    if (parts.length > 0) parts.push(COMMA)
    parts.push(Buffer.from(name, 'utf8'))
    if (value !== null) parts.push(EQUALS, value)
  }
  return Buffer.concat(parts)
}

/** Sizes follow kcat: -1 for null, so a tombstone and an empty value stay distinguishable. */
function sizeOf(bytes: Buffer | null): Buffer {
  return Buffer.from(String(bytes === null ? -1 : bytes.length))
}

/**
 * Template directives (kcat's -f, plus %v as an alias of kcat's %s for the value). Keys and values
 * are written as raw bytes; null renders as nothing.
 */
const TEMPLATE_FIELDS: Record<string, RecordRenderer> = {
  t: (r) => Buffer.from(r.topic, 'utf8'),
  p: (r) => Buffer.from(String(r.partition)),
  o: (r) => Buffer.from(r.offset),
  T: (r) => Buffer.from(r.timestamp),
  k: (r) => r.key ?? EMPTY,
  K: (r) => sizeOf(r.key),
  v: (r) => r.value ?? EMPTY,
  s: (r) => r.value ?? EMPTY,
  S: (r) => sizeOf(r.value),
  h: (r) => renderHeaders(r.headers),
}

const TEMPLATE_ESCAPES: Record<string, number> = {n: 0x0a, t: 0x09, r: 0x0d, '\\': 0x5c}

/**
 * Compiles a template once so the consume loop only concatenates. Escapes: \n \t \r \\ and \xHH
 * (one raw byte, as in kcat); any other backslash is literal. `%%` is a literal percent sign; an
 * unknown directive is an error rather than silently printed.
 */
export function compileRecordTemplate(template: string): {ok: true; render: RecordRenderer} | {ok: false; error: string} {
  const parts: Array<Buffer | RecordRenderer> = []
  let literal: number[] = []
  const flushLiteral = (): void => {
    if (literal.length > 0) parts.push(Buffer.from(literal))
    literal = []
  }
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]
    const next = template[i + 1]
    if (ch === '%') {
      if (next === '%') {
        literal.push(0x25)
      } else if (next !== undefined && Object.hasOwn(TEMPLATE_FIELDS, next)) {
        flushLiteral()
        parts.push(TEMPLATE_FIELDS[next])
      } else {
        const got = next === undefined ? 'a lone % at the end' : `%${next}`
        return {ok: false, error: `unknown format directive ${got} (supported: %t %p %o %T %k %K %v %s %S %h %%)`}
      }
      i++
    } else if (ch === '\\' && next !== undefined && Object.hasOwn(TEMPLATE_ESCAPES, next)) {
      literal.push(TEMPLATE_ESCAPES[next])
      i++
    } else if (ch === '\\' && next === 'x' && /^[0-9a-fA-F]{2}$/.test(template.slice(i + 2, i + 4))) {
      literal.push(Number.parseInt(template.slice(i + 2, i + 4), 16))
      i += 3
    } else {
      // Whole code point, so astral characters (two UTF-16 units) encode correctly.
      const codePoint = template.codePointAt(i)!
      const text = String.fromCodePoint(codePoint)
      literal.push(...Buffer.from(text, 'utf8'))
      i += text.length - 1
    }
  }
  flushLiteral()
  return {ok: true, render: (record) => Buffer.concat(parts.map((part) => (typeof part === 'function' ? part(record) : part)))}
}

/** One-off rendering; throws on an invalid template (compile once with compileRecordTemplate in loops). */
export function renderRecord(template: string, record: ConsumedRecord): Buffer {
  const compiled = compileRecordTemplate(template)
  if (!compiled.ok) throw new RangeError(compiled.error)
  return compiled.render(record)
}

// ---------------------------------------------------------------------------------------------
// Output: JSON lines

export interface RecordJson {
  topic: string
  partition: number
  offset: number
  timestamp: number
  key: JsonBytes | null
  value: JsonBytes | null
  /** kcat -J's form: ["name", value, "name", value, ...] in record order, repeats kept, null values null. */
  headers: Array<string | JsonBytes | null>
}

export function recordToJson(record: ConsumedRecord): RecordJson {
  const headers: Array<string | JsonBytes | null> = []
  for (const {name, value} of record.headers) headers.push(name, nullableBytesToJson(value))
  return {
    topic: record.topic,
    partition: record.partition,
    // Offsets and timestamps stay far below 2^53 in practice; numbers are what jq users expect.
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: nullableBytesToJson(record.key),
    value: nullableBytesToJson(record.value),
    headers,
  }
}

/** One line of `consume -o json`, without the trailing newline. Always valid UTF-8. */
export function recordToJsonLine(record: ConsumedRecord): string {
  return JSON.stringify(recordToJson(record))
}

// ---------------------------------------------------------------------------------------------
// Input: produce

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
