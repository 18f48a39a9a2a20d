import {open} from 'node:fs/promises'
import {Readable} from 'node:stream'

import {Args, Flags} from '@oclif/core'

import {produce, type ProduceResult} from '../app/console.js'
import {KafkaCommand} from '../cli/base-command.js'
import {onInterrupt} from '../cli/interrupt.js'
import {Progress} from '../cli/progress.js'
import {requireSchemaRegistry, schemaRegistryFlag} from '../cli/schema-registry-flags.js'
import {parseHeaderFlag} from '../core/record.js'
import {parseSubjectVersion} from '../core/schema-wire.js'
import type {SchemaEncoder} from '../app/schema-codecs.js'
import {KafkitError, fileErrorCause} from '../errors.js'

const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

export default class Produce extends KafkaCommand<typeof Produce> {
  static summary = 'Send messages to a topic: one per line from stdin or --file (acks=all, idempotent)'
  static description = `Each input line is one message (raw bytes, the newline removed; blank lines are skipped).
With --key-separator the line is split at its first separator into key and value.
With --format json each line is an object {"key", "value", "headers", "partition", "timestamp"}; headers ["name", value, ...] in order (or {"name": value}); values are strings, JSON values, {"base64": "..."} or null (see README).
Messages are batched and sent with acks=all by an idempotent producer; everything read is flushed before exit, also on Ctrl-C / SIGTERM.
With --value-schema SUBJECT[:VERSION] (and/or --key-schema) each JSON line's value (key) is encoded with that schema from the Schema Registry (latest version by default; Avro, JSON Schema, Protobuf) in its wire format. The whole input is read and checked first: if any record does not fit, every bad line is listed with the reason and nothing is produced.
A summary (sent, failed) goes to stderr. Exit 1 if any message was not acknowledged or a line is invalid (the error names the line; lines before it are sent and counted), 130/143 after Ctrl-C/SIGTERM.`
  static examples = [
    '$ seq 1 1000 | kafkit produce orders',
    '$ kafkit produce orders --file orders.txt --key-separator : --header source=import',
    '$ kafkit consume orders -e --from-beginning -o json | kafkit produce orders-copy --format json',
    '$ kafkit produce payments --format json --value-schema payments-value --schema-registry http://localhost:8081 < payments.jsonl',
  ]

  static args = {topic: Args.string({required: true, description: 'topic to write to (must exist)'})}
  static flags = {
    file: Flags.string({char: 'f', description: 'read messages from this file instead of stdin'}),
    'key-separator': Flags.string({char: 'K', description: 'split each line at the first occurrence of this string into key and value'}),
    header: Flags.string({char: 'H', description: 'add a header name=value to every message (repeatable)', multiple: true, multipleNonGreedy: true}),
    partition: Flags.integer({char: 'p', description: 'send every message to this partition (a JSON line\'s own "partition" wins)', min: 0}),
    format: Flags.string({description: 'input format: lines (raw text) or json (one object per line)', options: ['lines', 'json'], default: 'lines'}),
    compression: Flags.string({char: 'z', description: 'compression codec', options: COMPRESSIONS, default: 'none'}),
    'value-schema': Flags.string({description: 'encode each value with this registry subject\'s schema: SUBJECT[:VERSION] (needs --format json)', helpGroup: 'SCHEMA REGISTRY'}),
    'key-schema': Flags.string({description: 'encode each key with this registry subject\'s schema: SUBJECT[:VERSION] (needs --format json)', helpGroup: 'SCHEMA REGISTRY'}),
    'schema-registry': schemaRegistryFlag,
  }

