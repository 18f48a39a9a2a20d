/**
 * The only owner of kafkajs clients. kafkajs is imported lazily (it costs ~60 ms) so commands
 * that never talk to Kafka (--help, --version, topics lint) do not pay for it.
 *
 * Quirks hidden here: kafkajs logs JSON at INFO to stdout unless silenced; its default retry
 * loop turns an unreachable broker into 10+ s of ERROR lines; and it keeps the process alive
 * until every client is disconnected.
 */
import {readFileSync} from 'node:fs'
import {Socket} from 'node:net'

import type {Admin, Consumer, ConsumerConfig, Kafka, KafkaConfig, Producer, ProducerConfig} from 'kafkajs'

import type {ConnectionSettings, PasswordSasl} from '../core/contexts.js'
import {REAUTH_THRESHOLD_MS} from '../core/oauth-token.js'
import {KafkitError} from '../errors.js'
import {translateKafkaError} from './errors.js'
import {installKafkaJsFixes} from './kafkajs-fixes.js'
import {OAuthTokenCache, oauthBearerMechanism, tokenSource} from './oauth.js'

export interface ConnectionOptions {
  settings: ConnectionSettings
  /** Bounds every admin wait (connect, metadata, describe, ...). */
  timeoutMs: number
  /** Let kafkajs log (to stderr) at DEBUG. */
  debug?: boolean
}

type KafkaJs = typeof import('kafkajs')
let kafkajsModule: Promise<KafkaJs> | undefined
export function loadKafkaJs(): Promise<KafkaJs> {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1'
  installKafkaJsFixes()
  kafkajsModule ??= import('kafkajs').then((m) => ((m as any).default ?? m) as KafkaJs)
  return kafkajsModule
}

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new KafkitError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

/** Resolves the SASL password at connect time from its env var or file; never from argv. */
function saslPassword(sasl: PasswordSasl): string {
  if (sasl.passwordEnv) {
    const value = process.env[sasl.passwordEnv]
    if (value === undefined) throw new KafkitError(`SASL password env var ${sasl.passwordEnv} is not set`)
    return value
  }
  return readSecretFile(sasl.passwordFile!, 'SASL password file').replace(/\r?\n$/, '')
}

export class KafkaConnection {
  readonly settings: ConnectionSettings
  readonly timeoutMs: number
  private readonly debug: boolean
  private kafkaPromise?: Promise<Kafka>
  private adminPromise?: Promise<Admin>
  private readonly clients = new Set<{disconnect(): Promise<void>}>()
  /** SASL/OAUTHBEARER: one token for every (re)authentication until it is near expiry. */
  private oauthTokens?: OAuthTokenCache
  /** Kafka requests sent, by API name: what benches and batching tests read (KAFKIT_REQUEST_STATS=1). */
  readonly requestCounts: Record<string, number> = {}

  constructor(opts: ConnectionOptions) {
    this.settings = opts.settings
    this.timeoutMs = opts.timeoutMs
    this.debug = opts.debug ?? false
  }

  get brokersLabel(): string {
    return this.settings.brokers.join(',')
  }

  kafka(): Promise<Kafka> {
    this.kafkaPromise ??= this.createKafka()
    return this.kafkaPromise
  }

  private async createKafka(): Promise<Kafka> {
    const kjs = await loadKafkaJs()
    const {settings} = this
    const config: KafkaConfig = {
      clientId: settings.clientId,
      brokers: settings.brokers,
      connectionTimeout: Math.min(this.timeoutMs, 10_000),
      requestTimeout: Math.max(this.timeoutMs, 1000),
      // Retries cover leader elections and coordinator moves; the overall wait is bounded by
      // run()'s deadline, so a dead cluster never turns into a long retry loop.
      retry: {retries: 5, initialRetryTime: 100, maxRetryTime: Math.max(1000, Math.floor(this.timeoutMs / 2))},
      logLevel: this.debug ? kjs.logLevel.DEBUG : kjs.logLevel.NOTHING,
      logCreator: () => (entry) => {
        if (!this.debug) return
        const {message, ...rest} = entry.log
        const extra = {...rest}
        delete (extra as any).timestamp
        process.stderr.write(`[kafkajs ${entry.namespace}] ${message} ${redactForLog(JSON.stringify(extra))}\n`)
      },
    }
    if (settings.tls) {
      const {ca, cert, key, insecure} = settings.tls
      config.ssl = {
        rejectUnauthorized: !insecure,
        ...(ca ? {ca: [readSecretFile(ca, 'TLS CA file')]} : {}),
        ...(cert ? {cert: readSecretFile(cert, 'TLS certificate file')} : {}),
        ...(key ? {key: readSecretFile(key, 'TLS key file')} : {}),
      }
    }
    if (settings.sasl?.mechanism === 'oauthbearer') {
      const source = tokenSource(settings.sasl, {timeoutMs: this.timeoutMs, contextLabel: settings.contextName === undefined ? undefined : `context ${settings.contextName}`})
      this.oauthTokens = new OAuthTokenCache(source)
      // The first token before any connection: a failing token command, an unset client secret
      // or a refusing token endpoint is one line of its own, not a kafkajs connect error.
      await this.oauthTokens.get()
      const tokens = this.oauthTokens
      config.sasl = oauthBearerMechanism(() => tokens.get(), source.label) as any
      config.reauthenticationThreshold = REAUTH_THRESHOLD_MS
    } else if (settings.sasl) {
      config.sasl = {mechanism: settings.sasl.mechanism, username: settings.sasl.username, password: saslPassword(settings.sasl)} as any
    }
    return new kjs.Kafka(config)
  }

