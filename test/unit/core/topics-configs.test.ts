import {describe, expect, it} from 'vitest'
import {closestMatch, didYouMean, editDistance} from '../../../src/core/did-you-mean.js'
import {
  comparableConfigValue,
  humaneConfigValue,
  javaDoubleString,
  normaliseConfigValue,
  REMOVED_TOPIC_CONFIGS,
  TOPIC_CONFIG_NAMES,
  TOPIC_CONFIGS,
  unknownConfigMessage,
} from '../../../src/core/topic-configs.js'

describe('topic config table', () => {
  it('holds exactly the non-internal names of Kafka 4.1 LogConfig.configNames()', () => {
    expect([...TOPIC_CONFIG_NAMES].sort()).toEqual([
      'cleanup.policy', 'compression.gzip.level', 'compression.lz4.level', 'compression.type', 'compression.zstd.level',
      'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
      'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms',
      'max.compaction.lag.ms', 'max.message.bytes', 'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms',
      'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate',
      'remote.log.copy.disable', 'remote.log.delete.on.disable', 'remote.storage.enable', 'retention.bytes', 'retention.ms',
      'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
    ])
  })

  it('does not accept configs Kafka 4.0 removed', () => {
    for (const name of Object.keys(REMOVED_TOPIC_CONFIGS)) expect(TOPIC_CONFIGS.has(name)).toBe(false)
    expect(Object.keys(REMOVED_TOPIC_CONFIGS)).toContain('message.downconversion.enable')
  })

  it('types every *.ms config as a duration and every *.bytes config as a size', () => {
    for (const def of TOPIC_CONFIGS.values()) {
      if (def.name.endsWith('.ms')) expect(def.kind, def.name).toBe('duration')
      if (def.name.endsWith('.bytes')) expect(def.kind, def.name).toBe('size')
    }
  })

  it('has defaults that normalise to themselves (they are what Kafka prints)', () => {
    for (const def of TOPIC_CONFIGS.values()) {
      const result = normaliseConfigValue(def.name, def.kafkaDefault)
      expect(result, def.name).toEqual({ok: true, value: def.kafkaDefault})
    }
  })
})

describe('normaliseConfigValue accepts and normalises', () => {
  it.each<[string, unknown, string]>([
    // durations
    ['retention.ms', '7d', '604800000'],
    ['retention.ms', 604_800_000, '604800000'],
    ['retention.ms', '604800000', '604800000'],
    ['retention.ms', '1h30m', '5400000'],
    ['retention.ms', 'PT1H', '3600000'],
    ['retention.ms', '500ms', '500'],
    ['retention.ms', -1, '-1'],
    ['retention.ms', '-1', '-1'],
    ['retention.ms', ' 2w ', '1209600000'],
    ['local.retention.ms', -2, '-2'],
    ['flush.ms', '9223372036854775807', '9223372036854775807'],
    ['segment.ms', '+0012', '12'],
    // sizes
    ['retention.bytes', '1GiB', '1073741824'],
    ['retention.bytes', '100MB', '100000000'],
    ['retention.bytes', 1_048_576, '1048576'],
    ['retention.bytes', -1, '-1'],
    ['segment.bytes', '1MiB', '1048576'],
    ['max.message.bytes', '512KiB', '524288'],
    ['local.retention.bytes', -2, '-2'],
    // integers
    ['min.insync.replicas', 2, '2'],
    ['min.insync.replicas', '2', '2'],
    ['compression.gzip.level', -1, '-1'],
    ['compression.gzip.level', 9, '9'],
    ['compression.zstd.level', -131_072, '-131072'],
    ['flush.messages', '9223372036854775807', '9223372036854775807'],
    // doubles, printed like Java's Double.toString
    ['min.cleanable.dirty.ratio', 0.5, '0.5'],
    ['min.cleanable.dirty.ratio', 1, '1.0'],
    ['min.cleanable.dirty.ratio', 0, '0.0'],
    ['min.cleanable.dirty.ratio', '0.10', '0.1'],
    ['min.cleanable.dirty.ratio', 0.0001, '1.0E-4'],
    // booleans
    ['preallocate', true, 'true'],
    ['preallocate', 'TRUE', 'true'],
    ['unclean.leader.election.enable', 'False', 'false'],
    // strings with a fixed set of values: Kafka's spelling
    ['compression.type', 'Snappy', 'snappy'],
    ['compression.type', 'zstd', 'zstd'],
    ['message.timestamp.type', 'logappendtime', 'LogAppendTime'],
    // lists: trimmed, de-duplicated, sorted when the order means nothing
    ['cleanup.policy', 'delete', 'delete'],
    ['cleanup.policy', 'compact, delete', 'compact,delete'],
    ['cleanup.policy', 'delete,compact', 'compact,delete'],
    ['cleanup.policy', ['delete', 'compact'], 'compact,delete'],
    ['cleanup.policy', 'compact,compact', 'compact'],
    ['cleanup.policy', '', ''],
    ['leader.replication.throttled.replicas', '1:2, 0:1', '0:1,1:2'],
    ['leader.replication.throttled.replicas', '*', '*'],
  ])('%s: %j → %s', (name, raw, expected) => {
    expect(normaliseConfigValue(name, raw)).toEqual({ok: true, value: expected})
  })
})

