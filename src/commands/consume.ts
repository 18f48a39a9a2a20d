import {Args, Flags} from '@oclif/core'

import {consume, type ConsumeResult, type StartPosition} from '../app/console.js'
import type {RecordSchemaDecoding} from '../app/schemas.js'
import {KafkaCommand} from '../cli/base-command.js'
import {onInterrupt} from '../cli/interrupt.js'
import {Progress} from '../cli/progress.js'
import {rawFlag, schemaRegistryFlag, schemaRegistryFor} from '../cli/schema-registry-flags.js'
import type {ConsumedRecord} from '../core/record.js'
import {recordToJsonLine} from '../core/record-json.js'
import {type RecordRenderer, compileRecordTemplate} from '../core/record-template.js'
import {compileRecordFilter, failedEverywhere, type RecordFilter} from '../core/record-filter.js'
import {TIMESTAMP_FORMS, nonexistentTime, parseTimestamp} from '../core/units.js'
import {KafkitError} from '../errors.js'

const NEWLINE = Buffer.from('\n')

export default class Consume extends KafkaCommand<typeof Consume> {
  static summary = 'Print messages of a topic: a kcat-style --format template or -o json (one object per line)'
  static description = `Starts at the end of each partition (new messages only) unless --from-beginning, --offset or --from-time; with --group and none of those, where the group committed.
Without --group it uses an ephemeral consumer group that never commits and is deleted on exit.
--format directives: %t topic, %p partition, %o offset, %T timestamp (ms), %k key, %v value, %h headers (name=value,... in order; a null value is the bare name), %K/%S key/value size (-1 for null), %% a percent sign; escapes \\n \\t \\r \\\\ \\xHH. The default is '%v\\n'.
-o json prints one object per line: topic, partition, offset, timestamp, key, value, headers (["name", value, ...] in order, as kcat -J). Bytes that are valid UTF-8 are strings, other bytes {"base64": "..."}, null stays null.
--where EXPR prints only the records for which the CEL expression is true (repeatable: all must hold); -n then counts matches, -e still stops at the end. A record offers key (text), value (parsed as JSON when it is, else text; null when null or not UTF-8), headers (name -> last value), all_headers (name -> every value), partition, offset, timestamp (ms), time, topic. and/or may be written as words. name=value is short for: some header name has exactly that value.
With a Schema Registry (--schema-registry URL or the context's schemaRegistry), keys and values in its wire format (magic byte 0, schema id) are decoded with their Avro, Protobuf or JSON schema: %k/%v and the default template print the decoded value as JSON, -o json shows it with keySchema/valueSchema {id, type, subject}, and --where sees it. A record whose schema cannot be fetched is printed raw, with one warning per schema id. --raw prints the bytes.
Reads gzip, snappy, lz4 and zstd batches. Stops after -n messages, at the end with -e, on Ctrl-C, or when the reader of stdout goes away (| head: exit 0).`
  static examples = [
    '$ kafkit consume orders --from-beginning -e',
    "$ kafkit consume orders -p 0 --offset 100 -n 10 --format '%o %k=%v\\n'",
    '$ kafkit consume orders --from-time 1h -o json | jq .value',
    '$ kafkit consume orders --group audit -e',
    `$ kafkit consume orders --from-beginning -e --where 'value.order_id == 42 and headers.type == "refund"'`,
    `$ kafkit consume orders --from-time 1h -n 1 --where 'key.matches("^cust-9") && offset > 1000'`,
  ]
  static enableJsonFlag = false

