/**
 * `kafkit configs describe|set|delete`: the configs of a topic, one broker or the cluster-wide
 * broker default. Reads go through DescribeConfigs (sources, flags, synonyms); writes through
 * IncrementalAlterConfigs, first with validateOnly so the broker's own checks run before anything
 * is asked or changed.
 */
import {
  type ConfigPlan,
  type ConfigResourceDescription,
  type ConfigResourceRef,
  type DescribedConfig,
  type KeyValue,
  checkTopicKey,
  planDelete,
  planSet,
  readOnlyMessage,
  resourceLabel,
  selectEntries,
  unknownKeyMessage,
  withUnlistedBrokerKeys,
} from '../core/config-changes.js'
import {normaliseConfigValue} from '../core/topic-configs.js'
import {KafkitError, notFound} from '../errors.js'
import type {KafkaClient} from './kafka-client.js'

export type {ConfigPlan}

export interface ConfigsDescription {
  resource: ConfigResourceRef
  /** Which entries are listed: the overrides at this level, every entry, or the keys asked for. */
  shown: 'overrides' | 'all' | 'keys'
  entries: DescribedConfig[]
}

interface LiveConfigs {
  /** The resource's own entries. */
  entries: readonly DescribedConfig[]
  /** Where key names, types and flags come from: for the broker default, a live broker's entries. */
  reference: readonly DescribedConfig[]
}

function resourceError(kafka: KafkaClient, d: ConfigResourceDescription): KafkitError {
  const {code, message} = d.error!
  if (code === 'UNKNOWN_TOPIC_OR_PARTITION') {
    return notFound('topic', [d.name], kafka.brokersLabel)
  }
  if (code === 'BROKER_NOT_FOUND') return new KafkitError(message, {code, hint: 'kafkit cluster info lists the brokers'})
  return new KafkitError(`${resourceLabel(d)}: ${message}`, {code})
}

async function readLive(kafka: KafkaClient, resource: ConfigResourceRef): Promise<LiveConfigs> {
  const wanted: ConfigResourceRef[] = [resource]
  if (resource.type === 'broker' && resource.name === '') {
    // The default resource lists only what is set at that level; a live broker knows every key.
    const {brokers} = await kafka.describeCluster({racks: false})
    if (brokers.length === 0) throw new KafkitError(`no broker is up on ${kafka.brokersLabel}`)
    wanted.push({type: 'broker', name: String(brokers[0].nodeId)})
  }
  const described = await kafka.describeConfigs(wanted)
  for (const d of described) if (d.error) throw resourceError(kafka, d)
  const reference = (described[1] ?? described[0]).entries
  return {entries: described[0].entries, reference: resource.type === 'broker' ? withUnlistedBrokerKeys(reference) : reference}
}

export async function describeResourceConfigs(kafka: KafkaClient, resource: ConfigResourceRef, opts: {all?: boolean; keys?: readonly string[]} = {}): Promise<ConfigsDescription> {
  const keys = opts.keys ?? []
  if (resource.type === 'topic') {
    const unknown = keys.map(checkTopicKey).find((m) => m !== undefined)
    if (unknown) throw new KafkitError(`${resourceLabel(resource)}: ${unknown}`)
  }
  const live = await readLive(kafka, resource)
  if (resource.type === 'broker') {
    const names = live.reference.map((e) => e.name)
    const unknown = keys.find((k) => !names.includes(k))
    if (unknown !== undefined) throw new KafkitError(`${resourceLabel(resource)}: ${unknownKeyMessage(resource, unknown, names)}`)
  }
  const entries = selectEntries(resource, live.entries, {all: opts.all, keys})
  return {resource, shown: keys.length > 0 ? 'keys' : opts.all ? 'all' : 'overrides', entries}
}

export type ConfigChangeRequest = {set: readonly KeyValue[]} | {delete: readonly string[]}

/** Sensitive values given to set: kept out of the plan (which is printed), sent from here. */
const secretValues = new WeakMap<ConfigPlan, ReadonlyMap<string, string>>()

/**
 * The plan of a change, checked three ways before anything is asked: kafkit's own table (topic
 * keys and units, before connecting), the live configs (unknown broker keys, read-only keys, value
 * types), and the broker's validateOnly run of the exact request.
 */
export async function planConfigChange(kafka: KafkaClient, resource: ConfigResourceRef, change: ConfigChangeRequest): Promise<ConfigPlan> {
  if (resource.type === 'topic' && 'set' in change) {
    for (const {key, value} of change.set) {
      const result = normaliseConfigValue(key, value)
      if (!result.ok) throw new KafkitError(`${resourceLabel(resource)}: ${checkTopicKey(key) ?? `${key}: ${result.reason}`}`)
    }
  }
  const live = await readLive(kafka, resource)
  let plan: ConfigPlan
  if ('set' in change) {
    plan = planSet(resource, change.set, live.entries, live.reference)
    const sensitive = plan.changes.filter((c) => c.sensitive).map((c) => c.key)
    secretValues.set(plan, new Map(change.set.filter((p) => sensitive.includes(p.key)).map((p) => [p.key, p.value])))
  } else {
    plan = planDelete(resource, change.delete, live.entries, live.reference)
  }
  if (plan.changes.some((c) => !c.unchanged)) await sendChanges(kafka, plan, true)
  return plan
}

/** Sends the plan's changes (validateOnly: only the broker's checks); one line for the broker's refusal. */
async function sendChanges(kafka: KafkaClient, plan: ConfigPlan, validateOnly: boolean): Promise<void> {
  const changed = plan.changes.filter((c) => !c.unchanged)
  const secrets = secretValues.get(plan)
  const set = Object.fromEntries(changed.filter((c) => c.op === 'set').map((c) => [c.key, c.sensitive ? (secrets?.get(c.key) ?? '') : (c.new?.value ?? '')]))
  const del = changed.filter((c) => c.op === 'delete').map((c) => c.key)
  const [result] = await kafka.incrementalAlterConfigs([{type: plan.resource.type, name: plan.resource.name, set, delete: del}], {validateOnly})
  if (result.error) {
    const readOnly = changed.filter((c) => c.readOnly).map((c) => c.key)
    // The broker's words do not always name the key ("/ by zero" for log.cleaner.threads=0).
    const named = changed.some((c) => result.error!.message.includes(c.key))
    const what = changed.map((c) => (c.op === 'delete' ? `delete ${c.key}` : c.sensitive ? c.key : `${c.key}=${c.new?.value ?? ''}`)).join(', ')
    const brokerSays = named ? result.error.message : `the broker refused ${what}: ${result.error.message}`
    const message = readOnly.length > 0 ? readOnlyMessage(plan.resource, readOnly, result.error.message) : `${resourceLabel(plan.resource)}: ${brokerSays}`
    throw new KafkitError(message, {code: result.error.code})
  }
}

/** Applies a plan made by planConfigChange (nothing to send when every key is unchanged). */
export async function applyConfigPlan(kafka: KafkaClient, plan: ConfigPlan): Promise<void> {
  if (plan.changes.every((c) => c.unchanged)) return
  await sendChanges(kafka, plan, false)
}
