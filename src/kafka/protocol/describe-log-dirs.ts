/**
 * DescribeLogDirs v2 (KIP-113, api key 35; v2 is the first flexible version, accepted by 3.9 and
 * 4.x): the size of each partition replica a broker holds, by log directory. Sent to the broker
 * whose replicas are wanted. kafkajs lacks it; reassignment uses it for the bytes to move and the
 * bytes moved so far (the size of a new replica on its new broker).
 *
 *   DescribeLogDirs Request (Version: 2) => [topics] TAG_BUFFER
 *     topics => topic [partitions] TAG_BUFFER   (COMPACT_NULLABLE_ARRAY: null = all)
 *       topic => COMPACT_STRING
 *       partitions => INT32
 *
 *   DescribeLogDirs Response (Version: 2) => throttle_time_ms [results] TAG_BUFFER
 *     results => error_code log_dir [topics] TAG_BUFFER
 *       log_dir => COMPACT_STRING
 *       topics => name [partitions] TAG_BUFFER
 *         partitions => partition_index partition_size offset_lag is_future_key TAG_BUFFER
 *           partition_index => INT32
 *           partition_size => INT64
 *           offset_lag => INT64
 *           is_future_key => BOOLEAN
 */
import {FlexibleReader, FlexibleWriter} from './flexible.js'
import {sendRequest, type ApiSpec, type ProtocolBroker} from './wire.js'

export const DESCRIBE_LOG_DIRS: ApiSpec = {key: 35, name: 'DescribeLogDirs', version: 2, flexible: true, since: '2.4', kip: 'KIP-113'}

export interface LogDirTopic {
  readonly topic: string
  readonly partitions: readonly number[]
}

export interface LogDirReplica {
  readonly logDir: string
  readonly topic: string
  readonly partition: number
  readonly size: number
  /** A replica being moved between this broker's log directories (not between brokers). */
  readonly future: boolean
}

export interface DescribeLogDirsResponse {
  /** Error codes of log directories (e.g. KAFKA_STORAGE_ERROR for an offline one). */
  readonly dirErrors: readonly {readonly logDir: string; readonly errorCode: number}[]
  readonly replicas: readonly LogDirReplica[]
}

export function encodeDescribeLogDirsRequest(topics: readonly LogDirTopic[] | null): Buffer {
  return new FlexibleWriter()
    .compactArray(topics, (t, w) => {
      w.compactString(t.topic)
      w.compactArray(t.partitions, (p, wp) => wp.int32(p))
      w.noTaggedFields()
    })
    .noTaggedFields()
    .toBuffer()
}

export function decodeDescribeLogDirsResponse(body: Buffer): DescribeLogDirsResponse {
  const r = new FlexibleReader(body)
  r.int32()
  const dirErrors: {logDir: string; errorCode: number}[] = []
  const replicas: LogDirReplica[] = []
  r.compactArray((rd) => {
    const errorCode = rd.int16()
    const logDir = rd.compactString()
    if (errorCode !== 0) dirErrors.push({logDir, errorCode})
    rd.compactArray((rt) => {
      const topic = rt.compactString()
      rt.compactArray((rp) => {
        const partition = rp.int32()
        const size = rp.int64()
        rp.int64()
        const future = rp.boolean()
        rp.skipTaggedFields()
        replicas.push({logDir, topic, partition, size, future})
      })
      rt.skipTaggedFields()
    })
    rd.skipTaggedFields()
  })
  r.skipTaggedFields()
  return {dirErrors, replicas}
}

export function sendDescribeLogDirs(broker: ProtocolBroker, topics: readonly LogDirTopic[] | null): Promise<DescribeLogDirsResponse> {
  return sendRequest(broker, DESCRIBE_LOG_DIRS, encodeDescribeLogDirsRequest(topics), decodeDescribeLogDirsResponse)
}
