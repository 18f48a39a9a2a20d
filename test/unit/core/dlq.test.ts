import {Buffer} from 'node:buffer'
import {describe, expect, it} from 'vitest'
import type {ConsumedRecord, RecordHeaders} from '../../../src/core/record.js'
import {type DlqFailure, decodeDlqRecord, failureTime, isDlqMetadataHeader, parseFailureTime} from '../../../src/core/dlq.js'

const text = (s: string): Buffer => Buffer.from(s, 'utf8')
const bytes = (...values: number[]): Buffer => Buffer.from(values)
const int32be = (n: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}
const int64be = (n: bigint): Buffer => {
  const b = Buffer.alloc(8)
  b.writeBigInt64BE(n)
  return b
}
/** Text headers, as Python and Connect write them. */
const textHeaders = (headers: Record<string, string>): Record<string, Buffer> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, text(value)]))
/** A header list from name → value (an array of values for a repeated name), in that order. */
const hs = (headers: Record<string, Buffer | null | Array<Buffer | null>>): RecordHeaders =>
  Object.entries(headers).flatMap(([name, values]) => (Array.isArray(values) ? values : [values]).map((value) => ({name, value})))

const DLQ_TIMESTAMP = '1729340000000'
function dlqRecord(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {topic: 'orders.dlq', partition: 0, offset: '7', timestamp: DLQ_TIMESTAMP, key: null, value: null, headers: hs({}), ...overrides}
}

/** What seed 003's send_to_dlq produces for a ValueError on orders[3]@12345. */
const seed003Headers = {
  original_topic: 'orders',
  original_partition: '3',
  original_offset: '12345',
  error_type: 'ValueError',
  error_message: 'bad amount',
  failed_at: '2024-10-19T10:30:00.123456',
}

/** Python json.dumps of seed 001's dlq_message (default separators, ensure_ascii). */
const seed001Envelope =
  '{"original_topic": "orders.created", "original_partition": 2, "original_offset": 42, "original_key": "123", ' +
  '"original_value": {"order_id": 123, "amount": 99.99, "note": "caf\\u00e9"}, "error": "division by zero", ' +
  '"error_timestamp": "2024-10-19T10:30:00.123456", "retry_count": 0}'

const T_2024_10_19_103000_123 = Date.UTC(2024, 9, 19, 10, 30, 0, 123)

function envelope(fields: Record<string, unknown>): Buffer {
  return text(JSON.stringify({original_topic: 'orders', original_value: 'v', ...fields}))
}

