/**
 * Every code a KafkitError (or a per-item failure) carries, shown as `error.code` with -o json.
 * One condition, one code: a new condition gets a line here, an old one reuses its code.
 * Errors the broker answered keep Kafka's own name (KafkaErrorName: TOPIC_AUTHORIZATION_FAILED,
 * NOT_ENOUGH_REPLICAS, ...), as Kafka's tools print them.
 */
export const ERROR_CODES = {
  // what the user gave
  INVALID_FLAG: 'a flag or argument is malformed, out of range, or conflicts with another',
  INVALID_FILE: 'topics.yaml (or another input file) has errors',
  BAD_INPUT: 'a produce input line cannot be parsed',
  INVALID_RESET: 'no reset strategy, or strategies that cannot be combined',
  INVALID_TOPIC_SCOPE: 'a --topic T[:P,...] scope is malformed',
  INVALID_THRESHOLD: 'a lag threshold is not a non-negative integer',
  INVALID_THROTTLE: 'a --throttle is not a positive rate',
  INVALID_REASSIGNMENT: 'a reassignment cannot be planned as asked',
  FILE_UNREADABLE: 'a file cannot be read',
  EXPORT_FAILED: 'an output file cannot be written',
  PLAN_ERRORS: 'the plan has errors; nothing was applied',
  OAUTH_TOKEN: 'an OAUTHBEARER token cannot be obtained',
  INVALID_ACL: 'an ACL principal, resource type, operation or pattern is malformed or unknown',
  INVALID_QUOTA: 'a quota entity, key or value is malformed or unknown',
  PASSWORD_SOURCE: 'a password given as an argument, or its --password-env / --password-file / stdin gives none',
  SCHEMA_INVALID_RECORD: 'a produce input record does not fit its registry schema; nothing was produced',
  SCHEMA_INVALID: 'a schema (a local file, or one the registry returned) cannot be parsed',
  // what does not exist
  TOPIC_NOT_FOUND: 'a topic does not exist',
  PARTITION_NOT_FOUND: 'a topic has no such partition',
  GROUP_NOT_FOUND: 'a consumer group does not exist',
  USER_NOT_FOUND: 'a SCRAM user does not exist',
  BROKER_NOT_FOUND: 'no broker with that id is in the cluster',
  NO_TOPICS: 'no topic matches the prefix given',
  EMPTY_SCOPE: 'nothing to act on: no committed offsets in the scope',
  NOTHING_TO_DELETE: 'the group has no committed offset where deletion was asked',
  NOTHING_TO_CANCEL: 'no reassignment in progress to cancel',
  COPY_WITHOUT_COMMITTED_OFFSET: 'the group to copy from has no offset for a partition in scope',
  SHIFT_WITHOUT_COMMITTED_OFFSET: 'a shift needs a committed offset the group does not have',
  OFFSET_PAST_END: 'an offset beyond the end of the log',
  COMPACTED_TOPIC: 'records of a compact-only topic cannot be deleted by offset',
  SCHEMA_NOT_FOUND: 'the schema registry has no such subject, version or schema id',
  NO_SCHEMA_REGISTRY: 'a schema registry is needed and none is configured (--schema-registry or the context)',
  // what the cluster says
  UNREACHABLE: 'the bootstrap servers cannot be reached',
  BROKER_UNREACHABLE: 'one broker of a reachable cluster cannot be reached',
  TIMEOUT: 'the cluster did not answer within --timeout',
  TLS: 'TLS failed (certificate, handshake)',
  AUTH: 'authentication failed',
  NO_ANSWER: 'the broker answered without a result for this item',
  UNSUPPORTED_BY_BROKER: 'the broker is too old for this request',
  UNSUPPORTED_KAFKAJS: 'the installed kafkajs is not the version kafkit needs',
  GROUP_ACTIVE: 'the group has members; stop them first',
  GROUP_NOT_INACTIVE: 'the group gained members while offsets were committed',
  OFFSETS_UNAVAILABLE: 'log offsets cannot be read (no leader)',
  OFFSETS_INCONSISTENT: 'offsets changed while they were read',
  OFFSETS_FILE_INVALID: 'an offsets CSV has errors',
  OFFSETS_FILE_OUT_OF_SCOPE: 'an offsets CSV names partitions outside the scope',
  RESET_NOT_VERIFIED: 'the committed offsets read back differ from the reset',
  DELETE_NOT_VERIFIED: 'the offsets read back still show what was deleted',
  TRUNCATE_NOT_VERIFIED: 'the log starts read back differ from the truncation',
  DELETE_GROUPS_FAILED: 'some groups could not be deleted',
  TRANSACTION_FAILED: 'a replay transaction failed; run the replay again',
  FENCED: 'another replay of the same group took over',
  REGISTRY_UNREACHABLE: 'the schema registry cannot be reached',
  REGISTRY_AUTH: 'the schema registry refused the credentials (HTTP 401/403)',
  REGISTRY_ERROR: 'the schema registry answered with an error',
  INCOMPATIBLE_SCHEMA: 'schemas check: the schema is not compatible with the subject',
  KAFKIT_ERROR: 'anything else (a bug if you see it: run with --debug)',
} as const

