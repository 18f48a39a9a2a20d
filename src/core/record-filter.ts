/**
 * `--where` of `consume`, `dlq inspect` and `dlq replay`: which records to keep. Pure.
 *
 * An expression is CEL, the Common Expression Language (as in Kubernetes and Envoy), evaluated by
 * @marcbachmann/cel-js, plus `and` / `or` as words for `&&` / `||`. A record offers:
 *   key          the key as text; null when it is null or not UTF-8 (the key is not parsed as JSON)
 *   value        the value parsed as JSON when it is JSON; else its text; null when it is null
 *                (a tombstone) or not UTF-8. JSON numbers are doubles (`value.id == 42` holds)
 *   headers      name → the LAST value of that header, as Kafka's Headers.lastHeader (text; null
 *                when that value is null or not UTF-8). `headers["x-type"]` for names that are
 *                not identifiers
 *   all_headers  name → every value of that header, in record order: `"b" in all_headers.tag`
 *   partition, offset, timestamp   int (64-bit: offsets are exact); timestamp in ms since the epoch
 *   time         the timestamp as a CEL timestamp: `time > timestamp("2026-11-01T10:00:00Z")`
 *   topic        the topic read
 * A record matches when the expression is true. An expression that fails on a record (a missing
 * field or header, `value.a.b` where a is a number, a bad regular expression) does not match it
 * and is counted, so the caller can say so; `has(value.a)` and `"x" in headers` test presence.
 *
 * `name=value` (one `=`) is kept as the older shorthand of `dlq replay --where`: some header
 * `name` (any of its values, not only the last) is exactly `value`.
 *
 * Regular expressions (`matches`) are JavaScript's (RE2's inline `(?i)` is not): flags go in a
 * second argument, `s.matches("^refund", "i")`. Literal patterns are checked when compiling.
 */
import {Buffer} from 'node:buffer'

import {Environment, type ASTNode, type ParseResult} from '@marcbachmann/cel-js'

import {type ConsumedRecord, headerValues, parseHeaderFlag} from './record.js'
import {FILTER_DECODERS, OUTPUT_DECODERS, bytesDecoder, decodeField, type DecoderChain, type FieldBytes} from './record-decoders.js'

export interface RecordFilter {
  /** The --where texts, as given. */
  readonly sources: readonly string[]
  /** All conditions hold. Never throws. */
  test(record: ConsumedRecord): boolean
  /** Records tested. */
  readonly tested: number
  /** Records on which an expression failed (and so did not match). */
  readonly failures: number
  /** The first such failure, e.g. `value.order_id == 42: no such key: order_id (partition 0, offset 7)`. */
  readonly firstFailure: string | undefined
}

export type CompileResult = {ok: true; filter: RecordFilter} | {ok: false; error: string}

/**
 * The warning worth a line: the expression failed on every record it was tried on (a misspelt
 * field, a topic whose values are not JSON). Failing on some records (a missing header, a
 * tombstone) is how they do not match, and is not reported.
 */
export function failedEverywhere(filter: RecordFilter): string | undefined {
  if (filter.failures === 0 || filter.failures < filter.tested) return undefined
  return `--where failed on every record read (${filter.failures}); the first: ${filter.firstFailure}`
}

/** The names a record offers, in the order the README and errors list them. */
export const RECORD_NAMES = ['key', 'value', 'headers', 'all_headers', 'partition', 'offset', 'timestamp', 'time', 'topic'] as const

const UNSET: unique symbol = Symbol('unset')

/** One record as CEL sees it; fields are computed when an expression first reads them. */
class RecordView {
  /** The header names the expressions read (headers.x, headers["x"], "x" in headers); undefined: all. */
  constructor(private readonly headerNames?: ReadonlySet<string>) {}

  private record!: ConsumedRecord
  private parsedValue: unknown = UNSET
  private lastHeaders: Map<string, string | null> | undefined
  private everyHeader: Map<string, Array<string | null>> | undefined

  reset(record: ConsumedRecord): this {
    this.record = record
    this.parsedValue = UNSET
    this.lastHeaders = undefined
    this.everyHeader = undefined
    return this
  }

  get topic(): string {
    return this.record.topic
  }

  get partition(): bigint {
    return BigInt(this.record.partition)
  }

  get offset(): bigint {
    return BigInt(this.record.offset)
  }

  get timestamp(): bigint {
    return BigInt(this.record.timestamp)
  }

