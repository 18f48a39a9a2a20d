import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {formatProblem} from '../../../src/core/problem.js'
import {lintTopicsFile, lintTopicsSpec} from '../../../src/core/topics-lint.js'
import {parseTopicsSpec} from '../../../src/core/topics-spec.js'

/**
 * Lints one topic (RF 3, 6 partitions, min.insync.replicas 2 unless `topic` says otherwise)
 * under `policy`, and returns the formatted problems. The topic entry is on line 5.
 */
function lint(topic: string, policy = '{}', name = 'orders.payment.completed'): string[] {
  const text = [
    'version: 1',
    'defaults: {partitions: 6, replicationFactor: 3, config: {min.insync.replicas: 2}}',
    `policy: ${policy}`,
    'topics:',
    `  - name: ${name}`,
    ...topic.split('\n').filter(Boolean).map((line) => `    ${line}`),
    '',
  ].join('\n')
  const {spec, problems} = parseTopicsSpec(text, 'topics.yaml')
  expect(problems.map(formatProblem)).toEqual([])
  return lintTopicsSpec(spec!).map(formatProblem)
}

const at = (message: string, severity: 'error' | 'warning' = 'warning') =>
  `topics.yaml:5:5: ${severity === 'warning' ? 'warning: ' : ''}topic "orders.payment.completed": ${message}`

describe('lint: a topic that follows the seeds has no problems', () => {
  it('with the default policy', () => expect(lint('config: {retention.ms: 7d}')).toEqual([]))

  it('the repository example lints clean, with and without --env dev', () => {
    const text = readFileSync(new URL('../../../topics.yaml', import.meta.url), 'utf8')
    for (const env of [undefined, 'dev']) {
      const {spec, problems} = parseTopicsSpec(text, 'topics.yaml', {env})
      expect(problems).toEqual([])
      expect(lintTopicsSpec(spec!).map(formatProblem), `env ${env}`).toEqual([])
    }
  })
})

