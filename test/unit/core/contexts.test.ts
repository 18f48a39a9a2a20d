import {describe, expect, it} from 'vitest'

import {parseKafkitConfig, resolveConnection} from '../../../src/core/contexts.js'

const CONFIG = `
currentContext: dev
contexts:
  dev:
    brokers: [127.0.0.1:9092]
  prod:
    brokers: [b1:9093, b2:9093]
    clientId: ops
    tls: {ca: /etc/kafka/ca.pem}
    sasl: {mechanism: SCRAM-SHA-512, username: svc, passwordEnv: KAFKA_PASSWORD}
`

describe('parseKafkitConfig', () => {
  it('reads contexts with TLS and SASL', () => {
    const config = parseKafkitConfig(CONFIG, 'config.yaml')
    expect(config.currentContext).toBe('dev')
    expect(config.contexts.prod).toEqual({
      brokers: ['b1:9093', 'b2:9093'],
      clientId: 'ops',
      tls: {ca: '/etc/kafka/ca.pem', cert: undefined, key: undefined, insecure: undefined},
      sasl: {mechanism: 'scram-sha-512', username: 'svc', passwordEnv: 'KAFKA_PASSWORD', passwordFile: undefined},
    })
  })

  it.each([
    ['contexts: {a: {brokers: [nope]}}', 'config.yaml: contexts.a.brokers: expected a list of host:port'],
    ['contexts: {a: {brokers: [h:1], sasl: {mechanism: plain, username: u, password: hunter2}}}', 'config.yaml: contexts.a.sasl.password: passwords are not stored in the config file; use passwordEnv or passwordFile'],
    ['contexts: {a: {brokers: [h:1], sasl: {mechanism: gssapi, username: u, passwordEnv: P}}}', 'config.yaml: contexts.a.sasl.mechanism: expected one of plain, scram-sha-256, scram-sha-512, oauthbearer'],
    ['contexts: {a: {brokers: [h:1], sasl: {mechanism: plain, username: u}}}', 'config.yaml: contexts.a.sasl: set exactly one of passwordEnv, passwordFile'],
    ['contexts: {a: {brokers: [h:1], tls: {cert: c.pem}}}', 'config.yaml: contexts.a.tls: cert and key go together'],
    ['contexts: {a: {brokerz: [h:1]}}', 'config.yaml: contexts.a.brokerz: unknown key (expected brokers, clientId, tls, sasl, schemaRegistry)'],
    ['currentContext: b\ncontexts: {a: {brokers: [h:1]}}', 'config.yaml: currentContext: no context named "b"'],
    ['contexts: [', 'config.yaml:1:12: Flow sequence'],
  ])('rejects %j', (text, message) => {
    expect(() => parseKafkitConfig(text, 'config.yaml')).toThrow(message)
  })
})

