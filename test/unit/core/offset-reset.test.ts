import {describe, expect, it} from 'vitest'
import {kafkitErrorOf} from '../kafkit-error.js'
import {formatOffsetsCsv, parseOffsetsCsv} from '../../../src/core/offsets-csv.js'
import {
  offsetsAfterReset,
  offsetsBeforeReset,
  parseTopicScope,
  planOffsetReset,
  resolveTopicScopes,
  type OffsetResetRow,
  type OffsetResetStrategy,
  type PartitionResetState,
} from '../../../src/core/offset-reset.js'

/** A partition with committed offset `committed` in a log spanning [earliest, latest]. */
function state(
  topic: string,
  partition: number,
  committed: number | null,
  earliest: number,
  latest: number,
  offsetForTime?: number | null,
): PartitionResetState {
  return {topic, partition, committed, earliest, latest, offsetForTime}
}

/** The interesting columns of a row: [partition, current, new, delta, clamped]. */
function cells(row: OffsetResetRow) {
  return [row.partition, row.current, row.new, row.delta, row.clamped]
}

function plan(partitions: PartitionResetState[], strategy: OffsetResetStrategy) {
  return planOffsetReset({partitions, strategy})
}

// One topic whose partitions cover the cases every mode must handle:
//   0: committed mid-log          1: committed at the log end     2: no committed offset
//   3: empty partition (earliest == latest), committed there
//   4: committed offset older than the log start (retention deleted past it)
const orders = [
  state('orders', 0, 50, 10, 100, 40),
  state('orders', 1, 100, 0, 100, 90),
  state('orders', 2, null, 5, 20, 7),
  state('orders', 3, 30, 30, 30, null),
  state('orders', 4, 2, 8, 12, 8),
]

describe('planOffsetReset per mode (rows: partition, current, new, delta, clamped)', () => {
  it.each<[string, OffsetResetStrategy, unknown[][]]>([
    ['to-earliest', {kind: 'earliest'}, [
      [0, 50, 10, -40, null], [1, 100, 0, -100, null], [2, null, 5, null, null], [3, 30, 30, 0, null], [4, 2, 8, 6, null],
    ]],
    ['to-latest', {kind: 'latest'}, [
      [0, 50, 100, 50, null], [1, 100, 100, 0, null], [2, null, 20, null, null], [3, 30, 30, 0, null], [4, 2, 12, 10, null],
    ]],
    ['to-offset inside every log', {kind: 'offset', offset: 10}, [
      [0, 50, 10, -40, null], [1, 100, 10, -90, null], [2, null, 10, null, null], [3, 30, 30, 0, 'earliest'], [4, 2, 10, 8, null],
    ]],
    ['to-offset past the end of some logs', {kind: 'offset', offset: 50}, [
      [0, 50, 50, 0, null], [1, 100, 50, -50, null], [2, null, 20, null, 'latest'], [3, 30, 30, 0, 'latest'], [4, 2, 12, 10, 'latest'],
    ]],
    ['to-offset 0 (before every log start but one)', {kind: 'offset', offset: 0}, [
      [0, 50, 10, -40, 'earliest'], [1, 100, 0, -100, null], [2, null, 5, null, 'earliest'], [3, 30, 30, 0, 'earliest'], [4, 2, 8, 6, 'earliest'],
    ]],
    ['to-offset negative (Kafka clamps it to the log start)', {kind: 'offset', offset: -5}, [
      [0, 50, 10, -40, 'earliest'], [1, 100, 0, -100, 'earliest'], [2, null, 5, null, 'earliest'], [3, 30, 30, 0, 'earliest'], [4, 2, 8, 6, 'earliest'],
    ]],
    ['to-datetime, with the latest fallback where no message is that recent', {kind: 'datetime', timestamp: Date.parse('2026-11-01T10:00:00Z')}, [
      [0, 50, 40, -10, null], [1, 100, 90, -10, null], [2, null, 7, null, null], [3, 30, 30, 0, 'latest'], [4, 2, 8, 6, null],
    ]],
    ['by-duration, same resolution as to-datetime', {kind: 'duration', ms: 3_600_000}, [
      [0, 50, 40, -10, null], [1, 100, 90, -10, null], [2, null, 7, null, null], [3, 30, 30, 0, 'latest'], [4, 2, 8, 6, null],
    ]],
  ])('%s', (_name, strategy, expected) => {
    expect(plan(orders, strategy).rows.map(cells)).toEqual(expected)
  })
})

