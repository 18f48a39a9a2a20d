/** What `kafkit configs set | delete` share: the flags naming the resource, and plan → confirm → apply. */
import {Flags} from '@oclif/core'

import {applyConfigPlan, planConfigChange, type ConfigChangeRequest} from '../app/configs.js'
import type {KafkaClient} from '../app/kafka-client.js'
import type {ConfigResourceRef} from '../core/config-changes.js'
import {KafkitError} from '../errors.js'
import {applyConfirmed, changeFlags} from './confirm.js'
import {configChangeQuestion, type ConfigChangeOutcome} from './render-configs.js'

/** One broker, every broker, or one topic. */
export const configResourceFlags = {
  broker: Flags.string({description: 'one broker, by id (kafkit cluster info lists them)', helpValue: 'ID'}),
  'broker-default': Flags.boolean({description: 'the cluster-wide default of every broker'}),
  topic: Flags.string({description: 'one topic', helpValue: 'NAME'}),
}

/**
 * Exactly one of --broker ID, --broker-default, --topic NAME.
 */
export function resourceFromFlags(flags: {broker?: string; 'broker-default'?: boolean; topic?: string}): ConfigResourceRef {
  const given = [flags.broker !== undefined && '--broker', flags['broker-default'] && '--broker-default', flags.topic !== undefined && '--topic'].filter(Boolean) as string[]
  if (given.length === 0) throw new KafkitError('name what to configure: --broker ID, --broker-default (every broker) or --topic NAME')
  if (given.length > 1) throw new KafkitError(`${given.join(' and ')} cannot be used together: configure one broker (--broker ID), the cluster-wide default (--broker-default) or one topic (--topic NAME)`)
  if (flags.topic !== undefined) {
    if (flags.topic.trim() === '') throw new KafkitError('--topic: the topic name is empty')
    return {type: 'topic', name: flags.topic}
  }
  if (flags.broker !== undefined) {
    const id = flags.broker.trim()
    if (!/^\d+$/.test(id) || !Number.isSafeInteger(Number(id))) throw new KafkitError(`--broker: "${flags.broker}" is not a broker id (a whole number, as kafkit cluster info lists them)`)
    return {type: 'broker', name: String(Number(id))}
  }
  return {type: 'broker', name: ''}
}

export const configChangeFlags = {...configResourceFlags, ...changeFlags}

/** Plans the change, asks (or needs --yes) unless it is a dry run or changes nothing, applies it. */
export async function changeConfigs(
  kafka: KafkaClient,
  resource: ConfigResourceRef,
  change: ConfigChangeRequest,
  flags: {'dry-run': boolean; yes: boolean},
): Promise<ConfigChangeOutcome> {
  const plan = await planConfigChange(kafka, resource, change)
  const changes = plan.changes.some((c) => !c.unchanged)
  const applied = await applyConfirmed({changes, flags, question: configChangeQuestion(plan), apply: () => applyConfigPlan(kafka, plan)})
  return {...plan, dryRun: flags['dry-run'], applied}
}
