import {readdirSync, readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'
import {isSeq, LineCounter, parseDocument} from 'yaml'

import {parseYamlSubset} from '../../../src/core/yaml-subset.js'
import {mutateYaml, rng} from '../../fuzz-cases.js'

const EXAMPLE = readFileSync(new URL('../../../topics.yaml', import.meta.url), 'utf8')
const FIXTURES = new URL('../../fixtures/topics/', import.meta.url)
const fixtures = readdirSync(FIXTURES).map((name) => ({name, text: readFileSync(new URL(name, FIXTURES), 'utf8')}))

/**
 * The fast reader either declines (undefined) or agrees with the yaml library exactly: no
 * errors or warnings there, the same data (key order and -0 included) and the same offset
 * of every entry of `topics`. Returns whether it took the document.
 */
function agrees(text: string, label: string): boolean {
  const subset = parseYamlSubset(text)
  if (subset === undefined) return false
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, logLevel: 'silent'})
  const context = `${label}\n--- document ---\n${text}`
  expect(doc.errors.map((e) => e.message), context).toEqual([])
  expect(doc.warnings.map((e) => e.message), context).toEqual([])
  const data = doc.toJS()
  expect(subset.data, context).toStrictEqual(data)
  expect(JSON.stringify(subset.data), context).toBe(JSON.stringify(data))
  const topics = doc.get('topics', true)
  const offsets = isSeq(topics) ? topics.items.map((item) => (item as {range?: number[]} | null)?.range?.[0]) : []
  expect(subset.topicOffsets, context).toEqual(offsets)
  for (const offset of [0, Math.floor(text.length / 2), Math.max(0, text.length - 1), ...subset.topicOffsets]) {
    expect(subset.linePos(offset), `${context}\noffset ${offset}`).toEqual(lineCounter.linePos(offset))
  }
  return true
}