describe('shift-by', () => {
  const committedOnly = orders.filter((p) => p.committed !== null)

  it.each<[string, number, unknown[][]]>([
    ['forward within the log', 5, [[0, 50, 55, 5, null], [1, 100, 100, 0, 'latest'], [3, 30, 30, 0, 'latest'], [4, 2, 8, 6, 'earliest']]],
    ['backward within the log', -20, [[0, 50, 30, -20, null], [1, 100, 80, -20, null], [3, 30, 30, 0, 'earliest'], [4, 2, 8, 6, 'earliest']]],
    ['far forward clamps to the log end', 1000, [[0, 50, 100, 50, 'latest'], [1, 100, 100, 0, 'latest'], [3, 30, 30, 0, 'latest'], [4, 2, 12, 10, 'latest']]],
    ['far backward clamps to the log start', -1000, [[0, 50, 10, -40, 'earliest'], [1, 100, 0, -100, 'earliest'], [3, 30, 30, 0, 'earliest'], [4, 2, 8, 6, 'earliest']]],
    ['by zero still clamps a committed offset older than the log start', 0, [[0, 50, 50, 0, null], [1, 100, 100, 0, null], [3, 30, 30, 0, null], [4, 2, 8, 6, 'earliest']]],
  ])('%s', (_name, by, expected) => {
    expect(plan(committedOnly, {kind: 'shift', by}).rows.map(cells)).toEqual(expected)
  })

  it('refuses partitions without a committed offset, naming all of them, like Kafka', () => {
    const error = kafkitErrorOf(() => plan([...orders, state('orders', 5, null, 0, 9)], {kind: 'shift', by: 1}))
    expect(error.code).toBe('SHIFT_WITHOUT_COMMITTED_OFFSET')
    expect(error.message).toContain('orders:2, orders:5')
    expect(error.message).not.toContain('orders:0')
    expect(error.hint).toMatch(/--topic/)
  })
})

describe('clamping reasons', () => {
  it('says which boundary and why', () => {
    const [past, before] = plan([state('t', 0, 5, 10, 20), state('t', 1, 5, 10, 20)], {kind: 'file', offsets: [
      {topic: 't', partition: 0, offset: 25},
      {topic: 't', partition: 1, offset: 3},
    ]}).rows
    expect(past).toMatchObject({new: 20, clamped: 'latest', reason: 'requested 25 is past the log end 20'})
    expect(before).toMatchObject({new: 10, clamped: 'earliest', reason: 'requested 3 is before the log start 10'})
  })

  it('explains the time fallback with the timestamp or the duration', () => {
    const empty = [state('t', 0, 4, 4, 4, undefined)]
    expect(plan(empty, {kind: 'datetime', timestamp: Date.parse('2026-11-01T10:00:00Z')}).rows[0].reason).toBe(
      "no message at or after 2026-11-01T10:00:00.000Z: log end, as Kafka's tool does",
    )
    expect(plan(empty, {kind: 'duration', ms: 3_600_000}).rows[0].reason).toBe("no message in the last 1h: log end, as Kafka's tool does")
  })

  it('leaves reason null when nothing was clamped', () => {
    expect(plan([state('t', 0, 5, 0, 20)], {kind: 'offset', offset: 7}).rows[0]).toMatchObject({clamped: null, reason: null})
  })
})

describe('empty partitions (earliest == latest)', () => {
  const empty = state('t', 0, null, 7, 7, null)
  it.each<[string, OffsetResetStrategy, number, string | null]>([
    ['earliest', {kind: 'earliest'}, 7, null],
    ['latest', {kind: 'latest'}, 7, null],
    ['offset below', {kind: 'offset', offset: 3}, 7, 'earliest'],
    ['offset above', {kind: 'offset', offset: 9}, 7, 'latest'],
    ['offset equal', {kind: 'offset', offset: 7}, 7, null],
    ['datetime', {kind: 'datetime', timestamp: 0}, 7, 'latest'],
  ])('%s → the only offset there is', (_name, strategy, expected, clamped) => {
    expect(plan([empty], strategy).rows[0]).toMatchObject({current: null, new: expected, delta: null, clamped})
  })
})

