/**
 * DescribeUserScramCredentials v0 and AlterUserScramCredentials v0 (KIP-554, api keys 50 and 51,
 * Kafka 2.7+; v0 is flexible and the only version in 3.9 and 4.x). The password never leaves the
 * client: an upsertion carries the salt and the salted password, computed here as RFC 5802's
 * SaltedPassword := Hi(password, salt, i), i.e. PBKDF2 with HMAC-SHA-256/512 and the hash's
 * length (what Kafka's ScramFormatter computes when it verifies a login).
 *
 *   DescribeUserScramCredentials Request (Version: 0) => [users] TAG_BUFFER   (COMPACT_NULLABLE_ARRAY: null = all)
 *     users => name TAG_BUFFER
 *       name => COMPACT_STRING
 *
 *   DescribeUserScramCredentials Response (Version: 0) => throttle_time_ms error_code error_message [results] TAG_BUFFER
 *     results => user error_code error_message [credential_infos] TAG_BUFFER
 *       user => COMPACT_STRING
 *       error_code => INT16
 *       error_message => COMPACT_NULLABLE_STRING
 *       credential_infos => mechanism iterations TAG_BUFFER
 *         mechanism => INT8                    (1 = SCRAM-SHA-256, 2 = SCRAM-SHA-512)
 *         iterations => INT32
 *
 *   AlterUserScramCredentials Request (Version: 0) => [deletions] [upsertions] TAG_BUFFER
 *     deletions => name mechanism TAG_BUFFER
 *     upsertions => name mechanism iterations salt salted_password TAG_BUFFER
 *       salt => COMPACT_BYTES
 *       salted_password => COMPACT_BYTES
 *
 *   AlterUserScramCredentials Response (Version: 0) => throttle_time_ms [results] TAG_BUFFER
 *     results => user error_code error_message TAG_BUFFER
 */
import {pbkdf2Sync, randomBytes} from 'node:crypto'

import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const DESCRIBE_USER_SCRAM_CREDENTIALS: ApiSpec = {key: 50, name: 'DescribeUserScramCredentials', version: 0, flexible: true, since: '2.7', kip: 'KIP-554'}
export const ALTER_USER_SCRAM_CREDENTIALS: ApiSpec = {key: 51, name: 'AlterUserScramCredentials', version: 0, flexible: true, since: '2.7', kip: 'KIP-554'}

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

const MECHANISMS: Record<ScramMechanism, {code: number; hash: 'sha256' | 'sha512'; length: number}> = {
  'SCRAM-SHA-256': {code: 1, hash: 'sha256', length: 32},
  'SCRAM-SHA-512': {code: 2, hash: 'sha512', length: 64},
}

function mechanismOfCode(code: number): ScramMechanism | `unknown(${number})` {
  const found = (Object.keys(MECHANISMS) as ScramMechanism[]).find((m) => MECHANISMS[m].code === code)
  return found ?? `unknown(${code})`
}

/** Kafka's bounds for the iteration count (ScramMechanism.minIterations / maxIterations). */
export const SCRAM_MIN_ITERATIONS = 4096
export const SCRAM_MAX_ITERATIONS = 16384

/** RFC 5802 SaltedPassword := Hi(Normalize(password), salt, i) = PBKDF2-HMAC(password, salt, i, hash length). */
export function scramSaltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  const {hash, length} = MECHANISMS[mechanism]
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, hash)
}

export interface ScramUpsertion {
  readonly user: string
  readonly mechanism: ScramMechanism
  readonly iterations: number
  readonly salt: Buffer
  readonly saltedPassword: Buffer
}

/** An upsertion for a password: a fresh random salt, the salted password computed here. */
export function scramUpsertion(user: string, mechanism: ScramMechanism, password: string, iterations = SCRAM_MIN_ITERATIONS, salt = randomBytes(32)): ScramUpsertion {
  return {user, mechanism, iterations, salt, saltedPassword: scramSaltedPassword(mechanism, password, salt, iterations)}
}

export interface ScramDeletion {
  readonly user: string
  readonly mechanism: ScramMechanism
}

export interface ScramUserDescription {
  readonly user: string
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly credentials: readonly {readonly mechanism: ScramMechanism | `unknown(${number})`; readonly iterations: number}[]
}

export interface DescribeUserScramCredentialsResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly users: readonly ScramUserDescription[]
}

export interface AlterUserScramResult {
  readonly user: string
  readonly errorCode: number
  readonly errorMessage: string | null
}

export function encodeDescribeUserScramCredentialsRequest(users: readonly string[] | null): Buffer {
  return new FlexibleWriter()
    .compactArray(users, (u, w) => w.compactString(u).noTaggedFields())
    .noTaggedFields()
    .toBuffer()
}

export function decodeDescribeUserScramCredentialsResponse(body: Buffer): DescribeUserScramCredentialsResponse {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const errorMessage = r.compactNullableString()
  const users = r.compactArray((ru): ScramUserDescription => {
    const user = ru.compactString()
    const userError = ru.int16()
    const userMessage = ru.compactNullableString()
    const credentials = ru.compactArray((rc) => {
      const c = {mechanism: mechanismOfCode(rc.int8()), iterations: rc.int32()}
      rc.skipTaggedFields()
      return c
    })
    ru.skipTaggedFields()
    return {user, errorCode: userError, errorMessage: userMessage, credentials}
  })
  r.skipTaggedFields()
  return {throttleTimeMs, errorCode, errorMessage, users}
}

export function encodeAlterUserScramCredentialsRequest(deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Buffer {
  return new FlexibleWriter()
    .compactArray(deletions, (d, w) => w.compactString(d.user).int8(MECHANISMS[d.mechanism].code).noTaggedFields())
    .compactArray(upsertions, (u, w) =>
      w.compactString(u.user).int8(MECHANISMS[u.mechanism].code).int32(u.iterations).compactBytes(u.salt).compactBytes(u.saltedPassword).noTaggedFields(),
    )
    .noTaggedFields()
    .toBuffer()
}

export function decodeAlterUserScramCredentialsResponse(body: Buffer): {throttleTimeMs: number; results: AlterUserScramResult[]} {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const results = r.compactArray((ru): AlterUserScramResult => {
    const result = {user: ru.compactString(), errorCode: ru.int16(), errorMessage: ru.compactNullableString()}
    ru.skipTaggedFields()
    return result
  })
  r.skipTaggedFields()
  return {throttleTimeMs, results}
}

/** null: every user with a SCRAM credential. */
export function sendDescribeUserScramCredentials(broker: ProtocolBroker, users: readonly string[] | null): Promise<DescribeUserScramCredentialsResponse> {
  return sendRequest(broker, DESCRIBE_USER_SCRAM_CREDENTIALS, encodeDescribeUserScramCredentialsRequest(users), decodeDescribeUserScramCredentialsResponse)
}

export async function sendAlterUserScramCredentials(broker: ProtocolBroker, deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Promise<AlterUserScramResult[]> {
  const {results} = await sendRequest(broker, ALTER_USER_SCRAM_CREDENTIALS, encodeAlterUserScramCredentialsRequest(deletions, upsertions), decodeAlterUserScramCredentialsResponse)
  return results
}
