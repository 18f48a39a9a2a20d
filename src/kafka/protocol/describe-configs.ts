/**
 * DescribeConfigs v4 (api key 32; v4 is the first flexible version, Kafka 2.8+, accepted by 3.9
 * and 4.x): every config entry of topics and brokers with its source, read-only and sensitive
 * flags, synonyms (the values it would fall back to) and type. kafkajs sends an older version and
 * throws the whole request away for one resource's error, and refuses the cluster-wide broker
 * default (resource name ''); this one reports errors per resource.
 *
 *   DescribeConfigs Request (Version: 4) => [resources] include_synonyms include_documentation TAG_BUFFER
 *     resources => resource_type resource_name [configuration_keys] TAG_BUFFER
 *       resource_type => INT8                 (2 = topic, 4 = broker)
 *       resource_name => COMPACT_STRING
 *       configuration_keys => COMPACT_STRING  (null array: every key)
 *     include_synonyms => BOOLEAN
 *     include_documentation => BOOLEAN
 *
 *   DescribeConfigs Response (Version: 4) => throttle_time_ms [results] TAG_BUFFER
 *     results => error_code error_message resource_type resource_name [configs] TAG_BUFFER
 *       configs => name value read_only config_source is_sensitive [synonyms] config_type documentation TAG_BUFFER
 *         name => COMPACT_STRING
 *         value => COMPACT_NULLABLE_STRING
 *         read_only => BOOLEAN
 *         config_source => INT8
 *         is_sensitive => BOOLEAN
 *         synonyms => name value source TAG_BUFFER
 *         config_type => INT8
 *         documentation => COMPACT_NULLABLE_STRING
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {CONFIG_RESOURCE_TYPES, type ConfigResourceType} from './incremental-alter-configs.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const DESCRIBE_CONFIGS: ApiSpec = {key: 32, name: 'DescribeConfigs', version: 4, flexible: true, since: '2.8', kip: 'KIP-133'}

/** Kafka's ConfigSource ids. */
export const CONFIG_SOURCE_NAMES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'topic',
  2: 'dynamic-broker',
  3: 'dynamic-default-broker',
  4: 'static-broker',
  5: 'default',
  6: 'dynamic-broker-logger',
  7: 'client-metrics',
  8: 'group',
}

/** Kafka's ConfigType ids. */
export const CONFIG_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'boolean',
  2: 'string',
  3: 'int',
  4: 'short',
  5: 'long',
  6: 'double',
  7: 'list',
  8: 'class',
  9: 'password',
}

export interface DescribeConfigsResource {
  readonly type: ConfigResourceType
  readonly name: string
  /** null: every key. */
  readonly keys?: readonly string[] | null
}

export interface DescribedSynonym {
  readonly name: string
  readonly value: string | null
  readonly source: number
}

export interface DescribedEntry {
  readonly name: string
  readonly value: string | null
  readonly readOnly: boolean
  readonly source: number
  readonly sensitive: boolean
  readonly synonyms: readonly DescribedSynonym[]
  readonly type: number
  readonly documentation: string | null
}

export interface DescribedResource {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly type: number
  readonly name: string
  readonly entries: readonly DescribedEntry[]
}

export function encodeDescribeConfigsRequest(resources: readonly DescribeConfigsResource[], opts: {synonyms?: boolean; documentation?: boolean} = {}): Buffer {
  return new FlexibleWriter()
    .compactArray(resources, (r, w) => {
      w.int8(CONFIG_RESOURCE_TYPES[r.type])
      w.compactString(r.name)
      w.compactArray(r.keys ?? null, (k, wk) => wk.compactString(k))
      w.noTaggedFields()
    })
    .boolean(opts.synonyms ?? true)
    .boolean(opts.documentation ?? false)
    .noTaggedFields()
    .toBuffer()
}

export function decodeDescribeConfigsResponse(body: Buffer): {throttleTimeMs: number; results: DescribedResource[]} {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const results = r.compactArray((rr): DescribedResource => {
    const errorCode = rr.int16()
    const errorMessage = rr.compactNullableString()
    const type = rr.int8()
    const name = rr.compactString()
    const entries = rr.compactArray((re): DescribedEntry => {
      const entryName = re.compactString()
      const value = re.compactNullableString()
      const readOnly = re.boolean()
      const source = re.int8()
      const sensitive = re.boolean()
      const synonyms = re.compactArray((rs): DescribedSynonym => {
        const synonym = {name: rs.compactString(), value: rs.compactNullableString(), source: rs.int8()}
        rs.skipTaggedFields()
        return synonym
      })
      const configType = re.int8()
      const documentation = re.compactNullableString()
      re.skipTaggedFields()
      return {name: entryName, value, readOnly, source, sensitive, synonyms, type: configType, documentation}
    })
    rr.skipTaggedFields()
    return {errorCode, errorMessage, type, name, entries}
  })
  r.skipTaggedFields()
  return {throttleTimeMs, results}
}

/** One request; per-resource errors are in the results. */
export async function sendDescribeConfigs(broker: ProtocolBroker, resources: readonly DescribeConfigsResource[], opts: {synonyms?: boolean} = {}): Promise<DescribedResource[]> {
  const {results} = await sendRequest(broker, DESCRIBE_CONFIGS, encodeDescribeConfigsRequest(resources, opts), decodeDescribeConfigsResponse)
  return results
}