describe('file mode', () => {
  const scope = [state('orders', 0, 50, 10, 100), state('orders', 1, 60, 10, 100), state('orders', 2, null, 0, 100)]

  it('plans only the partitions in the file, clamped like --to-offset', () => {
    const result = plan(scope, {kind: 'file', offsets: [
      {topic: 'orders', partition: 2, offset: 150},
      {topic: 'orders', partition: 0, offset: 20},
    ]})
    expect(result.rows.map(cells)).toEqual([[0, 50, 20, -30, null], [2, null, 100, null, 'latest']])
  })

  it('reports every line outside the scope, with its file:line', () => {
    const offsets = parseOffsetsCsv('orders,0,1\norders,7,1\npayments,0,1\n', 'undo.csv')
    const error = kafkitErrorOf(() => plan(scope, {kind: 'file', offsets}))
    expect(error.code).toBe('OFFSETS_FILE_OUT_OF_SCOPE')
    expect(error.message.split('\n')).toEqual([
      'undo.csv:2: unknown partition orders:7 (orders has partitions 0-2)',
      'undo.csv:3: topic "payments" is not in the reset scope',
    ])
  })

  it('rejects a partition given twice by a caller that did not go through parseOffsetsCsv', () => {
    const error = kafkitErrorOf(() => plan(scope, {kind: 'file', offsets: [
      {topic: 'orders', partition: 0, offset: 1},
      {topic: 'orders', partition: 0, offset: 2},
    ]}))
    expect(error.message).toBe('orders:0 appears more than once')
  })

  it('yields an empty plan for an empty file list', () => {
    expect(plan(scope, {kind: 'file', offsets: []})).toMatchObject({rows: [], summary: {partitions: 0, changed: 0, totalDelta: 0, clamped: 0}})
  })
})

describe('partial scopes and ordering', () => {
  it('plans exactly the partitions given, sorted by topic then partition', () => {
    const result = plan([state('b', 1, 0, 0, 5), state('a', 10, 0, 0, 5), state('a', 2, 0, 0, 5)], {kind: 'latest'})
    expect(result.rows.map((row) => `${row.topic}:${row.partition}`)).toEqual(['a:2', 'a:10', 'b:1'])
  })

  it('plans nothing for an empty scope', () => {
    expect(plan([], {kind: 'earliest'}).rows).toEqual([])
  })
})

describe('summary', () => {
  it('counts partitions, changes, total delta over rows with a current offset, and clamps', () => {
    expect(plan(orders, {kind: 'offset', offset: 50}).summary).toEqual({
      partitions: 5,
      changed: 3, // 1 (100→50), 2 (none→20), 4 (2→12); 0 and 3 stay put
      totalDelta: -40, // 0 - 50 + 0 + 10; partition 2 has no delta
      clamped: 3,
    })
  })
})

describe('input checks', () => {
  it.each<[string, OffsetResetStrategy]>([
    ['fractional offset', {kind: 'offset', offset: 1.5}],
    ['NaN shift', {kind: 'shift', by: Number.NaN}],
    ['unsafe timestamp', {kind: 'datetime', timestamp: Number.POSITIVE_INFINITY}],
    ['negative duration', {kind: 'duration', ms: -1}],
  ])('rejects %s', (_name, strategy) => {
    expect(kafkitErrorOf(() => plan([state('t', 0, 1, 0, 5)], strategy)).code).toBe('INVALID_RESET')
  })

  it('rejects a snapshot whose log start is past its log end, asking to re-run', () => {
    const error = kafkitErrorOf(() => plan([state('t', 0, 1, 9, 5)], {kind: 'earliest'}))
    expect(error.code).toBe('OFFSETS_INCONSISTENT')
    expect(error.message).toContain('t:0')
  })

  it('treats a partition listed twice as a caller bug', () => {
    expect(() => plan([state('t', 0, 1, 0, 5), state('t', 0, 1, 0, 5)], {kind: 'earliest'})).toThrow(/listed twice/)
  })
})

