import type {KafkitConfig} from '../core/contexts.js'

export interface ContextSummary {
  name: string
  current: boolean
  brokers: string[]
  clientId?: string
  tls: string
  sasl: string
  /** Where the password comes from and whether it is available; never the password itself. */
  password: string
}

export function describeContexts(config: KafkitConfig | undefined, env: NodeJS.ProcessEnv = process.env): ContextSummary[] {
  return Object.entries(config?.contexts ?? {}).map(([name, c]) => ({
    name,
    current: config?.currentContext === name,
    brokers: c.brokers,
    clientId: c.clientId,
    tls: c.tls ? (c.tls.insecure ? 'yes (unverified)' : c.tls.ca ? `ca ${c.tls.ca}` : 'yes') : 'no',
    sasl: c.sasl ? `${c.sasl.mechanism} as ${c.sasl.username}` : 'no',
    password: !c.sasl
      ? '-'
      : c.sasl.passwordEnv
        ? `env ${c.sasl.passwordEnv} (${env[c.sasl.passwordEnv] === undefined ? 'not set' : 'set, redacted'})`
        : `file ${c.sasl.passwordFile} (redacted)`,
  }))
}