describe('decodeDlqRecord: each format, on bytes', () => {
  it.each<[string, ConsumedRecord, DlqFailure]>([
    [
      'seed 003 header-based, as its Python writer sends it',
      dlqRecord({key: text('order-1'), value: text('{"amount": "x"}'), headers: hs(textHeaders(seed003Headers))}),
      {
        format: 'headers',
        originalTopic: 'orders',
        originalPartition: 3,
        originalOffset: '12345',
        key: text('order-1'),
        value: text('{"amount": "x"}'),
        headers: hs({}),
        errorType: 'ValueError',
        errorMessage: 'bad amount',
        failedAt: T_2024_10_19_103000_123,
        retryCount: 0,
      },
    ],
    [
      'seed 003 with binary key/value, app headers carried, retry_count read and stripped',
      dlqRecord({
        key: bytes(0x00, 0xff),
        value: bytes(0x80, 0x81),
        headers: hs({...textHeaders({...seed003Headers, failed_at: '2024-10-19T10:30:00', retry_count: '2'}), trace: text('t-1'), multi: [text('a'), text('b')]}),
      }),
      {
        format: 'headers',
        originalTopic: 'orders',
        originalPartition: 3,
        originalOffset: '12345',
        key: bytes(0x00, 0xff),
        value: bytes(0x80, 0x81),
        headers: hs({trace: text('t-1'), multi: [text('a'), text('b')]}),
        errorType: 'ValueError',
        errorMessage: 'bad amount',
        failedAt: Date.UTC(2024, 9, 19, 10, 30, 0),
        retryCount: 2,
      },
    ],
    [
      'seed 003 with only original_topic: everything else absent, tombstone kept',
      dlqRecord({headers: hs(textHeaders({original_topic: 'orders'}))}),
      {format: 'headers', originalTopic: 'orders', key: null, value: null, headers: hs({}), retryCount: 0},
    ],
    [
      'seed 001 JSON envelope, as Python json.dumps writes it',
      dlqRecord({key: text('123'), value: text(seed001Envelope)}),
      {
        format: 'json-envelope',
        originalTopic: 'orders.created',
        originalPartition: 2,
        originalOffset: '42',
        key: text('123'),
        // Compact, with the number and the \u00e9 escape exactly as embedded.
        value: text('{"order_id":123,"amount":99.99,"note":"caf\\u00e9"}'),
        headers: hs({}),
        errorMessage: 'division by zero',
        failedAt: T_2024_10_19_103000_123,
        retryCount: 0,
      },
    ],
    [
      'envelope: string value, null key, error object, epoch-seconds time, string retry count',
      dlqRecord({
        key: text('ignored: original_key is present'),
        value: envelope({
          original_key: null,
          original_value: 'plain text, not JSON',
          error: {type: 'java.lang.IllegalStateException', message: 'boom'},
          error_timestamp: 1729333800.5,
          retry_count: '3',
        }),
      }),
      {
        format: 'json-envelope',
        originalTopic: 'orders',
        key: null,
        value: text('plain text, not JSON'),
        headers: hs({}),
        errorType: 'java.lang.IllegalStateException',
        errorMessage: 'boom',
        failedAt: 1_729_333_800_500,
        retryCount: 3,
      },
    ],
    [
      'envelope: base64 value, absent original_key falls back to the record key, epoch-millis time, 2^53+1 offset exact',
      dlqRecord({
        key: text('rk'),
        value: text('{"original_topic":"orders","original_offset":9007199254740993,"original_value":{"base64":"AP8="},"error_timestamp":1729333800123}'),
      }),
      {
        format: 'json-envelope',
        originalTopic: 'orders',
        originalOffset: '9007199254740993',
        key: text('rk'),
        value: bytes(0x00, 0xff),
        headers: hs({}),
        failedAt: 1_729_333_800_123,
        retryCount: 0,
      },
    ],
    [
      'envelope: null value is a tombstone; string partition/offset; retry_count header when the field is absent',
      dlqRecord({
        value: envelope({original_value: null, original_partition: '4', original_offset: '5'}),
        headers: hs({retry_count: text('1'), app: text('x')}),
      }),
      {format: 'json-envelope', originalTopic: 'orders', originalPartition: 4, originalOffset: '5', key: null, value: null, headers: hs({app: text('x')}), retryCount: 1},
    ],
    [
      'envelope: JSON array and number values',
      dlqRecord({value: text('{"original_topic": "t", "original_value": [1, 2.0, "x"], "original_key": 12345678901234567890}')}),
      {format: 'json-envelope', originalTopic: 't', key: text('12345678901234567890'), value: text('[1,2.0,"x"]'), headers: hs({}), retryCount: 0},
    ],
    [
      'Kafka Connect context headers; Connect metadata stripped, original headers carried',
      dlqRecord({
        key: text('{"id":1}'),
        value: bytes(0x00, 0x00, 0x00, 0x00, 0x01, 0x02), // e.g. Avro the converter could not read
        headers: hs({
          ...textHeaders({
            '__connect.errors.topic': 'pg.public.users',
            '__connect.errors.partition': '5',
            '__connect.errors.offset': '100200300400',
            '__connect.errors.connector.name': 'users-sink',
            '__connect.errors.task.id': '0',
            '__connect.errors.stage': 'VALUE_CONVERTER',
            '__connect.errors.class.name': 'io.confluent.connect.avro.AvroConverter',
            '__connect.errors.exception.class.name': 'org.apache.kafka.connect.errors.DataException',
            '__connect.errors.exception.message': 'Failed to deserialize data',
            '__connect.errors.exception.stacktrace': 'org.apache...\n\tat ...',
          }),
          'content-type': text('avro'),
        }),
      }),
      {
        format: 'kafka-connect',
        originalTopic: 'pg.public.users',
        originalPartition: 5,
        originalOffset: '100200300400',
        key: text('{"id":1}'),
        value: bytes(0x00, 0x00, 0x00, 0x00, 0x01, 0x02),
        headers: hs({'content-type': text('avro')}),
        errorType: 'org.apache.kafka.connect.errors.DataException',
        errorMessage: 'Failed to deserialize data',
        retryCount: 0,
      },
    ],
    [
      'Spring DeadLetterPublishingRecoverer: binary partition/offset/timestamp',
      dlqRecord({
        key: text('k'),
        value: text('{"bad":true}'),
        headers: hs({
          'kafka_dlt-original-topic': text('payments'),
          'kafka_dlt-original-partition': int32be(11),
          'kafka_dlt-original-offset': int64be(9_007_199_254_740_993n),
          'kafka_dlt-original-timestamp': int64be(1_729_333_000_000n),
          'kafka_dlt-original-timestamp-type': text('CreateTime'),
          'kafka_dlt-original-consumer-group': text('payments-svc'),
          'kafka_dlt-exception-fqcn': text('org.springframework.kafka.listener.ListenerExecutionFailedException'),
          'kafka_dlt-exception-cause-fqcn': text('java.lang.IllegalArgumentException'),
          'kafka_dlt-exception-message': text('Listener failed; amount < 0'),
          'kafka_dlt-exception-stacktrace': text('...'),
          __TypeId__: text('com.acme.Payment'),
          retry_count: text('4'),
        }),
      }),
      {
        format: 'spring-kafka',
        originalTopic: 'payments',
        originalPartition: 11,
        originalOffset: '9007199254740993',
        originalTimestamp: 1_729_333_000_000,
        key: text('k'),
        value: text('{"bad":true}'),
        headers: hs({__TypeId__: text('com.acme.Payment')}),
        errorType: 'org.springframework.kafka.listener.ListenerExecutionFailedException',
        errorMessage: 'Listener failed; amount < 0',
        retryCount: 4,
      },
    ],
    [
      'Spring without exception message (Spring omits it when null)',
      dlqRecord({headers: hs({'kafka_dlt-original-topic': text('p'), 'kafka_dlt-exception-fqcn': text('java.lang.NullPointerException')})}),
      {format: 'spring-kafka', originalTopic: 'p', key: null, value: null, headers: hs({}), errorType: 'java.lang.NullPointerException', retryCount: 0},
    ],
  ])('%s', (_name, record, expected) => {
    expect(decodeDlqRecord(record)).toEqual({ok: true, failure: expected})
  })

  it('repeated metadata headers: the last value wins, as with Kafka lastHeader()', () => {
    const decoded = decodeDlqRecord(
      dlqRecord({headers: hs({original_topic: [text('old'), text('orders')], error_type: [text('A'), text('B')]})}),
    )
    expect(decoded).toMatchObject({ok: true, failure: {originalTopic: 'orders', errorType: 'B'}})
  })

  it('Spring headers win over seed-003 names on the same record, and both are stripped', () => {
    const decoded = decodeDlqRecord(
      dlqRecord({headers: hs({...textHeaders({original_topic: 'app-header', error_type: 'X'}), 'kafka_dlt-original-topic': text('payments')})}),
    )
    expect(decoded).toMatchObject({ok: true, failure: {format: 'spring-kafka', originalTopic: 'payments', headers: hs({})}})
  })

  it('headers win over an envelope-looking value', () => {
    const decoded = decodeDlqRecord(dlqRecord({value: envelope({}), headers: hs(textHeaders({original_topic: 'from-header'}))}))
    expect(decoded).toMatchObject({ok: true, failure: {format: 'headers', originalTopic: 'from-header', value: envelope({})}})
  })

  it('application headers are carried in order, interleaved repeats, null values and built-in names included', () => {
    const app = [
      {name: 'x', value: text('1')},
      {name: 'constructor', value: text('c')},
      {name: 'x', value: null},
      {name: '__proto__', value: text('')},
      {name: 'x', value: text('3')},
    ]
    const decoded = decodeDlqRecord(dlqRecord({headers: [app[0], ...hs(textHeaders(seed003Headers)), ...app.slice(1)]}))
    expect(decoded).toMatchObject({ok: true, failure: {format: 'headers', originalTopic: 'orders', headers: app}})
  })

  it('a null metadata value is malformed, not absent', () => {
    expect(decodeDlqRecord(dlqRecord({headers: hs({...textHeaders(seed003Headers), original_partition: null})}))).toEqual({
      ok: false,
      reason: 'header original_partition has a null value',
    })
    expect(decodeDlqRecord(dlqRecord({headers: hs({'kafka_dlt-original-topic': null})}))).toEqual({ok: false, reason: 'header kafka_dlt-original-topic has a null value'})
  })

  it('previous replay provenance is carried (replay overwrites it)', () => {
    const decoded = decodeDlqRecord(dlqRecord({headers: hs(textHeaders({original_topic: 'o', 'kafkit-replay-time': 'x'}))}))
    expect(decoded).toMatchObject({ok: true, failure: {headers: hs({'kafkit-replay-time': text('x')})}})
  })
})