/** Kafka protocol error names kafkit itself reports or tests for (the broker may answer any other). */
export const KAFKA_ERROR_NAMES = [
  'LEADER_NOT_AVAILABLE',
  'TOPIC_ALREADY_EXISTS',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'GROUP_ID_NOT_FOUND',
  'GROUP_SUBSCRIBED_TO_TOPIC',
  'NOT_ENOUGH_REPLICAS',
  'INVALID_REPLICATION_FACTOR',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'ELECTION_NOT_NEEDED',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'OFFSET_OUT_OF_RANGE',
  'RESOURCE_NOT_FOUND',
] as const

/** The name of an error the broker answered, as Kafka's protocol spells it (NOT_ENOUGH_REPLICAS, ...). */
export type KafkaErrorName = (typeof KAFKA_ERROR_NAMES)[number] | (string & {readonly kafkaErrorName: true})
export type ErrorCode = keyof typeof ERROR_CODES | KafkaErrorName

/** A Kafka protocol error name (from a response or kafkajs), kept as the code that reports it. */
export function kafkaErrorName(type: string): KafkaErrorName {
  return type as KafkaErrorName
}

/** The one "does not exist" error of each kind, worded the same wherever it is met. */
export function notFound(kind: 'topic' | 'group', names: readonly string[], where: string): KafkitError {
  const list = names.map((n) => `"${n}"`).join(', ')
  const [noun, code, hint] =
    kind === 'topic'
      ? ['topic', 'TOPIC_NOT_FOUND' as const, 'kafkit topics list shows what exists']
      : ['consumer group', 'GROUP_NOT_FOUND' as const, 'kafkit groups list shows what exists']
  return new KafkitError(`${noun}${names.length > 1 ? 's' : ''} ${list} not found on ${where}`, {code, hint})
}

/**
 * The one error type the CLI turns into a one-line message and an exit code.
 * Anything else reaching the top level is a bug (printed with a hint to use --debug).
 */
export class KafkitError extends Error {
  readonly code: ErrorCode
  readonly exitCode: number
  readonly hint?: string

  constructor(message: string, opts: {code?: ErrorCode; exitCode?: number; hint?: string; cause?: unknown} = {}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = 'KafkitError'
    this.code = opts.code ?? 'KAFKIT_ERROR'
    this.exitCode = opts.exitCode ?? 1
    this.hint = opts.hint
  }
}

/** Exit codes shared by every command (see README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changesPending: 2,
  thresholdBreached: 3,
} as const

/** A file system error in words, for one-line messages naming the path ("is a directory"). */
export function fileErrorCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const causes: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  }
  return (code && causes[code]) ?? code ?? (error instanceof Error ? error.message : String(error))
}