  get time(): Date {
    return new Date(Number(this.record.timestamp))
  }

  get key(): string | null {
    return text(this.record.key)
  }

  get value(): unknown {
    if (this.parsedValue === UNSET) this.parsedValue = parseValue(this.record.value)
    return this.parsedValue
  }

  get headers(): Map<string, string | null> {
    if (this.lastHeaders === undefined) {
      this.lastHeaders = new Map()
      const wanted = this.headerNames
      for (const {name, value} of this.record.headers) if (wanted === undefined || wanted.has(name)) this.lastHeaders.set(name, text(value))
    }
    return this.lastHeaders
  }

  get all_headers(): Map<string, Array<string | null>> {
    if (this.everyHeader === undefined) {
      this.everyHeader = new Map()
      for (const {name, value} of this.record.headers) {
        const values = this.everyHeader.get(name)
        if (values === undefined) this.everyHeader.set(name, [text(value)])
        else values.push(text(value))
      }
    }
    return this.everyHeader
  }
}

/** What a decoder chain makes of the bytes; null for null, and for bytes only the raw-bytes decoder takes. */
function decodedOrNull(chain: DecoderChain<FieldBytes>, bytes: Buffer | null): unknown {
  const decoded = decodeField(chain, bytes)
  return decoded === null || decoded.decoder === bytesDecoder.name ? null : decoded.value
}

/** Keys and header values: the text; null for null or non-UTF-8 bytes. */
function text(bytes: Buffer | null): string | null {
  return decodedOrNull(OUTPUT_DECODERS, bytes) as string | null
}

/** JSON when it is JSON, else the text; null for null or non-UTF-8 bytes (the --where decoder chain). */
export function parseValue(bytes: Buffer | null): unknown {
  return decodedOrNull(FILTER_DECODERS, bytes)
}

// ---------------------------------------------------------------------------------------------
// Compiling

const regexCache = new Map<string, RegExp>()

function regex(pattern: string, flags = ''): RegExp {
  const cacheKey = `${flags}/${pattern}`
  let compiled = regexCache.get(cacheKey)
  if (compiled === undefined) {
    compiled = new RegExp(pattern, flags)
    if (regexCache.size > 1000) regexCache.clear()
    regexCache.set(cacheKey, compiled)
  }
  return compiled
}

let environment: Environment | undefined

function celEnvironment(): Environment {
  if (environment !== undefined) return environment
  const types: Record<(typeof RECORD_NAMES)[number], string> = {
    key: 'dyn',
    value: 'dyn',
    headers: 'map<string, dyn>',
    all_headers: 'map<string, list<dyn>>',
    partition: 'int',
    offset: 'int',
    timestamp: 'int',
    time: 'google.protobuf.Timestamp',
    topic: 'string',
  }
  // Mixed lists (`value.id in [1, "1"]`) are fine: JSON is mixed.
  const env = new Environment({homogeneousAggregateLiterals: false})
  for (const name of RECORD_NAMES) env.registerVariable(name, types[name])
  env.registerFunction('string.matches(string, string): bool', (s: string, pattern: string, flags: string) => regex(pattern, flags).test(s))
  environment = env
  return env
}

interface Condition {
  source: string
  test(view: RecordView, record: ConsumedRecord): boolean
  /** See RecordView; undefined: every header may be read. */
  headerNames?: ReadonlySet<string> | 'none'
}

/**
 * The header names an expression reads, when every use of `headers` names one with a literal
 * (headers.x, headers["x"], "x" in headers): only those are decoded per record.
 */
function headerNamesRead(ast: ASTNode): ReadonlySet<string> | undefined | 'none' {
  const names = new Set<string>()
  let uses = 0
  let named = 0
  const isHeaders = (node: unknown): boolean => typeof node === 'object' && node !== null && (node as ASTNode).op === 'id' && (node as ASTNode).args === 'headers'
  const walk = (node: ASTNode): void => {
    if (node.op === 'id' && node.args === 'headers') uses++
    else if (node.op === '.' && isHeaders(node.args[0])) {
      names.add(node.args[1])
      named++
    } else if (node.op === '[]' && isHeaders(node.args[0]) && node.args[1].op === 'value' && typeof node.args[1].args === 'string') {
      names.add(node.args[1].args)
      named++
    } else if (node.op === 'in' && isHeaders(node.args[1]) && node.args[0].op === 'value' && typeof node.args[0].args === 'string') {
      names.add(node.args[0].args)
      named++
    }
    for (const child of children(node)) walk(child)
  }
  walk(ast)
  // Each named access also visited its `headers` id.
  if (uses === 0) return 'none'
  return uses === named ? names : undefined
}

