/**
 * Named connection settings ("contexts") from kafkit's config file, and the precedence rule
 * flag > KAFKA_BOOTSTRAP_SERVERS > current context > localhost:9092. Pure: the caller reads
 * the file and the environment.
 */
import {KafkitError} from '../errors.js'
import {yamlLibrary} from './lazy-yaml.js'

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'oauthbearer'

/** The password comes from an env var or a file, never from the config file or command line. */
export interface PasswordSasl {
  mechanism: Exclude<SaslMechanism, 'oauthbearer'>
  username: string
  passwordEnv?: string
  passwordFile?: string
}

/**
 * SASL/OAUTHBEARER: the token comes from exactly one of a command kafkit runs, a file, or the
 * OAuth 2 client-credentials grant at tokenEndpoint (client secret from an env var or a file).
 */
export interface OAuthBearerSasl {
  mechanism: 'oauthbearer'
  /** A string runs with /bin/sh -c; a list runs as [program, ...args] without a shell. */
  tokenCommand?: string | string[]
  tokenFile?: string
  tokenEndpoint?: string
  clientId?: string
  clientSecretEnv?: string
  clientSecretFile?: string
  scope?: string
}

export type SaslSpec = PasswordSasl | OAuthBearerSasl

/**
 * A Confluent-API Schema Registry: its URL, basic auth (user name literal or from an env var, the
 * password from an env var or a file, never the config file) and the CA of its certificate.
 */
export interface SchemaRegistrySpec {
  url: string
  username?: string
  usernameEnv?: string
  passwordEnv?: string
  passwordFile?: string
  tls?: {ca?: string}
}

export interface ContextSpec {
  brokers: string[]
  clientId?: string
  tls?: {ca?: string; cert?: string; key?: string; insecure?: boolean}
  sasl?: SaslSpec
  schemaRegistry?: SchemaRegistrySpec
}

export interface KafkitConfig {
  currentContext?: string
  contexts: Record<string, ContextSpec>
}

export interface ConnectionSettings {
  brokers: string[]
  /** Where the brokers came from, for error messages: "--bootstrap-server", "context prod", ... */
  source: string
  contextName?: string
  clientId: string
  tls?: ContextSpec['tls']
  sasl?: ContextSpec['sasl']
}

export const DEFAULT_BOOTSTRAP = 'localhost:9092'
const SASL_MECHANISMS: SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer']
const PASSWORD_KEYS = ['mechanism', 'username', 'passwordEnv', 'passwordFile']
const OAUTH_KEYS = ['mechanism', 'tokenCommand', 'tokenFile', 'tokenEndpoint', 'clientId', 'clientSecretEnv', 'clientSecretFile', 'scope']

/** host:port with a port a socket can use (1-65535; a larger one reached Node's socket as a RangeError). */
function isHostPort(broker: unknown): boolean {
  const m = typeof broker === 'string' ? /^[^:\s]+:(\d{1,5})$/.exec(broker) : null
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65_535
}

export function splitBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
}

function fail(file: string, where: string, message: string): never {
  throw new KafkitError(`${file}: ${where}: ${message}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Parses the config file text; every problem is one line naming the file and the field. */
export function parseKafkitConfig(text: string, file: string): KafkitConfig {
  const doc = yamlLibrary().parseDocument(text, {logLevel: 'error'})
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const pos = e.linePos?.[0]
    throw new KafkitError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`)
  }
  const raw = doc.toJS() ?? {}
  if (!isRecord(raw)) fail(file, 'top level', 'expected a mapping with currentContext and contexts')
  const known = new Set(['currentContext', 'contexts'])
  for (const key of Object.keys(raw)) if (!known.has(key)) fail(file, key, 'unknown key (expected currentContext, contexts)')
  const contexts: Record<string, ContextSpec> = {}
  const rawContexts = raw.contexts ?? {}
  if (!isRecord(rawContexts)) fail(file, 'contexts', 'expected a mapping of context name to settings')
  for (const [name, value] of Object.entries(rawContexts)) {
    contexts[name] = parseContext(value, file, `contexts.${name}`)
  }
  const currentContext = raw.currentContext
  if (currentContext !== undefined && typeof currentContext !== 'string') fail(file, 'currentContext', 'expected a context name')
  if (currentContext !== undefined && !contexts[currentContext]) {
    fail(file, 'currentContext', `no context named "${currentContext}"`)
  }
  return {currentContext, contexts}
}

