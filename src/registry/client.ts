/**
 * An HTTP client for the Confluent Schema Registry API (Confluent's own, Apicurio's ccompat API,
 * Redpanda's, Karapace): the few calls kafkit makes, each failure one KafkitError line naming the
 * registry. The registry adapter: src/app reaches the registry only through it. Basic auth and a
 * private CA come from the settings; the password is read by the caller (env var or file).
 */
import {readFileSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {request as httpsRequest} from 'node:https'

import {KafkitError, fileErrorCause} from '../errors.js'

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024

export interface RegistryConnection {
  url: string
  username?: string
  password?: string
  /** PEM file of the CA that signed the registry's certificate. */
  caFile?: string
  /** Per request. */
  timeoutMs: number
}

/** What the registry says about a schema. schemaType is absent for Avro (the API's default). */
export interface RegistrySchema {
  id: number
  schema: string
  schemaType: 'AVRO' | 'PROTOBUF' | 'JSON'
  subject?: string
  version?: number
  references?: Array<{name: string; subject: string; version: number}>
}

/** An HTTP answer other than 2xx: the status and the registry's error_code and message. */
export class RegistryHttpError extends KafkitError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: number | undefined,
  ) {
    super(message, {code: isNotFound(status, errorCode) ? 'SCHEMA_NOT_FOUND' : status === 401 || status === 403 ? 'REGISTRY_AUTH' : 'REGISTRY_ERROR'})
  }

  /** The registry said the subject, version or schema does not exist (40401, 40402, 40403, ...). */
  get notFound(): boolean {
    return isNotFound(this.status, this.errorCode)
  }
}

/** A 404 with a 404xx error code; a bare 404 is a wrong URL, not a missing schema. */
function isNotFound(status: number, errorCode: number | undefined): boolean {
  return status === 404 && errorCode !== undefined && errorCode >= 40400 && errorCode < 40500
}

const enc = encodeURIComponent

export class SchemaRegistryClient {
  private readonly base: URL
  private readonly ca?: Buffer

  constructor(private readonly conn: RegistryConnection) {
    this.base = new URL(conn.url.endsWith('/') ? conn.url : `${conn.url}/`)
    if (conn.caFile !== undefined) {
      try {
        this.ca = readFileSync(conn.caFile)
      } catch (error) {
        throw new KafkitError(`schema registry CA file ${conn.caFile}: ${fileErrorCause(error)}`)
      }
    }
  }

  get url(): string {
    return this.conn.url
  }

  async subjects(): Promise<string[]> {
    return (await this.call('GET', 'subjects')) as string[]
  }

  async versions(subject: string): Promise<number[]> {
    return (await this.call('GET', `subjects/${enc(subject)}/versions`)) as number[]
  }

  async subjectVersion(subject: string, version: number | 'latest'): Promise<RegistrySchema> {
    const r = (await this.call('GET', `subjects/${enc(subject)}/versions/${version}`)) as any
    return {id: r.id, schema: r.schema, schemaType: r.schemaType ?? 'AVRO', subject: r.subject ?? subject, version: r.version, references: r.references}
  }

  async schemaById(id: number): Promise<RegistrySchema> {
    const r = (await this.call('GET', `schemas/ids/${id}`)) as any
    return {id, schema: r.schema, schemaType: r.schemaType ?? 'AVRO', references: r.references}
  }

  /** The subjects and versions an id is registered under ([] when the registry cannot say). */
  async idVersions(id: number): Promise<Array<{subject: string; version: number}>> {
    try {
      return (await this.call('GET', `schemas/ids/${id}/versions`)) as Array<{subject: string; version: number}>
    } catch (error) {
      if (error instanceof RegistryHttpError && error.notFound) return []
      throw error
    }
  }

  async checkCompatibility(subject: string, version: number | 'latest', schema: {schema: string; schemaType: string}): Promise<{compatible: boolean; messages: string[]}> {
    const body = schema.schemaType === 'AVRO' ? {schema: schema.schema} : schema
    const r = (await this.call('POST', `compatibility/subjects/${enc(subject)}/versions/${version}?verbose=true`, body)) as any
    return {compatible: r.is_compatible === true, messages: Array.isArray(r.messages) ? r.messages.map(String) : []}
  }

