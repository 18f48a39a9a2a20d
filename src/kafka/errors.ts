/**
 * kafkajs errors → one-line KafkitErrors. kafkajs nests causes (NumberOfRetriesExceeded wraps
 * ConnectionError wraps a socket error); the innermost cause is what a person needs to read.
 */
import {createRequire} from 'node:module'

import {KafkitError, kafkaErrorName, type ErrorCode} from '../errors.js'

const require = createRequire(import.meta.url)

const PROTOCOL_MESSAGES: Record<string, string> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'topic or partition does not exist',
  TOPIC_ALREADY_EXISTS: 'topic already exists',
  TOPIC_AUTHORIZATION_FAILED: 'not authorized for this topic',
  GROUP_AUTHORIZATION_FAILED: 'not authorized for this consumer group',
  CLUSTER_AUTHORIZATION_FAILED: 'not authorized for this cluster operation',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'not authorized for this transactional id',
  SASL_AUTHENTICATION_FAILED: 'authentication failed (wrong user name or password?)',
  ILLEGAL_SASL_STATE: 'SASL handshake failed',
  UNSUPPORTED_SASL_MECHANISM: 'the broker does not support this SASL mechanism',
  INVALID_REPLICATION_FACTOR: 'invalid replication factor (more than the number of brokers?)',
  INVALID_PARTITIONS: 'invalid partition count',
  INVALID_CONFIG: 'invalid config',
  POLICY_VIOLATION: 'rejected by the broker\'s create-topic policy',
  NON_EMPTY_GROUP: 'the group still has active members',
  GROUP_ID_NOT_FOUND: 'consumer group does not exist',
  COORDINATOR_NOT_AVAILABLE: 'group coordinator not available (is __consumer_offsets healthy?)',
  NOT_CONTROLLER: 'the controller moved; retry',
  REQUEST_TIMED_OUT: 'the broker timed out the request',
  INVALID_TOPIC_EXCEPTION: 'invalid topic name',
  NOT_ENOUGH_REPLICAS: 'not enough in-sync replicas (min.insync.replicas not met)',
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'not enough in-sync replicas after append',
  RECORD_LIST_TOO_LARGE: 'batch larger than the topic accepts (max.message.bytes)',
  MESSAGE_TOO_LARGE: 'message larger than the topic accepts (max.message.bytes)',
  REASSIGNMENT_IN_PROGRESS: 'a partition reassignment is already in progress',
  // Kafka's own text claims an election is under way; usually the partition is offline.
  LEADER_NOT_AVAILABLE: 'a partition has no leader (offline: its replicas are down, or a new leader is not elected yet); kafkit cluster health shows which',
  // Per-item errors of the admin requests in ./protocol (OffsetDelete, ElectLeaders, quotas, SCRAM).
  GROUP_SUBSCRIBED_TO_TOPIC: 'the group is still subscribed to the topic (a member consumes it)',
  ELECTION_NOT_NEEDED: 'the preferred leader is already the leader',
  PREFERRED_LEADER_NOT_AVAILABLE: 'the preferred replica is not available (down or not in sync)',
  ELIGIBLE_LEADERS_NOT_AVAILABLE: 'no replica is eligible to become leader',
  RESOURCE_NOT_FOUND: 'no such user (no SCRAM credential)',
  DUPLICATE_RESOURCE: 'a user can appear only once in one request',
  UNACCEPTABLE_CREDENTIAL: 'the broker refused the credential (iterations out of range, or an empty user name?)',
}

/** Error codes newer than kafkajs 2.2.4's table (it stops at 88). */
const NEWER_ERROR_TYPES: Record<number, string> = {
  89: 'THROTTLING_QUOTA_EXCEEDED',
  90: 'PRODUCER_FENCED',
  91: 'RESOURCE_NOT_FOUND',
  92: 'DUPLICATE_RESOURCE',
  93: 'UNACCEPTABLE_CREDENTIAL',
}

/** Errors whose broker message says what exactly is wrong (which config, which value). */
const DETAIL_IN_BROKER_MESSAGE = new Set(['INVALID_CONFIG', 'INVALID_REQUEST', 'POLICY_VIOLATION', 'UNACCEPTABLE_CREDENTIAL', 'UNKNOWN_SERVER_ERROR'])

/**
 * A Kafka error code from a per-item result (a partition, a user, a quota entity), as kafkit
 * words it: `code` is Kafka's name of the error, `message` one line — kafkit's wording, or the
 * broker's own message where that names the detail (or kafkit has no wording for the error).
 */
