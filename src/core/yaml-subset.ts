/**
 * A fast reader for the plain YAML that topics.yaml files are written in: block mappings and
 * sequences, one-line flow collections (`{partitions: 3, config: {retention.ms: 7d}}`), plain and
 * quoted one-line scalars, comments. The `yaml` library's Document API costs about 100 µs per
 * topic (a 10,000-topic file took over a second to parse); this reads it in a few milliseconds.
 *
 * It answers only when it is sure: anything else (anchors, tags, block or multi-line scalars,
 * multi-line flow collections, duplicate keys, tabs, CR line ends, directives, a document that
 * is not a mapping, any syntax error) returns undefined, and the caller parses with the `yaml`
 * library, which reports errors with their line and column. For what it accepts, the data equal
 * the `yaml` library's toJS() (YAML 1.2 core schema) and the offsets of the entries of the root
 * `topics` list equal its nodes' range[0]; a differential test checks both. Only those offsets
 * are kept (every lint and plan problem of a topic points at its entry): anything else that
 * needs a position asks the `yaml` library, which is rare and only for files with problems.
 */

export interface SubsetDocument {
  data: unknown
  /** Offset of each entry of the root `topics` sequence (its `-` content, or its flow item). */
  topicOffsets: number[]
  /** 1-based line and column of an offset, as the yaml library's LineCounter.linePos. */
  linePos(offset: number): {line: number; col: number}
}

/** Thrown inside the reader when the text is outside the subset; never escapes parseYamlSubset. */
class OutsideSubset extends Error {}
const OUTSIDE = new OutsideSubset('outside the subset')

const NL = 10 // \n
const SPACE = 32
const HASH = 35 // #
const COLON = 58 // :
const DASH = 45 // -
const COMMA = 44 // ,
const DQUOTE = 34 // "
const SQUOTE = 39 // '
const LBRACE = 123 // {
const RBRACE = 125 // }
const LBRACKET = 91 // [
const RBRACKET = 93 // ]

