import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {applyTopicPlan, exportTopics, finishReassignmentsInProgress, planTopics, readTopicsFile, type ApplyProgress} from '../../../src/app/declarative-topics.js'
import {DEFAULT_POLICY, type DesiredTopic, type NormalisedSpec} from '../../../src/core/topics-spec.js'
import {KafkitError} from '../../../src/errors.js'
import {FakeKafka} from './fake-kafka.js'
import {rejection} from '../kafkit-error.js'

function topic(name: string, fields: Partial<Omit<DesiredTopic, 'name'>> = {}): DesiredTopic {
  return {name, partitions: 3, replicationFactor: 1, config: {}, location: {line: 1, col: 1}, ...fields}
}

function spec(topics: DesiredTopic[], fields: Partial<NormalisedSpec> = {}): NormalisedSpec {
  return {file: 'topics.yaml', managedPrefixes: [], policy: DEFAULT_POLICY, topics, ...fields}
}

/** A cluster that differs from `desired` in every way a plan can see. */
function scenario() {
  const fake = new FakeKafka({brokers: 3})
  fake.addTopic('grow', {partitions: 2})
  fake.addTopic('tune', {partitions: 3, configs: {'retention.ms': '1000', 'segment.bytes': '1048576'}})
  fake.addTopic('replicate', {partitions: 3, replicationFactor: 1})
  fake.addTopic('legacy', {partitions: 1})
  fake.addTopic('__consumer_offsets', {partitions: 3})
  const desired = spec([
    topic('create.me', {config: {'cleanup.policy': 'compact'}}),
    topic('grow', {partitions: 4}),
    // retention.ms changes, segment.bytes is no longer declared (removed), max.message.bytes is new.
    topic('tune', {config: {'retention.ms': '2000', 'max.message.bytes': '2000000'}}),
    topic('replicate', {replicationFactor: 2}),
  ], {managedPrefixes: ['legacy']})
  return {fake, desired}
}

const kinds = (changes: {kind: string; topic: string}[]) => changes.map((c) => `${c.kind} ${c.topic}`)

describe('planTopics', () => {
  it('reads the cluster once, configs only for declared topics, and plans every kind of change', async () => {
    const {fake, desired} = scenario()
    const {plan, summary} = await planTopics(fake.client(), desired, {prune: true})
    expect(kinds(plan.changes)).toEqual(['create create.me', 'addPartitions grow', 'delete legacy', 'replication replicate', 'config tune'])
    expect(summary).toMatchObject({create: 1, addPartitions: 1, replication: 1, config: 1, delete: 1})
    expect(fake.calls.map((c) => c.method)).toEqual(['readClusterState'])
    const {configsFor} = fake.callsOf('readClusterState')[0][0] as {configsFor: (t: string) => boolean}
    expect(['tune', 'legacy', 'create.me'].map(configsFor)).toEqual([true, false, true])
  })

  // Entries at Kafka's default are ~90 % of what a DescribeConfigs returns; the plan keeps the
  // declared ones (a declared default is in sync) and min.insync.replicas (an inherited one is checked).
  it('keeps, of the entries at Kafka\'s default, only the declared keys and min.insync.replicas; a declared default is in sync', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.addTopic('orders', {partitions: 3, replicationFactor: 1})
    const desired = spec([topic('orders', {config: {'cleanup.policy': 'delete', 'retention.ms': '604800000'}})])
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    expect(plan.changes).toEqual([])
    const {defaultConfigsFor} = fake.callsOf('readClusterState')[0][0] as {defaultConfigsFor: (t: string, n: string) => boolean}
    expect([['orders', 'cleanup.policy'], ['orders', 'min.insync.replicas'], ['orders', 'segment.bytes'], ['other', 'cleanup.policy']].map(([t, n]) => defaultConfigsFor(t, n))).toEqual([true, true, false, false])
  })

  it('without prune, undeclared topics are left alone (internal ones never listed)', async () => {
    const {fake, desired} = scenario()
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    expect(kinds(plan.changes)).not.toContain('delete legacy')
    expect(plan.unmanaged).toEqual(['legacy'])
  })
})