describe('lint: policy rules, each with the severity the file gives it', () => {
  it.each<[string, string, string, string[]]>([
    ['naming (default pattern)', '', '{}', []],
    ['minReplicationFactor', 'replicationFactor: 1\nconfig: {min.insync.replicas: 1}', '{minInsyncReplicas: {severity: off}}',
      [at('replicationFactor 1 is below the policy minimum 3: one broker failure loses data')]],
    ['minReplicationFactor as an error', 'replicationFactor: 2\nconfig: {min.insync.replicas: 1}', '{minReplicationFactor: {severity: error}, minInsyncReplicas: {severity: off}}',
      [at('replicationFactor 2 is below the policy minimum 3: 2 broker failures lose data', 'error')]],
    ['minReplicationFactor with its own value', 'replicationFactor: 2\nconfig: {min.insync.replicas: 1}', '{minReplicationFactor: {value: 2}, minInsyncReplicas: {severity: off}}', []],
    ['minReplicationFactor off', 'replicationFactor: 1\nconfig: {min.insync.replicas: 1}', '{minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}}', []],
    ['minInsyncReplicas (declared)', 'config: {min.insync.replicas: 1}', '{}',
      [at('min.insync.replicas 1 is below the policy minimum 2: an acks=all write may be acknowledged by a single replica')]],
    ['minInsyncReplicas (Kafka default)', 'config: {min.insync.replicas: null}', '{minInsyncReplicas: {severity: error}}',
      [at("min.insync.replicas 1 (not declared; Kafka's default is 1) is below the policy minimum 2: an acks=all write may be acknowledged by a single replica", 'error')]],
    ['minInsyncReplicas with its own value', 'replicationFactor: 5\nconfig: {min.insync.replicas: 2}', '{minInsyncReplicas: {value: 3}}',
      [at('min.insync.replicas 2 is below the policy minimum 3: an acks=all write may be acknowledged by only 2 replicas')]],
    ['minRetention', 'config: {retention.ms: 1h}', '{}',
      [at('retention.ms 1h is below the policy minimum 1d: a consumer down longer than that misses messages')]],
    ['minRetention with its own value', 'config: {retention.ms: 1d}', '{minRetention: {value: 3d, severity: error}}',
      [at('retention.ms 1d is below the policy minimum 3d: a consumer down longer than that misses messages', 'error')]],
    ['minRetention: Kafka default 7d passes', '', '{minRetention: {value: 3d}}', []],
    ['minRetention: -1 is forever', 'config: {retention.ms: -1, retention.bytes: 1GiB}', '{}', []],
    ['minRetention: compacted topics keep by key, not time', 'config: {cleanup.policy: compact, retention.ms: 1h}', '{}', []],
    ['minRetention: compact,delete still deletes', 'config: {cleanup.policy: "compact,delete", retention.ms: 1h}', '{}',
      [at('retention.ms 1h is below the policy minimum 1d: a consumer down longer than that misses messages')]],
    ['maxPartitions', 'partitions: 101', '{}',
      [at('101 partitions exceed the policy maximum 100: each partition costs broker memory, file handles and failover time, and partitions cannot be removed later')]],
    ['maxPartitions with its own value', 'partitions: 24', '{maxPartitions: {value: 12, severity: error}}',
      [at('24 partitions exceed the policy maximum 12: each partition costs broker memory, file handles and failover time, and partitions cannot be removed later', 'error')]],
    ['maxPartitions off', 'partitions: 1000', '{maxPartitions: {severity: off}}', []],
  ])('%s', (_, topic, policy, expected) => expect(lint(topic, policy)).toEqual(expected))

  it.each<[string, string, string[]]>([
    ['orders.payment.completed', '{}', []],
    ['orders.payment-gateway.timed-out', '{}', []],
    ['orders', '{}', ['topics.yaml:5:5: warning: topic "orders": name does not match the naming policy ^[a-z0-9-]+(\\.[a-z0-9-]+){2}$ (<domain>.<entity>.<event-type>, e.g. orders.payment.completed)']],
    ['Orders.Payment.Completed', '{naming: {severity: error}}', ['topics.yaml:5:5: topic "Orders.Payment.Completed": name does not match the naming policy ^[a-z0-9-]+(\\.[a-z0-9-]+){2}$ (<domain>.<entity>.<event-type>, e.g. orders.payment.completed)']],
    ['orders.payment.completed.v2', '{naming: {severity: off}}', []],
    ['orders_payments', "{naming: {pattern: '^[a-z_]+$', severity: error}}", []],
    ['orders.payments', "{naming: {pattern: '^[a-z_]+$', severity: error}}", ['topics.yaml:5:5: topic "orders.payments": name does not match the naming policy ^[a-z_]+$']],
  ])('naming: %s with %s', (name, policy, expected) => expect(lint('', policy, name)).toEqual(expected))
})

