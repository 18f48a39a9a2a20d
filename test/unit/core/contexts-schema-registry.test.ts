import {describe, expect, it} from 'vitest'

import {parseKafkitConfig, resolveSchemaRegistry} from '../../../src/core/contexts.js'

const parse = (registry: string) => parseKafkitConfig(`contexts:\n  prod:\n    brokers: [k:9092]\n    schemaRegistry: ${registry}\n`, 'config.yaml')

describe('a context\'s schemaRegistry', () => {
  it('a URL alone, or url with basic auth (user name or its env var, password from an env var or a file) and a CA', () => {
    expect(parse('http://sr:8081').contexts.prod.schemaRegistry).toEqual({url: 'http://sr:8081'})
    expect(parse('{url: https://sr, username: svc, passwordEnv: SR_PASS, tls: {ca: /ca.pem}}').contexts.prod.schemaRegistry).toEqual({
      url: 'https://sr',
      username: 'svc',
      passwordEnv: 'SR_PASS',
      tls: {ca: '/ca.pem'},
    })
    expect(parse('{url: https://sr, usernameEnv: SR_USER, passwordFile: /secret}').contexts.prod.schemaRegistry).toEqual({url: 'https://sr', usernameEnv: 'SR_USER', passwordFile: '/secret'})
  })

  it.each([
    ['{url: https://sr, username: a, password: x}', 'config.yaml: contexts.prod.schemaRegistry.password: passwords are not stored in the config file; use passwordEnv or passwordFile'],
    ['{url: https://sr, username: a}', 'config.yaml: contexts.prod.schemaRegistry: a user name needs passwordEnv or passwordFile'],
    ['{url: https://sr, passwordEnv: P}', 'config.yaml: contexts.prod.schemaRegistry: a password needs username or usernameEnv'],
    ['{url: https://sr, username: a, passwordEnv: P, passwordFile: /f}', 'config.yaml: contexts.prod.schemaRegistry: set one of passwordEnv, passwordFile'],
    ['{url: ftp://sr}', 'config.yaml: contexts.prod.schemaRegistry.url: expected an http:// or https:// URL, e.g. http://localhost:8081'],
    ['https://u:p@sr', 'config.yaml: contexts.prod.schemaRegistry.url: credentials do not go in the URL: use a context with username and passwordEnv or passwordFile'],
    ['{url: https://sr, tls: {cert: /c}}', 'config.yaml: contexts.prod.schemaRegistry.tls.cert: unknown key (expected ca)'],
    ['{url: https://sr, token: x}', 'config.yaml: contexts.prod.schemaRegistry.token: unknown key (expected url, username, usernameEnv, passwordEnv, passwordFile, tls)'],
  ])('%s is one line', (registry, message) => {
    expect(() => parse(registry)).toThrow(message)
  })

  it('--schema-registry wins; else the context in use; no context, no registry', () => {
    const config = parse('http://sr:8081')
    expect(resolveSchemaRegistry({flagUrl: 'http://other:8081', contextName: 'prod', config})).toEqual({url: 'http://other:8081', source: '--schema-registry'})
    expect(resolveSchemaRegistry({contextName: 'prod', config})).toEqual({url: 'http://sr:8081', source: 'context prod'})
    expect(resolveSchemaRegistry({config})).toBeUndefined()
    expect(() => resolveSchemaRegistry({contextName: 'dev', config})).toThrow('no context named "dev" in the config file (known: prod)')
    expect(() => resolveSchemaRegistry({flagUrl: 'localhost:8081'})).toThrow('--schema-registry: "localhost:8081": expected an http:// or https:// URL')
  })
})