describe('applyTopicPlan', () => {
  it('one batched call per step, in dependency order, only the changed config keys; the re-plan is empty', async () => {
    const {fake, desired} = scenario()
    const {plan} = await planTopics(fake.client(), desired, {prune: true})
    fake.calls.length = 0
    const steps: string[] = []
    const report = await applyTopicPlan(fake.client(), desired, plan, {prune: true, reassignmentTimeoutMs: 5000, onProgress: (p: ApplyProgress) => steps.push(p.step)})

    expect(fake.calls.map((c) => c.method)).toEqual([
      'createTopics',
      'addPartitions',
      'reassignPartitions',
      'waitForReassignments',
      'alterTopicConfigs',
      'deleteTopicsReportingFailures',
      'readClusterState',
    ])
    expect(fake.callsOf('createTopics')[0][0]).toEqual([{topic: 'create.me', partitions: 3, replicationFactor: 1, configs: {'cleanup.policy': 'compact'}}])
    expect(fake.callsOf('addPartitions')[0][0]).toEqual([{topic: 'grow', count: 4, assignments: undefined}])
    expect(fake.callsOf('alterTopicConfigs')[0][0]).toEqual([{topic: 'tune', set: {'max.message.bytes': '2000000', 'retention.ms': '2000'}, delete: ['segment.bytes']}])
    const [reassigned] = fake.callsOf('reassignPartitions')[0][0] as {topic: string; partitions: {replicas: number[]}[]}[]
    expect(reassigned).toMatchObject({topic: 'replicate'})
    expect(reassigned.partitions.every((p) => p.replicas.length === 2)).toBe(true)
    expect(fake.callsOf('waitForReassignments')[0][0]).toEqual(['replicate'])

    expect(report.failed).toEqual([])
    expect(kinds(report.applied.map((a) => ({kind: a.kind, topic: a.topic})))).toEqual(['create create.me', 'addPartitions grow', 'replication replicate', 'config tune', 'delete legacy'])
    expect(report.after?.plan.changes).toEqual([])
    expect(new Set(steps)).toEqual(new Set(['create', 'addPartitions', 'replication', 'config', 'delete']))
    expect(fake.topics.has('legacy')).toBe(false)
  })

  it('an override someone else set between plan and apply survives (only the plan\'s keys are sent)', async () => {
    const {fake, desired} = scenario()
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    fake.topics.get('tune')!.overrides['retention.bytes'] = '123456'
    fake.timeoutMs = 10_000
    const report = await applyTopicPlan(fake.client(), desired, plan, {prune: false, reassignmentTimeoutMs: 5000})
    // The re-plan shows that override as drift, not as the applied keys still missing: one
    // re-plan, no waiting for a change apply never made.
    expect(fake.callsOf('readClusterState')).toHaveLength(2)
    expect(fake.topics.get('tune')!.overrides).toEqual({'retention.ms': '2000', 'max.message.bytes': '2000000', 'retention.bytes': '123456'})
    // The next plan would remove it, as for any override the file does not declare.
    expect(report.after!.plan.changes).toMatchObject([{kind: 'config', topic: 'tune', entries: [{name: 'retention.bytes', action: 'remove'}]}])
  })

  it('a failed step is reported on its topic; that topic\'s later steps are skipped, the others go on', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.addTopic('a', {partitions: 1, configs: {'retention.ms': '1'}})
    fake.addTopic('b', {partitions: 1, configs: {'retention.ms': '1'}})
    const desired = spec([topic('a', {partitions: 2, config: {'retention.ms': '5'}}), topic('b', {partitions: 2, config: {'retention.ms': '5'}}), topic('c'), topic('d')])
    fake.refuse('addPartitions', 'a', 'not authorized for this topic')
    fake.refuse('createTopics', 'd', 'rejected by the broker\'s create-topic policy')
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    const report = await applyTopicPlan(fake.client(), desired, plan, {prune: false, reassignmentTimeoutMs: 5000})

    expect(report.failed).toEqual([
      {topic: 'd', error: 'rejected by the broker\'s create-topic policy', kind: 'create'},
      {topic: 'a', error: 'not authorized for this topic', kind: 'addPartitions'},
    ])
    expect(kinds(report.applied)).toEqual(['create c', 'addPartitions b', 'config b'])
    // a's config change is not sent after its partitions failed.
    expect(fake.callsOf('alterTopicConfigs')[0][0]).toEqual([{topic: 'b', set: {'retention.ms': '5'}, delete: []}])
    // The re-plan shows what is left: exactly the failed topics' changes.
    expect(kinds(report.after!.plan.changes)).toEqual(['addPartitions a', 'config a', 'create d'])
  })

  it('a reassignment that does not finish in time fails its topic', async () => {
    const {fake, desired} = scenario()
    fake.stuckReassignments.add('replicate')
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    fake.timeoutMs = 1
    const report = await applyTopicPlan(fake.client(), desired, plan, {prune: false, reassignmentTimeoutMs: 60_000})
    expect(report.failed).toEqual([{topic: 'replicate', kind: 'replication', error: 'reassignment still in progress after 60s'}])
    expect(fake.callsOf('waitForReassignments')[0][1]).toMatchObject({timeoutMs: 60_000, total: 3})
  })

  it('a plan with errors applies nothing', async () => {
    const fake = new FakeKafka()
    fake.addTopic('shrink', {partitions: 6})
    const desired = spec([topic('shrink', {partitions: 2}), topic('new')])
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    expect(plan.errors.length).toBeGreaterThan(0)
    const error = await rejection(applyTopicPlan(fake.client(), desired, plan, {prune: false, reassignmentTimeoutMs: 1000}))
    expect(error.message).toBe('the plan has errors; nothing was applied')
    expect(fake.callsOf('createTopics')).toEqual([])
  })

  it('a cluster that cannot be read after applying keeps the report of what was done', async () => {
    const {fake, desired} = scenario()
    const {plan} = await planTopics(fake.client(), desired, {prune: false})
    fake.failNext('readClusterState', new KafkitError('cannot reach Kafka at fake:9092 (connection refused)', {code: 'UNREACHABLE'}))
    const report = await applyTopicPlan(fake.client(), desired, plan, {prune: false, reassignmentTimeoutMs: 1000})
    expect(report.applied).toHaveLength(4)
    expect(report.after).toBeUndefined()
    expect(report.afterError).toBe('cannot reach Kafka at fake:9092 (connection refused)')
  })
})

