import {describe, expect, it} from 'vitest'

import {
  type DescribedConfig,
  displayConfigValue,
  normaliseBrokerValue,
  parseKeyValues,
  parseKeys,
  planDelete,
  planSet,
  selectEntries,
  withUnlistedBrokerKeys,
} from '../../../src/core/config-changes.js'
import {decodeDescribeConfigsResponse, encodeDescribeConfigsRequest} from '../../../src/kafka/protocol/describe-configs.js'
import {FlexibleWriter} from '../../../src/kafka/protocol/flexible.js'

const entry = (name: string, value: string | null, source: string, extra: Partial<DescribedConfig> = {}): DescribedConfig => ({
  name, value, source, readOnly: false, sensitive: false, type: 'long', synonyms: [{name, value, source}], ...extra,
})

describe('parseKeyValues / parseKeys', () => {
  it('splits at the first "=", keeps empty values, refuses duplicates and bare keys', () => {
    expect(parseKeyValues(['a=b=c', 'x='])).toEqual([{key: 'a', value: 'b=c'}, {key: 'x', value: ''}])
    expect(() => parseKeyValues(['retention.ms'])).toThrow('"retention.ms" is not KEY=VALUE (to remove an override: kafkit configs delete retention.ms)')
    expect(() => parseKeyValues(['a=1', 'a=2'])).toThrow('a is given twice')
    expect(() => parseKeyValues(['=1'])).toThrow('"=1" has no key before "="')
    expect(() => parseKeyValues([])).toThrow(/^nothing to set/)
    expect(parseKeys(['a', 'a', 'b'], 'delete')).toEqual(['a', 'b'])
    expect(() => parseKeys([], 'delete')).toThrow(/^nothing to delete/)
    expect(parseKeys([], 'describe')).toEqual([])
    expect(() => parseKeys(['a=1'], 'delete')).toThrow('"a=1" is KEY=VALUE, but delete takes only keys (to set a value: kafkit configs set)')
  })
})

describe('normaliseBrokerValue', () => {
  it('reads units for *.ms and *.bytes keys and checks the type the broker reports', () => {
    expect(normaliseBrokerValue({name: 'log.retention.ms', type: 'long'}, '7d')).toEqual({ok: true, value: '604800000'})
    expect(normaliseBrokerValue({name: 'log.segment.bytes', type: 'int'}, '1GiB')).toEqual({ok: true, value: '1073741824'})
    expect(normaliseBrokerValue({name: 'leader.replication.throttled.rate', type: 'long'}, '50MiB')).toEqual({ok: true, value: '52428800'})
    expect(normaliseBrokerValue({name: 'log.retention.ms', type: 'long'}, '7 days')).toEqual({ok: false, reason: '"7 days" is not a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d'})
    expect(normaliseBrokerValue({name: 'log.retention.hours', type: 'int'}, '7d')).toEqual({ok: false, reason: '"7d" is not a whole number of hours'})
    expect(normaliseBrokerValue({name: 'log.segment.bytes', type: 'int'}, '4GiB')).toEqual({ok: false, reason: '"4GiB" is out of range for a int (-2147483648 to 2147483647)'})
    expect(normaliseBrokerValue({name: 'auto.create.topics.enable', type: 'boolean'}, 'TRUE')).toEqual({ok: true, value: 'true'})
    expect(normaliseBrokerValue({name: 'auto.create.topics.enable', type: 'boolean'}, 'yes')).toEqual({ok: false, reason: '"yes" is not a boolean (true or false)'})
    expect(normaliseBrokerValue({name: 'log.cleaner.min.cleanable.ratio', type: 'double'}, 'half')).toEqual({ok: false, reason: '"half" is not a number'})
    expect(normaliseBrokerValue({name: 'x.list', type: 'list'}, ' a, b ,')).toEqual({ok: true, value: 'a,b'})
  })
})

