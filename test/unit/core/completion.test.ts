import {describe, expect, it} from 'vitest'

import {completionCandidates, type CompletableCommand} from '../../../src/core/completion.js'

const commands: CompletableCommand[] = [
  {id: 'topics describe', flags: ['--all-configs', '--output', '-o'], argKind: 'topic'},
  {id: 'topics delete', flags: ['--yes', '-y'], argKind: 'topic'},
  {id: 'topics plan', flags: ['--prune', '--detailed-exitcode', '--file', '-f']},
  {id: 'groups describe', flags: ['--output'], argKind: 'group'},
  {id: 'consume', flags: ['--group', '--from-beginning'], argKind: 'topic'},
  {id: 'cluster info', flags: []},
]
const names = {topic: ['orders.created', 'orders.paid', 'users.state'], group: ['billing', 'shipping']}
const lookup = async (kind: 'topic' | 'group') => names[kind]

describe('completionCandidates', () => {
  it.each([
    [[''], ['cluster', 'consume', 'groups', 'topics']],
    [['to'], ['topics']],
    [['topics', ''], ['delete', 'describe', 'plan']],
    [['topics', 'de'], ['delete', 'describe']],
    [['topics', 'describe', 'ord'], ['orders.created', 'orders.paid']],
    [['topics', 'describe', 'orders.created', ''], []],
    [['topics', 'delete', 'orders.created', 'orders.'], ['orders.paid']],
    [['topics', 'plan', '--d'], ['--detailed-exitcode']],
    [['groups', 'describe', ''], ['billing', 'shipping']],
    [['consume', 'orders.paid', '--group', 'b'], ['billing']],
    [['cluster', 'info', ''], []],
  ])('%j → %j', async (words, expected) => {
    expect(await completionCandidates(words, commands, lookup)).toEqual(expected)
  })

  it('does not ask the cluster for command names', async () => {
    let asked = 0
    await completionCandidates(['topics', ''], commands, async () => {
      asked++
      return []
    })
    expect(asked).toBe(0)
  })
})
