import {describe, expect, it} from 'vitest'

import {
  describeRejection,
  describeTokenError,
  diagnoseToken,
  isReusable,
  isUnexpired,
  parseTokenOutput,
  parseTokenResponse,
  refreshMarginMs,
  UNKNOWN_EXPIRY_REUSE_MS,
} from '../../../src/core/oauth-token.js'

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0)
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
/** An unsecured JWS (alg none), as Kafka's development validator takes it. */
const jws = (claims: Record<string, unknown>) => `${b64({alg: 'none'})}.${b64(claims)}.`

describe('parseTokenOutput: what a token command prints', () => {
  it('takes a raw token and its JWT exp as the expiry', () => {
    const token = jws({sub: 'alice', exp: NOW / 1000 + 600})
    expect(parseTokenOutput(`  ${token}\n`, 'tokenCommand', NOW)).toEqual({value: token, obtainedAt: NOW, expiresAt: NOW + 600_000})
  })
  it('takes an opaque token with no known expiry', () => {
    expect(parseTokenOutput('opaque-token_123\n', 'tokenCommand', NOW)).toEqual({value: 'opaque-token_123', obtainedAt: NOW, expiresAt: undefined})
  })
  it('takes JSON with access_token; expires_in wins over the JWT exp', () => {
    const token = jws({sub: 'alice', exp: NOW / 1000 + 600})
    expect(parseTokenOutput(JSON.stringify({access_token: token, expires_in: 30, token_type: 'Bearer'}), 'c', NOW).expiresAt).toBe(NOW + 30_000)
    expect(parseTokenOutput(JSON.stringify({access_token: 'x', expires_in: '3600'}), 'c', NOW).expiresAt).toBe(NOW + 3_600_000)
    expect(parseTokenOutput(JSON.stringify({access_token: token}), 'c', NOW).expiresAt).toBe(NOW + 600_000)
  })
  it.each([
    ['', 'tokenCommand gave an empty token'],
    ['two words', 'tokenCommand gave a token with spaces or non-ASCII characters (expected one token, or JSON with access_token)'],
    ['{"token": "x"}', 'tokenCommand: no access_token in the JSON it gave'],
    ['{"access_token": "x", "expires_in": -1}', 'tokenCommand: expires_in must be a number of seconds'],
    ['{"access_token": "x", "expires_in": "soon"}', 'tokenCommand: expires_in must be a number of seconds'],
    ['{not json', 'tokenCommand printed something that starts like JSON but is not JSON'],
  ])('rejects %j in one line', (text, message) => {
    expect(() => parseTokenOutput(text, 'tokenCommand', NOW)).toThrow(message)
  })
  it('never puts the token in a message', () => {
    expect(() => parseTokenOutput('secret-token with-space', 'c', NOW)).toThrow(/^(?!.*secret-token)/)
    expect(() => parseTokenResponse({access_token: 'secret-token', expires_in: 'x'}, 'c', NOW)).toThrow(/^(?!.*secret-token)/)
  })
})

describe('when a cached token is fetched again', () => {
  const token = (lifetimeMs?: number) => ({value: 't', obtainedAt: NOW, expiresAt: lifetimeMs === undefined ? undefined : NOW + lifetimeMs})
  it('half its lifetime, at most 60 s and at least 15 s before expiry', () => {
    expect(refreshMarginMs(token(3_600_000))).toBe(60_000)
    expect(refreshMarginMs(token(40_000))).toBe(20_000)
    expect(refreshMarginMs(token(20_000))).toBe(15_000)
    expect(refreshMarginMs(token(5000))).toBe(15_000)
  })
  it('a one-hour token is reused until a minute before it expires', () => {
    const t = token(3_600_000)
    expect(isReusable(t, NOW)).toBe(true)
    expect(isReusable(t, NOW + 3_539_999)).toBe(true)
    expect(isReusable(t, NOW + 3_540_000)).toBe(false)
    expect(isUnexpired(t, NOW + 3_540_000)).toBe(true)
    expect(isUnexpired(t, NOW + 3_600_000)).toBe(false)
  })
  it('a token shorter-lived than the re-authentication margin is never reused', () => {
    expect(isReusable(token(10_000), NOW)).toBe(false)
  })
  it('a token of unknown expiry is reused for 5 minutes', () => {
    expect(isReusable(token(), NOW + UNKNOWN_EXPIRY_REUSE_MS - 1)).toBe(true)
    expect(isReusable(token(), NOW + UNKNOWN_EXPIRY_REUSE_MS)).toBe(false)
  })
})

describe('why a broker refused a token', () => {
  it.each([
    ['garbage', 'it is not a JWT (expected header.payload.signature)'],
    ['a.b.c', 'it is not a JWT (its header is not base64url JSON)'],
    [`${b64({alg: 'none'})}.bm90IGpzb24.`, 'it is not a JWT (its payload is not base64url JSON)'],
    [jws({sub: 'a'}), 'it has no exp (expiry) claim'],
    [jws({sub: 'a', exp: 'tomorrow'}), 'its exp claim is not a number'],
    [jws({sub: 'a', exp: NOW / 1000 - 90}), 'it expired at 2025-01-01T11:58:30.000Z (90s ago)'],
    [jws({sub: 'a', exp: NOW / 1000 - 7200}), 'it expired at 2025-01-01T10:00:00.000Z (2h ago)'],
    [jws({sub: 'a', exp: NOW / 1000 + 60, iat: NOW / 1000 + 3600}), 'it is issued in the future (iat 2025-01-01T13:00:00.000Z; check the clock)'],
    [jws({sub: 'a', exp: NOW / 1000 + 60}), undefined],
  ])('%s', (token, why) => {
    expect(diagnoseToken(token, NOW)).toBe(why)
  })
  it('combines the broker status with what the token shows', () => {
    expect(describeRejection('{"status":"invalid_token"}', 'garbage', 'tokenFile /t', NOW)).toBe(
      'the broker rejected the OAuth token from tokenFile /t (invalid_token): it is not a JWT (expected header.payload.signature)',
    )
    expect(describeRejection('{"status":"invalid_token"}', jws({exp: NOW / 1000 + 60}), 'tokenFile /t', NOW)).toBe(
      "the broker rejected the OAuth token from tokenFile /t (invalid_token); the broker's log says why",
    )
    expect(describeRejection('{"status":"insufficient_scope","scope":"kafka"}', jws({exp: NOW / 1000 + 60}), 'tokenCommand', NOW)).toBe(
      'the broker rejected the OAuth token from tokenCommand (insufficient_scope): it lacks the scope the broker requires (kafka)',
    )
  })
  it('reads an OAuth 2 error response', () => {
    expect(describeTokenError('{"error":"invalid_client","error_description":"Client authentication failed"}')).toBe('invalid_client: Client authentication failed')
    expect(describeTokenError('<html>')).toBeUndefined()
  })
})
