/** kcat-style output templates for `consume -f`: a record rendered to the exact bytes to write. Pure. */
import {Buffer} from 'node:buffer'
import type {ConsumedRecord, RecordHeaders} from './record.js'

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
