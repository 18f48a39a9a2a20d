import {describe, expect, it} from 'vitest'
import {KafkitError} from '../../../src/errors.js'
import {formatOffsetsCsv, parseOffsetsCsv} from '../../../src/core/offsets-csv.js'

function problemsOf(text: string, fileName = 'offsets.csv'): string[] {
  try {
    parseOffsetsCsv(text, fileName)
  } catch (error) {
    expect(error).toBeInstanceOf(KafkitError)
    expect((error as KafkitError).code).toBe('OFFSETS_FILE_INVALID')
    return (error as KafkitError).message.split('\n')
  }
  throw new Error('expected parseOffsetsCsv to fail')
}

function offsetsOf(text: string) {
  return parseOffsetsCsv(text, 'offsets.csv').map(({topic, partition, offset}) => [topic, partition, offset])
}

describe('formatOffsetsCsv', () => {
  it("writes Kafka's --export format: no header, topic,partition,offset, one \\n-terminated line each, sorted", () => {
    expect(formatOffsetsCsv([
      {topic: 'payments', partition: 0, offset: 7},
      {topic: 'orders', partition: 10, offset: 0},
      {topic: 'orders', partition: 2, offset: 1200},
    ])).toBe('orders,2,1200\norders,10,0\npayments,0,7\n')
  })

  it('writes nothing for no rows', () => {
    expect(formatOffsetsCsv([])).toBe('')
  })

  it('round-trips through parseOffsetsCsv', () => {
    const rows = [{topic: 'a.b_c-d', partition: 0, offset: 9_007_199_254_740_991}, {topic: 'z', partition: 3, offset: 0}]
    expect(parseOffsetsCsv(formatOffsetsCsv(rows), 'x.csv').map(({topic, partition, offset}) => ({topic, partition, offset}))).toEqual(rows)
  })
})

describe('parseOffsetsCsv accepts', () => {
  it.each([
    ["Kafka's export (no header, trailing newline)", 'orders,0,5\norders,1,6\n'],
    ['no trailing newline', 'orders,0,5\norders,1,6'],
    ['a header line', 'topic,partition,offset\norders,0,5\norders,1,6\n'],
    ['a header in any case, with spaces', ' Topic , Partition , Offset \norders,0,5\norders,1,6\n'],
    ['CRLF line endings', 'topic,partition,offset\r\norders,0,5\r\norders,1,6\r\n'],
    ['a UTF-8 byte order mark', '\uFEFForders,0,5\norders,1,6\n'],
    ['blank lines and blank lines before the header', '\n\ntopic,partition,offset\n\norders,0,5\n   \norders,1,6\n\n'],
    ['spaces around fields', ' orders , 0 , 5 \norders,1,6\n'],
  ])('%s', (_name, text) => {
    expect(offsetsOf(text)).toEqual([['orders', 0, 5], ['orders', 1, 6]])
  })

  it('keeps file order and records file:line of each entry', () => {
    expect(parseOffsetsCsv('topic,partition,offset\n\nb,1,2\na,0,1\n', 'undo.csv')).toEqual([
      {topic: 'b', partition: 1, offset: 2, location: 'undo.csv:3'},
      {topic: 'a', partition: 0, offset: 1, location: 'undo.csv:4'},
    ])
  })
})

describe('parseOffsetsCsv rejects, with file:line and what is wrong', () => {
  it.each([
    ['too few fields', 'orders,0\n', 'offsets.csv:1: expected topic,partition,offset but found 2 field(s): "orders,0"'],
    ['too many fields', 'orders,0,1,2,3\n', 'offsets.csv:1: expected topic,partition,offset but found 5 field(s): "orders,0,1,2,3"'],
    ["Kafka's multi-group export", 'my-group,orders,0,5\n', "offsets.csv:1: expected topic,partition,offset but found 4 fields; this looks like Kafka's multi-group export (group,topic,partition,offset): keep one group's lines and drop the group column"],
    ['a non-numeric partition', 'orders,x,5\n', 'offsets.csv:1: partition must be a non-negative integer, got "x"'],
    ['a negative offset', 'orders,0,-5\n', 'offsets.csv:1: offset must be a non-negative integer, got "-5"'],
    ['a fractional offset', 'orders,0,1.5\n', 'offsets.csv:1: offset must be a non-negative integer, got "1.5"'],
    ['an offset beyond safe integers', 'orders,0,9007199254740993\n', 'offsets.csv:1: offset must be a non-negative integer, got "9007199254740993"'],
    ['an empty offset', 'orders,0,\n', 'offsets.csv:1: offset must be a non-negative integer, got ""'],
    ['an invalid topic name', 'ord ers,0,5\n', 'offsets.csv:1: invalid topic name "ord ers" (allowed: letters, digits, \'.\', \'_\', \'-\')'],
    ['a header that is not on the first line', 'orders,0,5\ntopic,partition,offset\n', 'offsets.csv:2: partition must be a non-negative integer, got "partition"; offset must be a non-negative integer, got "offset"'],
    ['an empty file', '', 'offsets.csv: no offsets found (expected lines of topic,partition,offset)'],
    ['a header only', 'topic,partition,offset\n', 'offsets.csv: no offsets found (expected lines of topic,partition,offset)'],
  ])('%s', (_name, text, problem) => {
    expect(problemsOf(text)).toEqual([problem])
  })

  it('rejects a partition set twice, pointing at both lines', () => {
    expect(problemsOf('orders,0,5\norders,1,5\norders,0,6\n')).toEqual([
      'offsets.csv:3: orders:0 is already set on line 1; each partition may appear once',
    ])
  })

  it('collects every problem of the file, counting blank lines in line numbers', () => {
    expect(problemsOf('orders,0,5\n\norders,zero,5\norders,1\n\n-,2,-1\n', 'before.csv')).toEqual([
      'before.csv:3: partition must be a non-negative integer, got "zero"',
      'before.csv:4: expected topic,partition,offset but found 2 field(s): "orders,1"',
      'before.csv:6: offset must be a non-negative integer, got "-1"',
    ])
  })

  it('gives a hint with an example line', () => {
    expect(() => parseOffsetsCsv('x', 'f.csv')).toThrow(
      expect.objectContaining({hint: 'each line is topic,partition,offset, e.g. orders,0,1200'}),
    )
  })
})
