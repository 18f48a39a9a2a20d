/**
 * Sending a request kafkajs 2.2.4 does not implement on one of its broker connections, with the
 * version checked against the broker's ApiVersions answer (which kafkajs keeps on the Broker).
 *
 * A flexible request has header v2 (v1 + TAG_BUFFER) and its response header v1 (correlation id
 * + TAG_BUFFER). kafkajs writes header v1 and strips the correlation id, so the payload handed to
 * kafkajs starts with the request header's empty TAG_BUFFER and the response's header TAG_BUFFER
 * is skipped before the body — the same trick kafkajs's own flexible requests use. A
 * non-flexible request (OffsetDelete) is the body alone.
 */
import {createRequire} from 'node:module'

import {KafkitError} from '../../errors.js'
import {FlexibleReader, FlexibleWriter} from './flexible.js'

const require = createRequire(import.meta.url)

// ---------------------------------------------------------------------------------------------
// The slice of kafkajs 2.2.x internals used here (src/broker/index.js, src/cluster/index.js).

/** The slice of a kafkajs Broker these modules need. */
export interface ProtocolBroker {
  /** ApiVersions of the cluster, by API key; set once kafkajs has connected the broker. */
  readonly versions?: Record<number, {minVersion: number; maxVersion: number}> | null
  readonly connectionPool: {send(request: unknown): Promise<unknown>}
  disconnect(): Promise<void>
  readonly nodeId?: number | string
  /** `host:port` */
  readonly brokerAddress?: string
}

/** The slice of a kafkajs Cluster that routes a request to the right broker. */
export interface ProtocolCluster {
  refreshMetadata(): Promise<void>
  getNodeIds(): string[]
  findBroker(request: {nodeId: string}): Promise<ProtocolBroker>
  findControllerBroker(): Promise<ProtocolBroker>
  findGroupCoordinator(request: {groupId: string}): Promise<ProtocolBroker>
}

// ---------------------------------------------------------------------------------------------

/** One request version kafkit sends: one that Kafka 3.9 and 4.x both accept. */
export interface ApiSpec {
  readonly key: number
  /** Kafka's name of the API; kafkajs's REQUEST event (KAFKIT_REQUEST_STATS) counts it so. */
  readonly name: string
  readonly version: number
  readonly flexible: boolean
  /** The first Kafka release that accepts this version, for the "needs Kafka X" line. */
  readonly since: string
  readonly kip: string
}

/** Whether the broker's ApiVersions answer includes the version. */
export function supportsApi(broker: ProtocolBroker, api: ApiSpec): boolean {
  const range = broker.versions?.[api.key]
  return range !== undefined && range !== null && range.minVersion <= api.version && range.maxVersion >= api.version
}

/** One line naming the Kafka version needed, when the broker lacks the API or version. */
export function requireApi(broker: ProtocolBroker, api: ApiSpec): void {
  if (supportsApi(broker, api)) return
  const range = broker.versions?.[api.key]
  const at = broker.brokerAddress ? ` at ${broker.brokerAddress}` : ''
  const what = range ? `${api.name} v${api.version} (it accepts v${range.minVersion}-v${range.maxVersion})` : `${api.name} (${api.kip})`
  throw new KafkitError(`the broker${at} does not support ${what}: kafkit needs Kafka ${api.since} or newer for this`, {
    code: 'UNSUPPORTED_BY_BROKER',
  })
}

/**
 * Sends one request (after requireApi) and returns the decoded response body. Error codes in the
 * response are the caller's to read; a dropped connection or a malformed response throws.
 */
export async function sendRequest<T>(broker: ProtocolBroker, api: ApiSpec, body: Buffer, decode: (body: Buffer) => T): Promise<T> {
  requireApi(broker, api)
  const payload = api.flexible ? Buffer.concat([new FlexibleWriter().noTaggedFields().toBuffer(), body]) : body
  const request = {
    apiKey: api.key,
    apiVersion: api.version,
    apiName: api.name,
    // kafkajs's connection checks `buf` is a Buffer and writes `buffer` (its Encoder's shape).
    encode: async () => ({buf: payload, buffer: payload}),
  }
  const response = {
    decode: async (raw: Buffer) => {
      if (!api.flexible) return decode(raw)
      const r = new FlexibleReader(raw)
      r.skipTaggedFields()
      return decode(raw.subarray(raw.length - r.remaining))
    },
    parse: async (decoded: T) => decoded,
  }
  try {
    return (await broker.connectionPool.send({request, response})) as T
  } catch (error) {
    // What kafkajs's Broker does for its own requests: a closed connection is reopened next time.
    if ((error as {name?: string})?.name === 'KafkaJSConnectionClosedError') await broker.disconnect()
    throw error
  }
}

/** kafkajs's error for a Kafka error code (type NOT_COORDINATOR, ...): what its own requests throw. */
export function kafkaProtocolError(code: number): Error & {type: string} {
  const {createErrorFromCode} = require('kafkajs/src/protocol/error.js') as {createErrorFromCode: (code: number) => Error & {type: string}}
  return createErrorFromCode(code)
}