describe('undo round trip', () => {
  it('export current → parse → plan from file restores the original committed offsets', () => {
    const before = [state('orders', 0, 50, 10, 100), state('orders', 1, 100, 0, 100), state('payments', 0, 7, 0, 9)]
    const reset = plan(before, {kind: 'earliest'})
    const exported = formatOffsetsCsv(offsetsBeforeReset(reset))
    expect(exported).toBe('orders,0,50\norders,1,100\npayments,0,7\n')

    // The reset was executed: the group now sits at the planned offsets.
    const committedAfter = new Map(offsetsAfterReset(reset).map((o) => [`${o.topic}:${o.partition}`, o.offset]))
    const after = before.map((p) => ({...p, committed: committedAfter.get(`${p.topic}:${p.partition}`) ?? null}))
    expect(after.map((p) => p.committed)).toEqual([10, 0, 0])

    const undo = plan(after, {kind: 'file', offsets: parseOffsetsCsv(exported, 'before.csv')})
    expect(undo.rows.map((row) => [row.topic, row.partition, row.new, row.clamped])).toEqual(
      before.map((p) => [p.topic, p.partition, p.committed, null]),
    )
  })

  it('leaves partitions that had no committed offset out of the export (a file cannot say "none")', () => {
    const reset = plan([state('t', 0, null, 0, 9), state('t', 1, 3, 0, 9)], {kind: 'latest'})
    expect(offsetsBeforeReset(reset)).toEqual([{topic: 't', partition: 1, offset: 3}])
  })
})

describe('parseTopicScope', () => {
  it.each([
    ['orders', {topic: 'orders'}],
    ['  orders  ', {topic: 'orders'}],
    ['orders:0,2,5', {topic: 'orders', partitions: [0, 2, 5]}],
    ['orders:5, 0 ,2', {topic: 'orders', partitions: [0, 2, 5]}],
    ['orders:3,3', {topic: 'orders', partitions: [3]}],
    ['my.topic_v2-x:0', {topic: 'my.topic_v2-x', partitions: [0]}],
  ])('%j', (text, expected) => expect(parseTopicScope(text)).toEqual(expected))

  it.each([
    ['', 'topic name missing'],
    [':0', 'topic name missing'],
    ['orders:', "no partitions after ':'"],
    ['orders:a', 'partition "a" is not a non-negative integer'],
    ['orders:-1', 'partition "-1" is not a non-negative integer'],
    ['orders:0,,2', 'partition "" is not a non-negative integer'],
    ['orders:1.5', 'partition "1.5" is not a non-negative integer'],
    ['orders:0:1', "more than one ':'"],
    ['ord ers', 'a topic name has only'],
    ['orders/x:1', 'a topic name has only'],
  ])('rejects %j (%s)', (text, why) => {
    const error = kafkitErrorOf(() => parseTopicScope(text))
    expect(error.message.startsWith(`invalid topic scope "${text}": `)).toBe(true)
    expect(error.message).toContain(why)
    expect(error.code).toBe('INVALID_TOPIC_SCOPE')
  })
})

describe('resolveTopicScopes', () => {
  const live = [
    {topic: 'orders', partitions: [0, 1, 2, 3, 4, 5]},
    {topic: 'payments', partitions: [0, 1]},
  ]

  it('expands whole topics and keeps partial ones, sorted', () => {
    expect(resolveTopicScopes([parseTopicScope('payments'), parseTopicScope('orders:5,0')], live)).toEqual([
      {topic: 'orders', partition: 0}, {topic: 'orders', partition: 5},
      {topic: 'payments', partition: 0}, {topic: 'payments', partition: 1},
    ])
  })

  it('merges repeated --topic flags; a whole-topic scope wins', () => {
    expect(resolveTopicScopes([parseTopicScope('payments:1'), parseTopicScope('payments'), parseTopicScope('payments:0')], live)).toEqual([
      {topic: 'payments', partition: 0}, {topic: 'payments', partition: 1},
    ])
    expect(resolveTopicScopes([parseTopicScope('orders:1'), parseTopicScope('orders:3')], live).map((tp) => tp.partition)).toEqual([1, 3])
  })

  it('names every unknown topic and partition at once', () => {
    const error = kafkitErrorOf(() => resolveTopicScopes([parseTopicScope('orders:2,7,9'), parseTopicScope('ordres'), parseTopicScope('payments:2')], live))
    expect(error.code).toBe('TOPIC_NOT_FOUND')
    expect(error.message).toBe(
      'unknown partition orders:7 (orders has partitions 0-5); unknown partition orders:9 (orders has partitions 0-5); ' +
        'unknown topic "ordres"; unknown partition payments:2 (payments has partitions 0,1)',
    )
  })

  it('resolves nothing from no scopes', () => {
    expect(resolveTopicScopes([], live)).toEqual([])
  })
})