describe('lint: built-in checks from the seeds, whatever the policy says', () => {
  const noPolicy = '{naming: {severity: off}, minReplicationFactor: {severity: off}, minInsyncReplicas: {severity: off}, minRetention: {severity: off}, maxPartitions: {severity: off}}'
  it.each<[string, string, string[]]>([
    ['min.insync.replicas above RF makes acks=all impossible', 'replicationFactor: 2\nconfig: {min.insync.replicas: 3}',
      [at('min.insync.replicas 3 is greater than replicationFactor 2: producers with acks=all can never write (NotEnoughReplicas)', 'error')]],
    ['min.insync.replicas equal to RF blocks producers when one broker is down', 'config: {min.insync.replicas: 3}',
      [at('min.insync.replicas equals replicationFactor (3): any one broker down blocks producers with acks=all; use 2')]],
    ['RF 1 with min.insync.replicas 1 is left to the policy', 'replicationFactor: 1\nconfig: {min.insync.replicas: 1}', []],
    ['min.compaction.lag.ms above max.compaction.lag.ms', 'config: {cleanup.policy: compact, min.compaction.lag.ms: 2d, max.compaction.lag.ms: 1d}',
      [at('min.compaction.lag.ms (172800000) is greater than max.compaction.lag.ms (86400000); Kafka rejects this', 'error')]],
    ['infinite retention with delete grows without bound', 'config: {retention.ms: -1}',
      [at('retention.ms is -1 (forever) with cleanup.policy delete and no retention.bytes: the topic grows without bound; set a retention or use cleanup.policy compact')]],
    ['infinite retention bounded by size', 'config: {retention.ms: -1, retention.bytes: 10GiB}', []],
    ['infinite retention on a compacted topic', 'config: {retention.ms: -1, cleanup.policy: compact}', []],
    ['messages over 1 MB', 'config: {max.message.bytes: 10MiB}',
      [at("max.message.bytes 10MiB allows messages over 1 MB: large messages slow brokers and consumers (store the payload elsewhere and send a reference), and consumers' fetch sizes must match")]],
    ['messages up to Kafka\'s default', 'config: {max.message.bytes: 1048588}', []],
    ['unclean leader election', 'config: {unclean.leader.election.enable: true}',
      [at('unclean.leader.election.enable is true: an out-of-sync replica may become leader and acknowledged messages are lost')]],
  ])('%s', (_, topic, expected) => expect(lint(topic, noPolicy)).toEqual(expected))

  it('reports several problems of one topic, errors first', () => {
    expect(lint('replicationFactor: 1\nconfig: {min.insync.replicas: 2, retention.ms: 1h}')).toEqual([
      at('min.insync.replicas 2 is greater than replicationFactor 1: producers with acks=all can never write (NotEnoughReplicas)', 'error'),
      at('replicationFactor 1 is below the policy minimum 3: one broker failure loses data'),
      at('retention.ms 1h is below the policy minimum 1d: a consumer down longer than that misses messages'),
    ])
  })

  it('points each problem at its own topic', () => {
    const text = 'version: 1\ndefaults: {partitions: 3, replicationFactor: 3}\ntopics:\n  - name: a.b.c\n  - name: bad\n\n  - name: worse\n'
    const {spec} = parseTopicsSpec(text, 't.yaml')
    expect(lintTopicsSpec(spec!).map((p) => `${p.line}:${p.col} ${p.message.split(':')[0]}`)).toEqual([
      '4:5 topic "a.b.c"', '5:5 topic "bad"', '5:5 topic "bad"', '7:5 topic "worse"', '7:5 topic "worse"',
    ])
  })
})

describe('lintTopicsFile: parse, then lint', () => {
  const file = 'version: 1\ndefaults: {partitions: 3, replicationFactor: 3, config: {min.insync.replicas: 2}}\npolicy: {naming: {severity: error}}\ntopics:\n'
  it('keeps the spec when there are only warnings', () => {
    const {spec, problems} = lintTopicsFile(`${file}  - name: a.b.c\n    config: {retention.ms: 1h}\n`, 't.yaml')
    expect(problems.map(formatProblem)).toEqual(['t.yaml:5:5: warning: topic "a.b.c": retention.ms 1h is below the policy minimum 1d: a consumer down longer than that misses messages'])
    expect(spec?.topics.map((t) => t.name)).toEqual(['a.b.c'])
  })

  it('drops the spec when a lint rule is an error', () => {
    const {spec, problems} = lintTopicsFile(`${file}  - name: Orders\n`, 't.yaml')
    expect(problems.map((p) => p.severity)).toEqual(['error'])
    expect(spec).toBeUndefined()
  })

  it('reports parse problems alone when the file does not parse', () => {
    const {spec, problems} = lintTopicsFile(`${file}  - name: Orders\n    partitions: 0\n`, 't.yaml')
    expect(problems.map(formatProblem)).toEqual(['t.yaml:6:17: topic "Orders": partitions must be at least 1 (got 0)'])
    expect(spec).toBeUndefined()
  })
})