describe('planSet / planDelete', () => {
  const broker = {type: 'broker' as const, name: '1'}
  const live = withUnlistedBrokerKeys([
    entry('log.cleaner.threads', '2', 'dynamic-broker', {type: 'int', synonyms: [{name: 'log.cleaner.threads', value: '2', source: 'dynamic-broker'}, {name: 'log.cleaner.threads', value: '1', source: 'default'}]}),
    entry('log.retention.ms', null, 'default', {synonyms: []}),
    entry('log.retention.hours', '168', 'default', {type: 'int'}),
    entry('log.dirs', '/data', 'static-broker', {type: 'string', readOnly: true}),
    entry('ssl.key.password', null, 'static-broker', {type: 'password', sensitive: true}),
  ])

  it('old -> new with sources; the coarser key holds a null value; unchanged when the same override is set', () => {
    const plan = planSet(broker, [{key: 'log.retention.ms', value: '3d'}, {key: 'log.cleaner.threads', value: '2'}, {key: 'ssl.key.password', value: 'secret'}], live)
    expect(plan.changes).toEqual([
      {key: 'log.retention.ms', op: 'set', old: {value: '168', source: 'default', via: 'log.retention.hours'}, new: {value: '259200000', source: 'dynamic-broker'}, sensitive: false, readOnly: false, unchanged: false},
      {key: 'log.cleaner.threads', op: 'set', old: {value: '2', source: 'dynamic-broker'}, new: {value: '2', source: 'dynamic-broker'}, sensitive: false, readOnly: false, unchanged: true},
      // A sensitive value never enters the plan (it is printed).
      {key: 'ssl.key.password', op: 'set', old: {value: null, source: 'static-broker'}, new: {value: null, source: 'dynamic-broker'}, sensitive: true, readOnly: false, unchanged: false},
    ])
    expect(planSet(broker, [{key: 'log.dirs', value: '/x'}], live).changes[0].readOnly).toBe(true)
    expect(planSet(broker, [{key: 'follower.replication.throttled.rate', value: '1MiB'}], live).changes[0].new).toEqual({value: '1048576', source: 'dynamic-broker'})
  })

  it('unknown keys get a did-you-mean from the live names (brokers) or the topic table (topics)', () => {
    expect(() => planSet(broker, [{key: 'log.cleaner.thread', value: '1'}], live)).toThrow('broker 1: unknown broker config "log.cleaner.thread" (did you mean "log.cleaner.threads"?)')
    expect(() => planSet(broker, [{key: 'zzz', value: '1'}], live)).toThrow('broker 1: unknown broker config "zzz" (not among the configs the broker describes)')
    expect(() => planSet({type: 'topic', name: 't'}, [{key: 'retension.ms', value: '1'}], [])).toThrow('topic t: unknown config "retension.ms" (did you mean "retention.ms"?)')
    expect(() => planDelete(broker, ['log.cleaner.thread'], live)).toThrow(/did you mean "log\.cleaner\.threads"/)
  })

  it('delete falls back to the next synonym; a key without an override here is unchanged', () => {
    const plan = planDelete(broker, ['log.cleaner.threads', 'log.retention.ms'], live)
    expect(plan.changes.map((c) => [c.key, c.unchanged, c.old, c.new])).toEqual([
      ['log.cleaner.threads', false, {value: '2', source: 'dynamic-broker'}, {value: '1', source: 'default'}],
      ['log.retention.ms', true, {value: '168', source: 'default', via: 'log.retention.hours'}, {value: '168', source: 'default', via: 'log.retention.hours'}],
    ])
    const topic = planDelete({type: 'topic', name: 't'}, ['retention.ms'], [entry('retention.ms', '1000', 'topic', {synonyms: [{name: 'retention.ms', value: '1000', source: 'topic'}]})])
    expect(topic.changes[0].new).toEqual({value: '604800000', source: 'default'})
  })

  it('describe lists the overrides of the level, every entry, or the keys asked for', () => {
    expect(selectEntries(broker, live, {}).map((e) => e.name)).toEqual(['log.cleaner.threads'])
    expect(selectEntries(broker, live, {keys: ['log.dirs']}).map((e) => e.name)).toEqual(['log.dirs'])
    expect(selectEntries(broker, live, {all: true})).toHaveLength(live.length)
  })

  it('values for people: units, sensitive hidden', () => {
    expect(displayConfigValue('retention.ms', '604800000')).toBe('604800000 (7d)')
    expect(displayConfigValue('log.retention.ms', '1209600000')).toBe('1209600000 (14d)')
    expect(displayConfigValue('log.segment.bytes', '1073741824')).toBe('1073741824 (1GiB)')
    expect(displayConfigValue('log.cleaner.backoff.ms', '15500')).toBe('15500')
    expect(displayConfigValue('ssl.key.password', 'x', true)).toBe('(sensitive)')
    expect(displayConfigValue('x', null)).toBe('(none)')
  })
})

describe('DescribeConfigs v4 codec', () => {
  it('encodes the request and decodes a response with synonyms', () => {
    expect(encodeDescribeConfigsRequest([{type: 'broker', name: '', keys: null}, {type: 'topic', name: 't', keys: ['a']}]).toString('hex')).toBe(
      '03' + '04' + '01' + '00' + '00' + '02' + '0274' + '02' + '0261' + '00' + '01' + '00' + '00',
    )
    const body = new FlexibleWriter()
      .int32(0)
      .compactArray([0], (_, w) => {
        w.int16(0).compactNullableString(null).int8(4).compactString('1')
        w.compactArray([0], (__, we) => {
          we.compactString('log.cleaner.threads').compactNullableString('2').boolean(false).int8(2).boolean(false)
          we.compactArray([0], (___, ws) => ws.compactString('log.cleaner.threads').compactNullableString('2').int8(2).noTaggedFields())
          we.int8(3).compactNullableString(null).noTaggedFields()
        })
        w.noTaggedFields()
      })
      .noTaggedFields()
      .toBuffer()
    expect(decodeDescribeConfigsResponse(body)).toEqual({
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0, errorMessage: null, type: 4, name: '1',
          entries: [{name: 'log.cleaner.threads', value: '2', readOnly: false, source: 2, sensitive: false, synonyms: [{name: 'log.cleaner.threads', value: '2', source: 2}], type: 3, documentation: null}],
        },
      ],
    })
  })
})
