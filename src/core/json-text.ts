/**
 * Lossless JSON text helpers: where members and elements sit in their source text, and compact
 * text that keeps number literals and escapes exactly. They run on text JSON.parse has already
 * accepted, so they only find boundaries; they do not validate. Pure.
 */

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
