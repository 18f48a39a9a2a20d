/**
 * SASL/OAUTHBEARER tokens: what a token command prints, what a token endpoint answers, when a
 * token is due for a refresh, and why a broker may have refused one. Pure: no I/O, the clock is
 * passed in. Token values never appear in any message made here.
 */
import {KafkitError} from '../errors.js'

export interface OAuthToken {
  value: string
  /** Epoch ms at which the token expires; undefined when neither the source nor the token says. */
  expiresAt?: number
  /** Epoch ms at which it was obtained. */
  obtainedAt: number
}

/**
 * kafkajs re-authenticates a connection this long before the session the broker granted ends
 * (its reauthenticationThreshold, set to this value in connection.ts). The broker grants at most
 * the token's remaining lifetime, so a token handed out with less than this left would make
 * kafkajs re-authenticate before every request.
 */
export const REAUTH_THRESHOLD_MS = 10_000
/** A token whose expiry is unknown is used for this long, then fetched again. */
export const UNKNOWN_EXPIRY_REUSE_MS = 5 * 60_000

/**
 * How long before its expiry a token is fetched again: half its lifetime, at most 60 s and at
 * least 15 s (REAUTH_THRESHOLD_MS plus room for the fetch itself).
 */
export function refreshMarginMs(token: OAuthToken): number {
  if (token.expiresAt === undefined) return 0
  const lifetime = token.expiresAt - token.obtainedAt
  return Math.min(60_000, Math.max(REAUTH_THRESHOLD_MS + 5000, lifetime / 2))
}

/** True while a cached token may still be handed to a (re)authentication. */
export function isReusable(token: OAuthToken, now: number): boolean {
  if (token.expiresAt === undefined) return now - token.obtainedAt < UNKNOWN_EXPIRY_REUSE_MS
  return now < token.expiresAt - refreshMarginMs(token)
}

/** True while the token has not expired (a fallback when a refresh fails). */
export function isUnexpired(token: OAuthToken, now: number): boolean {
  return token.expiresAt === undefined ? isReusable(token, now) : now < token.expiresAt
}

function decodeBase64UrlJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/** The claims of a JWT (compact JWS), undefined when the token is not one (opaque tokens are fine). */
export function jwtClaims(value: string): Record<string, unknown> | undefined {
  const parts = value.split('.')
  if (parts.length !== 3) return undefined
  const header = decodeBase64UrlJson(parts[0])
  const claims = decodeBase64UrlJson(parts[1])
  if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined
  return claims as Record<string, unknown>
}

/** expires_in (seconds) wins; otherwise the JWT's exp claim; otherwise unknown. */
export function tokenExpiry(value: string, expiresInSeconds: number | undefined, now: number): number | undefined {
  if (expiresInSeconds !== undefined) return now + expiresInSeconds * 1000
  const exp = jwtClaims(value)?.exp
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined
}

/** A token as a header value may carry it: visible ASCII, no spaces (RFC 6750 b64token plus '.'). */
function checkTokenValue(value: string, source: string): void {
  if (value === '') throw new KafkitError(`${source} gave an empty token`)
  if (!/^[\x21-\x7E]+$/.test(value)) throw new KafkitError(`${source} gave a token with spaces or non-ASCII characters (expected one token, or JSON with access_token)`)
}

function expiresIn(raw: unknown, source: string): number | undefined {
  if (raw === undefined || raw === null) return undefined
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new KafkitError(`${source}: expires_in must be a number of seconds`)
  return n
}

/**
 * What a token command printed: either the token itself (surrounding white space ignored), or
 * a JSON object with access_token and optionally expires_in (seconds), the shape of an OAuth 2
 * token response.
 */
export function parseTokenOutput(stdout: string, source: string, now: number): OAuthToken {
  const text = stdout.trim()
  if (text.startsWith('{')) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new KafkitError(`${source} printed something that starts like JSON but is not JSON (expected the token, or JSON with access_token)`)
    }
    return parseTokenResponse(json, source, now)
  }
  checkTokenValue(text, source)
  return {value: text, obtainedAt: now, expiresAt: tokenExpiry(text, undefined, now)}
}

/** An OAuth 2 token response (RFC 6749 5.1): access_token, optionally expires_in. */
export function parseTokenResponse(json: unknown, source: string, now: number): OAuthToken {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new KafkitError(`${source}: expected a JSON object with access_token`)
  const r = json as Record<string, unknown>
  if (typeof r.access_token !== 'string') throw new KafkitError(`${source}: no access_token in the JSON it gave`)
  checkTokenValue(r.access_token, source)
  const seconds = expiresIn(r.expires_in, source)
  return {value: r.access_token, obtainedAt: now, expiresAt: tokenExpiry(r.access_token, seconds, now)}
}

/** An OAuth 2 error response (RFC 6749 5.2) in words: "invalid_client: Client authentication failed". */
export function describeTokenError(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown>
    if (typeof json.error !== 'string') return undefined
    const description = typeof json.error_description === 'string' ? `: ${json.error_description.split('\n')[0]}` : ''
    return `${json.error}${description}`
  } catch {
    return undefined
  }
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 120) return `${s}s ago`
  if (s < 7200) return `${Math.round(s / 60)}m ago`
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86_400)}d ago`
}

/**
 * Why a broker may have refused a token, as far as the token itself shows: expired, not a JWT,
 * no exp claim. undefined when nothing is visibly wrong (the broker's log then says why).
 */
export function diagnoseToken(value: string, now: number): string | undefined {
  const parts = value.split('.')
  if (parts.length !== 3) return 'it is not a JWT (expected header.payload.signature)'
  const header = decodeBase64UrlJson(parts[0])
  if (typeof header !== 'object' || header === null) return 'it is not a JWT (its header is not base64url JSON)'
  const claims = jwtClaims(value)
  if (!claims) return 'it is not a JWT (its payload is not base64url JSON)'
  if (claims.exp === undefined) return 'it has no exp (expiry) claim'
  if (typeof claims.exp !== 'number') return 'its exp claim is not a number'
  if (claims.exp * 1000 <= now) return `it expired at ${new Date(claims.exp * 1000).toISOString()} (${ago(now - claims.exp * 1000)})`
  if (typeof claims.iat === 'number' && claims.iat * 1000 > now + 1000) return `it is issued in the future (iat ${new Date(claims.iat * 1000).toISOString()}; check the clock)`
  return undefined
}

/**
 * The broker's OAUTHBEARER error reply (RFC 7628 3.2.2: {"status":..., "scope":...}) plus what
 * the token shows, as one clause: "the broker rejected the OAuth token from tokenFile t
 * (invalid_token): it expired at ...".
 */
export function describeRejection(reply: string, token: string, source: string, now: number): string {
  let status = 'invalid_token'
  let scope: string | undefined
  try {
    const json = JSON.parse(reply) as Record<string, unknown>
    if (typeof json.status === 'string') status = json.status
    if (typeof json.scope === 'string' && json.scope !== '') scope = json.scope
  } catch {
    // not JSON: keep invalid_token
  }
  const head = `the broker rejected the OAuth token from ${source} (${status})`
  if (status === 'insufficient_scope') return `${head}: it lacks the scope the broker requires${scope ? ` (${scope})` : ''}`
  const why = diagnoseToken(token, now)
  return why ? `${head}: ${why}` : `${head}; the broker's log says why`
}