describe('decodeDlqRecord: undecodable records say why', () => {
  const noHeader = 'and there is no DLQ header (kafka_dlt-original-topic, __connect.errors.topic, original_topic)'
  it.each<[string, ConsumedRecord, string]>([
    ['plain text value', dlqRecord({value: text('hello')}), `value is not JSON ${noHeader}`],
    ['tombstone without headers', dlqRecord({value: null}), `value is null ${noHeader}`],
    ['binary value', dlqRecord({value: bytes(0xff, 0xfe)}), `value is not UTF-8 text ${noHeader}`],
    ['JSON array', dlqRecord({value: text('[1]')}), `value is JSON but not an object ${noHeader}`],
    ['JSON without original_topic', dlqRecord({value: text('{"topic": "x"}')}), `value is a JSON object without an original_topic string ${noHeader}`],
    ['envelope with empty original_topic', dlqRecord({value: envelope({original_topic: ''})}), 'without an original_topic string'],
    ['envelope without original_value', dlqRecord({value: text('{"original_topic": "o"}')}), 'field original_value is missing'],
    ['envelope partition not an integer', dlqRecord({value: envelope({original_partition: 1.5})}), 'field original_partition is not a non-negative integer: "1.5"'],
    ['envelope negative offset', dlqRecord({value: envelope({original_offset: -1})}), 'field original_offset is not a non-negative integer: "-1"'],
    ['envelope offset is an object', dlqRecord({value: envelope({original_offset: {}})}), 'field original_offset is not an integer: {}'],
    ['envelope partition beyond int32', dlqRecord({value: envelope({original_partition: 2147483648})}), 'field original_partition is not a valid partition: 2147483648'],
    ['envelope error is a number', dlqRecord({value: envelope({error: 42})}), 'field error should be a string or {"type", "message"} strings, got 42'],
    ['envelope error.type not a string', dlqRecord({value: envelope({error: {type: 1}})}), 'field error should be'],
    ['envelope bad time', dlqRecord({value: envelope({error_timestamp: 'yesterday'})}), 'field error_timestamp is not a time (ISO-8601 or epoch): "yesterday"'],
    ['envelope time is a boolean', dlqRecord({value: envelope({error_timestamp: true})}), 'field error_timestamp is not a time: true'],
    ['envelope bad base64', dlqRecord({value: envelope({original_value: {base64: '@@'}})}), 'field original_value: invalid base64'],
    ['envelope retry_count not an integer', dlqRecord({value: envelope({retry_count: 'x'})}), 'field retry_count is not a non-negative integer: "x"'],
    ['seed 003 partition not a number', dlqRecord({headers: hs(textHeaders({...seed003Headers, original_partition: 'three'}))}), 'header original_partition is not a non-negative integer: "three"'],
    ['seed 003 partition with spaces', dlqRecord({headers: hs(textHeaders({...seed003Headers, original_partition: ' 3'}))}), 'header original_partition is not a non-negative integer'],
    ['seed 003 bad failed_at', dlqRecord({headers: hs(textHeaders({...seed003Headers, failed_at: '19/10/2024'}))}), 'header failed_at is not a time (ISO-8601 or epoch): "19/10/2024"'],
    ['seed 003 empty original_topic', dlqRecord({headers: hs(textHeaders({original_topic: ''}))}), 'header original_topic is empty'],
    ['seed 003 non-UTF-8 topic', dlqRecord({headers: hs({original_topic: bytes(0xff)})}), 'header original_topic is not UTF-8 text'],
    ['seed 003 non-UTF-8 error_message', dlqRecord({headers: hs({original_topic: text('o'), error_message: bytes(0xc3)})}), 'header error_message is not UTF-8 text'],
    ['bad retry_count header', dlqRecord({headers: hs(textHeaders({original_topic: 'o', retry_count: 'many'}))}), 'header retry_count is not a non-negative integer: "many"'],
    ['Connect offset not decimal', dlqRecord({headers: hs(textHeaders({'__connect.errors.topic': 't', '__connect.errors.offset': '0x10'}))}), 'header __connect.errors.offset is not a non-negative integer: "0x10"'],
    [
      'Spring partition written as text, not 4 bytes',
      dlqRecord({headers: hs({'kafka_dlt-original-topic': text('p'), 'kafka_dlt-original-partition': text('3')})}),
      'header kafka_dlt-original-partition should be a 4-byte big-endian integer, got 1 bytes',
    ],
    [
      'Spring offset of 4 bytes',
      dlqRecord({headers: hs({'kafka_dlt-original-topic': text('p'), 'kafka_dlt-original-offset': int32be(5)})}),
      'header kafka_dlt-original-offset should be a 8-byte big-endian integer, got 4 bytes',
    ],
    [
      'Spring negative partition',
      dlqRecord({headers: hs({'kafka_dlt-original-topic': text('p'), 'kafka_dlt-original-partition': int32be(-1)})}),
      'header kafka_dlt-original-partition is not a valid partition: -1',
    ],
    [
      'Spring negative offset',
      dlqRecord({headers: hs({'kafka_dlt-original-topic': text('p'), 'kafka_dlt-original-offset': int64be(-1n)})}),
      'header kafka_dlt-original-offset is not a valid offset: -1',
    ],
    [
      'Spring original timestamp of 3 bytes',
      dlqRecord({headers: hs({'kafka_dlt-original-topic': text('p'), 'kafka_dlt-original-timestamp': bytes(1, 2, 3)})}),
      'header kafka_dlt-original-timestamp should be a 8-byte big-endian integer, got 3 bytes',
    ],
  ])('%s', (_name, record, reason) => {
    const decoded = decodeDlqRecord(record)
    expect(decoded.ok).toBe(false)
    expect(!decoded.ok && decoded.reason).toContain(reason)
  })
})