/** A syntax or name error: one line pointing at the (1-based) column. */
class WhereError extends Error {}

/** `at column N` (1-based); `at line L, column N` when the expression has several lines. */
function at(index: number, expression: string): string {
  const before = expression.slice(0, index)
  const lineStart = before.lastIndexOf('\n')
  if (lineStart === -1 && !expression.includes('\n')) return `at column ${index + 1}`
  return `at line ${before.split('\n').length}, column ${index - lineStart}`
}

/**
 * `and`/`or` as words become `&&`/`||` (same length, so columns stay true). Words inside strings and
 * field names (`value.and`) are left alone. `not` is refused: CEL's `!` binds tighter than `==`,
 * so `not a == 1` would silently mean `(!a) == 1`.
 */
export function aliasWords(expression: string): string {
  let out = ''
  let i = 0
  const n = expression.length
  while (i < n) {
    const c = expression[i]
    // String literals, with an optional r/b prefix, single or triple quoted.
    if (c === '"' || c === "'") {
      const prefix = /[rRbB]{0,2}$/.exec(out)![0]
      const raw = /[rR]/.test(prefix)
      const triple = expression.startsWith(c.repeat(3), i)
      const quote = triple ? c.repeat(3) : c
      let j = i + quote.length
      while (j < n && !expression.startsWith(quote, j)) j += !raw && expression[j] === '\\' ? 2 : 1
      j = Math.min(n, j + quote.length)
      out += expression.slice(i, j)
      i = j
      continue
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1
      while (j < n && /\w/.test(expression[j])) j++
      const word = expression.slice(i, j)
      const afterDot = /\.\s*$/.test(out)
      if (!afterDot && word === 'and') out += '&& '
      else if (!afterDot && word === 'or') out += '||'
      else if (!afterDot && word === 'not') throw new WhereError(`unexpected "not" ${at(i, expression)}: write !(condition)`)
      else out += word
      i = j
      continue
    }
    out += c
    i++
  }
  return out
}

const TOKEN_NAMES: Record<string, string> = {RPAREN: ')', LPAREN: '(', RBRACKET: ']', LBRACKET: '[', RBRACE: '}', LBRACE: '{', COMMA: ',', COLON: ':', DOT: '.', IDENTIFIER: 'a name'}

interface CelErrorLike {
  code?: string
  summary?: string
  message: string
  range?: {start: number; end: number}
}

/** cel-js's error as one line: what, and at which column. */
function describeCelError(error: CelErrorLike, expression: string): string {
  const start = error.range?.start ?? 0
  const end = error.range?.end ?? start
  const token = expression.slice(start, end)
  const summary = error.summary ?? error.message.split('\n')[0]
  switch (error.code) {
    case 'unexpected_token':
    case 'unexpected_character': {
      if (start >= expression.trimEnd().length) return `unexpected end of expression ${at(start, expression)}`
      const shown = token === '' ? expression[start] : token
      const hint = shown === '=' ? ' (== compares)' : shown === '&' || shown === '|' ? ' (&& is and, || is or)' : ''
      return `unexpected ${JSON.stringify(shown)} ${at(start, expression)}${hint}`
    }
    case 'expected_token': {
      const m = /^Expected (\w+), got (\w+)/.exec(summary)
      if (m !== null) {
        const wanted = TOKEN_NAMES[m[1]] ?? m[1].toLowerCase()
        const got = m[2] === 'EOF' ? 'the end' : JSON.stringify(token || m[2].toLowerCase())
        return `expected ${JSON.stringify(wanted)} ${at(start, expression)}, found ${got}`
      }
      break
    }
    case 'unterminated_string':
      return `unterminated string ${at(start, expression)}`
    case 'unknown_variable':
      return `unknown name ${JSON.stringify(token)} ${at(start, expression)} (a record has ${RECORD_NAMES.join(', ')})`
    default:
  }
  return `${summary.charAt(0).toLowerCase()}${summary.slice(1)} ${at(start, expression)}`
}

