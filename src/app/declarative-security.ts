/**
 * The security part of `topics plan | apply | export`: ACLs, SCRAM users and client quotas
 * declared in topics.yaml. Reads only what the file needs (no DescribeAcls for a file without
 * ACLs or managed principals), lets core/security-plan.ts decide, writes batched: one
 * AlterUserScramCredentials, one CreateAcls, one AlterClientQuotas, one DeleteAcls; a failure is
 * reported per item and the others go on.
 *
 * Passwords are read here (env var or file) only for credentials the plan writes, never shown.
 */
import {readFileSync} from 'node:fs'
import {dirname, isAbsolute, resolve} from 'node:path'

import type {Problem} from '../core/problem.js'
import type {QuotaComponent} from '../core/quotas.js'
import {
  type LiveSecurity,
  planSecurityChanges,
  type SecurityChange,
  type SecurityChangeKind,
  securityChangeItem,
  type SecurityPlan,
  type SecuritySummary,
  summariseSecurityPlan,
} from '../core/security-plan.js'
import {exportSecuritySpec, type SecurityExport} from '../core/security-export.js'
import type {DeclaredUser} from '../core/security-spec.js'
import type {NormalisedSpec} from '../core/topics-spec.js'
import {KafkitError, fileErrorCause} from '../errors.js'
import type {KafkaClient} from './kafka-client.js'
import {replanUntilShown} from './replan.js'

export interface SecurityPlanResult {
  plan: SecurityPlan
  summary: SecuritySummary
  /** Credentials the plan would write whose password cannot be read: nothing may be applied. */
  errors: Problem[]
}

export interface SecurityPlanOptions {
  prune: boolean
  updatePasswords: boolean
}

async function readLive(kafka: KafkaClient, reads: {acls: boolean; users: boolean; quotas: boolean}): Promise<LiveSecurity> {
  const [acls, users, quotas] = await Promise.all([
    reads.acls ? kafka.describeAcls({patternType: 'any'}).catch(noAuthorizer) : undefined,
    reads.users ? kafka.describeScramUsers(null) : undefined,
    reads.quotas ? kafka.describeClientQuotas([]) : undefined,
  ])
  const failed = users?.find((u) => u.error && u.error.code !== 'RESOURCE_NOT_FOUND')
  if (failed?.error) throw new KafkitError(`cannot read SCRAM users: ${failed.error.message}`, {code: failed.error.code})
  return {
    ...(acls === undefined ? {} : {acls}),
    ...(users === undefined ? {} : {users: users.filter((u) => !u.error).map((u) => ({user: u.user, credentials: u.credentials.map((c) => ({mechanism: c.mechanism, iterations: c.iterations}))}))}),
    ...(quotas === undefined
      ? {}
      : {
          quotas: quotas
            .filter((q) => q.entity.every((c) => c.type === 'user' || c.type === 'client-id'))
            .map((q) => ({entity: q.entity.map((c) => ({type: c.type as QuotaComponent['type'], name: c.name})), values: {...q.values}})),
        }),
  }
}

/** DescribeAcls on a cluster without an authorizer: say what the file needs. */
function noAuthorizer(error: unknown): never {
  if (error instanceof KafkitError && (error.code as string) === 'SECURITY_DISABLED') {
    throw new KafkitError('the file declares acls (or managed.principals) but the cluster has no authorizer (SECURITY_DISABLED): ACLs need authorizer.class.name on the brokers', {
      code: error.code,
      hint: 'remove acls and managed.principals from the file, or enable an authorizer (kafkit local start --secure runs StandardAuthorizer)',
    })
  }
  throw error
}

/** The security plan of the file, or undefined for a file without acls, users, quotas or their managed scope. */
export async function planSecurity(kafka: KafkaClient, spec: NormalisedSpec, opts: SecurityPlanOptions): Promise<SecurityPlanResult | undefined> {
  const security = spec.security
  if (security === undefined) return undefined
  const live = await readLive(kafka, security.reads)
  const plan = planSecurityChanges(security, live, opts)
  const {errors} = readPasswords(spec, plan)
  return {plan, summary: summariseSecurityPlan(plan), errors}
}

const credentialKey = (user: string, mechanism: string) => `${user}\u0000${mechanism}`

/**
 * The password of every credential the plan writes, from its env var or file (relative to the
 * topics file's directory); one problem, at the user's entry, for each that cannot be read.
 */
