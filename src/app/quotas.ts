/**
 * kafkit quotas list | set | delete: client quotas of users, client ids and their defaults,
 * through the port's Describe/AlterClientQuotas. Set and delete change only the keys named.
 */
import {type QuotaComponent, type QuotaKey, type QuotaPlan, planQuotaChange, quotaEntityKey} from '../core/quotas.js'
import {KafkitError} from '../errors.js'
import type {ClientQuota, KafkaClient, QuotaFilterComponent} from './kafka-client.js'

export interface QuotaEntry {
  readonly entity: QuotaComponent[]
  readonly values: Record<string, number>
}

/** Quotas of users and client ids (IP quotas are not kafkit's), sorted by entity. */
export async function listQuotas(kafka: KafkaClient, filter: QuotaFilterComponent[]): Promise<QuotaEntry[]> {
  const quotas: ClientQuota[] = await kafka.describeClientQuotas(filter)
  return quotas
    .filter((q) => q.entity.every((c) => c.type === 'user' || c.type === 'client-id'))
    .map((q) => ({entity: q.entity.map((c) => ({type: c.type as QuotaComponent['type'], name: c.name})), values: {...q.values}}))
    .sort((a, b) => quotaEntityKey(a.entity).localeCompare(quotaEntityKey(b.entity)))
}

/** The entity's own quotas (strict: not those of wider entities). */
async function liveValues(kafka: KafkaClient, entity: QuotaComponent[]): Promise<Record<string, number>> {
  const filter: QuotaFilterComponent[] = entity.map((c) => (c.name === null ? {type: c.type, match: 'default'} : {type: c.type, match: 'exact', name: c.name}))
  const found = await kafka.describeClientQuotas(filter, {strict: true})
  const key = quotaEntityKey(entity)
  return {...(found.find((q) => quotaEntityKey(q.entity as QuotaComponent[]) === key)?.values ?? {})}
}

export async function planQuotas(kafka: KafkaClient, entity: QuotaComponent[], change: {set?: Partial<Record<QuotaKey, number>>; delete?: readonly QuotaKey[]}): Promise<QuotaPlan> {
  return planQuotaChange(entity, await liveValues(kafka, entity), change)
}

/** Applies the plan's changing keys in one AlterClientQuotas request; the broker's refusal as one line. */
export async function applyQuotas(kafka: KafkaClient, plan: QuotaPlan): Promise<void> {
  const changing = plan.changes.filter((c) => !c.unchanged)
  if (changing.length === 0) return
  const set = Object.fromEntries(changing.filter((c) => c.new !== null).map((c) => [c.key, c.new as number]))
  const remove = changing.filter((c) => c.new === null).map((c) => c.key)
  const [result] = await kafka.alterClientQuotas([{entity: plan.entity, set, remove}])
  if (result?.error) throw new KafkitError(`quota of ${quotaEntityKey(plan.entity)} not changed: ${result.error.message}`, {code: result.error.code})
}
