import {Args, Flags} from '@oclif/core'

import {inspectDlqTopic, type DlqInspectResult} from '../../app/dlq.js'
import type {RecordSchemaDecoding} from '../../app/schemas.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {renderInspection} from '../../cli/render-dlq.js'
import {rawFlag, schemaRegistryFlag, schemaRegistryFor} from '../../cli/schema-registry-flags.js'
import type {ConsumedRecord} from '../../core/record.js'
import {compileRecordFilter, failedEverywhere, type RecordFilter} from '../../core/record-filter.js'
import {parseNonNegativeInteger} from '../../core/topic-partition.js'
import {KafkitError} from '../../errors.js'

export default class DlqInspect extends KafkaCommand<typeof DlqInspect> {
  static summary = 'What is in a dead-letter topic: counts by original topic and error type, failure time range, retry counts, samples'
  static description = `Reads the whole DLQ (read_committed, up to its end when the command starts) without committing anything.
Formats: header-based (original_topic/original_partition/original_offset/error_type/error_message/failed_at), a JSON envelope in the value (original_topic, original_key, original_value, error, error_timestamp, retry_count), Kafka Connect (__connect.errors.*) and Spring (kafka_dlt-*) headers.
Records in none of these formats are counted as undecodable, with the reason.
With a Schema Registry (--schema-registry URL or the context's schemaRegistry), sample keys and values in its wire format are shown decoded (Avro, Protobuf, JSON Schema) and --where sees the DLQ record's decoded key and value; a schema that cannot be fetched leaves them raw with one warning per schema id; --raw shows the bytes.
--where EXPR inspects only the DLQ records for which the CEL expression is true (as consume --where: key, value, headers, all_headers, partition, offset, timestamp, time, topic of the DLQ record); name=value: a header has that value.`
  static examples = [
    '$ kafkit dlq inspect orders.dlq',
    '$ kafkit dlq inspect orders.dlq -o json --samples 10',
    `$ kafkit dlq inspect orders.dlq --where 'headers.original_topic == "orders" and value.order_id == 42'`,
  ]

  static args = {'dlq-topic': Args.string({required: true, description: 'the dead-letter topic'})}
  static flags = {
    samples: Flags.string({description: 'how many samples (one per original topic and error type) to show', default: '5'}),
    where: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'only DLQ records for which this CEL expression is true, or with this header value: name=value (repeatable, all must hold)',
    }),
    'schema-registry': schemaRegistryFlag,
    raw: rawFlag,
  }

  async run(): Promise<DlqInspectResult> {
    const sampleSize = parseNonNegativeInteger(this.flags.samples.trim())
    if (sampleSize === undefined) throw new KafkitError(`--samples: "${this.flags.samples}" is not a whole number`, {code: 'INVALID_FLAG'})
    const where = this.flags.where ?? []
    const compiled = where.length === 0 ? undefined : compileRecordFilter(where)
    if (compiled !== undefined && !compiled.ok) throw new KafkitError(`--where: ${compiled.error}`, {code: 'INVALID_FLAG'})
    const filter = compiled?.filter
    const decoding = await this.schemaDecoding()
    const samples = decoding && {prepare: (records: readonly ConsumedRecord[]) => decoding.prepareDlq(records), decodeSample: decoding.decodeBytes.bind(decoding)}
    // --where sees a wire-format key or value decoded (a header-format DLQ keeps the original bytes as its value).
    const decodedFilter = filter && decoding ? (Object.create(filter, {test: {value: (record: ConsumedRecord) => filter.test(decoding.view(record))}}) as RecordFilter) : filter
    const result = await inspectDlqTopic(await this.connection(), this.args['dlq-topic'], {sampleSize, filter: decodedFilter, schemas: samples})
    this.render(result, renderInspection)
    const failed = filter === undefined ? undefined : failedEverywhere(filter)
    if (failed !== undefined) this.warning(failed)
    return result
  }

  /** With a registry (and no --raw): its decoding; the schema modules load only then. */
  private async schemaDecoding(): Promise<RecordSchemaDecoding | undefined> {
    const registry = this.flags.raw ? undefined : schemaRegistryFor(this.flags['schema-registry'], this.connectionSettings().contextName)
    if (registry === undefined) return undefined
    const {openSchemaRegistry, RecordSchemaDecoding} = await import('../../app/schemas.js')
    return new RecordSchemaDecoding(openSchemaRegistry(registry, this.timeoutMs), (line) => this.warning(line))
  }
}
