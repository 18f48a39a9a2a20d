/**
 * A real Confluent-API-compatible Schema Registry on this machine without Docker: Apicurio
 * Registry (Apache-2.0), whose Confluent-compatible API answers under /apis/ccompat/v6, with its
 * in-memory (H2) storage. Built once from Maven Central into kafkit's cache with the Quarkus
 * Maven plugin (Apicurio publishes its app as a plain jar; Quarkus turns it into a runnable one),
 * then run on Java 17+ next to the local Kafka (`kafkit local start --registry`).
 *
 * Why Apicurio 2.1.5.Final (Dec 2021) and not 3.x: it is the newest Apicurio whose whole build
 * is served by the Maven Central reachable here. 3.3.x/2.6.13.Final lack
 * apicurio-registry-schema-util-provider, 3.3.3 also apicurio-registry-config-index-deployment,
 * 3.0.9 its parent POM, 2.4.2.Final and 2.3.1.Final apicurio-common-app-components-config-index-deployment.
 * Override with KAFKIT_REGISTRY_VERSION (and KAFKIT_REGISTRY_QUARKUS_VERSION) where more is served.
 *
 * Kept free of kafkajs: `kafkit local status` stays fast.
 */
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {createServer} from 'node:net'
import {join} from 'node:path'

import {KafkitError} from '../errors.js'
import {checkJava, isOurProcess, kafkitCacheDir} from './harness.js'

/** The one place the registry's version is pinned (and the Quarkus it was released with). */
export const DEFAULT_REGISTRY_VERSION = '2.1.5.Final'
const DEFAULT_REGISTRY_QUARKUS_VERSION = '2.2.3.Final'
/** Confluent's own default port for its Schema Registry. */
export const DEFAULT_REGISTRY_PORT = 8081
/** The path of Apicurio's Confluent-compatible API (what a Confluent client takes as its URL). */
export const CCOMPAT_PATH = '/apis/ccompat/v6'
/** Heap of the registry JVM (it keeps schemas in an in-memory H2 database). */
const REGISTRY_HEAP = '256m'

type Log = (line: string) => void

export function registryVersion(): string {
  return process.env.KAFKIT_REGISTRY_VERSION || DEFAULT_REGISTRY_VERSION
}

function registryQuarkusVersion(): string {
  return process.env.KAFKIT_REGISTRY_QUARKUS_VERSION || DEFAULT_REGISTRY_QUARKUS_VERSION
}