  async run(): Promise<ProduceResult> {
    const {flags} = this
    const headers = (flags.header ?? []).map((text) => {
      const parsed = parseHeaderFlag(text)
      if (!parsed.ok) throw new KafkitError(`--header: ${parsed.error}`)
      return {name: parsed.name, value: parsed.value}
    })
    const keySeparator = flags['key-separator']
    if (keySeparator === '') throw new KafkitError('--key-separator must not be empty')
    if (keySeparator !== undefined && flags.format === 'json') throw new KafkitError('--key-separator applies to --format lines only (a JSON line has its own "key")')
    if (!['table', 'json'].includes(this.outputFormat)) throw new KafkitError(`-o ${this.outputFormat}: produce prints its summary as text or json`)

    let input: Readable = flags.file ? await openFile(flags.file) : process.stdin
    if (flags['value-schema'] !== undefined || flags['key-schema'] !== undefined) input = await this.encodedInput(input)
    const interrupt = onInterrupt(() => input.destroy())
    const progress = new Progress('sent')
    let result: ProduceResult
    try {
      result = await produce(await this.connection(), {
        topic: this.args.topic,
        input,
        format: flags.format as 'lines' | 'json',
        keySeparator,
        headers,
        partition: flags.partition,
        compression: flags.compression as 'none',
        signal: interrupt.signal,
        onProgress: (sent) => progress.update(sent),
      })
    } finally {
      progress.done()
      interrupt.dispose()
      input.destroy()
    }
    const summary = `sent ${result.sent}, failed ${result.failed}`
    if (result.error) {
      const after = result.error.code === 'BAD_INPUT' ? '; nothing after that line was sent' : ''
      throw new KafkitError(result.error.message, {code: result.error.code, hint: `${summary} (topic ${result.topic})${after}`})
    }
    const signal = interrupt.received()
    this.message(`kafkit: produced to ${result.topic}: ${summary}${signal ? ` (stopped by ${signal}; the rest of the input was not read)` : ''}`)
    if (this.outputFormat === 'json') this.render(result, () => '')
    if (result.failed > 0) this.exit(1)
    const code = interrupt.exitCode()
    if (code !== undefined) this.exit(code)
    return result
  }

  /**
   * --value-schema / --key-schema: the whole input encoded (and checked) before anything is sent;
   * a refusal lists every bad line (up to 20) and produces nothing.
   */
  private async encodedInput(input: Readable): Promise<Readable> {
    const {flags} = this
    if (flags.format !== 'json') throw new KafkitError('--value-schema and --key-schema encode JSON input: add --format json', {code: 'INVALID_FLAG'})
    const subjects = {key: flags['key-schema'], value: flags['value-schema']}
    const parsed = Object.entries(subjects).map(([which, text]) => {
      if (text === undefined) return [which, undefined] as const
      const p = parseSubjectVersion(text)
      if (!p.ok) throw new KafkitError(`--${which}-schema: ${p.error}`, {code: 'INVALID_FLAG'})
      return [which, p] as const
    })
    const [{encodeWithSchemas, refusalError}, {encoderFor, openSchemaRegistry}] = await Promise.all([import('../app/schema-produce.js'), import('../app/schemas.js')])
    const registry = requireSchemaRegistry(flags['schema-registry'], this.connectionSettings().contextName, '--value-schema / --key-schema')
    const client = openSchemaRegistry(registry, this.timeoutMs)
    const encoders: {key?: SchemaEncoder; value?: SchemaEncoder} = {}
    for (const [which, p] of parsed) if (p !== undefined) encoders[which as 'key' | 'value'] = await encoderFor(client, p.subject, p.version)
    const encoded = await encodeWithSchemas(input, encoders)
    if (!encoded.ok) {
      for (const problem of encoded.refusal.problems) this.message(`kafkit: ${problem}`)
      throw refusalError(encoded.refusal)
    }
    return Readable.from(encoded.input.lines)
  }
}

/** A missing or unreadable --file is one line before connecting, not a stream error later. */
async function openFile(path: string): Promise<Readable> {
  try {
    const handle = await open(path, 'r')
    if ((await handle.stat()).isDirectory()) {
      await handle.close()
      throw Object.assign(new Error('is a directory'), {code: 'EISDIR'})
    }
    return handle.createReadStream({highWaterMark: 256 * 1024})
  } catch (error) {
    throw new KafkitError(`--file ${path}: ${fileErrorCause(error)}`)
  }
}
