/**
 * Lint for a parsed topics.yaml: the file's policy rules (each with the severity the file gives
 * it) and built-in checks from the seeds that hold whatever the policy says. Every problem points
 * at the topic's entry in the file.
 *
 * A config the topic does not declare is judged by Kafka's default, because that is what a
 * broker without overrides applies (a broker-level override is only visible to `plan`).
 */
import {hasErrors, sortProblems, type Problem, type Severity} from './problem.js'
import {humaneConfigValue, topicConfigDef} from './topic-configs.js'
import {parseTopicsSpec, type DesiredTopic, type NormalisedSpec, type ParseResult, type PolicySeverity} from './topics-spec.js'
import {DEFAULT_NAMING_PATTERN} from './topics-schema.js'
import {lintSecuritySpec} from './security-lint.js'

/** Kafka's default max.message.bytes; the seeds advise against messages over 1 MB. */
const LARGE_MESSAGE_BYTES = 1_048_588

/**
 * What `topics lint` reports and what `plan` must pass first: parse problems, then (for a file
 * that parses) the lint problems, in file order. The spec is undefined when any is an error.
 */
export function lintTopicsFile(text: string, file: string, options: {env?: string} = {}): ParseResult {
  const parsed = parseTopicsSpec(text, file, options)
  if (parsed.spec === undefined) return parsed
  const linted = parsed.spec.security === undefined ? lintTopicsSpec(parsed.spec) : sortProblems([...lintTopicsSpec(parsed.spec), ...lintSecuritySpec(parsed.spec)])
  const problems = parsed.problems.length === 0 ? linted : sortProblems([...parsed.problems, ...linted])
  return {spec: hasErrors(problems) ? undefined : parsed.spec, problems}
}

/**
 * Every finding of every topic, in file order; each names its topic (`topic`), so repeats group.
 * Apart from the naming rule, findings depend only on the partitions, replication factor and
 * configs, which most topics of a large file share: they are worked out once per combination.
 */
export function lintTopicsSpec(spec: NormalisedSpec): Problem[] {
  const naming = new RegExp(spec.policy.naming.pattern)
  const namingFinding = namingRuleFinding(spec)
  const byShape = new Map<string, Finding[]>()
  const problems: Problem[] = []
  const add = (topic: DesiredTopic, {severity, message}: Finding) => {
    if (severity === 'off') return
    problems.push({
      file: spec.file,
      line: topic.location.line,
      col: topic.location.col,
      severity: severity === 'warn' ? 'warning' : severity,
      message: `topic "${topic.name}": ${message}`,
      topic: topic.name,
    })
  }
  for (const topic of spec.topics) {
    let shape = `${topic.partitions},${topic.replicationFactor}`
    for (const _declared in topic.config) {
      shape = `${shape}|${JSON.stringify(topic.config)}`
      break
    }
    let findings = byShape.get(shape)
    if (findings === undefined) {
      findings = []
      policyFindings(spec, topic, findings)
      builtInFindings(topic, findings)
      byShape.set(shape, findings)
    }
    // In the order the rules were always reported: naming first.
    if (!naming.test(topic.name)) add(topic, namingFinding)
    for (const finding of findings) add(topic, finding)
  }
  return sortProblems(problems)
}

interface Finding {
  severity: Severity | PolicySeverity
  message: string
}

/** The declared value, else Kafka's default. */
function effective(topic: DesiredTopic, name: string): string {
  return topic.config[name] ?? topicConfigDef(name)?.kafkaDefault ?? ''
}

function declaredOrDefault(topic: DesiredTopic, name: string): string {
  return name in topic.config ? '' : ` (not declared; Kafka's default is ${effective(topic, name)})`
}

const deletesOldSegments = (topic: DesiredTopic) => effective(topic, 'cleanup.policy').split(',').includes('delete')

/** As topics.yaml would write it: 7d, 1GiB. */
const human = (config: string, value: number) => String(humaneConfigValue(config, String(value)))

function namingRuleFinding({policy}: NormalisedSpec): Finding {
  const scheme = policy.naming.pattern === DEFAULT_NAMING_PATTERN ? ' (<domain>.<entity>.<event-type>, e.g. orders.payment.completed)' : ''
  return {severity: policy.naming.severity, message: `name does not match the naming policy ${policy.naming.pattern}${scheme}`}
}

