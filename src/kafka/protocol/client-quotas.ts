/**
 * DescribeClientQuotas v1 and AlterClientQuotas v1 (KIP-546, api keys 48 and 49; v1 is the first
 * flexible version, accepted by 3.9 and 4.x): client quotas (producer_byte_rate, ...) of users,
 * client ids and IPs. Describe goes to any broker; Alter to any broker (it forwards it to the
 * controller in KRaft).
 *
 *   DescribeClientQuotas Request (Version: 1) => [components] strict TAG_BUFFER
 *     components => entity_type match_type match TAG_BUFFER
 *       entity_type => COMPACT_STRING         ("user", "client-id", "ip")
 *       match_type => INT8                    (0 = exact name, 1 = the default entity, 2 = any name)
 *       match => COMPACT_NULLABLE_STRING
 *     strict => BOOLEAN
 *
 *   DescribeClientQuotas Response (Version: 1) => throttle_time_ms error_code error_message [entries] TAG_BUFFER
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     entries => [entity] [values] TAG_BUFFER              (COMPACT_NULLABLE_ARRAY)
 *       entity => entity_type entity_name TAG_BUFFER
 *         entity_type => COMPACT_STRING
 *         entity_name => COMPACT_NULLABLE_STRING  (null = the default entity)
 *       values => key value TAG_BUFFER
 *         key => COMPACT_STRING
 *         value => FLOAT64
 *
 *   AlterClientQuotas Request (Version: 1) => [entries] validate_only TAG_BUFFER
 *     entries => [entity] [ops] TAG_BUFFER
 *       entity => entity_type entity_name TAG_BUFFER
 *       ops => key value remove TAG_BUFFER
 *         key => COMPACT_STRING
 *         value => FLOAT64
 *         remove => BOOLEAN
 *     validate_only => BOOLEAN
 *
 *   AlterClientQuotas Response (Version: 1) => throttle_time_ms [entries] TAG_BUFFER
 *     entries => error_code error_message [entity] TAG_BUFFER
 *       error_code => INT16
 *       error_message => COMPACT_NULLABLE_STRING
 *       entity => entity_type entity_name TAG_BUFFER
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const DESCRIBE_CLIENT_QUOTAS: ApiSpec = {key: 48, name: 'DescribeClientQuotas', version: 1, flexible: true, since: '3.0', kip: 'KIP-546'}
export const ALTER_CLIENT_QUOTAS: ApiSpec = {key: 49, name: 'AlterClientQuotas', version: 1, flexible: true, since: '3.0', kip: 'KIP-546'}

/** "user", "client-id" or "ip" (Kafka's names). */
export type QuotaEntityType = 'user' | 'client-id' | 'ip'

/** One component of a quota entity; name null = the default entity of that type. */
export interface QuotaEntityComponent {
  readonly type: QuotaEntityType
  readonly name: string | null
}

/** A describe filter component: an exact name, the default entity, or any named entity. */
export type QuotaFilterComponent =
  | {readonly type: QuotaEntityType; readonly match: 'exact'; readonly name: string}
  | {readonly type: QuotaEntityType; readonly match: 'default' | 'any'}

export interface QuotaEntry {
  readonly entity: readonly QuotaEntityComponent[]
  /** Quota key → value (producer_byte_rate, consumer_byte_rate, request_percentage, ...). */
  readonly values: Readonly<Record<string, number>>
}

export interface QuotaAlteration {
  readonly entity: readonly QuotaEntityComponent[]
  /** Keys to set; a key with null is removed. */
  readonly ops: readonly {readonly key: string; readonly value: number | null}[]
}

export interface DescribeClientQuotasResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly entries: readonly QuotaEntry[]
}

export interface AlterClientQuotasResult {
  readonly entity: readonly QuotaEntityComponent[]
  readonly errorCode: number
  readonly errorMessage: string | null
}

const MATCH_TYPES = {exact: 0, default: 1, any: 2} as const

function writeEntity(entity: readonly QuotaEntityComponent[], w: FlexibleWriter): void {
  w.compactArray(entity, (c, wc) => {
    wc.compactString(c.type)
    wc.compactNullableString(c.name)
    wc.noTaggedFields()
  })
}

function readEntity(r: FlexibleReader): QuotaEntityComponent[] {
  return r.compactArray((rc) => {
    const component = {type: rc.compactString() as QuotaEntityType, name: rc.compactNullableString()}
    rc.skipTaggedFields()
    return component
  })
}

export function encodeDescribeClientQuotasRequest(components: readonly QuotaFilterComponent[], strict: boolean): Buffer {
  return new FlexibleWriter()
    .compactArray(components, (c, w) => {
      w.compactString(c.type)
      w.int8(MATCH_TYPES[c.match])
      w.compactNullableString(c.match === 'exact' ? c.name : null)
      w.noTaggedFields()
    })
    .boolean(strict)
    .noTaggedFields()
    .toBuffer()
}

export function decodeDescribeClientQuotasResponse(body: Buffer): DescribeClientQuotasResponse {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const errorMessage = r.compactNullableString()
  const entries =
    r.compactNullableArray((re): QuotaEntry => {
      const entity = readEntity(re)
      const values: Record<string, number> = {}
      re.compactArray((rv) => {
        values[rv.compactString()] = rv.float64()
        rv.skipTaggedFields()
      })
      re.skipTaggedFields()
      return {entity, values}
    }) ?? []
  r.skipTaggedFields()
  return {throttleTimeMs, errorCode, errorMessage, entries}
}

export function encodeAlterClientQuotasRequest(alterations: readonly QuotaAlteration[], validateOnly: boolean): Buffer {
  const w = new FlexibleWriter()
  w.compactArray(alterations, (a, wa) => {
    writeEntity(a.entity, wa)
    wa.compactArray(a.ops, (op, wo) => {
      wo.compactString(op.key)
      wo.float64(op.value ?? 0)
      wo.boolean(op.value === null)
      wo.noTaggedFields()
    })
    wa.noTaggedFields()
  })
  return w.boolean(validateOnly).noTaggedFields().toBuffer()
}

export function decodeAlterClientQuotasResponse(body: Buffer): {throttleTimeMs: number; results: AlterClientQuotasResult[]} {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const results = r.compactArray((re): AlterClientQuotasResult => {
    const errorCode = re.int16()
    const errorMessage = re.compactNullableString()
    const entity = readEntity(re)
    re.skipTaggedFields()
    return {entity, errorCode, errorMessage}
  })
  r.skipTaggedFields()
  return {throttleTimeMs, results}
}

export function sendDescribeClientQuotas(broker: ProtocolBroker, components: readonly QuotaFilterComponent[], strict: boolean): Promise<DescribeClientQuotasResponse> {
  return sendRequest(broker, DESCRIBE_CLIENT_QUOTAS, encodeDescribeClientQuotasRequest(components, strict), decodeDescribeClientQuotasResponse)
}

export async function sendAlterClientQuotas(broker: ProtocolBroker, alterations: readonly QuotaAlteration[], validateOnly = false): Promise<AlterClientQuotasResult[]> {
  const {results} = await sendRequest(broker, ALTER_CLIENT_QUOTAS, encodeAlterClientQuotasRequest(alterations, validateOnly), decodeAlterClientQuotasResponse)
  return results
}