describe('finishReassignmentsInProgress', () => {
  it('waits for the declared topics and passes when none is moving', async () => {
    const {fake, desired} = scenario()
    await finishReassignmentsInProgress(fake.client(), desired, {timeoutMs: 1000})
    expect(fake.callsOf('waitForReassignments')[0][0]).toEqual(['create.me', 'grow', 'tune', 'replicate'])
  })

  it('topics still moving fail with one clause per distinct error', async () => {
    const {fake, desired} = scenario()
    for (const t of ['grow', 'tune', 'replicate']) fake.stuckReassignments.add(t)
    const error = await rejection(finishReassignmentsInProgress(fake.client(), desired, {timeoutMs: 2000}))
    expect(error.message).toBe('reassignments already in progress did not finish: 3 topics (reassignment still in progress after 2s)')
  })
})

describe('exportTopics', () => {
  it('the live topics under the prefix as a topics file; configs read only for those', async () => {
    const fake = new FakeKafka({brokers: 3})
    fake.addTopic('orders.a', {partitions: 6, replicationFactor: 3, configs: {'retention.ms': '3600000'}})
    fake.addTopic('orders.b', {partitions: 6, replicationFactor: 3})
    fake.addTopic('unrelated', {partitions: 1})
    const exported = await exportTopics(fake.client(), {prefix: 'orders.'})
    expect(exported.topics).toBe(2)
    expect(exported.yaml).toContain('orders.a')
    expect(exported.yaml).not.toContain('unrelated')
    expect(exported.yaml).toMatch(/retention\.ms: (3600000|1h)/)
    const {configsFor} = fake.callsOf('readClusterState')[0][0] as {configsFor: (t: string) => boolean}
    expect([configsFor('orders.b'), configsFor('unrelated')]).toEqual([true, false])
  })

  it('export then plan against the same cluster changes nothing', async () => {
    const {fake} = scenario()
    const exported = await exportTopics(fake.client(), {})
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-export-'))
    writeFileSync(join(dir, 'topics.yaml'), exported.yaml)
    const file = readTopicsFile(join(dir, 'topics.yaml'))
    expect(file.spec).toBeDefined()
    const {plan} = await planTopics(fake.client(), file.spec!, {prune: true})
    expect(plan.changes).toEqual([])
  })
})

describe('readTopicsFile', () => {
  it('a missing file is one line with a hint; a directory says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-topics-'))
    expect(() => readTopicsFile(join(dir, 'nope.yaml'))).toThrow(`${join(dir, 'nope.yaml')}: no such file`)
    expect(() => readTopicsFile(dir)).toThrow(`${dir}: is a directory`)
  })
})
