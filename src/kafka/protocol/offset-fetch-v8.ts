/**
 * OffsetFetch v8 (KIP-709, Kafka 3.0+): the committed offsets of many groups in one request.
 * kafkajs 2.2.4 speaks OffsetFetch only up to v4, one group per request, so this module encodes
 * the request and decodes the response itself and sends them on kafkajs's broker connection.
 *
 *   OffsetFetch Request (Version: 8) => [groups] require_stable TAG_BUFFER
 *     groups => group_id [topics] TAG_BUFFER
 *       group_id => COMPACT_STRING
 *       topics => name [partition_indexes] TAG_BUFFER      (COMPACT_NULLABLE_ARRAY: null = all)
 *         name => COMPACT_STRING
 *         partition_indexes => INT32
 *     require_stable => BOOLEAN
 *
 *   OffsetFetch Response (Version: 8) => throttle_time_ms [groups] TAG_BUFFER
 *     throttle_time_ms => INT32
 *     groups => group_id [topics] error_code TAG_BUFFER
 *       group_id => COMPACT_STRING
 *       topics => name [partitions] TAG_BUFFER
 *         name => COMPACT_STRING
 *         partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
 *           partition_index => INT32
 *           committed_offset => INT64
 *           committed_leader_epoch => INT32
 *           metadata => COMPACT_NULLABLE_STRING
 *           error_code => INT16
 *       error_code => INT16
 *
 * Sent on kafkajs's broker connection by ./wire.ts.
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, supportsApi, type ApiSpec, type ProtocolBroker} from './wire.js'

export {kafkaProtocolError, type ProtocolBroker} from './wire.js'

export const OFFSET_FETCH_API_KEY = 9
export const OFFSET_FETCH_BATCH_VERSION = 8

export interface OffsetFetchGroupRequest {
  readonly groupId: string
  /** null: every partition the group has an offset for. */
  readonly topics: readonly {readonly topic: string; readonly partitions: readonly number[]}[] | null
}

export interface OffsetFetchPartition {
  readonly partition: number
  /** -1 when the group has no offset for the partition. */
  readonly offset: number
  readonly leaderEpoch: number
  readonly metadata: string | null
  readonly errorCode: number
}

export interface OffsetFetchGroupResult {
  readonly groupId: string
  readonly errorCode: number
  readonly topics: readonly {readonly topic: string; readonly partitions: readonly OffsetFetchPartition[]}[]
}

export interface OffsetFetchResponse {
  readonly throttleTimeMs: number
  readonly groups: readonly OffsetFetchGroupResult[]
}

/** The request body (without the header). */
export function encodeOffsetFetchV8Request(groups: readonly OffsetFetchGroupRequest[], requireStable = false): Buffer {
  return new FlexibleWriter()
    .compactArray(groups, (g, w) => {
      w.compactString(g.groupId)
      w.compactArray(g.topics, (t, wt) => {
        wt.compactString(t.topic)
        wt.compactArray(t.partitions, (p, wp) => wp.int32(p))
        wt.noTaggedFields()
      })
      w.noTaggedFields()
    })
    .boolean(requireStable)
    .noTaggedFields()
    .toBuffer()
}

/** The response body (after the response header). */
export function decodeOffsetFetchV8Response(body: Buffer): OffsetFetchResponse {
  const r = new FlexibleReader(body)
  const throttleTimeMs = r.int32()
  const groups = r.compactArray((rg): OffsetFetchGroupResult => {
    const groupId = rg.compactString()
    const topics = rg.compactArray((rt) => {
      const topic = rt.compactString()
      const partitions = rt.compactArray((rp): OffsetFetchPartition => {
        const partition = {
          partition: rp.int32(),
          offset: rp.int64(),
          leaderEpoch: rp.int32(),
          metadata: rp.compactNullableString(),
          errorCode: rp.int16(),
        }
        rp.skipTaggedFields()
        return partition
      })
      rt.skipTaggedFields()
      return {topic, partitions}
    })
    const errorCode = rg.int16()
    rg.skipTaggedFields()
    return {groupId, errorCode, topics}
  })
  r.skipTaggedFields()
  return {throttleTimeMs, groups}
}

const OFFSET_FETCH_V8: ApiSpec = {key: OFFSET_FETCH_API_KEY, name: 'OffsetFetch', version: OFFSET_FETCH_BATCH_VERSION, flexible: true, since: '3.0', kip: 'KIP-709'}

/** Whether the broker accepts OffsetFetch v8 (its ApiVersions answer tells; brokers before Kafka 3.0 do not). */
export function supportsOffsetFetchV8(broker: ProtocolBroker): boolean {
  return supportsApi(broker, OFFSET_FETCH_V8)
}

/**
 * Sends one OffsetFetch v8 for the groups. Per-group and per-partition error codes are returned,
 * not thrown (the caller retries a moved coordinator's groups elsewhere); a malformed response
 * or a dropped connection throws. The request counts as OffsetFetch in KAFKIT_REQUEST_STATS
 * (kafkajs emits its REQUEST event with this apiName).
 */
export function sendOffsetFetchV8(broker: ProtocolBroker, groups: readonly OffsetFetchGroupRequest[]): Promise<OffsetFetchResponse> {
  return sendRequest(broker, OFFSET_FETCH_V8, encodeOffsetFetchV8Request(groups), decodeOffsetFetchV8Response)
}
