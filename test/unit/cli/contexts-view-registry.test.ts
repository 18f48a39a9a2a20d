import {describe, expect, it} from 'vitest'

import {describeContexts, renderContextList} from '../../../src/cli/contexts-view.js'
import {parseKafkitConfig} from '../../../src/core/contexts.js'

describe('context list with a schemaRegistry', () => {
  const config = parseKafkitConfig(
    'contexts:\n  dev:\n    brokers: [k:9092]\n    schemaRegistry: {url: "https://sr", username: svc, passwordEnv: SR_PASS}\n  plain:\n    brokers: [k:9092]\n',
    'config.yaml',
  )

  it('shows the URL and whose credentials from where, never the password; the column only when a context has one', () => {
    const contexts = describeContexts(config, {SR_PASS: 'secret'})
    expect(contexts.map((c) => c.schemaRegistry)).toEqual(['https://sr (as svc, password env SR_PASS (set, redacted))', undefined])
    const table = renderContextList({file: 'config.yaml', contexts})
    expect(table.split('\n')[0]).toMatch(/SCHEMA-REGISTRY$/)
    expect(table).not.toContain('secret')
    const without = renderContextList({file: 'config.yaml', contexts: contexts.slice(1)})
    expect(without.split('\n')[0]).toMatch(/PASSWORD$/)
  })
})