/** Literal patterns of matches() are compiled now, so a bad one is a syntax error, not no match. */
function checkPatterns(node: ASTNode): void {
  if (node.op === 'rcall' && node.args[0] === 'matches') {
    const [pattern, flags] = node.args[2]
    if (pattern?.op === 'value' && typeof pattern.args === 'string') {
      const flagText = flags?.op === 'value' && typeof flags.args === 'string' ? flags.args : ''
      try {
        regex(pattern.args, flagText)
      } catch (error) {
        const what = /^Invalid regular expression: .*?: (.*)$/.exec((error as Error).message)?.[1] ?? (error as Error).message
        const reason = /Invalid flags/i.test((error as Error).message) ? `invalid regular expression flags ${JSON.stringify(flagText)}` : `invalid regular expression (${what.charAt(0).toLowerCase()}${what.slice(1)})`
        throw new WhereError(`${reason} ${at(flags !== undefined && /flags/i.test((error as Error).message) ? flags.start : pattern.start, pattern.input)}`)
      }
    }
  }
  for (const child of children(node)) checkPatterns(child)
}

function children(node: ASTNode): ASTNode[] {
  const found: ASTNode[] = []
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item)
    else if (typeof value === 'object' && value !== null && 'op' in value && 'args' in value) found.push(value as ASTNode)
  }
  visit(node.args)
  return found
}

function compileExpression(source: string): Condition {
  if (source.trim() === '') throw new WhereError('the expression is empty')
  const env = celEnvironment()
  const celText = aliasWords(source)
  let parsed: ParseResult
  try {
    parsed = env.parse(celText)
  } catch (error) {
    throw new WhereError(describeCelError(error as CelErrorLike, celText))
  }
  const checked = parsed.check()
  if (!checked.valid) throw new WhereError(describeCelError(checked.error as unknown as CelErrorLike, celText))
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new WhereError(`the expression gives ${checked.type}, not true or false (e.g. value.id == 42)`)
  }
  checkPatterns(parsed.ast)
  return {source, test: (view) => parsed(view) === true, headerNames: headerNamesRead(parsed.ast)}
}

/**
 * `name=value`, the header shorthand: one `=` not part of ==, !=, <=, >=, and a name without
 * spaces, quotes, brackets, & or | (so no expression is taken for it). undefined: an expression.
 */
export function headerShorthand(source: string): {name: string; value: string} | undefined {
  const eq = source.indexOf('=')
  if (eq <= 0 || source[eq + 1] === '=' || '!<>='.includes(source[eq - 1])) return undefined
  if (/["'()[\]{}&|\s]/.test(source.slice(0, eq))) return undefined
  const parsed = parseHeaderFlag(source)
  return parsed.ok ? {name: parsed.name, value: parsed.value} : undefined
}

function headerCondition(source: string): Condition | undefined {
  const parsed = headerShorthand(source)
  if (parsed === undefined) return undefined
  const wanted = Buffer.from(parsed.value, 'utf8')
  return {source, test: (_view, record) => headerValues(record.headers, parsed.name).some((value) => value?.equals(wanted)), headerNames: 'none'}
}

/** Every --where text: an error names the text's problem and column; all must hold. */
export function compileRecordFilter(sources: readonly string[]): CompileResult {
  const conditions: Condition[] = []
  for (const source of sources) {
    try {
      conditions.push(headerCondition(source) ?? compileExpression(source))
    } catch (error) {
      if (error instanceof WhereError) return {ok: false, error: sources.length > 1 ? `${JSON.stringify(source)}: ${error.message}` : error.message}
      throw error
    }
  }
  return {ok: true, filter: new CompiledFilter(sources, conditions)}
}

class CompiledFilter implements RecordFilter {
  tested = 0
  failures = 0
  firstFailure: string | undefined = undefined
  private readonly view: RecordView

  constructor(
    readonly sources: readonly string[],
    private readonly conditions: readonly Condition[],
  ) {
    const used = conditions.map((c) => c.headerNames).filter((names) => names !== 'none')
    this.view = new RecordView(used.includes(undefined) ? undefined : new Set(used.flatMap((names) => [...names!])))
  }

  test(record: ConsumedRecord): boolean {
    this.tested++
    const view = this.view.reset(record)
    for (const condition of this.conditions) {
      try {
        if (!condition.test(view, record)) return false
      } catch (error) {
        this.failures++
        if (this.firstFailure === undefined) {
          const e = error as CelErrorLike
          const why = e.summary ?? e.message.split('\n')[0]
          this.firstFailure = `${condition.source}: ${why.charAt(0).toLowerCase()}${why.slice(1)} (partition ${record.partition}, offset ${record.offset})`
        }
        return false
      }
    }
    return true
  }
}