export function kafkaErrorOfCode(errorCode: number, brokerMessage?: string | null): {code: ErrorCode; message: string} {
  const {errorCodes} = require('kafkajs/src/protocol/error.js') as {errorCodes: {type: string; code: number; message: string}[]}
  const known = errorCodes.find((e) => e.code === errorCode)
  const code = known?.type ?? NEWER_ERROR_TYPES[errorCode] ?? `KAFKA_ERROR_${errorCode}`
  const fromBroker = brokerMessage?.trim() ? brokerMessage.trim().replace(/\.$/, '') : undefined
  const ours = PROTOCOL_MESSAGES[code]
  const message = (DETAIL_IN_BROKER_MESSAGE.has(code) ? (fromBroker ?? ours) : (ours ?? fromBroker)) ?? known?.message ?? `Kafka error code ${errorCode}`
  return {code: kafkaErrorName(code), message: message.split('\n')[0]}
}

const SOCKET_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  ECONNRESET: 'connection reset by the broker',
  EPIPE: 'connection closed by the broker',
  ETIMEDOUT: 'connection timed out',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: the broker certificate is not trusted (self-signed CA; set tls.ca)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: the broker certificate is self-signed and not trusted (set tls.ca)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: cannot verify the broker certificate (set tls.ca)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the broker certificate does not match its host name',
  CERT_HAS_EXPIRED: 'TLS: the broker certificate has expired',
}

function causes(error: unknown): any[] {
  const chain: any[] = []
  let e: any = error
  while (e && chain.length < 10 && !chain.includes(e)) {
    chain.push(e)
    // KafkaJSAggregateError ("Topic creation errors") keeps the real causes in .errors.
    e = e.originalError ?? e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined)
  }
  return chain
}

/** Turns anything thrown by kafkajs (or our own code) into a KafkitError with one line. */
export function translateKafkaError(error: unknown, brokers: string): KafkitError {
  if (error instanceof KafkitError) return error
  const chain = causes(error)
  for (const e of chain) {
    if (e instanceof KafkitError) return e
    const code: string | undefined = typeof e?.code === 'string' ? e.code : undefined
    if (code && SOCKET_CAUSES[code]) {
      const cause = SOCKET_CAUSES[code]
      if (cause.startsWith('TLS')) return new KafkitError(`cannot connect to Kafka at ${brokers}: ${cause}`, {code: 'TLS', cause: error})
      // kafkajs names the broker it failed on; when that is one broker of a reachable cluster,
      // say which one rather than blame the whole bootstrap list.
      const broker = chain.map((c) => c?.broker).find((b) => typeof b === 'string' && b !== '')
      if (broker && broker !== brokers) return new KafkitError(`cannot reach broker ${broker} (${cause})`, {code: 'BROKER_UNREACHABLE', cause: error})
      return new KafkitError(`cannot reach Kafka at ${brokers} (${cause})`, {code: 'UNREACHABLE', cause: error})
    }
    if (e?.name === 'KafkaJSSASLAuthenticationError' || e?.type === 'SASL_AUTHENTICATION_FAILED') {
      const detail = /invalid credentials/i.test(e.message) ? 'wrong user name or password' : stripPrefix(e.message)
      return new KafkitError(`authentication failed at ${brokers}: ${detail}`, {code: 'AUTH', cause: error})
    }
    if (typeof e?.type === 'string' && typeof e.brokerMessage === 'string') {
      // The broker's own words (CreateTopics, see create-topics-error-message.ts), as Kafka's tools print them.
      return new KafkitError(e.brokerMessage.replace(/\.$/, ''), {code: kafkaErrorName(e.type), cause: error})
    }
    // kafkajs looks up the leader of an offline partition (-1) as a broker.
    if (e?.name === 'KafkaJSBrokerNotFound' && /Broker -1 /.test(e.message)) {
      return new KafkitError(PROTOCOL_MESSAGES.LEADER_NOT_AVAILABLE, {code: 'LEADER_NOT_AVAILABLE', cause: error})
    }
    if (typeof e?.type === 'string' && PROTOCOL_MESSAGES[e.type]) {
      return new KafkitError(PROTOCOL_MESSAGES[e.type], {code: kafkaErrorName(e.type), cause: error})
    }
  }
  const innermost = chain.at(-1) ?? error
  const message = stripPrefix(innermost instanceof Error ? innermost.message : String(innermost))
  if (/ssl|tls|certificate/i.test(message)) {
    return new KafkitError(`cannot connect to Kafka at ${brokers}: TLS: ${message}`, {code: 'TLS', cause: error})
  }
  if (/Connection (error|timeout)|Closed connection|not connected/i.test(message)) {
    return new KafkitError(`cannot reach Kafka at ${brokers} (${message})`, {code: 'UNREACHABLE', cause: error})
  }
  return new KafkitError(message.split('\n')[0], {code: kafkaErrorName((innermost as any)?.type ?? 'KAFKA_ERROR'), cause: error})
}

function stripPrefix(message: string): string {
  return message.replace(/^SASL [\w ]+ authentication failed: /, '').split('\n')[0]
}
