/** The entity flags of `kafkit quotas list | set | delete`. */
import {Flags} from '@oclif/core'

import type {KafkaClient, QuotaFilterComponent} from '../app/kafka-client.js'
import {applyQuotas, planQuotas} from '../app/quotas.js'
import type {QuotaComponent, QuotaKey} from '../core/quotas.js'
import {KafkitError} from '../errors.js'
import {applyConfirmed, changeFlags} from './confirm.js'
import {quotaChangeQuestion, type QuotaChangeOutcome} from './render-quotas.js'

const invalid = (message: string) => new KafkitError(message, {code: 'INVALID_QUOTA'})

export const quotaEntityFlags = {
  user: Flags.string({description: 'a user (its principal name, e.g. alice)', helpValue: 'NAME'}),
  'user-default': Flags.boolean({description: 'the default of every user without a quota of its own'}),
  'client-id': Flags.string({description: 'a client id (with --user: that user\'s clients with this id)', helpValue: 'ID'}),
  'client-id-default': Flags.boolean({description: 'the default of every client id without a quota of its own'}),
}

export interface QuotaEntityFlags {
  user?: string
  'user-default'?: boolean
  'client-id'?: string
  'client-id-default'?: boolean
}

/**
 * The entity of set/delete: a user, a client id, or a user with a client id; either may be the
 * default (--user-default: every user without a quota of its own).
 */
export function quotaEntityFromFlags(flags: QuotaEntityFlags): QuotaComponent[] {
  if (flags.user !== undefined && flags['user-default']) throw invalid('--user and --user-default cannot be combined')
  if (flags['client-id'] !== undefined && flags['client-id-default']) throw invalid('--client-id and --client-id-default cannot be combined')
  const entity: QuotaComponent[] = []
  if (flags.user !== undefined) {
    if (flags.user.trim() === '') throw invalid('an empty --user name')
    entity.push({type: 'user', name: flags.user})
  } else if (flags['user-default']) entity.push({type: 'user', name: null})
  if (flags['client-id'] !== undefined) {
    if (flags['client-id'].trim() === '') throw invalid('an empty --client-id')
    entity.push({type: 'client-id', name: flags['client-id']})
  } else if (flags['client-id-default']) entity.push({type: 'client-id', name: null})
  if (entity.length === 0) throw invalid('name the entity: --user NAME, --client-id ID, both, or --user-default / --client-id-default')
  return entity
}

/** The describe filter of `quotas list`: each flag narrows; none lists every quota of the cluster. */
export function quotaListFilter(flags: QuotaEntityFlags): QuotaFilterComponent[] {
  const filter: QuotaFilterComponent[] = []
  if (flags.user !== undefined) filter.push({type: 'user', match: 'exact', name: flags.user})
  else if (flags['user-default']) filter.push({type: 'user', match: 'default'})
  if (flags['client-id'] !== undefined) filter.push({type: 'client-id', match: 'exact', name: flags['client-id']})
  else if (flags['client-id-default']) filter.push({type: 'client-id', match: 'default'})
  return filter
}

export const quotaChangeFlags = {...quotaEntityFlags, ...changeFlags}

/** `quotas set | delete`: plans the change, asks (or needs --yes) unless a dry run or nothing changes, applies it. */
export async function changeQuotas(
  kafka: KafkaClient,
  entity: QuotaComponent[],
  change: {set?: Partial<Record<QuotaKey, number>>; delete?: readonly QuotaKey[]},
  flags: {'dry-run': boolean; yes: boolean},
): Promise<QuotaChangeOutcome> {
  const plan = await planQuotas(kafka, entity, change)
  const changes = plan.changes.some((c) => !c.unchanged)
  const applied = await applyConfirmed({changes, flags, question: quotaChangeQuestion(plan), apply: () => applyQuotas(kafka, plan)})
  return {...plan, dryRun: flags['dry-run'], applied}
}
