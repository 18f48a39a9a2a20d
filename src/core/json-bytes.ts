/**
 * Binary-safe JSON encoding of bytes (keys, values, header values), used for output and accepted
 * on input so that `consume -o json | produce --format json` round-trips any bytes:
 *   - null bytes (a null key, a tombstone, a null header value) → JSON null
 *   - bytes that are valid UTF-8                       → a JSON string of that text
 *   - any other bytes                                  → {"base64": "<standard, padded base64>"}
 * On input, an object whose only member is "base64" with a string value is read as bytes. To
 * produce a value whose text really is `{"base64":"..."}`, pass it as a JSON string instead.
 */
import {Buffer} from 'node:buffer'
import {compactJson} from './json-text.js'
import {OUTPUT_DECODERS, bytesDecoder, decodeField} from './record-decoders.js'

export type JsonBytes = string | {base64: string}

/** What the output decoder chain makes of the bytes: UTF-8 text as a string, other bytes as base64. */
export function bytesToJson(bytes: Buffer): JsonBytes {
  // The UTF-8 decoder rejects overlong forms and encoded surrogates, so the string decodes back to the same bytes.
  const decoded = decodeField(OUTPUT_DECODERS, bytes)!
  return decoded.decoder === bytesDecoder.name ? {base64: bytes.toString('base64')} : (decoded.value as string)
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