function parseContext(value: unknown, file: string, where: string): ContextSpec {
  if (!isRecord(value)) fail(file, where, 'expected a mapping with brokers')
  const allowed = new Set(['brokers', 'clientId', 'tls', 'sasl', 'schemaRegistry'])
  for (const key of Object.keys(value)) if (!allowed.has(key)) fail(file, `${where}.${key}`, 'unknown key (expected brokers, clientId, tls, sasl, schemaRegistry)')
  const brokers = typeof value.brokers === 'string' ? splitBrokers(value.brokers) : value.brokers
  if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every(isHostPort)) {
    fail(file, `${where}.brokers`, 'expected a list of host:port (port 1-65535)')
  }
  const spec: ContextSpec = {brokers: brokers as string[]}
  if (value.clientId !== undefined) {
    if (typeof value.clientId !== 'string') fail(file, `${where}.clientId`, 'expected a string')
    spec.clientId = value.clientId
  }
  if (value.tls !== undefined) {
    if (value.tls === true) spec.tls = {}
    else if (!isRecord(value.tls)) fail(file, `${where}.tls`, 'expected true or a mapping with ca, cert, key, insecure')
    else {
      for (const key of Object.keys(value.tls)) {
        if (!['ca', 'cert', 'key', 'insecure'].includes(key)) fail(file, `${where}.tls.${key}`, 'unknown key (expected ca, cert, key, insecure)')
      }
      const {ca, cert, key, insecure} = value.tls
      for (const [k, v] of Object.entries({ca, cert, key})) {
        if (v !== undefined && typeof v !== 'string') fail(file, `${where}.tls.${k}`, 'expected a file path')
      }
      if (insecure !== undefined && typeof insecure !== 'boolean') fail(file, `${where}.tls.insecure`, 'expected true or false')
      if ((cert === undefined) !== (key === undefined)) fail(file, `${where}.tls`, 'cert and key go together')
      spec.tls = {ca: ca as string | undefined, cert: cert as string | undefined, key: key as string | undefined, insecure: insecure as boolean | undefined}
    }
  }
  if (value.sasl !== undefined) spec.sasl = parseSasl(value.sasl, file, `${where}.sasl`)
  if (value.schemaRegistry !== undefined) spec.schemaRegistry = parseSchemaRegistry(value.schemaRegistry, file, `${where}.schemaRegistry`)
  return spec
}

const REGISTRY_KEYS = ['url', 'username', 'usernameEnv', 'passwordEnv', 'passwordFile', 'tls']

function parseSchemaRegistry(r: unknown, file: string, where: string): SchemaRegistrySpec {
  if (typeof r === 'string') r = {url: r}
  if (!isRecord(r)) fail(file, where, 'expected a URL or a mapping with url (and username or usernameEnv, passwordEnv or passwordFile, tls.ca)')
  for (const key of Object.keys(r)) {
    if (key === 'password') fail(file, `${where}.password`, 'passwords are not stored in the config file; use passwordEnv or passwordFile')
    if (!REGISTRY_KEYS.includes(key)) fail(file, `${where}.${key}`, `unknown key (expected ${REGISTRY_KEYS.join(', ')})`)
  }
  const problem = registryUrlProblem(r.url)
  if (problem !== undefined) fail(file, `${where}.url`, problem)
  const spec: SchemaRegistrySpec = {url: r.url as string}
  if (r.username !== undefined && r.usernameEnv !== undefined) fail(file, where, 'set one of username, usernameEnv')
  nonEmptyString(r, 'username', file, where, 'a user name')
  nonEmptyString(r, 'usernameEnv', file, where, 'an env var name')
  nonEmptyString(r, 'passwordEnv', file, where, 'an env var name')
  nonEmptyString(r, 'passwordFile', file, where, 'a file path')
  const user = r.username !== undefined || r.usernameEnv !== undefined
  const password = r.passwordEnv !== undefined || r.passwordFile !== undefined
  if (r.passwordEnv !== undefined && r.passwordFile !== undefined) fail(file, where, 'set one of passwordEnv, passwordFile')
  if (user !== password) fail(file, where, user ? 'a user name needs passwordEnv or passwordFile' : 'a password needs username or usernameEnv')
  for (const key of ['username', 'usernameEnv', 'passwordEnv', 'passwordFile'] as const) if (r[key] !== undefined) spec[key] = r[key] as string
  if (r.tls !== undefined) {
    if (!isRecord(r.tls)) fail(file, `${where}.tls`, 'expected a mapping with ca')
    for (const key of Object.keys(r.tls)) if (key !== 'ca') fail(file, `${where}.tls.${key}`, 'unknown key (expected ca)')
    nonEmptyString(r.tls, 'ca', file, `${where}.tls`, 'a file path')
    spec.tls = {ca: r.tls.ca as string | undefined}
  }
  return spec
}

/** Why a registry URL cannot be used, or undefined: http(s), no credentials in it (they end up in shell history). */
export function registryUrlProblem(raw: unknown): string | undefined {
  let url: URL | undefined
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return 'expected an http:// or https:// URL, e.g. http://localhost:8081'
  if (url.username !== '' || url.password !== '') return 'credentials do not go in the URL: use a context with username and passwordEnv or passwordFile'
  return undefined
}