/** The policy rules other than naming. */
function policyFindings(spec: NormalisedSpec, topic: DesiredTopic, findings: Finding[]): void {
  const {policy} = spec
  const minRf = policy.minReplicationFactor.value
  if (topic.replicationFactor < minRf) {
    findings.push({
      severity: policy.minReplicationFactor.severity,
      message: `replicationFactor ${topic.replicationFactor} is below the policy minimum ${minRf}: ${topic.replicationFactor === 1 ? 'one broker failure loses' : `${topic.replicationFactor} broker failures lose`} data`,
    })
  }
  const minIsr = policy.minInsyncReplicas.value
  const isr = Number(effective(topic, 'min.insync.replicas'))
  if (isr < minIsr) {
    findings.push({
      severity: policy.minInsyncReplicas.severity,
      message: `min.insync.replicas ${isr}${declaredOrDefault(topic, 'min.insync.replicas')} is below the policy minimum ${minIsr}: an acks=all write may be acknowledged by ${isr === 1 ? 'a single replica' : `only ${isr} replicas`}`,
    })
  }
  const retentionMs = Number(effective(topic, 'retention.ms'))
  const minRetentionMs = policy.minRetentionMs.value
  if (deletesOldSegments(topic) && retentionMs >= 0 && retentionMs < minRetentionMs) {
    findings.push({
      severity: policy.minRetentionMs.severity,
      message: `retention.ms ${human('retention.ms', retentionMs)} is below the policy minimum ${human('retention.ms', minRetentionMs)}: a consumer down longer than that misses messages`,
    })
  }
  const maxPartitions = policy.maxPartitions.value
  if (topic.partitions > maxPartitions) {
    findings.push({
      severity: policy.maxPartitions.severity,
      message: `${topic.partitions} partitions exceed the policy maximum ${maxPartitions}: each partition costs broker memory, file handles and failover time, and partitions cannot be removed later`,
    })
  }
}

function builtInFindings(topic: DesiredTopic, findings: Finding[]): void {
  const rf = topic.replicationFactor
  const isr = Number(effective(topic, 'min.insync.replicas'))
  if (isr > rf) {
    findings.push({severity: 'error', message: `min.insync.replicas ${isr} is greater than replicationFactor ${rf}: producers with acks=all can never write (NotEnoughReplicas)`})
  } else if (isr === rf && rf > 1) {
    findings.push({severity: 'warning', message: `min.insync.replicas equals replicationFactor (${rf}): any one broker down blocks producers with acks=all; use ${rf - 1}`})
  }

  const minLag = BigInt(effective(topic, 'min.compaction.lag.ms'))
  const maxLag = BigInt(effective(topic, 'max.compaction.lag.ms'))
  if (minLag > maxLag) {
    findings.push({severity: 'error', message: `min.compaction.lag.ms (${minLag}) is greater than max.compaction.lag.ms (${maxLag}); Kafka rejects this`})
  }

  const unlimitedSize = BigInt(effective(topic, 'retention.bytes')) < 0n
  if (deletesOldSegments(topic) && effective(topic, 'retention.ms') === '-1' && unlimitedSize) {
    findings.push({severity: 'warning', message: 'retention.ms is -1 (forever) with cleanup.policy delete and no retention.bytes: the topic grows without bound; set a retention or use cleanup.policy compact'})
  }

  const maxMessageBytes = Number(effective(topic, 'max.message.bytes'))
  if (maxMessageBytes > LARGE_MESSAGE_BYTES) {
    findings.push({severity: 'warning', message: `max.message.bytes ${human('max.message.bytes', maxMessageBytes)} allows messages over 1 MB: large messages slow brokers and consumers (store the payload elsewhere and send a reference), and consumers' fetch sizes must match`})
  }

  if (effective(topic, 'unclean.leader.election.enable') === 'true') {
    findings.push({severity: 'warning', message: 'unclean.leader.election.enable is true: an out-of-sync replica may become leader and acknowledged messages are lost'})
  }
}
