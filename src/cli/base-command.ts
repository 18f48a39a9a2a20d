/**
 * What every kafkit command shares: --output, --debug, and turning any failure into ONE line on
 * stderr with a meaningful exit code (never a stack trace unless --debug). KafkaCommand adds the
 * connection flags and owns the Kafka connection's lifetime.
 */
import {Command, Flags, Interfaces} from '@oclif/core'

import {resolveConnection, type ConnectionSettings} from '../core/contexts.js'
import {MAX_WAIT_MS, formatDuration, parseDuration} from '../core/units.js'
import {KafkitError} from '../errors.js'
import type {KafkaClient} from '../app/kafka-client.js'
import type {KafkaConnection} from '../kafka/connection.js'
import {configFilePath, loadKafkitConfig} from './config-file.js'
import {missingArguments, oneLineParseError, suggestFlags} from './parse-errors.js'
import {renderStructured, type OutputFormat} from './render.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>
/** oclif's FlagOutput / ArgOutput (not exported by @oclif/core). */
type ParsedValues = {[name: string]: any}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true

  static baseFlags = {
    output: Flags.string({
      char: 'o',
      description: 'output format',
      options: ['table', 'json', 'yaml'],
      default: 'table',
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({description: 'show Kafka client logs and stack traces on stderr', helpGroup: 'GLOBAL'}),
  }

  protected flags!: BaseFlags<T>
  protected args!: CommandArgs<T>

  public async init(): Promise<void> {
    await super.init()
    const {flags, args} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as CommandArgs<T>
  }

  /** Every parse (init's, and a variadic command's own for its argv) takes arguments from argv only. */
  protected async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(options?: Interfaces.Input<F, B, A>, argv?: string[]): Promise<Interfaces.ParserOutput<F, B, A>> {
    const input = options ?? (this.ctor as unknown as Interfaces.Input<F, B, A>)
    // Named, not only spread: a command class keeps inherited statics on its prototype chain.
    const {flags, baseFlags, enableJsonFlag, strict} = input
    return super.parse({...input, flags, baseFlags, enableJsonFlag, strict, args: fromCommandLineOnly(input.args)}, argv)
  }

  protected get outputFormat(): OutputFormat | string {
    return this.jsonEnabled() ? 'json' : (this.flags?.output ?? 'table')
  }

  /**
   * Prints a result: JSON/YAML for machines, `table(result)` for people. Under oclif's --json
   * nothing is printed here; oclif prints the value run() returns.
   */
  protected render<R>(result: R, table: (r: R) => string): void {
    if (this.jsonEnabled()) return
    const format = this.outputFormat
    if (format === 'json' || format === 'yaml') this.log(renderStructured(result, format))
    else {
      const text = table(result)
      if (text !== '') this.log(text)
    }
  }

  /** Warnings and progress go to stderr, and only for a person at a terminal. */
  protected note(message: string): void {
    if (process.stderr.isTTY && !this.jsonEnabled()) process.stderr.write(`${message}\n`)
  }

  /** Warnings that matter even in CI (stderr, always). */
  protected warning(message: string): void {
    process.stderr.write(`kafkit: warning: ${message}\n`)
  }

  /** A line that is neither the result nor a warning (a run's summary, problems found, what was written): stderr, always. */
  protected message(line: string): void {
    process.stderr.write(`${line}\n`)
  }

  /** Output exactly as given, no newline added (a script, a YAML document): stdout. */
  protected output(data: string | Uint8Array): void {
    process.stdout.write(data)
  }

  /** Where a command streams what it produces as it goes (consume's records): stdout. */
  protected get outputStream(): NodeJS.WriteStream {
    return process.stdout
  }

  /** Progress redrawn in place on stderr (`\r` first); callers check that stderr is a terminal. */
  protected redraw(line: string): void {
    process.stderr.write(`\r${line}`)
  }

  /** Ends a redrawn progress line so what follows starts on a line of its own. */
  protected endRedraw(): void {
    process.stderr.write('\n')
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: string}): Promise<any> {
    // this.exit() inside run() and oclif's own exits pass straight through.
    if (err.code === 'EEXIT') throw err
    const debug = Boolean(this.flags?.debug) || this.argv.includes('--debug')
    let message: string
    let exitCode = 1
    if (err instanceof KafkitError) {
      message = err.hint ? `${err.message} — ${err.hint}` : err.message
      exitCode = err.exitCode
    } else if (err.oclif !== undefined && Array.isArray((err as {args?: unknown}).args) && /^Missing \d+ required arg/.test(err.message)) {
      // oclif's RequiredArgsError carries the arguments: no need to parse its (wrapped) text.
      const args = (err as unknown as {args: {name: string; description?: string}[]}).args
      message = missingArguments(args)
      exitCode = 1
    } else if (err.oclif !== undefined) {
      const flags = {...this.ctor.baseFlags, ...this.ctor.flags}
      message = suggestFlags(oneLineParseError(err.message, flags), Object.keys(flags))
      exitCode = err.oclif.exit ?? 2
      if (exitCode === 2) exitCode = 1
    } else {
      message = `${err.message?.split('\n')[0] ?? String(err)}${debug ? '' : ' (run with --debug for details)'}`
    }
    process.stderr.write(`kafkit: ${message}\n`)
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`)
    if (this.jsonEnabled()) this.logJson({error: {code: (err as any).code ?? 'ERROR', message}})
    this.exit(exitCode)
  }
}

/**
 * oclif reads a missing positional argument from piped stdin (its `ignoreStdin` defaults to false):
 * `seq 1 2000 | kafkit produce` took the data as the topic name. Arguments come only from argv.
 */
function fromCommandLineOnly<A>(args: A): A {
  if (args === undefined || args === null) return args
  return Object.fromEntries(Object.entries(args).map(([name, arg]) => [name, {...arg, ignoreStdin: true}])) as A
}

/**
 * A KafkaClient for code outside a KafkaCommand (the completion helper): `use` gets it, and the
 * connection is closed afterwards whatever happens. Loads kafkajs only when called.
 */
export async function withKafkaClient<T>(settings: ConnectionSettings, timeoutMs: number, use: (kafka: KafkaClient) => Promise<T>): Promise<T> {
  const [{KafkaConnection}, {kafkaClient}] = await Promise.all([import('../kafka/connection.js'), import('../kafka/client.js')])
  const conn = new KafkaConnection({settings, timeoutMs})
  try {
    return await use(kafkaClient(conn))
  } finally {
    await conn.close()
  }
}

/** `--timeout 10s` (a bare number is seconds), at most MAX_WAIT_MS: a longer one became a 1 ms timer. */
export function parseTimeoutFlag(value: string, flag = 'timeout'): number {
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : parseDuration(value)
  if (ms === undefined || ms <= 0) throw new KafkitError(`--${flag}: "${value}" is not a duration (e.g. 10s, 2m, 30)`)
  if (ms > MAX_WAIT_MS) {
    throw new KafkitError(`--${flag}: "${value}" is longer than the longest wait kafkit can time (${formatDuration(MAX_WAIT_MS)})`)
  }
  return ms
}

export abstract class KafkaCommand<T extends typeof Command> extends BaseCommand<T> {
  static baseFlags = {
    ...BaseCommand.baseFlags,
    'bootstrap-server': Flags.string({
      char: 'b',
      description: 'Kafka brokers, host:port[,host:port] (default: $KAFKA_BOOTSTRAP_SERVERS, the current context, localhost:9092)',
      helpGroup: 'CONNECTION',
    }),
    context: Flags.string({description: 'use this context from the kafkit config file', helpGroup: 'CONNECTION'}),
    timeout: Flags.string({description: 'bound for every Kafka wait (e.g. 10s, 1m; a bare number is seconds)', default: '10s', helpGroup: 'CONNECTION'}),
  }

  private connectionInstance?: KafkaConnection

  protected get timeoutMs(): number {
    return parseTimeoutFlag((this.flags as any).timeout ?? '10s')
  }

  protected connectionSettings(): ConnectionSettings {
    const flags = this.flags as any
    const file = configFilePath()
    return resolveConnection({
      flagBrokers: flags['bootstrap-server'],
      envBrokers: process.env.KAFKA_BOOTSTRAP_SERVERS,
      contextName: flags.context,
      config: loadKafkitConfig(file),
      configFile: file,
    })
  }

  private clientInstance?: KafkaClient

  /**
   * The command's one way into Kafka, for the use case it calls (the KafkaClient port over one
   * connection, closed in finally() whatever happens). Loaded on first use: --help never loads kafkajs.
   */
  protected async connection(): Promise<KafkaClient> {
    if (!this.clientInstance) {
      const settings = this.connectionSettings()
      const timeoutMs = this.timeoutMs
      const [{KafkaConnection}, {kafkaClient}] = await Promise.all([import('../kafka/connection.js'), import('../kafka/client.js')])
      this.connectionInstance = new KafkaConnection({settings, timeoutMs, debug: Boolean(this.flags?.debug)})
      this.clientInstance = kafkaClient(this.connectionInstance)
    }
    return this.clientInstance
  }

  protected async finally(err: Error | undefined): Promise<any> {
    await this.connectionInstance?.close()
    return super.finally(err)
  }
}