describe('parseFailureTime', () => {
  it.each<[string, number]>([
    ['2024-10-19T10:30:00.123456', T_2024_10_19_103000_123], // Python utcnow().isoformat(): UTC
    ['2024-10-19T10:30:00', Date.UTC(2024, 9, 19, 10, 30)], // isoformat() drops .000000
    ['2024-10-19 10:30:00.123', T_2024_10_19_103000_123], // str(datetime)
    ['2024-10-19T10:30', Date.UTC(2024, 9, 19, 10, 30)],
    ['2024-10-19T10:30:00.1Z', Date.UTC(2024, 9, 19, 10, 30, 0, 100)],
    ['2024-10-19T10:30:00.999999999Z', Date.UTC(2024, 9, 19, 10, 30, 0, 999)], // truncated, not rounded
    ['2024-10-19T12:30:00+02:00', Date.UTC(2024, 9, 19, 10, 30)],
    ['2024-10-19T05:00:00-0530', Date.UTC(2024, 9, 19, 10, 30)],
    ['2024-10-19t10:30:00z', Date.UTC(2024, 9, 19, 10, 30)],
    ['1729333800', 1_729_333_800_000], // epoch seconds
    ['1729333800.123456', 1_729_333_800_123], // Python time.time()
    ['1729333800123', 1_729_333_800_123], // epoch millis
    ['  1729333800123 ', 1_729_333_800_123],
  ])('%j', (input, expected) => expect(parseFailureTime(input)).toBe(expected))

  it.each(['', 'yesterday', '2024-10-19', '2024-02-30T00:00:00', '2024-10-19T24:00:00', '2024-10-19T10:61', '10:30', '-5', '1e12', '2024-10-19T10:30:00+2'])(
    'rejects %j',
    (input) => expect(parseFailureTime(input)).toBeUndefined(),
  )
})

describe('isDlqMetadataHeader', () => {
  it.each([
    ['original_topic', true],
    ['failed_at', true],
    ['retry_count', true],
    ['__connect.errors.stage', true],
    ['kafka_dlt-exception-stacktrace', true],
    ['kafka_dlt-key-exception-fqcn', true],
    ['kafkit-replay-time', false],
    ['trace-id', false],
    ['original_topic_extra', false],
    ['__TypeId__', false],
  ])('%s → %s', (name, expected) => expect(isDlqMetadataHeader(name)).toBe(expected))
})

describe('failureTime', () => {
  it('uses the recorded failure time, else the DLQ record timestamp', () => {
    const withTime = dlqRecord({headers: hs(textHeaders(seed003Headers))})
    const withoutTime = dlqRecord({headers: hs(textHeaders({original_topic: 'o'}))})
    for (const [record, expected] of [[withTime, T_2024_10_19_103000_123], [withoutTime, Number(DLQ_TIMESTAMP)]] as const) {
      const decoded = decodeDlqRecord(record)
      if (!decoded.ok) throw new Error(decoded.reason)
      expect(failureTime(record, decoded.failure)).toBe(expected)
    }
  })
})