describe('normaliseConfigValue rejects, saying why', () => {
  it.each<[string, unknown, string]>([
    ['retention.ms', '7 days', '"7 days" is not a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d'],
    ['retention.ms', 1.5, '1.5 is not a whole number'],
    ['retention.ms', -2, '-2 is out of range: must be at least -1'],
    ['retention.ms', true, 'true is not a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d'],
    ['retention.ms', 2 ** 60, `${2 ** 60} is too large to be read exactly; quote it`],
    ['retention.ms', '9223372036854775808', '"9223372036854775808" is out of range: must be at most 9223372036854775807'],
    ['segment.ms', 0, '0 is out of range: must be at least 1'],
    ['segment.bytes', '1KiB', '"1KiB" is out of range: must be at least 1048576 (1MiB)'],
    ['max.message.bytes', '3GiB', '"3GiB" is out of range: must be at most 2147483647'],
    ['retention.bytes', '1 GB please', '"1 GB please" is not a size: bytes, or 512KiB, 1GiB, 100MB'],
    ['min.insync.replicas', 0, '0 is out of range: must be at least 1'],
    ['min.insync.replicas', 'two', '"two" is not an integer'],
    ['compression.gzip.level', 0, '0 is out of range: must be -1 or between 1 and 9'],
    ['compression.lz4.level', 18, '18 is out of range: must be at most 17'],
    ['compression.lz4.level', 0, '0 is out of range: must be at least 1'],
    ['segment.jitter.ms', -5, '-5 is out of range: must be at least 0'],
    ['min.cleanable.dirty.ratio', 1.5, '1.5 is out of range: must be between 0 and 1'],
    ['min.cleanable.dirty.ratio', 'half', '"half" is not a number'],
    ['preallocate', 'yes', '"yes" is not a boolean (true or false)'],
    ['preallocate', 1, '1 is not a boolean (true or false)'],
    ['compression.type', 'snapy', '"snapy" is not one of uncompressed, zstd, lz4, snappy, gzip, producer (did you mean "snappy"?)'],
    ['compression.type', true, 'true is not a string'],
    ['cleanup.policy', 'compact,deleted', 'item "deleted" is not "delete" or "compact"'],
    ['cleanup.policy', 5, '5 is not a list (a, b or [a, b])'],
    ['follower.replication.throttled.replicas', 'broker-1', 'item "broker-1" is not "<partition>:<broker>" or "*"'],
    ['retension.ms', '7d', 'unknown config "retension.ms" (did you mean "retention.ms"?)'],
  ])('%s: %j', (name, raw, reason) => {
    expect(normaliseConfigValue(name, raw)).toEqual({ok: false, reason})
  })
})

describe('unknownConfigMessage', () => {
  it.each([
    ['retension.ms', 'unknown config "retension.ms" (did you mean "retention.ms"?)'],
    ['retention', 'unknown config "retention" (did you mean "retention.ms"?)'],
    ['min.insync.replica', 'unknown config "min.insync.replica" (did you mean "min.insync.replicas"?)'],
    ['cleanup.polciy', 'unknown config "cleanup.polciy" (did you mean "cleanup.policy"?)'],
    ['log.retention.ms', 'unknown config "log.retention.ms" (did you mean "retention.ms"?)'],
    ['log.retention.hours', 'unknown config "log.retention.hours" (did you mean "retention.ms"?)'],
    ['log.segment.bytes', 'unknown config "log.segment.bytes" (did you mean "segment.bytes"?)'],
    ['acks', 'unknown config "acks" (not a Kafka topic config)'],
    ['min.insync', 'unknown config "min.insync" (did you mean "min.insync.replicas"?)'],
    ['message.downconversion.enable', 'config "message.downconversion.enable" was removed in Kafka 4.0 (Kafka 4.0 removed down-conversion)'],
    ['message.timestamp.difference.max.ms', 'config "message.timestamp.difference.max.ms" was removed in Kafka 4.0 (use message.timestamp.before.max.ms and message.timestamp.after.max.ms)'],
  ])('%s', (name, message) => expect(unknownConfigMessage(name)).toBe(message))
})

