/**
 * IncrementalAlterConfigs v1 (KIP-339, api key 44; v1 is the first flexible version, accepted by
 * Kafka 2.4+ including 3.9 and 4.x): sets and deletes single config keys of a resource, where
 * kafkajs's AlterConfigs replaces every override of it at once.
 *
 *   IncrementalAlterConfigs Request (Version: 1) => [resources] validate_only TAG_BUFFER
 *     resources => resource_type resource_name [configs] TAG_BUFFER
 *       resource_type => INT8                 (2 = topic, 4 = broker, 8 = broker logger)
 *       resource_name => COMPACT_STRING
 *       configs => name config_operation value TAG_BUFFER
 *         name => COMPACT_STRING
 *         config_operation => INT8            (0 = SET, 1 = DELETE, 2 = APPEND, 3 = SUBTRACT)
 *         value => COMPACT_NULLABLE_STRING
 *     validate_only => BOOLEAN
 *
 *   IncrementalAlterConfigs Response (Version: 1) => throttle_time_ms [responses] TAG_BUFFER
 *     throttle_time_ms => INT32
 *     responses => error_code error_message resource_type resource_name TAG_BUFFER
 *       error_code => INT16
 *       error_message => COMPACT_NULLABLE_STRING
 *       resource_type => INT8
 *       resource_name => COMPACT_STRING
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const INCREMENTAL_ALTER_CONFIGS: ApiSpec = {key: 44, name: 'IncrementalAlterConfigs', version: 1, flexible: true, since: '2.4', kip: 'KIP-339'}

export const CONFIG_RESOURCE_TYPES = {topic: 2, broker: 4, brokerLogger: 8} as const
export type ConfigResourceType = keyof typeof CONFIG_RESOURCE_TYPES

const OPERATIONS = {set: 0, delete: 1, append: 2, subtract: 3} as const
export type ConfigOperation = keyof typeof OPERATIONS

export interface ConfigOp {
  readonly name: string
  readonly op: ConfigOperation
  /** null for delete. */
  readonly value: string | null
}

export interface ConfigResourceOps {
  readonly type: ConfigResourceType
  /** The topic name, or the broker id ('' for the cluster-wide broker default). */
  readonly name: string
  readonly ops: readonly ConfigOp[]
}

export interface ConfigResourceResult {
  readonly type: number
  readonly name: string
  readonly errorCode: number
  readonly errorMessage: string | null
}

export function encodeIncrementalAlterConfigsRequest(resources: readonly ConfigResourceOps[], validateOnly = false): Buffer {
  return new FlexibleWriter()
    .compactArray(resources, (r, w) => {
      w.int8(CONFIG_RESOURCE_TYPES[r.type])
      w.compactString(r.name)
      w.compactArray(r.ops, (c, wc) => {
        wc.compactString(c.name)
        wc.int8(OPERATIONS[c.op])
        wc.compactNullableString(c.op === 'delete' ? null : c.value)
        wc.noTaggedFields()
      })
      w.noTaggedFields()
    })
    .boolean(validateOnly)
    .noTaggedFields()
    .toBuffer()
}

export function decodeIncrementalAlterConfigsResponse(body: Buffer): {throttleTimeMs: number; results: ConfigResourceResult[]} {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const results = r.compactArray((rr): ConfigResourceResult => {
    const errorCode = rr.int16()
    const errorMessage = rr.compactNullableString()
    const type = rr.int8()
    const name = rr.compactString()
    rr.skipTaggedFields()
    return {type, name, errorCode, errorMessage}
  })
  r.skipTaggedFields()
  return {throttleTimeMs, results}
}

/** One request; per-resource errors are in the results. Topic configs may go to any broker (it forwards them to the controller). */
export async function sendIncrementalAlterConfigs(
  broker: ProtocolBroker,
  resources: readonly ConfigResourceOps[],
  validateOnly = false,
): Promise<ConfigResourceResult[]> {
  const {results} = await sendRequest(broker, INCREMENTAL_ALTER_CONFIGS, encodeIncrementalAlterConfigsRequest(resources, validateOnly), decodeIncrementalAlterConfigsResponse)
  return results
}
