/**
 * kafkit acls list | create | delete: read the cluster's ACLs through the port, decide in
 * core/acls.ts, write through the port. Create adds only what is missing; delete removes exactly
 * the bindings it showed (each sent as an exact filter), never what a broad filter would catch later.
 */
import {type AclBinding, type AclCreatePlan, type AclFilter, isEmptyAclFilter, planAclCreate, sortAcls} from '../core/acls.js'
import {KafkitError} from '../errors.js'
import type {KafkaClient} from './kafka-client.js'

export async function listAcls(kafka: KafkaClient, filter: AclFilter): Promise<AclBinding[]> {
  return sortAcls(await kafka.describeAcls(filter))
}

/** What create would do: the wanted bindings split into new and already there. */
export async function planCreateAcls(kafka: KafkaClient, wanted: readonly AclBinding[]): Promise<AclCreatePlan> {
  const first = wanted[0]
  // One read covering every wanted binding: same resource and pattern for all of them.
  const live = await kafka.describeAcls({resourceType: first.resourceType, resourceName: first.resourceName, patternType: first.patternType})
  return planAclCreate(wanted, live)
}

/** Creates the plan's new bindings in one request. */
export async function applyCreateAcls(kafka: KafkaClient, plan: AclCreatePlan): Promise<void> {
  if (plan.create.length === 0) return
  await kafka.createAcls(plan.create)
}

/** The bindings a delete would remove (refusing a filter that names nothing). */
export async function planDeleteAcls(kafka: KafkaClient, filter: AclFilter): Promise<AclBinding[]> {
  if (isEmptyAclFilter(filter)) {
    throw new KafkitError('name what to delete: --principal, a resource (--topic, --group, --transactional-id, --cluster), --operation or --host', {
      code: 'INVALID_ACL',
      hint: 'to remove every ACL of a resource, name the resource',
    })
  }
  return sortAcls(await kafka.describeAcls(filter))
}

export async function applyDeleteAcls(kafka: KafkaClient, bindings: readonly AclBinding[]): Promise<AclBinding[]> {
  return sortAcls(await kafka.deleteAcls(bindings))
}