function readPasswords(spec: NormalisedSpec, plan: SecurityPlan): {passwords: Map<string, string>; errors: Problem[]} {
  const passwords = new Map<string, string>()
  const errors: Problem[] = []
  const declared = new Map((spec.security?.users ?? []).map((u) => [credentialKey(u.name, u.mechanism), u]))
  for (const change of plan.changes) {
    if (change.kind !== 'user-create' && change.kind !== 'user-update') continue
    const user = declared.get(credentialKey(change.user, change.mechanism))
    if (user === undefined) continue
    const result = readPassword(spec.file, user)
    if (typeof result === 'string') passwords.set(credentialKey(change.user, change.mechanism), result)
    else errors.push({file: spec.file, ...user.location, severity: 'error', message: `user "${user.name}": ${result.error}`})
  }
  return {passwords, errors}
}

function readPassword(file: string, user: DeclaredUser): string | {error: string} {
  let text: string
  let from: string
  if ('env' in user.password) {
    from = `env var ${user.password.env}`
    const value = process.env[user.password.env]
    if (value === undefined) return {error: `password env var ${user.password.env} is not set`}
    text = value
  } else {
    const path = isAbsolute(user.password.file) ? user.password.file : resolve(dirname(file), user.password.file)
    from = `file ${user.password.file}`
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      return {error: `cannot read the password file ${user.password.file}: ${fileErrorCause(error)}`}
    }
  }
  const password = text.replace(/\r?\n$/, '')
  return password === '' ? {error: `the password from ${from} is empty`} : password
}

export interface SecurityItemResult {
  kind: SecurityChangeKind
  /** An ACL line, `user (mechanism)` or a quota entity. */
  item: string
}

export interface SecurityFailure extends SecurityItemResult {
  error: string
}

export interface SecurityApplyReport {
  applied: SecurityItemResult[]
  failed: SecurityFailure[]
  /** The security plan again after applying (without --update-passwords): what is left. */
  after: SecurityPlanResult | undefined
  afterError?: string
}

const itemOf = (change: SecurityChange): SecurityItemResult => ({kind: change.kind, item: securityChangeItem(change)})

/**
 * Writes the plan: credentials, then ACLs, then quotas, then (with --prune) ACL and credential
 * deletions. Refuses before writing anything when a password cannot be read. Ends by planning
 * again, waiting (at most --timeout, 10 s) while applied changes do not show yet.
 */
export async function applySecurityPlan(kafka: KafkaClient, spec: NormalisedSpec, result: SecurityPlanResult, opts: {prune: boolean}): Promise<SecurityApplyReport> {
  const {plan} = result
  const {passwords, errors} = readPasswords(spec, plan)
  if (errors.length > 0 || result.errors.length > 0) throw new KafkitError('the plan has errors; nothing was applied')
  const applied: SecurityItemResult[] = []
  const failed: SecurityFailure[] = []
  const record = (changes: SecurityChange[], failures: Map<SecurityChange, string>) => {
    for (const change of changes) {
      const error = failures.get(change)
      if (error === undefined) applied.push(itemOf(change))
      else failed.push({...itemOf(change), error})
    }
  }
  const of = <K extends SecurityChangeKind>(...kinds: K[]) => plan.changes.filter((c): c is Extract<SecurityChange, {kind: K}> => (kinds as string[]).includes(c.kind))

  const upserts = of('user-create', 'user-update')
  if (upserts.length > 0) {
    const items = upserts.map((c) => ({user: c.user, mechanism: c.mechanism, password: passwords.get(credentialKey(c.user, c.mechanism)) as string, iterations: c.iterations}))
    record(upserts, await scramFailures(kafka, {upsert: items}, upserts))
  }

  const creates = of('acl-create')
  if (creates.length > 0) record(creates, await aclCreateFailures(kafka, creates))

  const quotas = of('quota')
  if (quotas.length > 0) {
    const failures = new Map<SecurityChange, string>()
    try {
      const results = await kafka.alterClientQuotas(
        quotas.map((q) => ({
          entity: q.entity,
          set: Object.fromEntries(q.entries.filter((e) => e.to !== null).map((e) => [e.key, e.to as number])),
          remove: q.entries.filter((e) => e.to === null).map((e) => e.key),
        })),
      )
      results.forEach((r, i) => {
        if (r.error) failures.set(quotas[i], r.error.message)
      })
    } catch (error) {
      for (const q of quotas) failures.set(q, (error as Error).message)
    }
    record(quotas, failures)
  }

  const aclDeletes = of('acl-delete')
  if (aclDeletes.length > 0) {
    const failures = new Map<SecurityChange, string>()
    try {
      await kafka.deleteAcls(aclDeletes.map((c) => c.binding))
    } catch (error) {
      for (const c of aclDeletes) failures.set(c, (error as Error).message)
    }
    record(aclDeletes, failures)
  }

  const userDeletes = of('user-delete')
  if (userDeletes.length > 0) {
    const deletions = userDeletes.map((c) => ({user: c.user, mechanism: c.mechanism as 'SCRAM-SHA-256' | 'SCRAM-SHA-512'}))
    record(userDeletes, await scramFailures(kafka, {delete: deletions}, userDeletes))
  }

  try {
    const awaited = new Set(applied.map((a) => `${a.kind}\u0000${a.item}`))
    const stillShowing = (r: SecurityPlanResult) => r.plan.changes.filter((c) => awaited.has(`${c.kind}\u0000${securityChangeItem(c)}`)).length
    const replan = async () => (await planSecurity(kafka, spec, {prune: opts.prune, updatePasswords: false})) as SecurityPlanResult
    const after = await replanUntilShown(replan, stillShowing, Math.min(kafka.timeoutMs, 10_000))
    return {applied, failed, after}
  } catch (error) {
    return {applied, failed, after: undefined, afterError: (error as Error).message}
  }
}