describe('the fast YAML reader agrees with the yaml library or declines', () => {
  it('takes the repository example and the valid fixtures', () => {
    expect(agrees(EXAMPLE, 'topics.yaml')).toBe(true)
    for (const {name, text} of fixtures.filter((f) => f.name.startsWith('valid-') || f.name === 'missing-counts.yaml')) {
      expect(agrees(text, name), name).toBe(true)
    }
  })

  it('on every fixture', () => {
    for (const {name, text} of fixtures) agrees(text, name)
  })

  it.each([
    ['empty value', 'a:\nb: 1\n'],
    ['empty value at the end', 'a: 1\nb:'],
    ['nested block sequence and map', 'topics:\n  - name: a.b.c\n    partitions: 3\n  - name: x\n    config:\n      retention.ms: 7d\n'],
    ['compact sequence under a key', 'topics:\n- name: a\n  partitions: 1\n- name: b\nversion: 1\n'],
    ['item on the next line', 'topics:\n  -\n    name: a\n  -\n  - null\n'],
    ['flow collections', 'defaults: {partitions: 6, config: {min.insync.replicas: 2, cleanup.policy: [compact, delete]}}\ntopics: [{name: a}, {name: b, partitions: 2}]\n'],
    ['flow trailing comma and JSON style', 'a: {b: 1,}\nc: {"d":1, \'e\': [ ]}\nf: {}\n'],
    ['scalars of the core schema', 'a: 12345678901234567890\nb: 1.5\nc: 007\nd: -0\ne: 1e3\nf: +5\ng: ~\nh: Null\ni: TRUE\nj: False\nk: .5\nl: 5.\nm: -1\nn: 1_000\no: 0.5e-3\n'],
    ['strings that look like something else', 'a: 7d\nb: 1GiB\nc: no\nd: yes\ne: on\nf: 0x\ng: 1.2.3\nh: -x\ni: a:b\nj: a#b\nk: b[1]\nl: "x: y"\n'],
    ['quoted scalars', 'a: "x\\"y\\\\z\\n\\t\\/"\nb: \'it\'\'s\'\n"c d": 1\n\'e\': 2\nf: \'\'\ng: ""\n'],
    ['comments everywhere', '# head\na: 1 # one\n  # indented comment\nb:   # before block\n  - x # item\n# between\n  - y\n#tail'],
    ['quoted pattern', "policy:\n  naming: {pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+){2}$', severity: error}\n"],
    ['environments', 'environments:\n  dev:\n    defaults: {replicationFactor: 1}\n    topics:\n      orders.payment.completed: {partitions: 3}\n'],
    ['unicode', 'topics:\n  - name: caf\u00e9.\u4e2d.x\n'],
    ['keys with spaces and dots', 'a b: 1\nmin.insync.replicas: 2\nx  : 3\n'],
    ['no final newline', 'a: [1, 2]'],
    ['deep nesting', 'a:\n  b:\n    c:\n      - d: 1\n        e:\n          - f\n'],
  ])('%s', (label, text) => {
    expect(agrees(text, label), label).toBe(true)
  })

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['block scalar', 'a: |\n  text\n'],
    ['multi-line plain scalar', 'a: one\n  two\n'],
    ['multi-line flow', 'a: {b: 1,\n  c: 2}\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['duplicate keys, quoted', 'a: 1\n"a": 2\n'],
    ['tabs', 'a:\t1\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['document markers', '---\na: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a list at the root', '- a\n- b\n'],
    ['a scalar at the root', 'hello\n'],
    ['an empty document', '# nothing\n'],
    ['nested mappings on one line', 'a: b: c\n'],
    ['wrong indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a scalar below its key', 'a:\n  value\n'],
    ['complex keys', '? a\n: 1\n'],
    ['merge keys', 'a: {x: 1}\n<<: {y: 2}\n'],
    ['__proto__', '__proto__: 1\n'],
    ['non-string keys', '1: a\ntrue: b\n'],
    ['hex and octal', 'a: 0x1F\nb: 0o17\n'],
    ['infinity and NaN', 'a: .inf\nb: .nan\n'],
    ['unusual escapes', 'a: "\\u00e9"\n'],
    ['unclosed quote', 'a: "x\n'],
    ['unclosed flow', 'a: [1, 2\n'],
    ['flow pair in a sequence', 'a: [b: 1]\n'],
    ['empty flow value', 'a: {b: }\n'],
    ['comment inside a flow', 'a: {b: 1 # c\n}\n'],
  ])('declines %s', (label, text) => {
    expect(parseYamlSubset(text), label).toBeUndefined()
  })

  it('agrees on 3,000 mutated documents (it may decline any of them)', () => {
    let taken = 0
    for (let seed = 1; seed <= 3000; seed++) {
      const base = seed % 3 === 0 ? fixtures[seed % fixtures.length].text : EXAMPLE
      if (agrees(mutateYaml(base, seed), `seed ${seed}`)) taken++
    }
    // Most mutations break the document; some must still be taken, or this proves little.
    expect(taken).toBeGreaterThan(100)
  }, 120_000)

  it('agrees on 2,000 generated documents of topics with random layouts', () => {
    let taken = 0
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed)
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(r() * items.length)]
      const scalar = () => pick(['1', '3', '-0', '7d', '1GiB', 'delete', '"quoted"', "'single'", '~', 'true', '1.5', 'compact,delete', 'a b', 'x#y', '12345678901234567890'])
      const lines = ['version: 1']
      const indent = pick(['  ', '    ', ''])
      lines.push(pick(['topics:', 'topics: # the topics']))
      const n = 1 + Math.floor(r() * 6)
      for (let i = 0; i < n; i++) {
        const style = Math.floor(r() * 4)
        if (style === 0) lines.push(`${indent}- {name: t${i}, partitions: ${scalar()}}`)
        else if (style === 1) lines.push(`${indent}-`, `${indent}  name: t${i}`)
        else {
          lines.push(`${indent}- name: t${i}${pick(['', ' # c'])}`)
          if (r() < 0.5) lines.push(`${indent}  partitions: ${scalar()}`)
          if (r() < 0.5) lines.push(`${indent}  config: {retention.ms: ${scalar()}, cleanup.policy: [${scalar()}]}`)
          if (r() < 0.3) lines.push(`${indent}  config:`, `${indent}    retention.ms: ${scalar()}`)
        }
        if (r() < 0.2) lines.push(pick(['', '# comment', '    # indented comment']))
      }
      if (r() < 0.5) lines.push(`defaults: {partitions: ${scalar()}, replicationFactor: ${scalar()}}`)
      if (agrees(`${lines.join('\n')}${pick(['\n', ''])}`, `generated ${seed}`)) taken++
    }
    expect(taken).toBeGreaterThan(1000)
  }, 120_000)
})