  /** A connected admin client, shared by every call of this command. */
  admin(): Promise<Admin> {
    this.adminPromise ??= this.run('connect', async () => {
      await this.probe()
      const admin = (await this.kafka()).admin()
      this.track(admin)
      await admin.connect()
      return admin
    })
    return this.adminPromise
  }

  async producer(config: ProducerConfig): Promise<Producer> {
    return this.run('connect producer', async () => {
      await this.probe()
      const producer = (await this.kafka()).producer(config)
      this.track(producer)
      await producer.connect()
      return producer
    })
  }

  async consumer(config: ConsumerConfig): Promise<Consumer> {
    return this.run('connect consumer', async () => {
      await this.probe()
      const consumer = (await this.kafka()).consumer(config)
      this.track(consumer)
      await consumer.connect()
      return consumer
    })
  }

  private track(client: Admin | Producer | Consumer): void {
    this.clients.add(client)
    // kafkajs types each client's on() separately; the REQUEST event has the same shape on all.
    const emitter = client as unknown as {events: {REQUEST: string}; on(event: string, listener: (e: any) => void): void}
    emitter.on(emitter.events.REQUEST, (e) => {
      const api: string = e.payload?.apiName ?? 'unknown'
      this.requestCounts[api] = (this.requestCounts[api] ?? 0) + 1
    })
  }

  /**
   * Runs a Kafka call under the --timeout deadline and turns any failure into one KafkitError
   * line. `what` names the operation for the timeout message.
   */
  async run<T>(what: string, fn: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const token = this.oauthTokens?.pending
        reject(
          token
            ? new KafkitError(`timed out after ${formatSeconds(timeoutMs)} waiting for an OAuth token from ${token}`, {code: 'TIMEOUT', hint: 'raise --timeout if it needs longer'})
            : new KafkitError(`timed out after ${formatSeconds(timeoutMs)} waiting for Kafka at ${this.brokersLabel} (${what})`, {
                code: 'TIMEOUT',
                hint: 'check the address and the cluster, or raise --timeout',
              }),
        )
      }, timeoutMs)
    })
    const giveUpAt = Date.now() + timeoutMs
    const attempt = async (): Promise<T> => {
      for (;;) {
        try {
          return await fn()
        } catch (error) {
          const translated = translateKafkaError(error, this.brokersLabel)
          // kafkajs sends admin requests to the broker metadata names as controller (in KRaft a
          // random broker) and does not retry a refused connection. A dead broker stays listed
          // until the controller fences it, so ask again: nothing was sent, retrying is safe.
          if (translated.code !== 'BROKER_UNREACHABLE' || Date.now() + 300 >= giveUpAt) throw translated
          await new Promise((r) => setTimeout(r, 300))
        }
      }
    }
    try {
      return await Promise.race([attempt(), deadline])
    } catch (error) {
      throw translateKafkaError(error, this.brokersLabel)
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * A plain TCP connect to the bootstrap brokers before kafkajs gets involved, so "connection
   * refused" or "host not found" is reported at once and precisely instead of after kafkajs's
   * retries. Succeeds as soon as one broker accepts.
   */
  private probed = false
  async probe(): Promise<void> {
    if (this.probed) return
    const results = await Promise.all(this.settings.brokers.map((b) => tcpProbe(b, Math.min(this.timeoutMs, 10_000))))
    if (results.some((r) => r === undefined)) {
      this.probed = true
      return
    }
    throw new KafkitError(`cannot reach Kafka at ${this.brokersLabel} (${results[0]})`, {
      code: 'UNREACHABLE',
      hint: hintFor(this.settings.source),
    })
  }

  /** Disconnects every client this connection created; safe to call twice. */
  async close(): Promise<void> {
    const clients = [...this.clients]
    this.clients.clear()
    await Promise.all(clients.map((c) => c.disconnect().catch(() => {})))
    if (process.env.KAFKIT_REQUEST_STATS === '1' && clients.length > 0) {
      const total = Object.values(this.requestCounts).reduce((a, b) => a + b, 0)
      const detail = Object.entries(this.requestCounts).sort().map(([api, n]) => `${api}=${n}`).join(' ')
      process.stderr.write(`kafkit: requests: ${total} (${detail})\n`)
    }
  }
}

function hintFor(source: string): string {
  if (source === '--bootstrap-server') return 'check --bootstrap-server'
  if (source === 'KAFKA_BOOTSTRAP_SERVERS') return 'check KAFKA_BOOTSTRAP_SERVERS'
  if (source.startsWith('context ')) return `check the brokers of ${source} (kafkit context list)`
  return 'pass --bootstrap-server, set KAFKA_BOOTSTRAP_SERVERS, or start one with `kafkit local start`'
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`
}

const PROBE_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
}

/** undefined when the port accepts a TCP connection, otherwise the cause in words. */
function tcpProbe(broker: string, timeoutMs: number): Promise<string | undefined> {
  const i = broker.lastIndexOf(':')
  const host = broker.slice(0, i)
  const port = Number(broker.slice(i + 1))
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (cause: string | undefined) => {
      socket.destroy()
      resolve(cause)
    }
    socket.setTimeout(timeoutMs, () => done(`no answer within ${formatSeconds(timeoutMs)}`))
    socket.once('error', (err: NodeJS.ErrnoException) => done(PROBE_CAUSES[err.code ?? ''] ?? err.code ?? err.message))
    socket.connect(port, host, () => done(undefined))
  })
}

/** --debug output must not leak credentials kafkajs may include in its log context. */
export function redactForLog(text: string): string {
  return text.replace(/("(?:password|sasl|key|cert|ca)"\s*:\s*)("[^"]*"|\{[^}]*\}|\[[^\]]*\])/gi, '$1"[redacted]"')
}
