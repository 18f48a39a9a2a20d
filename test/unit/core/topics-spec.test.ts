import {readFileSync} from 'node:fs'
import {describe, expect, it, vi} from 'vitest'
import {formatProblem, type Problem} from '../../../src/core/problem.js'
import {DEFAULT_POLICY, parseTopicsSpec, type NormalisedSpec} from '../../../src/core/topics-spec.js'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/topics/${name}`, import.meta.url), 'utf8')
const lines = (problems: Problem[]) => problems.map(formatProblem)

/** Parses a file that must be valid, and returns its spec. */
function parseValid(text: string, env?: string): NormalisedSpec {
  const {spec, problems} = parseTopicsSpec(text, 'topics.yaml', {env})
  expect(lines(problems)).toEqual([])
  return spec!
}

describe('parseTopicsSpec: valid files', () => {
  it('reads the minimal file, with the default policy', () => {
    expect(parseValid(fixture('valid-minimal.yaml'))).toEqual({
      file: 'topics.yaml',
      managedPrefixes: [],
      policy: DEFAULT_POLICY,
      topics: [{name: 'orders.payment.completed', partitions: 6, replicationFactor: 3, config: {}, location: {line: 3, col: 5}}],
    })
  })

  it('merges defaults < topic, normalises values and drops configs set to null', () => {
    const spec = parseValid(fixture('valid-layers.yaml'))
    expect(spec.cluster).toEqual({id: 'prod-cluster-id', location: {line: 3, col: 15}})
    expect(spec.managedPrefixes).toEqual(['orders.', 'users.'])
    expect(spec.topics).toEqual([
      {
        name: 'orders.payment.completed', partitions: 12, replicationFactor: 3, location: {line: 31, col: 5},
        config: {
          'cleanup.policy': 'delete', 'compression.type': 'lz4', 'flush.ms': '9223372036854775807',
          'min.insync.replicas': '2', 'retention.ms': '604800000',
        },
      },
      {
        name: 'users.profile.updated', partitions: 6, replicationFactor: 3, location: {line: 37, col: 5},
        config: {
          'cleanup.policy': 'compact,delete', 'compression.type': 'lz4', 'min.cleanable.dirty.ratio': '1.0',
          'min.insync.replicas': '2', 'segment.bytes': '536870912',
        },
      },
    ])
  })

  it('lets the chosen environment win over the whole base file', () => {
    const dev = parseValid(fixture('valid-layers.yaml'), 'dev')
    expect(dev.env).toBe('dev')
    expect(dev.cluster).toEqual({id: 'dev-cluster-id', location: {line: 13, col: 19}})
    const [orders, users] = dev.topics
    // environment topic (partitions 2) > environment defaults (RF 1) > topic (12, RF 3)
    expect(orders).toMatchObject({partitions: 2, replicationFactor: 1})
    // null in the environment topic un-declares compression.type from the base defaults
    expect(orders.config).toEqual({'cleanup.policy': 'delete', 'flush.ms': '9223372036854775807', 'min.insync.replicas': '1', 'retention.ms': '86400000'})
    // environment defaults re-declare retention.ms that the base topic set to null
    expect(users.config['retention.ms']).toBe('86400000')
    expect(dev.policy).toEqual({
      naming: {pattern: DEFAULT_POLICY.naming.pattern, severity: 'error'},
      minReplicationFactor: {value: 3, severity: 'off'},
      minInsyncReplicas: {value: 2, severity: 'off'},
      minRetentionMs: {value: 43_200_000, severity: 'error'},
      maxPartitions: {value: 50, severity: 'warn'},
      aclWriteOnAll: {severity: 'warn'},
      consumerWithoutGroup: {severity: 'warn'},
      denyShadowsAllow: {severity: 'warn'},
      zeroQuota: {severity: 'warn'},
    })

    const staging = parseValid(fixture('valid-layers.yaml'), 'staging')
    expect(staging.topics.map((t) => t.replicationFactor)).toEqual([2, 2])
    expect(staging.cluster?.id).toBe('prod-cluster-id')
  })

  it.each<[string, string, Record<string, string>]>([
    ['durations', 'retention.ms: 7d\n      segment.ms: 1h30m\n      delete.retention.ms: 86400000', {'delete.retention.ms': '86400000', 'retention.ms': '604800000', 'segment.ms': '5400000'}],
    ['sizes', 'retention.bytes: 1GiB\n      max.message.bytes: 524288', {'max.message.bytes': '524288', 'retention.bytes': '1073741824'}],
    ['booleans', 'preallocate: True\n      unclean.leader.election.enable: false', {'preallocate': 'true', 'unclean.leader.election.enable': 'false'}],
    ['lists', 'cleanup.policy: "delete, compact"', {'cleanup.policy': 'compact,delete'}],
    ['doubles', 'min.cleanable.dirty.ratio: 1', {'min.cleanable.dirty.ratio': '1.0'}],
    ['Long.MAX_VALUE without rounding', 'flush.messages: 9223372036854775807', {'flush.messages': '9223372036854775807'}],
    ['quoted numbers', 'min.insync.replicas: "2"', {'min.insync.replicas': '2'}],
  ])('normalises %s', (_, yamlConfig, config) => {
    const spec = parseValid(`version: 1\ntopics:\n  - name: a.b.c\n    partitions: 1\n    replicationFactor: 1\n    config:\n      ${yamlConfig}\n`)
    expect(spec.topics[0].config).toEqual(config)
  })

  it('parses the repository example, for every environment', () => {
    const text = readFileSync(new URL('../../../topics.yaml', import.meta.url), 'utf8')
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/topics.schema.json')
    const base = parseValid(text)
    const dev = parseValid(text, 'dev')
    const policies = base.topics.map((t) => t.config['cleanup.policy'] ?? 'delete')
    expect(policies).toContain('compact')
    expect(policies).toContain('delete')
    expect(dev.topics.every((t) => t.replicationFactor === 1)).toBe(true)
  })
})

describe('parseTopicsSpec: every problem, with file:line:col', () => {
  it('quotes the example from the docs exactly', () => {
    const {problems} = parseTopicsSpec(fixture('broken-configs.yaml'), 'topics.yaml')
    expect(lines(problems)).toContain('topics.yaml:14:5: topic "orders.created": unknown config "retension.ms" (did you mean "retention.ms"?)')
  })

  it.each<[string, string[]]>([
    ['broken-configs.yaml', [
      'broken-configs.yaml:7:19: defaults: retention.ms: "7 days" is not a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d',
      'broken-configs.yaml:8:5: defaults: unknown config "compresion.type" (did you mean "compression.type"?)',
      'broken-configs.yaml:9:20: defaults: segment.bytes: "1KiB" is out of range: must be at least 1048576 (1MiB)',
      'broken-configs.yaml:14:5: topic "orders.created": unknown config "retension.ms" (did you mean "retention.ms"?)',
      'broken-configs.yaml:15:26: topic "orders.created": min.insync.replicas: "two" is not an integer',
      'broken-configs.yaml:16:21: topic "orders.created": cleanup.policy: item "deleted" is not "delete" or "compact"',
      'broken-configs.yaml:17:5: topic "orders.created": config "message.downconversion.enable" was removed in Kafka 4.0 (Kafka 4.0 removed down-conversion)',
      'broken-configs.yaml:18:5: topic "orders.created": unknown config "log.retention.hours" (did you mean "retention.ms"?)',
      'broken-configs.yaml:19:32: topic "orders.created": min.cleanable.dirty.ratio: 2 is out of range: must be between 0 and 1',
      'broken-configs.yaml:20:37: topic "orders.created": unclean.leader.election.enable: "yes" is not a boolean (true or false)',
      'broken-configs.yaml:21:23: topic "orders.created": compression.type: "snapy" is not one of uncompressed, zstd, lz4, snappy, gzip, producer (did you mean "snappy"?)',
    ]],
    ['broken-schema.yaml', [
      'broken-schema.yaml:1:10: version must be 1',
      'broken-schema.yaml:3:15: defaults: partitions must be at least 1 (got 0)',
      'broken-schema.yaml:4:3: defaults: unknown key "replicationfactor" (did you mean "replicationFactor"?)',
      'broken-schema.yaml:8:23: managed.prefixes[1] must not be empty',
      'broken-schema.yaml:10:44: policy.naming.severity must be one of error, warn, off, not "fatal"',
      'broken-schema.yaml:11:33: policy.minReplicationFactor.value must be at least 1 (got 0)',
      'broken-schema.yaml:12:3: unknown key "policy.maxPartition" (did you mean "maxPartitions"?)',
      'broken-schema.yaml:15:17: topic "orders.payment.completed": partitions must be an integer',
      'broken-schema.yaml:17:5: topic "orders.payment.completed": unknown key "retention.ms" (a topic config: put it under "config:")',
      'broken-schema.yaml:18:5: topics[1]: missing "name"',
      'broken-schema.yaml:20:5: topics[2] must be a mapping (key: value)',
      'broken-schema.yaml:21:11: topic name "users profile" is not valid: Kafka allows letters, digits, \'.\', \'_\' and \'-\', at most 249 characters, and not "." or ".."',
      'broken-schema.yaml:24:1: unknown key "extra" (expected one of: version, cluster, defaults, environments, managed, policy, topics, acls, users, quotas)',
    ]],
    ['broken-names.yaml', [
      'broken-names.yaml:5:11: topic "orders_payment.completed" collides with "orders.payment.completed": Kafka treats \'.\' and \'_\' alike in metric names and refuses the second',
      'broken-names.yaml:7:11: topic "orders.payment.completed" is declared twice (first at line 4)',
      'broken-names.yaml:8:11: topic name ".." is not valid: Kafka allows letters, digits, \'.\', \'_\' and \'-\', at most 249 characters, and not "." or ".."',
      'broken-names.yaml:9:11: topic "users.profile.updated" is declared twice (first at line 6)',
    ]],
    ['broken-environments.yaml', [
      'broken-environments.yaml:6:26: environment "dev" defaults: replicationFactor must be at least 1 (got 0)',
      'broken-environments.yaml:7:30: environment "dev" defaults: retention.ms: "forever" is not a duration: milliseconds, or 500ms, 30s, 15m, 12h, 7d',
      'broken-environments.yaml:9:7: environment "dev": topic "orders.payment.complete" is not declared under topics (did you mean "orders.payment.completed"?)',
      'broken-environments.yaml:10:58: environment "dev" topic "orders.payment.completed": unknown config "retension.ms" (did you mean "retention.ms"?)',
      'broken-environments.yaml:12:25: environment "dev": policy.naming.pattern: Invalid regular expression: /(unclosed/: Unterminated group',
      'broken-environments.yaml:13:29: environment "dev": policy.minRetention.value: "soon" is not a duration (e.g. 1d, 12h or milliseconds)',
      'broken-environments.yaml:15:5: environment "prod": unknown key "clusterId" (did you mean "cluster"?)',
    ]],
    ['missing-counts.yaml', [
      'missing-counts.yaml:3:5: topic "orders.payment.completed": partitions is not set (set it on the topic or under defaults)',
      'missing-counts.yaml:3:5: topic "orders.payment.completed": replicationFactor is not set (set it on the topic or under defaults)',
      'missing-counts.yaml:4:5: topic "orders.payment.refunded": replicationFactor is not set (set it on the topic or under defaults)',
    ]],
    ['broken-yaml.yaml', [
      'broken-yaml.yaml:5:3: Flow map in block collection must be sufficiently indented and end with a }',
      'broken-yaml.yaml:6:1: Missing closing "quote',
    ]],
  ])('%s: all problems, in file order, and no spec', (name, expected) => {
    const {spec, problems} = parseTopicsSpec(fixture(name), name)
    expect(lines(problems)).toEqual(expected)
    expect(spec).toBeUndefined()
    for (const problem of problems) expect(problem.severity).toBe('error')
  })

  it('checks every environment, not only the chosen one, and names an unknown --env', () => {
    const text = fixture('broken-environments.yaml')
    const withoutEnv = lines(parseTopicsSpec(text, 'f.yaml').problems)
    const withDev = lines(parseTopicsSpec(text, 'f.yaml', {env: 'dev'}).problems)
    expect(withDev).toEqual(withoutEnv)
    expect(lines(parseTopicsSpec(text, 'f.yaml', {env: 'stagin'}).problems)[0]).toBe('f.yaml:3:1: unknown environment "stagin" (known: dev, prod)')
    expect(lines(parseTopicsSpec(fixture('valid-minimal.yaml'), 'f.yaml', {env: 'dev'}).problems)).toEqual([
      'f.yaml:1:1: unknown environment "dev" (the file declares no environments)',
    ])
    expect(lines(parseTopicsSpec('version: 1\nenvironments:\n  staging: {}\ntopics: []\n', 'f.yaml', {env: 'stagin'}).problems)).toEqual([
      'f.yaml:2:1: unknown environment "stagin" (known: staging) (did you mean "staging"?)',
    ])
  })

  it.each<[string, string, string[]]>([
    ['an empty file', '', ['f.yaml:1:1: the file is empty; it needs at least "version: 1" and "topics:"']],
    ['only comments', '# nothing\n', ['f.yaml:1:1: the file is empty; it needs at least "version: 1" and "topics:"']],
    ['a list at the top', '- a\n', ['f.yaml:1:1: the file must be a mapping (key: value)']],
    ['a missing topics key', 'version: 1\n', ['f.yaml:1:1: missing "topics"']],
    ['duplicate keys', 'version: 1\ntopics: []\ntopics: []\n', ['f.yaml:3:1: Map keys must be unique']],
    ['duplicate config keys', 'version: 1\ntopics:\n  - name: a.b.c\n    config:\n      retention.ms: 1d\n      retention.ms: 2d\n', ['f.yaml:6:7: Map keys must be unique']],
    ['a tab', 'version: 1\ntopics:\n\t- name: a\n', ['f.yaml:3:1: Tabs are not allowed as indentation']],
    ['two documents', 'version: 1\ntopics: []\n---\nversion: 1\n', ['f.yaml:3:1: Source contains multiple documents; please use YAML.parseAllDocuments()']],
    ['topics that is not a list', 'version: 1\ntopics: {name: a.b.c}\n', ['f.yaml:2:9: topics must be a list']],
  ])('reports %s', (_, text, expected) => {
    const {spec, problems} = parseTopicsSpec(text, 'f.yaml')
    expect(lines(problems)).toEqual(expected)
    expect(spec).toBeUndefined()
  })

  it('carries the document path of each problem', () => {
    const {problems} = parseTopicsSpec(fixture('broken-configs.yaml'), 'topics.yaml')
    expect(problems.find((p) => p.line === 14)).toEqual({
      file: 'topics.yaml', line: 14, col: 5, severity: 'error',
      message: 'topic "orders.created": unknown config "retension.ms" (did you mean "retention.ms"?)',
      path: ['topics', 1, 'config', 'retension.ms'],
    })
  })

  it('does not repeat "not set" when the cause is a misspelt key', () => {
    const text = 'version: 1\ndefaults:\n  partitions: 3\n  replication: 3\ntopics:\n  - name: a.b.c\n'
    expect(lines(parseTopicsSpec(text, 'f.yaml').problems)).toEqual([
      'f.yaml:4:3: defaults: unknown key "replication" (did you mean "replicationFactor"?)',
    ])
  })
})

describe('formatProblem', () => {
  it.each<[Problem, string]>([
    [{file: 'topics.yaml', line: 14, col: 5, severity: 'error', message: 'm'}, 'topics.yaml:14:5: m'],
    [{file: 'topics.yaml', line: 3, col: 1, severity: 'warning', message: 'm'}, 'topics.yaml:3:1: warning: m'],
  ])('%j', (problem, line) => expect(formatProblem(problem)).toBe(line))
})

describe('parseTopicsSpec: YAML oddities', () => {
  it('reports a map used as a key as a problem, without a Node process warning', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    try {
      const {problems} = parseTopicsSpec('version: 1\npolicy:\n  ? {naming: 1}\n  : x\ntopics: []\n', 'topics.yaml')
      expect(lines(problems)[0]).toMatch(/^topics\.yaml:3:3: unknown key "policy\./)
      expect(emitWarning).not.toHaveBeenCalled()
    } finally {
      emitWarning.mockRestore()
    }
  })
})
