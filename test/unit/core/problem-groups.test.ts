import {describe, expect, it} from 'vitest'

import {renderPlanMarkdown} from '../../../src/cli/render-plan.js'
import {formatProblem, formatProblems, groupProblems, type Problem} from '../../../src/core/problem.js'
import {lintTopicsFile} from '../../../src/core/topics-lint.js'
import type {TopicPlan} from '../../../src/core/topic-plan.js'

/** A topics.yaml of `n` one-partition RF-1 topics under the default policy (RF and ISR warnings each). */
function manyTopics(n: number, name = (i: number) => `orders.item.t${i}`): string {
  const topics = Array.from({length: n}, (_, i) => `  - name: ${name(i)}\n`).join('')
  return `version: 1\ndefaults: {partitions: 1, replicationFactor: 1}\ntopics:\n${topics}`
}

const warn = (line: number, topic: string, detail: string): Problem => ({file: 't.yaml', line, col: 5, severity: 'warning', message: `topic "${topic}": ${detail}`})

describe('problems that repeat are grouped', () => {
  it('a rule broken by 5,000 topics is one line with the count, the first names and the first location', () => {
    const {problems} = lintTopicsFile(manyTopics(5000), 't.yaml')
    expect(problems).toHaveLength(10_000) // every instance stays (lint -o json)
    expect(formatProblems(problems, {listAll: '-o json lists all'})).toEqual([
      't.yaml:4:5: warning: 5000 topics: replicationFactor 1 is below the policy minimum 3: one broker failure loses data ("orders.item.t0" at this line, "orders.item.t1", "orders.item.t2" and 4997 more; -o json lists all)',
      't.yaml:4:5: warning: 5000 topics: min.insync.replicas 1 (not declared; Kafka\'s default is 1) is below the policy minimum 2: an acks=all write may be acknowledged by a single replica ("orders.item.t0" at this line, "orders.item.t1", "orders.item.t2" and 4997 more; -o json lists all)',
    ])
  })

  it('output is O(rules), not O(topics): 3 rules over 2,000 topics print 3 lines', () => {
    const {problems} = lintTopicsFile(manyTopics(2000, (i) => `Bad_${i}`), 't.yaml')
    expect(problems).toHaveLength(6000)
    const lines = formatProblems(problems)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^t\.yaml:4:5: warning: 2000 topics: name does not match the naming policy /)
  })

  it('a rule broken by a few topics keeps one line per topic, each with its own file:line:col', () => {
    const problems = [warn(4, 'a.b.c', 'x'), warn(5, 'a.b.d', 'x'), warn(6, 'a.b.e', 'x')]
    expect(formatProblems(problems)).toEqual(problems.map(formatProblem))
    expect(formatProblems(problems.slice(0, 1))).toEqual(['t.yaml:4:5: warning: topic "a.b.c": x'])
  })

  it('a group stands where its first instance stood; other problems keep their place and their own line', () => {
    const problems: Problem[] = [
      {file: 't.yaml', line: 2, col: 1, severity: 'error', message: 'defaults: partitions must be at least 1 (got 0)'},
      ...['a', 'b', 'c', 'd', 'e'].map((t, i) => warn(4 + i, `x.y.${t}`, 'same rule')),
      warn(9, 'x.y.f', 'another rule'),
    ]
    expect(groupProblems(problems).map((e) => ('topics' in e ? `group ${e.topics.length}` : e.message))).toEqual([
      'defaults: partitions must be at least 1 (got 0)',
      'group 5',
      'topic "x.y.f": another rule',
    ])
    expect(formatProblems(problems)[1]).toBe('t.yaml:4:5: warning: 5 topics: same rule ("x.y.a" at this line, "x.y.b", "x.y.c" and 2 more)')
  })

  it('groups by severity and exact wording: the same rule as error and as warning, or with different values, stays apart', () => {
    const errors = ['a', 'b', 'c', 'd'].map((t, i): Problem => ({...warn(4 + i, `x.y.${t}`, 'rf 1'), severity: 'error'}))
    const warnings = ['e', 'f', 'g', 'h'].map((t, i) => warn(8 + i, `x.y.${t}`, 'rf 1'))
    const other = ['i', 'j', 'k', 'l'].map((t, i) => warn(12 + i, `x.y.${t}`, 'rf 2'))
    expect(formatProblems([...errors, ...warnings, ...other])).toEqual([
      't.yaml:4:5: 4 topics: rf 1 ("x.y.a" at this line, "x.y.b", "x.y.c" and 1 more)',
      't.yaml:8:5: warning: 4 topics: rf 1 ("x.y.e" at this line, "x.y.f", "x.y.g" and 1 more)',
      't.yaml:12:5: warning: 4 topics: rf 2 ("x.y.i" at this line, "x.y.j", "x.y.k" and 1 more)',
    ])
  })

  it('the Markdown plan groups its errors the same way', () => {
    const errors = Array.from({length: 50}, (_, i) => ({...warn(4 + i, `x.y.t${i}`, 'replicationFactor 3 is more than the 1 broker in the cluster'), severity: 'error' as const, topic: `x.y.t${i}`}))
    const plan: TopicPlan = {clusterId: 'c', changes: [], errors, unmanaged: [], inSync: 0}
    const md = renderPlanMarkdown(plan, {create: 0, addPartitions: 0, replication: 0, config: 0, delete: 0, topicsChanged: 0, inSync: 0, unmanaged: 0, errors: 50}, {file: 't.yaml'})
    const items = md.split('\n').filter((l) => l.startsWith('- `'))
    expect(items).toEqual(['- `t.yaml:4:5` 50 topics: replicationFactor 3 is more than the 1 broker in the cluster ("x.y.t0" at this line, "x.y.t1", "x.y.t2" and 47 more; `-o json` lists all)'])
  })
})

describe('entries without a usable name are grouped by their index', () => {
  it('20,000 list entries that are not mappings are one line', () => {
    const text = `version: 1\ntopics:\n${'- a\n'.repeat(20_000)}`
    const {problems} = lintTopicsFile(text, 't.yaml')
    expect(problems).toHaveLength(20_000)
    expect(formatProblems(problems)).toEqual(['t.yaml:3:3: 20000 topics: must be a mapping (key: value) (topics[0] at this line, topics[1], topics[2] and 19997 more)'])
  })

  it('"missing name" on many entries is one line; on a few, a line each', () => {
    const entries = (n: number) => `version: 1\ntopics:\n${'- {partitions: 1}\n'.repeat(n)}`
    expect(formatProblems(lintTopicsFile(entries(5), 't.yaml').problems)).toEqual(['t.yaml:3:3: 5 topics: missing "name" (topics[0] at this line, topics[1], topics[2] and 2 more)'])
    expect(formatProblems(lintTopicsFile(entries(2), 't.yaml').problems)).toEqual(['t.yaml:3:3: topics[0]: missing "name"', 't.yaml:4:3: topics[1]: missing "name"'])
  })
})