/** YAML's indicators (a plain scalar may not start with one), by char code. */
const INDICATOR = new Uint8Array(128)
for (const c of '-?:,[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1

/** From a key's start to the first `:` on its line followed by a space, a line end or the end of the text. */
const KEY_COLON = /(?:[^:\n]|:(?! |\n|$))*:(?= |\n|$)/y

/** Anything outside the subset as a whole: tabs, CR, BOM, other controls, directives, document markers. */
// eslint-disable-next-line no-control-regex
const OUTSIDE_TEXT = /[\t\r\u0000-\u0008\u000b-\u001f\u007f\ufeff]|^(?:%|---|\.\.\.)/m

export function parseYamlSubset(text: string): SubsetDocument | undefined {
  if (OUTSIDE_TEXT.test(text)) return undefined
  try {
    return new SubsetReader(text).document()
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined
    throw error
  }
}

class SubsetReader {
  /** After a value: where the next content line starts (-1 at the end of the text) and its indentation. */
  private nextStart = -1
  private nextIndent = -1
  private readonly topicOffsets: number[] = []

  constructor(private readonly text: string) {}

  document(): SubsetDocument {
    this.seekContentLine(0)
    if (this.nextStart === -1 || this.nextIndent !== 0) throw OUTSIDE
    const data = this.blockMap(this.nextStart, 0, true)
    if (this.nextStart !== -1) throw OUTSIDE
    const lineStarts = [0]
    const {text} = this
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1)
    return {
      data,
      topicOffsets: this.topicOffsets,
      linePos(offset: number) {
        let lo = 0
        let hi = lineStarts.length - 1
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1
          if (lineStarts[mid] <= offset) lo = mid
          else hi = mid - 1
        }
        return {line: lo + 1, col: offset - lineStarts[lo] + 1}
      },
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lines

  /** Sets nextStart/nextIndent to the first line at or after `from` (a line start) with content other than a comment. */
  private seekContentLine(from: number): void {
    const {text} = this
    let lineStart = from
    while (lineStart < text.length) {
      let i = lineStart
      while (text.charCodeAt(i) === SPACE) i++
      const c = text.charCodeAt(i)
      if (i < text.length && c !== NL && c !== HASH) {
        this.nextStart = i
        this.nextIndent = i - lineStart
        return
      }
      const end = text.indexOf('\n', i)
      if (end === -1) break
      lineStart = end + 1
    }
    this.nextStart = -1
    this.nextIndent = -1
  }

  /** After a value ending at `i`: only spaces and a comment may follow on the line. Seeks the next content line. */
  private finishLine(i: number): void {
    const {text} = this
    const from = i
    while (text.charCodeAt(i) === SPACE) i++
    if (i < text.length) {
      const c = text.charCodeAt(i)
      if (c !== NL && !(c === HASH && i > from)) throw OUTSIDE
    }
    const end = text.indexOf('\n', i)
    this.seekContentLine(end === -1 ? text.length : end + 1)
  }

  private lineEnd(i: number): number {
    const end = this.text.indexOf('\n', i)
    return end === -1 ? this.text.length : end
  }

  // -------------------------------------------------------------------------------------------
  // Block collections

  private isSeqEntry(i: number): boolean {
    const {text} = this
    if (text.charCodeAt(i) !== DASH) return false
    const c = text.charCodeAt(i + 1)
    return c === SPACE || c === NL || i + 1 >= text.length
  }

  /** Where the `:` of a block mapping key at `i` is, or -1 when the line is not `key: ...`. */
  private keyColon(i: number): number {
    const {text} = this
    const c = text.charCodeAt(i)
    if (c === DQUOTE || c === SQUOTE) {
      let end = this.quotedEnd(i)
      while (text.charCodeAt(end) === SPACE) end++
      return text.charCodeAt(end) === COLON && this.endsToken(end + 1) ? end : -1
    }
    if (c < 128 && INDICATOR[c] === 1) return -1
    // Within the line only: a search of the text could run to its end on every line.
    KEY_COLON.lastIndex = i
    if (KEY_COLON.exec(text) === null) return -1
    const colon = KEY_COLON.lastIndex - 1
    return text.slice(i, colon).includes(' #') ? -1 : colon // a comment before the colon
  }

  /** A space, a line end or the end of the text at `i`. */
  private endsToken(i: number): boolean {
    const c = this.text.charCodeAt(i)
    return c === SPACE || c === NL || i >= this.text.length
  }

  /** The key of a block mapping entry at `i` whose `:` is at `colon`. */
  private blockKey(i: number, colon: number): string {
    const {text} = this
    const c = text.charCodeAt(i)
    const key = c === DQUOTE || c === SQUOTE ? this.quoted(i, this.quotedEnd(i)) : text.slice(i, colon).trimEnd()
    if (!(c === DQUOTE || c === SQUOTE)) checkPlainKey(key)
    return key
  }

  /** A block mapping whose keys are at column `indent`, the first at `start`. Leaves nextStart at the line after it. */
  private blockMap(start: number, indent: number, root = false): Record<string, unknown> {
    const map: Record<string, unknown> = {}
    let at = start
    for (;;) {
      const colon = this.keyColon(at)
      if (colon === -1) throw OUTSIDE
      const key = this.blockKey(at, colon)
      if (Object.prototype.hasOwnProperty.call(map, key)) throw OUTSIDE // the yaml library reports duplicate keys
      map[key] = this.valueAfterIndicator(colon + 1, indent, true, root && key === 'topics')
      if (this.nextStart === -1 || this.nextIndent < indent) return map
      if (this.nextIndent > indent || this.isSeqEntry(this.nextStart)) throw OUTSIDE
      at = this.nextStart
    }
  }

  /** A block sequence whose `-` are at column `indent`. */
  private blockSeq(start: number, indent: number, topics: boolean): unknown[] {
    const items: unknown[] = []
    let at = start
    for (;;) {
      items.push(this.valueAfterIndicator(at + 1, indent, false, false, topics))
      if (this.nextStart === -1 || this.nextIndent < indent) return items
      if (this.nextIndent > indent) throw OUTSIDE
      if (!this.isSeqEntry(this.nextStart)) return items
      at = this.nextStart
    }
  }

  /**
   * The value after a map's `:` or a sequence's `-` at column `indent`: on the same line, or a
   * block collection on the lines below, or empty (null). `topicsValue`: this is the root
   * `topics` value; `topicItem`: this is one of its entries (its offset is recorded).
   */
  private valueAfterIndicator(i: number, indent: number, inMap: boolean, topicsValue = false, topicItem = false): unknown {
    const {text} = this
    let q = i
    while (text.charCodeAt(q) === SPACE) q++
    const c = text.charCodeAt(q)
    if (q >= text.length || c === NL || (c === HASH && q > i)) {
      this.finishLine(i)
      const next = this.nextStart
      if (next !== -1 && (this.nextIndent > indent || (inMap && this.nextIndent === indent && this.isSeqEntry(next)))) {
        if (topicItem) this.topicOffsets.push(next)
        if (this.isSeqEntry(next)) return this.blockSeq(next, this.nextIndent, topicsValue)
        if (this.keyColon(next) !== -1) return this.blockMap(next, this.nextIndent)
        throw OUTSIDE // a scalar on its own line below its key
      }
      // Empty: the yaml library places the null right after the indicator.
      if (q !== i) throw OUTSIDE
      if (topicItem) this.topicOffsets.push(i)
      return null
    }
    if (topicItem) this.topicOffsets.push(q)
    if (!inMap) {
      // `- key: value` starts a mapping whose keys are at this column.
      if (this.isSeqEntry(q)) throw OUTSIDE // `- - x`
      if (this.keyColon(q) !== -1) return this.blockMap(q, q - (text.lastIndexOf('\n', q) + 1))
    }
    return this.inlineValue(q, topicsValue)
  }

  // -------------------------------------------------------------------------------------------
  // Values on one line

  /** A value that starts at `q` and ends on its line; seeks the next content line. */
  private inlineValue(q: number, topicsValue: boolean): unknown {
    const {text} = this
    const c = text.charCodeAt(q)
    if (c === LBRACE || c === LBRACKET) {
      const end = this.flow(q, topicsValue)
      this.finishLine(end)
      return this.flowResult
    }
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(q)
      const value = this.quoted(q, end)
      this.finishLine(end)
      return value
    }
    // -1 and -x are plain scalars; any other indicator is not in the subset.
    if (c < 128 && INDICATOR[c] === 1 && !(c === DASH && !this.endsToken(q + 1))) throw OUTSIDE
    const lineEnd = this.lineEnd(q)
    let source = text.slice(q, lineEnd)
    const hash = source.indexOf(' #')
    source = (hash === -1 ? source : source.slice(0, hash)).trimEnd()
    // `a: b: c` is an error; `a: b:` too.
    if (source.includes(': ') || source.charCodeAt(source.length - 1) === COLON) throw OUTSIDE
    this.seekContentLine(lineEnd + 1)
    return resolvePlain(source)
  }

  /** The value of the last flow collection read (flow() returns its end offset). */
  private flowResult: unknown

  /** A flow mapping or sequence that closes on the same line; returns the offset after it. */
  private flow(q: number, topicsValue = false): number {
    const {text} = this
    const isMap = text.charCodeAt(q) === LBRACE
    const close = isMap ? RBRACE : RBRACKET
    const object: Record<string, unknown> = {}
    const array: unknown[] = []
    let i = this.skipSpaces(q + 1)
    while (text.charCodeAt(i) !== close) {
      if (isMap) {
        const key = this.flowKey(i)
        if (Object.prototype.hasOwnProperty.call(object, key)) throw OUTSIDE
        i = this.flowValue(this.skipSpaces(this.flowKeyEnd))
        object[key] = this.flowResult
      } else {
        if (topicsValue) this.topicOffsets.push(i)
        i = this.flowValue(i)
        array.push(this.flowResult)
      }
      i = this.skipSpaces(i)
      const c = text.charCodeAt(i)
      if (c === COMMA) i = this.skipSpaces(i + 1)
      else if (c !== close) throw OUTSIDE
    }
    this.flowResult = isMap ? object : array
    return i + 1
  }

  private skipSpaces(i: number): number {
    while (this.text.charCodeAt(i) === SPACE) i++
    return i
  }

  /** After flowKey: the offset just after the key's `:`. */
  private flowKeyEnd = 0

  private flowKey(i: number): string {
    const {text} = this
    const c = text.charCodeAt(i)
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(i)
      const key = this.quoted(i, end)
      const colon = this.skipSpaces(end)
      if (text.charCodeAt(colon) !== COLON) throw OUTSIDE
      // JSON-style `"a":1` is allowed after a quoted key.
      this.flowKeyEnd = colon + 1
      return key
    }
    if (c < 128 && INDICATOR[c] === 1) throw OUTSIDE
    let end = i
    for (;;) {
      const d = text.charCodeAt(end)
      if (end >= text.length || d === NL || d === COMMA || d === LBRACKET || d === RBRACKET || d === LBRACE || d === RBRACE || d === HASH) throw OUTSIDE
      if (d === COLON && text.charCodeAt(end + 1) === SPACE) break
      end++
    }
    const key = text.slice(i, end).trimEnd()
    checkPlainKey(key)
    this.flowKeyEnd = end + 1
    return key
  }

  /** A value inside a flow collection; the value is left in flowResult, the offset after it returned. */
  private flowValue(i: number): number {
    const {text} = this
    const c = text.charCodeAt(i)
    if (c === LBRACE || c === LBRACKET) return this.flow(i)
    if (c === DQUOTE || c === SQUOTE) {
      const end = this.quotedEnd(i)
      this.flowResult = this.quoted(i, end)
      return end
    }
    if (c < 128 && INDICATOR[c] === 1) {
      const d = text.charCodeAt(i + 1)
      if (!(c === DASH && d !== SPACE && d !== COMMA && d !== NL)) throw OUTSIDE // empty values, `- x`, `&a`...
    }
    let end = i
    for (;;) {
      const d = text.charCodeAt(end)
      if (end >= text.length || d === NL) throw OUTSIDE // unclosed on this line
      if (d === COMMA || d === RBRACKET || d === RBRACE) break
      if (d === LBRACKET || d === LBRACE) throw OUTSIDE
      if (d === HASH && text.charCodeAt(end - 1) === SPACE) throw OUTSIDE
      if (d === COLON) {
        const e = text.charCodeAt(end + 1)
        if (e === SPACE || e === COMMA || e === RBRACKET || e === RBRACE) throw OUTSIDE // a pair inside a flow sequence
      }
      end++
    }
    const source = text.slice(i, end).trimEnd()
    this.flowResult = resolvePlain(source)
    return i + source.length
  }

  /** The offset just after the closing quote of the quoted scalar at `i` (on the same line). */
  private quotedEnd(i: number): number {
    const {text} = this
    const quote = text.charCodeAt(i)
    const lineEnd = this.lineEnd(i)
    for (let j = i + 1; j < lineEnd; j++) {
      const c = text.charCodeAt(j)
      if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(j + 1) === SQUOTE) j++
        else return j + 1
      } else if (c === 92 && quote === DQUOTE) {
        j++ // the escaped character
      }
    }
    throw OUTSIDE // not closed on this line
  }

  /** The value of the quoted scalar from `i` to `end`; escapes other than the common ones are outside the subset. */
  private quoted(i: number, end: number): string {
    const inner = this.text.slice(i + 1, end - 1)
    if (this.text.charCodeAt(i) === SQUOTE) return inner.includes("''") ? inner.replace(/''/g, "'") : inner
    if (!inner.includes('\\')) return inner
    return inner.replace(/\\(.)/g, (_, c: string) => {
      const escaped = ESCAPES[c]
      if (escaped === undefined) throw OUTSIDE
      return escaped
    })
  }
}

const ESCAPES: Record<string, string> = {'\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t'}

/** A plain key must resolve to a string and not be special to JavaScript objects or YAML merges. */
function checkPlainKey(key: string): void {
  if (typeof resolvePlain(key) !== 'string' || key === '__proto__' || key === '<<') throw OUTSIDE
}

const INT = /^[-+]?[0-9]+$/
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/
/** Core-schema forms this reader leaves to the yaml library: octal, hex, infinities, NaN. */
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/

/** A plain scalar under YAML 1.2's core schema, as the yaml library resolves it. */
function resolvePlain(source: string): unknown {
  switch (source) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null
    case 'true':
    case 'True':
    case 'TRUE':
      return true
    case 'false':
    case 'False':
    case 'FALSE':
      return false
  }
  const c = source.charCodeAt(0)
  // Only something starting with a digit, a sign or '.' can be a number.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(source)) return parseInt(source, 10)
    if (FLOAT.test(source) || FLOAT_EXP.test(source)) return parseFloat(source)
    if (OTHER_NUMBER.test(source)) throw OUTSIDE
  }
  return source
}