function registryPom(version: string, quarkus: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by kafkit (src/local/registry.ts): Apicurio Registry ${version} built into a runnable Quarkus ${quarkus} app. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.kafkit</groupId>
  <artifactId>kafkit-apicurio-registry</artifactId>
  <version>1</version>
  <packaging>jar</packaging>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-bom</artifactId><version>${quarkus}</version><type>pom</type><scope>import</scope></dependency>
      <dependency><groupId>io.apicurio</groupId><artifactId>apicurio-registry</artifactId><version>${version}</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.apicurio</groupId><artifactId>apicurio-registry-app</artifactId><version>${version}</version>
      <exclusions>
        <!-- published on jitpack only; the same library is on Maven Central as com.github.erosb:everit-json-schema -->
        <exclusion><groupId>com.github.everit-org.json-schema</groupId><artifactId>org.everit.json.schema</artifactId></exclusion>
      </exclusions>
    </dependency>
    <dependency><groupId>com.github.erosb</groupId><artifactId>everit-json-schema</artifactId><version>1.14.2</version></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>io.quarkus</groupId>
        <artifactId>quarkus-maven-plugin</artifactId>
        <version>${quarkus}</version>
        <extensions>true</extensions>
        <executions><execution><goals><goal>build</goal></goals></execution></executions>
      </plugin>
    </plugins>
  </build>
</project>
`
}

export interface RegistryInstall {
  version: string
  dir: string
  runnerJar: string
}

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], {stdio: 'ignore'}).status === 0
}

/** Builds (once) the registry into the cache; later calls return in milliseconds. */
export function ensureRegistryInstall(version = registryVersion(), log: Log = () => {}): RegistryInstall {
  const dir = join(kafkitCacheDir(), `apicurio-registry-${version}`)
  const runnerJar = join(dir, 'target', 'kafkit-apicurio-registry-1-runner.jar')
  const marker = join(dir, '.complete')
  if (!existsSync(marker) || !existsSync(runnerJar)) {
    if (!which('mvn')) {
      throw new KafkitError('mvn not found: kafkit local builds the schema registry from Maven Central with Maven', {
        hint: 'install Maven (e.g. apt-get install maven)',
      })
    }
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'pom.xml'), registryPom(version, registryQuarkusVersion()))
    log(`building Apicurio Registry ${version} from Maven Central jars into ${dir} (once; a few minutes) ...`)
    const res = spawnSync(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        join(dir, 'pom.xml'),
        'package',
        '-DskipTests',
        // The app's classes come from a dependency jar without a Jandex index: index them, or
        // Quarkus finds none of its REST resources and beans.
        '-Dquarkus.index-dependency.registry.group-id=io.apicurio',
        '-Dquarkus.index-dependency.registry.artifact-id=apicurio-registry-app',
      ],
      {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024},
    )
    if (res.status !== 0 || !existsSync(runnerJar)) {
      throw new KafkitError(`could not build Apicurio Registry ${version} with Maven: ${mavenError(`${res.stdout}${res.stderr}`) ?? `exit ${res.status}`}`, {
        hint: `run \`mvn -f ${join(dir, 'pom.xml')} package\` to see Maven's whole output`,
      })
    }
    writeFileSync(marker, new Date().toISOString())
  }
  return {version, dir, runnerJar}
}

/** The line of Maven's output that says what failed (not its boilerplate around it). */
export function mavenError(output: string): string | undefined {
  const boilerplate = /^(Some problems were encountered|The build could not read|The project .* has \d+ error|To see the full stack trace|Re-run Maven|For more information|\[Help \d|-> \[Help|$)/
  return output
    .split('\n')
    // eslint-disable-next-line no-control-regex
    .map((l) => l.replaceAll(/\u001B\[[0-9;]*m/g, ''))
    .filter((l) => l.includes('[ERROR]'))
    .map((l) => l.replaceAll('[ERROR]', '').trim())
    .find((l) => !boilerplate.test(l))
}

export interface LocalRegistry {
  version: string
  /** What a Confluent-compatible client takes as its schema registry URL. */
  url: string
  port: number
  pid: number
  stateDir: string
  logFile: string
  startedAt: string
}

function registryDir(stateDir: string): string {
  return join(stateDir, 'registry')
}

function registryStateFile(stateDir: string): string {
  return join(registryDir(stateDir), 'registry.json')
}

export function readRegistryState(stateDir: string): LocalRegistry | undefined {
  try {
    return JSON.parse(readFileSync(registryStateFile(stateDir), 'utf8')) as LocalRegistry
  } catch {
    return undefined
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(false))
    srv.listen({port, host: '127.0.0.1'}, () => srv.close(() => resolve(true)))
  })
}

/** Fails early (before a broker is started) when the registry's port is taken. */
export async function checkRegistryPort(port: number): Promise<void> {
  if (!(await portIsFree(port))) throw new KafkitError(`port ${port} on 127.0.0.1 is in use`, {hint: 'choose another with --registry-port'})
}

/** The HTTP status of a GET (0 when nothing answers). */
function httpStatus(url: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, {method: 'GET', timeout: timeoutMs}, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.once('timeout', () => req.destroy())
    req.once('error', () => resolve(0))
    req.end()
  })
}

export interface RegistryStartOptions {
  stateDir: string
  port?: number
  timeoutMs?: number
  log?: Log
}

/**
 * Starts the registry in the background (schemas in memory: gone when it stops) on
 * 127.0.0.1:port and waits until its Confluent-compatible API answers.
 */