describe('parseKafkitConfig: sasl oauthbearer', () => {
  const ctx = (sasl: string) => parseKafkitConfig(`contexts: {a: {brokers: [h:1], sasl: ${sasl}}}`, 'config.yaml').contexts.a.sasl

  it('reads a token command (a command line or a list), a token file, or the client-credentials grant', () => {
    expect(ctx('{mechanism: OAUTHBEARER, tokenCommand: "gcloud auth print-access-token"}')).toEqual({mechanism: 'oauthbearer', tokenCommand: 'gcloud auth print-access-token'})
    expect(ctx('{mechanism: oauthbearer, tokenCommand: [/usr/bin/get-token, --audience, kafka, --ttl, 3600]}')).toEqual({mechanism: 'oauthbearer', tokenCommand: ['/usr/bin/get-token', '--audience', 'kafka', '--ttl', '3600']})
    expect(ctx('{mechanism: oauthbearer, tokenFile: /var/run/secrets/kafka/token}')).toEqual({mechanism: 'oauthbearer', tokenFile: '/var/run/secrets/kafka/token'})
    expect(ctx('{mechanism: oauthbearer, tokenEndpoint: "https://idp.example.com/oauth2/token", clientId: kafkit, clientSecretEnv: KAFKA_CLIENT_SECRET, scope: kafka}')).toEqual({
      mechanism: 'oauthbearer',
      tokenEndpoint: 'https://idp.example.com/oauth2/token',
      clientId: 'kafkit',
      clientSecretEnv: 'KAFKA_CLIENT_SECRET',
      scope: 'kafka',
    })
    expect(ctx('{mechanism: oauthbearer, tokenEndpoint: "http://127.0.0.1:8080/token", clientId: c, clientSecretFile: /run/secret}')).toMatchObject({clientSecretFile: '/run/secret'})
  })

  it.each([
    ['{mechanism: oauthbearer}', 'config.yaml: contexts.a.sasl: set exactly one of tokenCommand, tokenFile, tokenEndpoint'],
    ['{mechanism: oauthbearer, tokenFile: /t, tokenCommand: x}', 'config.yaml: contexts.a.sasl: set exactly one of tokenCommand, tokenFile, tokenEndpoint (found tokenCommand, tokenFile)'],
    ['{mechanism: oauthbearer, token: eyJhbGciOi}', 'config.yaml: contexts.a.sasl.token: tokens are not stored in the config file; use tokenFile or tokenCommand'],
    ['{mechanism: oauthbearer, tokenEndpoint: "https://idp/t", clientId: c, clientSecret: s3cr3t}', 'config.yaml: contexts.a.sasl.clientSecret: secrets are not stored in the config file; use clientSecretEnv or clientSecretFile'],
    ['{mechanism: oauthbearer, tokenFile: /t, username: u}', 'config.yaml: contexts.a.sasl.username: not used with mechanism oauthbearer (it takes tokenCommand, tokenFile or tokenEndpoint)'],
    ['{mechanism: oauthbearer, tokenFile: /t, audience: kafka}', 'config.yaml: contexts.a.sasl.audience: unknown key (expected mechanism, tokenCommand, tokenFile, tokenEndpoint, clientId, clientSecretEnv, clientSecretFile, scope)'],
    ['{mechanism: oauthbearer, tokenFile: /t, clientId: c}', 'config.yaml: contexts.a.sasl.clientId: only with tokenEndpoint (the client-credentials grant)'],
    ['{mechanism: oauthbearer, tokenFile: ""}', 'config.yaml: contexts.a.sasl.tokenFile: expected a file path'],
    ['{mechanism: oauthbearer, tokenCommand: "  "}', 'config.yaml: contexts.a.sasl.tokenCommand: expected a command line (run with /bin/sh -c) or a list [program, args...]'],
    ['{mechanism: oauthbearer, tokenCommand: [get-token, {a: 1}]}', 'config.yaml: contexts.a.sasl.tokenCommand: expected a command line (run with /bin/sh -c) or a list [program, args...]'],
    ['{mechanism: oauthbearer, tokenEndpoint: "idp.example.com/token", clientId: c, clientSecretEnv: S}', 'config.yaml: contexts.a.sasl.tokenEndpoint: expected an https:// URL'],
    ['{mechanism: oauthbearer, tokenEndpoint: "http://idp.example.com/token", clientId: c, clientSecretEnv: S}', 'config.yaml: contexts.a.sasl.tokenEndpoint: the client secret is sent there: use https:// (http:// only for localhost)'],
    ['{mechanism: oauthbearer, tokenEndpoint: "https://idp/t", clientSecretEnv: S}', 'config.yaml: contexts.a.sasl.clientId: expected the OAuth client id (tokenEndpoint needs clientId and clientSecretEnv or clientSecretFile)'],
    ['{mechanism: oauthbearer, tokenEndpoint: "https://idp/t", clientId: c}', 'config.yaml: contexts.a.sasl: set exactly one of clientSecretEnv, clientSecretFile'],
    ['{mechanism: oauthbearer, tokenEndpoint: "https://idp/t", clientId: c, clientSecretEnv: S, scope: [a, b]}', 'config.yaml: contexts.a.sasl.scope: expected a string (scopes separated by spaces)'],
    ['{mechanism: scram-sha-512, username: u, passwordEnv: P, tokenFile: /t}', 'config.yaml: contexts.a.sasl.tokenFile: only with mechanism: oauthbearer'],
    ['{mechanism: plain, username: u, passwordEnv: 7}', 'config.yaml: contexts.a.sasl.passwordEnv: expected an env var name'],
  ])('rejects %s', (sasl, message) => {
    expect(() => ctx(sasl)).toThrow(message)
  })
})

describe('resolveConnection precedence: flag > env > context > default', () => {
  const config = parseKafkitConfig(CONFIG, 'config.yaml')
  it('flag wins over everything', () => {
    expect(resolveConnection({flagBrokers: 'f:1', envBrokers: 'e:1', config})).toMatchObject({brokers: ['f:1'], source: '--bootstrap-server'})
  })
  it('env wins over the current context', () => {
    expect(resolveConnection({envBrokers: 'e:1,e:2', config})).toMatchObject({brokers: ['e:1', 'e:2'], source: 'KAFKA_BOOTSTRAP_SERVERS'})
  })
  it('an explicit --context wins over the env var', () => {
    expect(resolveConnection({envBrokers: 'e:1', contextName: 'prod', config})).toMatchObject({brokers: ['b1:9093', 'b2:9093'], source: 'context prod', clientId: 'ops'})
  })
  it('the current context applies when nothing else is given', () => {
    expect(resolveConnection({config})).toMatchObject({brokers: ['127.0.0.1:9092'], source: 'context dev'})
  })
  it('localhost:9092 is the last resort', () => {
    expect(resolveConnection({})).toMatchObject({brokers: ['localhost:9092'], source: 'default', clientId: 'kafkit'})
  })
  it('names unknown contexts and bad addresses', () => {
    expect(() => resolveConnection({contextName: 'staging', config, configFile: 'c.yaml'})).toThrow('no context named "staging" in c.yaml (known: dev, prod)')
    expect(() => resolveConnection({flagBrokers: 'localhost'})).toThrow('--bootstrap-server: "localhost" is not host:port')
  })
})