  async register(subject: string, schema: {schema: string; schemaType: string}): Promise<number> {
    const body = schema.schemaType === 'AVRO' ? {schema: schema.schema} : schema
    return ((await this.call('POST', `subjects/${enc(subject)}/versions`, body)) as {id: number}).id
  }

  private describe(): string {
    return `schema registry ${this.conn.url}`
  }

  private call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path, this.base)
    const headers: Record<string, string> = {accept: `${CONTENT_TYPE}, application/json`}
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8')
    if (payload !== undefined) {
      headers['content-type'] = CONTENT_TYPE
      headers['content-length'] = String(payload.length)
    }
    if (this.conn.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${this.conn.username}:${this.conn.password ?? ''}`).toString('base64')}`
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const req = request(url, {method, headers, timeout: this.conn.timeoutMs, ...(this.ca === undefined ? {} : {ca: this.ca})}, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_RESPONSE_BYTES) {
            req.destroy(new Error('the answer is larger than 16 MiB'))
            return
          }
          chunks.push(chunk)
        })
        res.on('error', (error) => reject(this.failure(error)))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: any
          try {
            json = text === '' ? undefined : JSON.parse(text)
          } catch {
            json = undefined
          }
          const status = res.statusCode ?? 0
          if (status >= 200 && status < 300) {
            if (json === undefined) reject(new KafkitError(`${this.describe()}: ${method} ${url.pathname} answered ${status} with no JSON (is this the registry's API URL?)`))
            else resolve(json)
            return
          }
          const message = typeof json?.message === 'string' ? json.message.split('\n')[0] : text.trim().split('\n')[0].slice(0, 200) || res.statusMessage || ''
          const auth =
            status === 401 || status === 403
              ? ' (check the registry username and password of the context)'
              : status === 404 && !isNotFound(status, json?.error_code)
                ? ` (is ${this.conn.url} the registry's API URL? Apicurio's is .../apis/ccompat/v6)`
                : ''
          reject(new RegistryHttpError(`${this.describe()}: HTTP ${status}${message ? `: ${message}` : ''}${auth}`, status, typeof json?.error_code === 'number' ? json.error_code : undefined))
        })
      })
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.conn.timeoutMs} ms`), {code: 'ETIMEDOUT'})))
      req.on('error', (error) => reject(this.failure(error)))
      req.end(payload)
    })
  }

  private failure(error: NodeJS.ErrnoException): KafkitError {
    const untrusted = /^(SELF_SIGNED|DEPTH_ZERO_SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_)/.test(error.code ?? '')
    const cause =
      error.code === 'ECONNREFUSED'
        ? 'connection refused (is it running?)'
        : error.code === 'ENOTFOUND'
          ? 'host not found'
          : `${(error.message || error.code || 'failed').split('\n')[0]}${untrusted ? " (give the registry's CA as schemaRegistry.tls.ca in the context)" : ''}`
    return new KafkitError(`${this.describe()}: ${cause}`, {code: 'REGISTRY_UNREACHABLE'})
  }
}

/** Credentials resolved when the registry is first used: env vars and files, never argv. */
export function registryConnection(
  spec: {url: string; username?: string; usernameEnv?: string; passwordEnv?: string; passwordFile?: string; tls?: {ca?: string}; source: string},
  timeoutMs: number,
): RegistryConnection {
  const conn: RegistryConnection = {url: spec.url, timeoutMs, caFile: spec.tls?.ca}
  if (spec.usernameEnv !== undefined) {
    const value = process.env[spec.usernameEnv]
    if (value === undefined || value === '') throw new KafkitError(`schema registry user name env var ${spec.usernameEnv} is not set (${spec.source})`)
    conn.username = value
  } else if (spec.username !== undefined) {
    conn.username = spec.username
  }
  if (spec.passwordEnv !== undefined) {
    const value = process.env[spec.passwordEnv]
    if (value === undefined) throw new KafkitError(`schema registry password env var ${spec.passwordEnv} is not set (${spec.source})`)
    conn.password = value
  } else if (spec.passwordFile !== undefined) {
    try {
      conn.password = readFileSync(spec.passwordFile, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new KafkitError(`cannot read the schema registry password file ${spec.passwordFile}: ${fileErrorCause(error)}`)
    }
  }
  return conn
}