describe('javaDoubleString', () => {
  it.each([
    [0.5, '0.5'], [1, '1.0'], [0, '0.0'], [0.001, '0.001'], [0.0001, '1.0E-4'], [0.00015, '1.5E-4'],
    [1234567, '1234567.0'], [1e7, '1.0E7'], [12_345_678.9, '1.23456789E7'], [-2.5, '-2.5'],
  ])('%d → %s', (value, text) => expect(javaDoubleString(value)).toBe(text))
})

describe('comparableConfigValue', () => {
  it.each<[string, string | null, string | null]>([
    ['cleanup.policy', 'delete,compact', 'compact,delete'],
    ['min.cleanable.dirty.ratio', '0.50', '0.5'],
    ['retention.ms', '604800000', '604800000'],
    ['retention.ms', null, null],
    // Kafka accepted it, the table would not: compared as is rather than dropped.
    ['compression.type', 'brotli', 'brotli'],
    ['some.future.config', 'x', 'x'],
  ])('%s %j → %j', (name, value, expected) => expect(comparableConfigValue(name, value)).toBe(expected))
})

describe('humaneConfigValue', () => {
  it.each<[string, string, string | number | boolean]>([
    ['retention.ms', '604800000', '7d'],
    ['retention.ms', '1209600000', '14d'],
    ['retention.ms', '86400000', '1d'],
    ['retention.ms', '5400000', '90m'],
    ['retention.ms', '1500', 1500],
    ['retention.ms', '-1', -1],
    ['retention.ms', '0', 0],
    ['flush.ms', '9223372036854775807', '9223372036854775807'],
    ['retention.bytes', '1073741824', '1GiB'],
    ['retention.bytes', '100000000', 100_000_000],
    ['retention.bytes', '-1', -1],
    ['min.insync.replicas', '2', 2],
    ['flush.messages', '9223372036854775807', '9223372036854775807'],
    ['min.cleanable.dirty.ratio', '0.5', 0.5],
    ['preallocate', 'true', true],
    ['compression.type', 'lz4', 'lz4'],
    ['cleanup.policy', 'compact,delete', 'compact,delete'],
    ['not.a.config', 'x', 'x'],
  ])('%s %s → %j', (name, value, expected) => expect(humaneConfigValue(name, value)).toBe(expected))

  it('round-trips through normalisation for every config default and a few values', () => {
    const samples: Array<[string, string]> = [
      ...[...TOPIC_CONFIGS.values()].map((def): [string, string] => [def.name, def.kafkaDefault]),
      ['retention.ms', '5400000'], ['retention.bytes', '1610612736'], ['min.cleanable.dirty.ratio', '1.0E-4'],
      ['min.cleanable.dirty.ratio', '1.0'], ['cleanup.policy', 'compact,delete'],
    ]
    for (const [name, value] of samples) expect(normaliseConfigValue(name, humaneConfigValue(name, value)), `${name}=${value}`).toEqual({ok: true, value})
  })
})

describe('did you mean', () => {
  it.each([
    ['', '', 0], ['abc', 'abc', 0], ['abc', 'abd', 1], ['retnetion', 'retention', 1], ['kitten', 'sitting', 3], ['', 'abc', 3],
  ])('editDistance(%j, %j) = %d', (a, b, d) => expect(editDistance(a, b)).toBe(d))

  it.each<[string, string[], string | undefined]>([
    ['partition', ['name', 'partitions', 'replicationFactor', 'config'], 'partitions'],
    ['replication_factor', ['name', 'partitions', 'replicationFactor', 'config'], 'replicationFactor'],
    ['Configs', ['name', 'partitions', 'replicationFactor', 'config'], 'config'],
    ['replication', ['name', 'partitions', 'replicationFactor', 'config'], 'replicationFactor'],
    ['foo', ['name', 'partitions', 'replicationFactor', 'config'], undefined],
    ['con', ['name', 'partitions', 'replicationFactor', 'config'], undefined],
    ['x', [], undefined],
  ])('closestMatch(%j)', (word, candidates, match) => expect(closestMatch(word, candidates)).toBe(match))

  it('formats the hint', () => {
    expect(didYouMean('stagin', ['dev', 'staging'])).toBe(' (did you mean "staging"?)')
    expect(didYouMean('prod', ['dev'])).toBe('')
  })
})