/**
 * Where the registry comes from: --schema-registry, else the schemaRegistry of the context in use
 * (the caller's: a command given brokers by flag or env var uses no context unless --context).
 */
export function resolveSchemaRegistry(input: {flagUrl?: string; contextName?: string; config?: KafkitConfig}): (SchemaRegistrySpec & {source: string}) | undefined {
  if (input.flagUrl !== undefined) {
    const problem = registryUrlProblem(input.flagUrl)
    if (problem !== undefined) throw new KafkitError(`--schema-registry: "${input.flagUrl}": ${problem}`, {code: 'INVALID_FLAG'})
    return {url: input.flagUrl, source: '--schema-registry'}
  }
  const name = input.contextName
  if (name !== undefined && input.config?.contexts[name] === undefined) {
    const known = Object.keys(input.config?.contexts ?? {})
    throw new KafkitError(`no context named "${name}" in the config file${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`)
  }
  const spec = name === undefined ? undefined : input.config?.contexts[name]?.schemaRegistry
  return spec === undefined ? undefined : {...spec, source: `context ${name}`}
}

function parseSasl(s: unknown, file: string, where: string): SaslSpec {
  if (!isRecord(s)) fail(file, where, 'expected a mapping with mechanism, and username + passwordEnv or passwordFile, or (oauthbearer) tokenCommand, tokenFile or tokenEndpoint')
  const mechanism = String(s.mechanism ?? '').toLowerCase() as SaslMechanism
  if (mechanism === 'oauthbearer') return parseOAuthBearer(s, file, where)
  for (const key of Object.keys(s)) {
    if (key === 'password') fail(file, `${where}.password`, 'passwords are not stored in the config file; use passwordEnv or passwordFile')
    if (OAUTH_KEYS.includes(key) && !PASSWORD_KEYS.includes(key)) fail(file, `${where}.${key}`, 'only with mechanism: oauthbearer')
    if (!PASSWORD_KEYS.includes(key)) fail(file, `${where}.${key}`, 'unknown key')
  }
  if (!SASL_MECHANISMS.includes(mechanism)) fail(file, `${where}.mechanism`, `expected one of ${SASL_MECHANISMS.join(', ')}`)
  if (typeof s.username !== 'string' || s.username === '') fail(file, `${where}.username`, 'expected a user name')
  if ((s.passwordEnv === undefined) === (s.passwordFile === undefined)) fail(file, where, 'set exactly one of passwordEnv, passwordFile')
  nonEmptyString(s, 'passwordEnv', file, where, 'an env var name')
  nonEmptyString(s, 'passwordFile', file, where, 'a file path')
  return {
    mechanism: mechanism as PasswordSasl['mechanism'],
    username: s.username,
    passwordEnv: s.passwordEnv as string | undefined,
    passwordFile: s.passwordFile as string | undefined,
  }
}

function nonEmptyString(s: Record<string, unknown>, key: string, file: string, where: string, what: string): void {
  if (s[key] !== undefined && (typeof s[key] !== 'string' || s[key] === '')) fail(file, `${where}.${key}`, `expected ${what}`)
}

/** A token endpoint gets the client secret: https, or http only to this machine (a local stand-in). */
function checkTokenEndpoint(raw: unknown, file: string, where: string): string {
  let url: URL | undefined
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) fail(file, `${where}.tokenEndpoint`, 'expected an https:// URL')
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol === 'http:' && !local) fail(file, `${where}.tokenEndpoint`, 'the client secret is sent there: use https:// (http:// only for localhost)')
  return raw as string
}

