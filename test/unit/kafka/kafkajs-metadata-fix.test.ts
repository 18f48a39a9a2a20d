import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'

import {describe, expect, it} from 'vitest'

import {METADATA_REFRESH_PATCHES} from '../../../src/kafka/kafkajs-metadata-fix.js'

const require = createRequire(import.meta.url)

// The patches are string replacements in kafkajs 2.2.4's sources (pinned in package.json); the
// Metadata request counts they save are checked against a real broker in topics-basics.test.ts.
describe('kafkajs metadata patches', () => {
  it.each(METADATA_REFRESH_PATCHES.map((p) => [p.file, p] as const))('%s: the replaced text occurs exactly once and the result still parses', (file, patch) => {
    expect((require('kafkajs/package.json') as {version: string}).version).toBe('2.2.4')
    const source = readFileSync(require.resolve(`kafkajs/src/${file}`), 'utf8')
    expect(source.split(patch.from)).toHaveLength(2)
    const patched = source.replace(patch.from, patch.to)
    expect(patched).not.toBe(source)
    // Compiles as the CommonJS module it replaces (a syntax error would surface only at run time).
    expect(() => new Function('exports', 'require', 'module', '__filename', '__dirname', patched)).not.toThrow()
  })
})
