import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import type {OAuthToken} from '../../../src/core/oauth-token.js'
import {OAuthTokenCache, oauthBearerMechanism, runTokenCommand} from '../../../src/kafka/oauth.js'

const T0 = 1_700_000_000_000

/** A token source that counts its fetches and hands out tokens of the given lifetime. */
function source(lifetimeMs: number | undefined, clock: {now: number}, opts: {cacheable?: boolean; fail?: () => boolean} = {}) {
  const s = {
    calls: 0,
    cacheable: opts.cacheable ?? true,
    async fetch(): Promise<OAuthToken> {
      s.calls++
      await new Promise((r) => setTimeout(r, 5))
      if (opts.fail?.()) throw new Error('token endpoint down')
      return {value: `token-${s.calls}`, obtainedAt: clock.now, expiresAt: lifetimeMs === undefined ? undefined : clock.now + lifetimeMs}
    },
  }
  return s
}

describe('OAuthTokenCache', () => {
  it('hands one token to every authentication until it is near expiry, then fetches a new one', async () => {
    const clock = {now: T0}
    const src = source(3_600_000, clock)
    const cache = new OAuthTokenCache(src, () => clock.now)
    expect((await cache.get()).value).toBe('token-1')
    clock.now = T0 + 3_539_000
    expect((await cache.get()).value).toBe('token-1')
    clock.now = T0 + 3_541_000 // less than 60 s left: kafkajs re-authenticates 10 s before the session ends
    expect((await cache.get()).value).toBe('token-2')
    expect(src.calls).toBe(2)
  })

  it('concurrent authentications share one fetch', async () => {
    const clock = {now: T0}
    const src = source(3_600_000, clock)
    const cache = new OAuthTokenCache(src, () => clock.now)
    const tokens = await Promise.all(Array.from({length: 5}, () => cache.get()))
    expect(new Set(tokens.map((t) => t.value))).toEqual(new Set(['token-1']))
    expect(src.calls).toBe(1)
  })

  it('keeps a token that has not expired when a refresh fails, and fails once it has', async () => {
    const clock = {now: T0}
    let down = false
    const src = source(120_000, clock, {fail: () => down})
    const cache = new OAuthTokenCache(src, () => clock.now)
    await cache.get()
    down = true
    clock.now = T0 + 100_000 // 20 s left: due for a refresh, still valid
    expect((await cache.get()).value).toBe('token-1')
    clock.now = T0 + 120_000
    await expect(cache.get()).rejects.toThrow('token endpoint down')
    down = false
    expect((await cache.get()).value).toBe('token-4')
  })

  it('reads a token file at every authentication', async () => {
    const clock = {now: T0}
    const src = source(3_600_000, clock, {cacheable: false})
    const cache = new OAuthTokenCache(src, () => clock.now)
    await cache.get()
    await cache.get()
    expect(src.calls).toBe(2)
  })

  it('fetches a token of unknown expiry again after 5 minutes', async () => {
    const clock = {now: T0}
    const src = source(undefined, clock)
    const cache = new OAuthTokenCache(src, () => clock.now)
    await cache.get()
    clock.now = T0 + 299_000
    await cache.get()
    expect(src.calls).toBe(1)
    clock.now = T0 + 300_000
    await cache.get()
    expect(src.calls).toBe(2)
  })
})

