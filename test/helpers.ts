/** Shared by integration tests: run the real CLI as a child process, unique names, Kafka's own tools. */
import {spawn, spawnSync, type ChildProcessByStdio} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import type {Readable, Writable} from 'node:stream'
import {fileURLToPath} from 'node:url'

import {inject} from 'vitest'

import {KafkaToolClass, runKafkaTool, type ToolResult} from '../src/local/harness.js'

export const RUN_JS = fileURLToPath(new URL('../bin/run.js', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  input?: string | Buffer
  env?: Record<string, string | undefined>
  /** Defaults to the single-node test cluster. */
  bootstrap?: string
  timeoutMs?: number
}

/** Runs `kafkit <args>` through bin/run.js exactly as a user or CI would (no TTY, no stdin). */
export async function kafkit(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const res = await kafkitBytes(args, opts)
  return {...res, stdout: res.stdout.toString('utf8')}
}

/** Parses the JSON a command printed with -o json, failing the test with stderr when it did not. */
export async function kafkitJson<T = any>(args: string[], opts: CliOptions = {}): Promise<T> {
  const res = await kafkit([...args, '-o', 'json'], opts)
  if (res.code !== 0) throw new Error(`kafkit ${args.join(' ')} exited ${res.code}: ${res.stderr}`)
  return JSON.parse(res.stdout) as T
}

let fileBootstrap: string | undefined

/** Points kafkit(), kafkaTool() and kcat() of this test file at another cluster by default (each file has its own module). */
export function useBootstrap(bootstrap: string): void {
  fileBootstrap = bootstrap
}

function defaultBootstrap(): string {
  return fileBootstrap ?? inject('kafkaBootstrap')
}

export function uniqueName(prefix = 'test'): string {
  return `${prefix}.${randomBytes(4).toString('hex')}`
}

/** Kafka's own CLI tool (kafka-topics, kafka-configs, ...) against a test cluster, for cross-checks. */
export function kafkaTool(tool: keyof typeof KafkaToolClass, args: string[], opts: {bootstrap?: string; input?: string} = {}): ToolResult {
  return runKafkaTool(KafkaToolClass[tool], ['--bootstrap-server', opts.bootstrap ?? defaultBootstrap(), ...args], {input: opts.input})
}

/** kcat (Debian package) against a test cluster, stdout as raw bytes, for byte-exact cross-checks. */
export function kcat(args: string[], opts: {bootstrap?: string; input?: string | Buffer; timeoutMs?: number} = {}): {status: number; stdout: Buffer; stderr: string} {
  const res = spawnSync('kcat', ['-b', opts.bootstrap ?? defaultBootstrap(), ...args], {
    input: opts.input,
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  })
  return {status: res.status ?? 1, stdout: res.stdout ?? Buffer.alloc(0), stderr: res.stderr?.toString('utf8') ?? String(res.error ?? '')}
}

/** bin/run.js with every stdio piped: the test cluster, no config file, no colour, then opts.env. */
function spawnKafkit(args: string[], opts: Pick<CliOptions, 'bootstrap' | 'env'>): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn(process.execPath, [RUN_JS, ...args], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: opts.bootstrap ?? defaultBootstrap(),
      KAFKIT_CONFIG: '/nonexistent/kafkit-config.yaml',
      NO_COLOR: '1',
      ...opts.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** kafkit() with stdout kept as bytes (binary-safe output checks). */
export function kafkitBytes(args: string[], opts: CliOptions = {}): Promise<Omit<CliResult, 'stdout'> & {stdout: Buffer}> {
  return new Promise((resolve, reject) => {
    const child = spawnKafkit(args, opts)
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d) => out.push(d))
    child.stderr.on('data', (d) => err.push(d))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8')})
    })
    child.stdin.on('error', () => {})
    child.stdin.end(opts.input ?? '')
  })
}

export interface RunningKafkit {
  child: ChildProcessByStdio<Writable, Readable, Readable>
  /** What it printed so far. */
  stdout(): string
  stderr(): string
  /** Its exit code (null when killed by a signal). */
  closed: Promise<number | null>
}

/** Starts `kafkit <args>` through bin/run.js in the background, for signal, kill and stdin tests. */
export function startKafkit(args: string[], opts: Omit<CliOptions, 'input' | 'timeoutMs'> = {}): RunningKafkit {
  const child = spawnKafkit(args, opts)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  child.stdin.on('error', () => {})
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {child, stdout: () => stdout, stderr: () => stderr, closed}
}

/** A topics.yaml `policy:` block that turns off the rules a 1-3 node test cluster breaks. */
export const POLICY_OFF_YAML = `policy:
  naming: {severity: off}
  minReplicationFactor: {severity: off}
  minInsyncReplicas: {severity: off}
  minRetention: {severity: off}
`