/**
 * AlterUserScramCredentials: Kafka refuses a user named twice in one request ("a user can appear
 * only once"), so a user's second mechanism goes in a second request; one request otherwise.
 * The failed changes with the broker's reason.
 */
async function scramFailures(kafka: KafkaClient, changes: Parameters<KafkaClient['alterScramCredentials']>[0], planned: Array<Extract<SecurityChange, {user: string}>>): Promise<Map<SecurityChange, string>> {
  const failures = new Map<SecurityChange, string>()
  type Upsert = NonNullable<typeof changes.upsert>[number]
  type Deletion = NonNullable<typeof changes.delete>[number]
  const items: Array<{user: string; upsert?: Upsert; delete?: Deletion; change: SecurityChange}> = [
    ...(changes.upsert ?? []).map((u, i) => ({user: u.user, upsert: u, change: planned[i]})),
    ...(changes.delete ?? []).map((d, i) => ({user: d.user, delete: d, change: planned[i]})),
  ]
  const rounds: Array<typeof items> = []
  for (const item of items) {
    const round = rounds.find((r) => !r.some((other) => other.user === item.user))
    if (round) round.push(item)
    else rounds.push([item])
  }
  for (const round of rounds) {
    try {
      const results = await kafka.alterScramCredentials({
        upsert: round.flatMap((i) => (i.upsert ? [i.upsert] : [])),
        delete: round.flatMap((i) => (i.delete ? [i.delete] : [])),
      })
      const byUser = new Map(results.filter((r) => r.error).map((r) => [r.user, r.error?.message ?? 'failed']))
      for (const {user, change} of round) {
        const error = byUser.get(user)
        if (error !== undefined) failures.set(change, error)
      }
    } catch (error) {
      for (const {change} of round) failures.set(change, (error as Error).message)
    }
  }
  return failures
}

/**
 * One CreateAcls request for all; if the broker refuses it, each binding alone, so the ones it
 * takes are created and each refusal names its own ACL.
 */
async function aclCreateFailures(kafka: KafkaClient, creates: Array<Extract<SecurityChange, {kind: 'acl-create'}>>): Promise<Map<SecurityChange, string>> {
  const failures = new Map<SecurityChange, string>()
  try {
    await kafka.createAcls(creates.map((c) => c.binding))
    return failures
  } catch (error) {
    if (creates.length === 1) {
      failures.set(creates[0], (error as Error).message)
      return failures
    }
  }
  for (const c of creates) {
    try {
      await kafka.createAcls([c.binding])
    } catch (error) {
      failures.set(c, (error as Error).message)
    }
  }
  return failures
}

/** The cluster's ACLs, SCRAM users (names and mechanisms, never secrets) and quotas as topics.yaml sections. */
export async function exportSecurity(kafka: KafkaClient): Promise<SecurityExport> {
  const live = await readLive(kafka, {acls: true, users: true, quotas: true})
  return exportSecuritySpec(live)
}
