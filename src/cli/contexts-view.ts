import type {KafkitConfig, OAuthBearerSasl, SchemaRegistrySpec} from '../core/contexts.js'
import {renderTable} from './render.js'

export interface ContextSummary {
  name: string
  current: boolean
  brokers: string[]
  clientId?: string
  tls: string
  sasl: string
  /** Where the password comes from and whether it is available; never the password itself. */
  password: string
  /** The Schema Registry URL, and whose credentials from where (never the password). */
  schemaRegistry?: string
}

export function describeContexts(config: KafkitConfig | undefined, env: NodeJS.ProcessEnv = process.env): ContextSummary[] {
  return Object.entries(config?.contexts ?? {}).map(([name, c]) => ({
    name,
    current: config?.currentContext === name,
    brokers: c.brokers,
    clientId: c.clientId,
    tls: c.tls ? (c.tls.insecure ? 'yes (unverified)' : c.tls.ca ? `ca ${c.tls.ca}` : 'yes') : 'no',
    sasl: !c.sasl ? 'no' : c.sasl.mechanism === 'oauthbearer' ? oauthLabel(c.sasl) : `${c.sasl.mechanism} as ${c.sasl.username}`,
    password: !c.sasl
      ? '-'
      : c.sasl.mechanism === 'oauthbearer'
        ? oauthSecret(c.sasl, env)
        : c.sasl.passwordEnv
          ? `env ${c.sasl.passwordEnv} (${env[c.sasl.passwordEnv] === undefined ? 'not set' : 'set, redacted'})`
          : `file ${c.sasl.passwordFile} (redacted)`,
    ...(c.schemaRegistry ? {schemaRegistry: registryLabel(c.schemaRegistry, env)} : {}),
  }))
}

function registryLabel(r: SchemaRegistrySpec, env: NodeJS.ProcessEnv): string {
  const user = r.username ?? (r.usernameEnv ? `env ${r.usernameEnv}` : undefined)
  if (user === undefined) return r.url
  const password = r.passwordEnv ? `password env ${r.passwordEnv} (${env[r.passwordEnv] === undefined ? 'not set' : 'set, redacted'})` : `password file ${r.passwordFile} (redacted)`
  return `${r.url} (as ${user}, ${password})`
}

function oauthLabel(s: OAuthBearerSasl): string {
  if (s.tokenEndpoint) return `oauthbearer as ${s.clientId} via ${s.tokenEndpoint}`
  return s.tokenFile ? 'oauthbearer, token file' : 'oauthbearer, token command'
}

/** Where the token or client secret comes from; never the command line itself (it may hold a secret). */
function oauthSecret(s: OAuthBearerSasl, env: NodeJS.ProcessEnv): string {
  if (s.tokenFile) return `token file ${s.tokenFile} (redacted)`
  if (s.tokenCommand) return 'token command (run at connect)'
  if (s.clientSecretEnv) return `client secret env ${s.clientSecretEnv} (${env[s.clientSecretEnv] === undefined ? 'not set' : 'set, redacted'})`
  return `client secret file ${s.clientSecretFile} (redacted)`
}

export interface ContextListing {
  file: string
  currentContext?: string
  contexts: ContextSummary[]
}

/** `context list` for people: a row a context, the current one starred. */
export function renderContextList(r: ContextListing): string {
  return r.contexts.length === 0
    ? `no contexts in ${r.file}`
    : r.contexts.some((c) => c.schemaRegistry !== undefined)
      ? renderTable(
          ['CURRENT', 'NAME', 'BROKERS', 'TLS', 'SASL', 'PASSWORD', 'SCHEMA-REGISTRY'],
          r.contexts.map((c) => [c.current ? '*' : ' ', c.name, c.brokers.join(','), c.tls, c.sasl, c.password, c.schemaRegistry ?? '-']),
        )
      : renderTable(
          ['CURRENT', 'NAME', 'BROKERS', 'TLS', 'SASL', 'PASSWORD'],
          r.contexts.map((c) => [c.current ? '*' : ' ', c.name, c.brokers.join(','), c.tls, c.sasl, c.password]),
        )
}