  static args = {topic: Args.string({required: true, description: 'topic to read'})}
  static flags = {
    'from-beginning': Flags.boolean({description: 'start at the earliest offset of each partition'}),
    offset: Flags.string({description: 'start at this offset (a negative N: N messages before the end)'}),
    'from-time': Flags.string({description: 'start at the first message at or after this time (ISO-8601 with zone, epoch ms, or a duration ago like 1h)'}),
    partition: Flags.integer({char: 'p', description: 'read only this partition', min: 0}),
    'max-messages': Flags.integer({char: 'n', description: 'exit after this many messages', min: 0}),
    'exit-at-end': Flags.boolean({char: 'e', description: 'exit when every partition read reaches the end it had at start'}),
    group: Flags.string({char: 'g', description: 'consume as this consumer group and commit offsets as messages are printed'}),
    format: Flags.string({char: 'f', description: "output template, like kcat -f (e.g. '%k\\t%v\\n'); json = -o json, the lines produce --format json reads"}),
    where: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'only records for which this CEL expression is true, e.g. \'value.order_id == 42 and headers.type == "refund"\' (repeatable: all must hold; name=value: a header value)',
    }),
    'schema-registry': schemaRegistryFlag,
    raw: rawFlag,
  }

  private decoding?: RecordSchemaDecoding

  async run(): Promise<ConsumeResult> {
    const {flags} = this
    const registry = flags.raw ? undefined : schemaRegistryFor(flags['schema-registry'], this.connectionSettings().contextName)
    if (registry !== undefined) {
      // Loaded only with a registry: consume without one pays nothing for schemas.
      const {openSchemaRegistry, RecordSchemaDecoding} = await import('../app/schemas.js')
      this.decoding = new RecordSchemaDecoding(openSchemaRegistry(registry, this.timeoutMs), (line) => this.warning(line))
    }
    const {decoding} = this
    const render = this.renderer()
    const position = startPosition(flags)
    // A mistake in --where is one line naming the column, before connecting.
    const filter = whereFilter(flags.where)
    const interrupt = onInterrupt()
    const progress = new Progress(filter === undefined ? 'consumed' : 'scanned')
    let result: ConsumeResult
    try {
      result = await consume(await this.connection(), {
        topic: this.args.topic,
        partition: flags.partition,
        position,
        group: flags.group,
        maxMessages: flags['max-messages'],
        exitAtEnd: flags['exit-at-end'],
        render,
        filter: filter === undefined ? undefined : decoding === undefined ? (record) => filter.test(record) : (record) => filter.test(decoding.view(record)),
        prepare: decoding === undefined ? undefined : (records) => decoding.prepare(records),
        output: this.outputStream,
        signal: interrupt.signal,
        onProgress: (consumed, scanned) => (filter === undefined ? progress.update(consumed) : progress.update(scanned, `, ${consumed.toLocaleString('en-US')} matched`)),
        onOffline: (partitions) => {
          if (partitions.length > 0) this.warning(`${offlineText(this.args.topic, partitions)}: not read (the other partitions are)`)
        },
      })
    } finally {
      progress.done()
      interrupt.dispose()
    }
    const failed = filter === undefined ? undefined : failedEverywhere(filter)
    if (failed !== undefined) this.warning(failed)
    if (process.stderr.isTTY) {
      this.message(`kafkit: consumed ${result.consumed} message(s)${filter === undefined ? '' : ` matching --where, of ${result.scanned} scanned`}`)
    }
    const code = interrupt.exitCode()
    if (code !== undefined && result.reason === 'interrupted') this.exit(code)
    // -e promises everything up to the end: a partition that could not be read breaks that promise.
    if (result.reason === 'end' && result.offline.length > 0) {
      throw new KafkitError(`read ${result.consumed} message(s) to the end of the other partitions, but ${offlineText(this.args.topic, result.offline)}`, {
        code: 'LEADER_NOT_AVAILABLE',
        hint: 'kafkit cluster health shows which brokers are down; consume again when they are back',
      })
    }
    return result
  }

  private renderer(): RecordRenderer {
    // `--format json` is the JSON lines that `produce --format json` reads back, not a template.
    const jsonFormat = this.flags.format === 'json'
    const output = jsonFormat && this.outputFormat === 'table' ? 'json' : this.outputFormat
    if (output === 'json') {
      if (this.flags.format !== undefined && !jsonFormat) throw new KafkitError('-o json and --format are alternatives: use one', {hint: '-o json prints every field; --format picks them'})
      const {decoding} = this
      if (decoding !== undefined) return (record) => Buffer.from(`${recordToJsonLine(record, decoding.decode(record))}\n`, 'utf8')
      return (record) => Buffer.from(`${recordToJsonLine(record)}\n`, 'utf8')
    }
    if (output !== 'table') throw new KafkitError(`-o ${output}: consume prints a --format template or -o json`)
    const compiled = compileRecordTemplate(this.flags.format ?? '%v\n')
    if (!compiled.ok) throw new KafkitError(`--format: ${compiled.error}`)
    const render = this.flags.format === undefined ? (record: ConsumedRecord) => Buffer.concat([record.value ?? Buffer.alloc(0), NEWLINE]) : compiled.render
    const {decoding} = this
    return decoding === undefined ? render : (record) => render(decoding.view(record))
  }
}

function startPosition(flags: {'from-beginning': boolean; offset?: string; 'from-time'?: string}): StartPosition {
  const given = [flags['from-beginning'] && '--from-beginning', flags.offset !== undefined && '--offset', flags['from-time'] !== undefined && '--from-time'].filter(Boolean)
  if (given.length > 1) throw new KafkitError(`${given.join(' and ')} are alternatives: use one`)
  if (flags['from-beginning']) return {kind: 'beginning'}
  if (flags.offset !== undefined) {
    const text = flags.offset.trim()
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new KafkitError(`--offset: "${flags.offset}" is not an offset`, {hint: 'e.g. --offset 100, or --offset=-10 for the last 10 messages'})
    }
    return {kind: 'offset', offset: Number(text)}
  }
  if (flags['from-time'] !== undefined) {
    const timestamp = parseTimestamp(flags['from-time'])
    if (timestamp === undefined) {
      throw new KafkitError(`--from-time: "${flags['from-time']}" is not a time`, {hint: nonexistentTime(flags['from-time']) ?? TIMESTAMP_FORMS})
    }
    return {kind: 'time', timestamp}
  }
  return {kind: 'default'}
}

function whereFilter(where: string[] | undefined): RecordFilter | undefined {
  if (where === undefined || where.length === 0) return undefined
  const compiled = compileRecordFilter(where)
  if (!compiled.ok) throw new KafkitError(`--where: ${compiled.error}`, {code: 'INVALID_FLAG'})
  return compiled.filter
}

function offlineText(topic: string, partitions: readonly number[]): string {
  return `${partitions.length === 1 ? `partition ${topic}:${partitions[0]} has` : `partitions ${partitions.map((p) => `${topic}:${p}`).join(', ')} have`} no leader (offline)`
}