export async function startRegistry(opts: RegistryStartOptions): Promise<LocalRegistry> {
  const {stateDir} = opts
  const port = opts.port ?? DEFAULT_REGISTRY_PORT
  const log = opts.log ?? (() => {})
  const existing = readRegistryState(stateDir)
  if (existing && isOurProcess(existing.pid, stateDir)) {
    throw new KafkitError(`a local schema registry is already running at ${existing.url} (state in ${stateDir})`, {
      hint: 'stop it with `kafkit local stop`',
    })
  }
  checkJava()
  const install = ensureRegistryInstall(registryVersion(), log)
  await checkRegistryPort(port)
  const dir = registryDir(stateDir)
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  const logFile = join(dir, 'registry.log')
  const fd = openSync(logFile, 'a')
  const args = [
    `-Xmx${REGISTRY_HEAP}`,
    // C1 only and the serial collector: starts in a third of the time on 2 busy cores, and a
    // test registry never runs long enough for C2 to pay off.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Djava.awt.headless=true',
    // isOurProcess() recognises the process by its state dir on the command line.
    `-Dkafkit.state-dir=${stateDir}`,
    `-Dquarkus.http.host=127.0.0.1`,
    `-Dquarkus.http.port=${port}`,
    '-Dquarkus.log.category."io.sentry".level=ERROR',
    '-jar',
    install.runnerJar,
  ]
  const child = spawn('java', args, {detached: true, stdio: ['ignore', fd, fd], cwd: dir})
  closeSync(fd)
  child.unref()
  const registry: LocalRegistry = {
    version: install.version,
    url: `http://127.0.0.1:${port}${CCOMPAT_PATH}`,
    port,
    pid: child.pid!,
    stateDir,
    logFile,
    startedAt: new Date().toISOString(),
  }
  writeFileSync(registryStateFile(stateDir), JSON.stringify(registry, null, 2))
  log(`starting Apicurio Registry ${install.version} on 127.0.0.1:${port} ...`)
  try {
    await waitForRegistry(registry, opts.timeoutMs ?? 120_000)
  } catch (error) {
    killQuietly(registry.pid, 'SIGKILL')
    throw error
  }
  return registry
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

function lastLines(file: string, count: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-count).join('\n')
  } catch {
    return ''
  }
}

async function waitForRegistry(registry: LocalRegistry, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 0
  while (Date.now() < deadline) {
    if (!isOurProcess(registry.pid, registry.stateDir)) {
      throw new KafkitError(`the schema registry exited during start-up: ${lastLines(registry.logFile, 3)}`, {hint: `see ${registry.logFile}`})
    }
    last = await httpStatus(`${registry.url}/subjects`)
    if (last === 200) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new KafkitError(`the schema registry did not answer within ${timeoutMs / 1000}s (${last ? `HTTP ${last}` : 'no answer'})`, {
    hint: `see ${registry.logFile}`,
  })
}

/** Stops the registry this state dir recorded (SIGTERM, then SIGKILL after a grace period). */
export async function stopRegistry(stateDir: string, opts: {graceMs?: number} = {}): Promise<LocalRegistry | undefined> {
  const registry = readRegistryState(stateDir)
  if (!registry) return undefined
  if (isOurProcess(registry.pid, stateDir)) {
    killQuietly(registry.pid, 'SIGTERM')
    const deadline = Date.now() + (opts.graceMs ?? 10_000)
    while (Date.now() < deadline && isOurProcess(registry.pid, stateDir)) await new Promise((r) => setTimeout(r, 200))
    if (isOurProcess(registry.pid, stateDir)) killQuietly(registry.pid, 'SIGKILL')
  }
  rmSync(registryStateFile(stateDir), {force: true})
  return registry
}

export function registryStatus(stateDir: string): (LocalRegistry & {running: boolean}) | undefined {
  const registry = readRegistryState(stateDir)
  if (!registry) return undefined
  return {...registry, running: isOurProcess(registry.pid, stateDir)}
}
