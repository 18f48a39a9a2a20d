/**
 * SASL/OAUTHBEARER for kafkajs: where a token comes from (a command, a file, the OAuth 2
 * client-credentials grant), a cache that hands the same token to every (re)authentication
 * until it is near expiry, and the SASL exchange itself.
 *
 * kafkajs 2.2.4 calls the mechanism's authenticate() for every new connection and again when
 * the session the broker granted (SaslAuthenticate v1 session_lifetime_ms, KIP-368: the broker's
 * connections.max.reauth.ms, capped by the token's expiry) is within reauthenticationThreshold
 * of its end. It leaves caching and refreshing to the provider. Its own OAUTHBEARER exchange
 * also ignores the server's reply: a refused token (RFC 7628: the broker answers
 * {"status":"invalid_token"} and waits for the client's %x01) looks like a success, and the
 * next request on that connection is closed by the broker. The exchange here reads the reply,
 * completes the failure, and says why the token was refused.
 */
import {spawn} from 'node:child_process'
import {readFile} from 'node:fs/promises'

import type {AuthenticationProviderArgs, Mechanism} from 'kafkajs'

import type {OAuthBearerSasl} from '../core/contexts.js'
import {describeRejection, describeTokenError, isReusable, isUnexpired, parseTokenOutput, parseTokenResponse, type OAuthToken} from '../core/oauth-token.js'
import {fileErrorCause, KafkitError} from '../errors.js'

export interface TokenSource {
  /** Names the source in messages: "tokenFile /run/token", "tokenCommand of context prod". */
  label: string
  fetch(): Promise<OAuthToken>
  /** A file is read again at every authentication (cheap, and picks up a rotated token). */
  cacheable: boolean
}

/** kafkajs retries errors that do not say retriable: false; a token that cannot be had will not come by retrying at once. */
function nonRetriable(error: KafkitError): KafkitError {
  ;(error as KafkitError & {retriable: boolean}).retriable = false
  return error
}

const MAX_OUTPUT = 1024 * 1024

/** Runs the token command: no stdin (produce reads records from it), stdout is the token, stderr is kept for the error. */
export function runTokenCommand(command: string | string[], label: string, timeoutMs: number, now: () => number = Date.now): Promise<OAuthToken> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that stopping it also stops what its shell started.
    const options = {stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32'}
    const child = typeof command === 'string' ? spawn(command, {...options, shell: true}) : spawn(command[0], command.slice(1), options)
    const stop = () => {
      try {
        if (options.detached && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
        else child.kill('SIGTERM')
      } catch {
        // already gone
      }
    }
    const out: Buffer[] = []
    const err: Buffer[] = []
    let outBytes = 0
    let errBytes = 0
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, timeoutMs)
    // kafkit may exit first (its own --timeout): do not leave the command running.
    const killOnExit = () => stop()
    process.once('exit', killOnExit)
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length
      if (outBytes <= MAX_OUTPUT) out.push(b)
    })
    child.stderr.on('data', (b: Buffer) => {
      errBytes += b.length
      if (errBytes <= 64 * 1024) err.push(b)
    })
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      process.off('exit', killOnExit)
      const program = Array.isArray(command) ? command[0] : 'sh'
      reject(nonRetriable(new KafkitError(`${label}: cannot run ${program}: ${e.code === 'ENOENT' ? 'program not found' : fileErrorCause(e)}`, {code: 'OAUTH_TOKEN'})))
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      process.off('exit', killOnExit)
      const lastErr = Buffer.concat(err).toString('utf8').trim().split('\n').at(-1)?.trim()
      if (timedOut) return reject(nonRetriable(new KafkitError(`${label} did not finish within ${timeoutMs / 1000}s`, {code: 'OAUTH_TOKEN', hint: 'raise --timeout if it needs longer'})))
      if (code !== 0) {
        const how = signal ? `killed by ${signal}` : `exit ${code}`
        return reject(nonRetriable(new KafkitError(`${label} failed (${how})${lastErr ? `: ${lastErr}` : ''}`, {code: 'OAUTH_TOKEN'})))
      }
      if (outBytes > MAX_OUTPUT) return reject(nonRetriable(new KafkitError(`${label} printed more than 1 MiB (expected one token)`, {code: 'OAUTH_TOKEN'})))
      try {
        resolve(parseTokenOutput(Buffer.concat(out).toString('utf8'), label, now()))
      } catch (error) {
        reject(nonRetriable(error as KafkitError))
      }
    })
  })
}