function parseOAuthBearer(s: Record<string, unknown>, file: string, where: string): OAuthBearerSasl {
  for (const key of Object.keys(s)) {
    if (key === 'token' || key === 'accessToken') fail(file, `${where}.${key}`, 'tokens are not stored in the config file; use tokenFile or tokenCommand')
    if (key === 'clientSecret') fail(file, `${where}.clientSecret`, 'secrets are not stored in the config file; use clientSecretEnv or clientSecretFile')
    if (PASSWORD_KEYS.includes(key) && !OAUTH_KEYS.includes(key)) fail(file, `${where}.${key}`, 'not used with mechanism oauthbearer (it takes tokenCommand, tokenFile or tokenEndpoint)')
    if (!OAUTH_KEYS.includes(key)) fail(file, `${where}.${key}`, `unknown key (expected ${OAUTH_KEYS.join(', ')})`)
  }
  const sources = ['tokenCommand', 'tokenFile', 'tokenEndpoint'].filter((k) => s[k] !== undefined)
  if (sources.length !== 1) fail(file, where, `set exactly one of tokenCommand, tokenFile, tokenEndpoint${sources.length > 1 ? ` (found ${sources.join(', ')})` : ''}`)
  const spec: OAuthBearerSasl = {mechanism: 'oauthbearer'}
  if (s.tokenCommand !== undefined) {
    // A list's numbers and booleans are arguments too ([get-token, --ttl, 3600]).
    const raw = s.tokenCommand
    const cmd = Array.isArray(raw) && raw.every((a) => ['string', 'number', 'boolean'].includes(typeof a)) ? raw.map(String) : raw
    const ok = (typeof cmd === 'string' && cmd.trim() !== '') || (Array.isArray(cmd) && cmd.length > 0 && cmd.every((a) => typeof a === 'string') && cmd[0] !== '')
    if (!ok) fail(file, `${where}.tokenCommand`, 'expected a command line (run with /bin/sh -c) or a list [program, args...]')
    spec.tokenCommand = cmd as string | string[]
  }
  if (s.tokenFile !== undefined) {
    nonEmptyString(s, 'tokenFile', file, where, 'a file path')
    spec.tokenFile = s.tokenFile as string
  }
  const clientKeys = ['clientId', 'clientSecretEnv', 'clientSecretFile', 'scope']
  if (s.tokenEndpoint === undefined) {
    const stray = clientKeys.find((k) => s[k] !== undefined)
    if (stray) fail(file, `${where}.${stray}`, 'only with tokenEndpoint (the client-credentials grant)')
    return spec
  }
  spec.tokenEndpoint = checkTokenEndpoint(s.tokenEndpoint, file, where)
  if (typeof s.clientId !== 'string' || s.clientId === '') fail(file, `${where}.clientId`, 'expected the OAuth client id (tokenEndpoint needs clientId and clientSecretEnv or clientSecretFile)')
  if ((s.clientSecretEnv === undefined) === (s.clientSecretFile === undefined)) fail(file, where, 'set exactly one of clientSecretEnv, clientSecretFile')
  nonEmptyString(s, 'clientSecretEnv', file, where, 'an env var name')
  nonEmptyString(s, 'clientSecretFile', file, where, 'a file path')
  if (s.scope !== undefined && typeof s.scope !== 'string') fail(file, `${where}.scope`, 'expected a string (scopes separated by spaces)')
  spec.clientId = s.clientId
  if (s.clientSecretEnv !== undefined) spec.clientSecretEnv = s.clientSecretEnv as string
  if (s.clientSecretFile !== undefined) spec.clientSecretFile = s.clientSecretFile as string
  if (s.scope !== undefined) spec.scope = s.scope as string
  return spec
}

/** flag > KAFKA_BOOTSTRAP_SERVERS > --context / current context > localhost:9092. */
export function resolveConnection(input: {
  flagBrokers?: string
  envBrokers?: string
  contextName?: string
  config?: KafkitConfig
  configFile?: string
}): ConnectionSettings {
  const {config} = input
  const contextName = input.contextName ?? config?.currentContext
  let context: ContextSpec | undefined
  if (contextName !== undefined) {
    context = config?.contexts[contextName]
    if (!context) {
      const known = Object.keys(config?.contexts ?? {})
      throw new KafkitError(
        `no context named "${contextName}" in ${input.configFile ?? 'the config file'}` +
          (known.length > 0 ? ` (known: ${known.join(', ')})` : ''),
      )
    }
  }
  const base = {
    clientId: context?.clientId ?? 'kafkit',
    tls: context?.tls,
    sasl: context?.sasl,
    contextName: input.contextName !== undefined || (!input.flagBrokers && !input.envBrokers) ? contextName : undefined,
  }
  if (input.flagBrokers) return {...base, brokers: checkBrokers(input.flagBrokers, '--bootstrap-server'), source: '--bootstrap-server'}
  if (input.envBrokers && input.contextName === undefined) {
    return {...base, brokers: checkBrokers(input.envBrokers, 'KAFKA_BOOTSTRAP_SERVERS'), source: 'KAFKA_BOOTSTRAP_SERVERS'}
  }
  if (context) return {...base, brokers: context.brokers, source: `context ${contextName}`}
  return {...base, brokers: [DEFAULT_BOOTSTRAP], source: 'default'}
}

function checkBrokers(list: string, source: string): string[] {
  const brokers = splitBrokers(list)
  const bad = brokers.find((b) => !isHostPort(b))
  if (brokers.length === 0 || bad !== undefined) {
    throw new KafkitError(`${source}: "${bad ?? list}" is not host:port (port 1-65535)`, {hint: 'e.g. --bootstrap-server 127.0.0.1:9092'})
  }
  return brokers
}