describe('runTokenCommand', () => {
  it('runs a command line with the shell and takes what it prints', async () => {
    const token = await runTokenCommand(`printf '%s' '{"access_token":"abc","expires_in":60}'`, 'tokenCommand', 5000, () => T0)
    expect(token).toEqual({value: 'abc', obtainedAt: T0, expiresAt: T0 + 60_000})
  })
  it('runs a list without a shell', async () => {
    expect((await runTokenCommand(['printf', '%s', 'a b'], 'tokenCommand', 5000).catch((e: Error) => e.message))).toBe(
      'tokenCommand gave a token with spaces or non-ASCII characters (expected one token, or JSON with access_token)',
    )
    expect((await runTokenCommand(['echo', 'tok$HOME'], 'tokenCommand', 5000)).value).toBe('tok$HOME')
  })
  it('a failing command is one line with the last line of its stderr', async () => {
    await expect(runTokenCommand('echo noise >&2; echo "login expired, run az login" >&2; exit 3', 'tokenCommand of context prod', 5000)).rejects.toThrow(
      /^tokenCommand of context prod failed \(exit 3\): login expired, run az login$/,
    )
  })
  it('a missing program is named', async () => {
    await expect(runTokenCommand(['/nonexistent/get-token'], 'tokenCommand', 5000)).rejects.toThrow('tokenCommand: cannot run /nonexistent/get-token: program not found')
  })
  it('does not read kafkit stdin (produce reads records from it)', async () => {
    await expect(runTokenCommand('cat', 'tokenCommand', 5000)).rejects.toThrow('tokenCommand gave an empty token')
  })
  it('a command that hangs is stopped at the timeout, with what its shell started', async () => {
    await expect(runTokenCommand(['sleep', '30'], 'tokenCommand', 200)).rejects.toThrow('tokenCommand did not finish within 0.2s')
    const pidFile = join(mkdtempSync(join(tmpdir(), 'kafkit-oauth-unit-')), 'pid')
    await expect(runTokenCommand(`sleep 30 & echo $! > ${pidFile}; wait`, 'tokenCommand', 300)).rejects.toThrow('tokenCommand did not finish within 0.3s')
    const pid = Number(readFileSync(pidFile, 'utf8'))
    const alive = () => {
      try {
        process.kill(pid, 0)
        return true
      } catch {
        return false
      }
    }
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 50))
    expect(alive()).toBe(false)
  })
})

describe('the OAUTHBEARER exchange', () => {
  const logger = {debug() {}, info() {}, warn() {}, error() {}, namespace: () => logger, setLogLevel() {}} as any
  /** The SASL transport of one connection, answering the initial response with `reply`. */
  function transport(reply: string) {
    const sent: string[] = []
    const saslAuthenticate = async ({request, response}: any) => {
      const bytes: Buffer = await request.encode()
      sent.push(bytes.subarray(4, 4 + bytes.readInt32BE(0)).toString('latin1'))
      if (!response) throw new Error('{"status":"invalid_token"}')
      const body = Buffer.from(reply)
      const len = Buffer.alloc(4)
      len.writeInt32BE(body.length)
      return response.parse(await response.decode(Buffer.concat([len, body])))
    }
    return {sent, saslAuthenticate}
  }
  const token = {value: 'not-a-jwt', obtainedAt: T0}

  it('sends the RFC 7628 initial response; an empty reply is success', async () => {
    const t = transport('')
    const mech = oauthBearerMechanism(async () => token, 'tokenFile /t')
    await mech.authenticationProvider({host: 'h', port: 1, logger, saslAuthenticate: t.saslAuthenticate as any}).authenticate()
    expect(t.sent).toEqual(['n,,\u0001auth=Bearer not-a-jwt\u0001\u0001'])
  })

  it('an error reply is answered with ^A and becomes one non-retriable line naming why', async () => {
    const t = transport('{"status":"invalid_token"}')
    const mech = oauthBearerMechanism(async () => token, 'tokenFile /t')
    const error = await mech
      .authenticationProvider({host: 'h', port: 1, logger, saslAuthenticate: t.saslAuthenticate as any})
      .authenticate()
      .catch((e: unknown) => e as Error & {retriable?: boolean})
    expect(t.sent[1]).toBe('\u0001')
    expect(error?.message).toBe('authentication failed at h:1: the broker rejected the OAuth token from tokenFile /t (invalid_token): it is not a JWT (expected header.payload.signature)')
    expect(error?.retriable).toBe(false)
  })
})