export async function readTokenFile(path: string, label: string, now: () => number = Date.now): Promise<OAuthToken> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw nonRetriable(new KafkitError(`cannot read OAuth token file ${path}: ${fileErrorCause(error)}`, {code: 'OAUTH_TOKEN'}))
  }
  try {
    return parseTokenOutput(text, label, now())
  } catch (error) {
    throw nonRetriable(error as KafkitError)
  }
}

async function clientSecret(sasl: OAuthBearerSasl): Promise<string> {
  if (sasl.clientSecretEnv) {
    const value = process.env[sasl.clientSecretEnv]
    if (value === undefined) throw nonRetriable(new KafkitError(`OAuth client secret env var ${sasl.clientSecretEnv} is not set`, {code: 'OAUTH_TOKEN'}))
    return value
  }
  try {
    return (await readFile(sasl.clientSecretFile!, 'utf8')).replace(/\r?\n$/, '')
  } catch (error) {
    throw nonRetriable(new KafkitError(`cannot read OAuth client secret file ${sasl.clientSecretFile}: ${fileErrorCause(error)}`, {code: 'OAUTH_TOKEN'}))
  }
}

const FETCH_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: its certificate is not trusted (a private CA? set NODE_EXTRA_CA_CERTS)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: its certificate is self-signed (set NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: cannot verify its certificate (set NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: cannot verify its certificate (set NODE_EXTRA_CA_CERTS)',
  CERT_HAS_EXPIRED: 'TLS: its certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: its certificate does not match its host name',
}

/**
 * The OAuth 2 client-credentials grant (RFC 6749 4.4): POST grant_type=client_credentials (and
 * scope) with the client id and secret as HTTP Basic authentication (2.3.1).
 */
export async function fetchClientCredentialsToken(sasl: OAuthBearerSasl, timeoutMs: number, now: () => number = Date.now): Promise<OAuthToken> {
  const url = sasl.tokenEndpoint!
  const secret = await clientSecret(sasl)
  const body = new URLSearchParams({grant_type: 'client_credentials'})
  if (sasl.scope) body.set('scope', sasl.scope)
  const basic = Buffer.from(`${encodeURIComponent(sasl.clientId!)}:${encodeURIComponent(secret)}`).toString('base64')
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'},
      body,
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const e = error as Error & {cause?: NodeJS.ErrnoException}
    const code = e.cause?.code ?? (e.name === 'TimeoutError' ? 'TIMEOUT' : undefined)
    const cause = code === 'TIMEOUT' ? `no answer within ${timeoutMs / 1000}s` : (code && FETCH_CAUSES[code]) ?? code ?? e.cause?.message ?? e.message
    throw nonRetriable(new KafkitError(`cannot get an OAuth token from ${url} (${cause})`, {code: 'OAUTH_TOKEN'}))
  }
  const text = await res.text().catch(() => '')
  if (!res.ok) {
    const why = describeTokenError(text)
    throw nonRetriable(
      new KafkitError(`OAuth token endpoint ${url} refused client ${sasl.clientId}: HTTP ${res.status}${why ? ` ${why}` : res.statusText ? ` ${res.statusText}` : ''}`, {code: 'OAUTH_TOKEN'}),
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw nonRetriable(new KafkitError(`OAuth token endpoint ${url} answered HTTP ${res.status} with something that is not JSON`, {code: 'OAUTH_TOKEN'}))
  }
  try {
    return parseTokenResponse(json, `OAuth token endpoint ${url}`, now())
  } catch (error) {
    throw nonRetriable(error as KafkitError)
  }
}

export function tokenSource(sasl: OAuthBearerSasl, opts: {timeoutMs: number; contextLabel?: string}): TokenSource {
  const of = opts.contextLabel ? ` of ${opts.contextLabel}` : ''
  if (sasl.tokenFile) {
    const label = `tokenFile ${sasl.tokenFile}`
    return {label, cacheable: false, fetch: () => readTokenFile(sasl.tokenFile!, label)}
  }
  if (sasl.tokenCommand) {
    const label = `tokenCommand${of}`
    return {label, cacheable: true, fetch: () => runTokenCommand(sasl.tokenCommand!, label, opts.timeoutMs)}
  }
  return {label: `tokenEndpoint ${sasl.tokenEndpoint}`, cacheable: true, fetch: () => fetchClientCredentialsToken(sasl, opts.timeoutMs)}
}

/**
 * One token for every (re)authentication of this process until it is near expiry (see
 * isReusable); concurrent authentications share one fetch; when a refresh fails while the
 * cached token has not expired yet, that token is used.
 */
export class OAuthTokenCache {
  private current?: OAuthToken
  private inflight?: Promise<OAuthToken>
  /** How many times the source was asked: what the tests read. */
  fetches = 0

  constructor(
    private readonly source: Pick<TokenSource, 'fetch' | 'cacheable'> & {label?: string},
    private readonly now: () => number = Date.now,
  ) {}

  /** The source being asked right now, for a timeout message ("tokenCommand of context prod"). */
  get pending(): string | undefined {
    return this.inflight ? (this.source.label ?? 'the token source') : undefined
  }

  async get(): Promise<OAuthToken> {
    if (this.current && this.source.cacheable && isReusable(this.current, this.now())) return this.current
    this.inflight ??= (async () => {
      this.fetches++
      try {
        const token = await this.source.fetch()
        this.current = token
        return token
      } finally {
        this.inflight = undefined
      }
    })()
    try {
      return await this.inflight
    } catch (error) {
      if (this.current && this.source.cacheable && isUnexpired(this.current, this.now())) return this.current
      throw error
    }
  }
}

/** SASL bytes as kafkajs passes them around: a 4-byte length, then the bytes. */
function sizePrefixed(bytes: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeInt32BE(bytes.length)
  return Buffer.concat([len, bytes])
}

function readSizePrefixed(raw: Buffer): Buffer {
  if (raw.length < 4) return Buffer.alloc(0)
  const len = raw.readInt32BE(0)
  return len <= 0 ? Buffer.alloc(0) : raw.subarray(4, 4 + len)
}

/**
 * The OAUTHBEARER client exchange (RFC 7628): the initial response "n,,^Aauth=Bearer TOKEN^A^A";
 * an empty server reply is success; otherwise the reply is the server's error JSON, the client
 * answers ^A, and the broker then fails the authentication.
 */
export function oauthBearerMechanism(getToken: () => Promise<OAuthToken>, sourceLabel: string, now: () => number = Date.now): Mechanism {
  return {
    mechanism: 'oauthbearer',
    authenticationProvider: ({host, port, logger, saslAuthenticate}: AuthenticationProviderArgs) => ({
      authenticate: async () => {
        const broker = `${host}:${port}`
        const token = await getToken()
        const initial = Buffer.from(`n,,\u0001auth=Bearer ${token.value}\u0001\u0001`)
        logger.debug('Authenticate with SASL OAUTHBEARER', {broker, token: sourceLabel})
        let reply: Buffer | void
        try {
          reply = await saslAuthenticate<Buffer>({
            request: {encode: () => sizePrefixed(initial)},
            response: {decode: (raw: Buffer) => readSizePrefixed(raw), parse: (data: Buffer) => data},
          })
        } catch (error) {
          const message = (error as Error).message.split('\n')[0]
          throw nonRetriable(new KafkitError(`authentication failed at ${broker}: the broker refused the OAUTHBEARER exchange: ${message}`, {code: 'AUTH'}))
        }
        if (reply && reply.length > 0) {
          const why = describeRejection(reply.toString('utf8'), token.value, sourceLabel, now())
          // The broker waits for the client's ^A before it fails the exchange; its answer is that failure.
          await saslAuthenticate({request: {encode: () => sizePrefixed(Buffer.from([1]))}}).catch(() => {})
          throw nonRetriable(new KafkitError(`authentication failed at ${broker}: ${why}`, {code: 'AUTH'}))
        }
        logger.debug('SASL OAUTHBEARER authentication successful', {broker})
      },
    }),
  }
}
