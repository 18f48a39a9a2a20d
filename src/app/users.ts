/**
 * kafkit users list | create | delete: SCRAM credentials through the port's
 * Describe/AlterUserScramCredentials. The password is salted and hashed in the adapter; it never
 * appears in a result.
 */
import {KafkitError} from '../errors.js'
import type {KafkaClient, ScramUser} from './kafka-client.js'

export type ScramMechanismName = 'scram-sha-256' | 'scram-sha-512'

export interface UserListing {
  readonly user: string
  readonly credentials: {mechanism: string; iterations: number}[]
}

const wire = (m: ScramMechanismName) => (m === 'scram-sha-256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512')

/** Every SCRAM user (or only these; a named user without a credential is USER_NOT_FOUND). */
export async function listUsers(kafka: KafkaClient, names?: readonly string[]): Promise<UserListing[]> {
  const users: ScramUser[] = await kafka.describeScramUsers(names && names.length > 0 ? names : null)
  const missing = users.filter((u) => u.error?.code === 'RESOURCE_NOT_FOUND').map((u) => u.user)
  if (missing.length > 0) throw userNotFound(missing, kafka.brokersLabel)
  const failed = users.find((u) => u.error)
  if (failed?.error) throw new KafkitError(`user ${failed.user}: ${failed.error.message}`, {code: failed.error.code})
  return users.map((u) => ({user: u.user, credentials: u.credentials.map((c) => ({...c}))})).sort((a, b) => a.user.localeCompare(b.user))
}

function userNotFound(names: readonly string[], where: string): KafkitError {
  return new KafkitError(`SCRAM user${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')} not found on ${where}`, {
    code: 'USER_NOT_FOUND',
    hint: 'kafkit users list shows what exists',
  })
}

/** The mechanisms the user has now ([] when none). */
export async function userMechanisms(kafka: KafkaClient, user: string): Promise<string[]> {
  const [found] = await kafka.describeScramUsers([user])
  if (!found || found.error?.code === 'RESOURCE_NOT_FOUND') return []
  if (found.error) throw new KafkitError(`user ${user}: ${found.error.message}`, {code: found.error.code})
  return found.credentials.map((c) => c.mechanism)
}

export async function upsertUser(kafka: KafkaClient, req: {user: string; mechanism: ScramMechanismName; password: string; iterations?: number}): Promise<void> {
  const [result] = await kafka.alterScramCredentials({upsert: [{user: req.user, mechanism: wire(req.mechanism), password: req.password, iterations: req.iterations}]})
  if (result?.error) throw new KafkitError(`user ${req.user} not created: ${result.error.message}`, {code: result.error.code})
}

/** Deletes the user's credentials of these mechanisms. */
export async function deleteUser(kafka: KafkaClient, user: string, mechanisms: readonly string[]): Promise<void> {
  const results = await kafka.alterScramCredentials({delete: mechanisms.map((m) => ({user, mechanism: m as 'SCRAM-SHA-256' | 'SCRAM-SHA-512'}))})
  const failed = results.find((r) => r.error)
  if (failed?.error) throw new KafkitError(`user ${user} not deleted: ${failed.error.message}`, {code: failed.error.code})
}

export {userNotFound}
