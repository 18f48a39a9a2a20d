/**
 * Makes sure integration tests have real brokers: KAFKA_BOOTSTRAP_SERVERS (and, for the
 * replication tests, KAFKA3_BOOTSTRAP_SERVERS) when set, otherwise the project's own KRaft
 * clusters — one single node and one of three nodes — started here and stopped afterwards.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {TestProject} from 'vitest/node'

import {ensureKafkaInstall, findFreeBasePort, startLocalCluster, stopLocalCluster, type SecureListener} from '../src/local/harness.js'
import {stopRegistry} from '../src/local/registry.js'

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string
    kafka3Bootstrap: string
    kafka3StateDir: string
    /** A single node of its own for the scale tests (thousands of topics and groups would queue every other test's requests behind theirs). */
    kafkaScaleBootstrap: string
    /** SASL_SSL (SCRAM-SHA-512, self-signed CA) listener of a test cluster. */
    kafkaSecure: SecureListener
    /**
     * Where the schema registry of this run keeps its state. Nothing runs there until a test
     * calls testRegistryUrl() (test/registry-helpers.ts): the first one starts it, the others
     * share it, teardown stops it. Runs without a registry test pay nothing.
     */
    schemaRegistryStateDir: string
  }
}

export default async function setup(project: TestProject) {
  const started: string[] = []
  const log = (line: string) => process.stderr.write(`[kafka] ${line}\n`)
  ensureKafkaInstall(undefined, log)
  const startOne = async (nodes: number, secure = nodes === 1) => {
    const stateDir = mkdtempSync(join(tmpdir(), `kafkit-test-${nodes}n-`))
    started.push(stateDir)
    // The single node also serves SASL_SSL for the security tests (no extra JVM).
    const cluster = await startLocalCluster({nodes, port: await findFreeBasePort(nodes), stateDir, log, secure})
    log(`${nodes}-node cluster ready at ${cluster.bootstrap}${cluster.secure ? `, SASL_SSL at ${cluster.secure.bootstrap}` : ''}`)
    return cluster
  }
  // With an external KAFKA_BOOTSTRAP_SERVERS a small secure node is still started for the TLS tests.
  const [single, triple, scale] = await Promise.all([
    startOne(1),
    process.env.KAFKA3_BOOTSTRAP_SERVERS ? undefined : startOne(3),
    process.env.KAFKA_SCALE_BOOTSTRAP_SERVERS ? undefined : startOne(1, false),
  ])
  project.provide('kafkaSecure', single.secure!)
  project.provide('kafkaBootstrap', process.env.KAFKA_BOOTSTRAP_SERVERS ?? single.bootstrap)
  project.provide('kafka3Bootstrap', process.env.KAFKA3_BOOTSTRAP_SERVERS ?? triple!.bootstrap)
  project.provide('kafka3StateDir', triple?.stateDir ?? '')
  project.provide('kafkaScaleBootstrap', process.env.KAFKA_SCALE_BOOTSTRAP_SERVERS ?? scale!.bootstrap)
  const registryStateDir = mkdtempSync(join(tmpdir(), 'kafkit-test-registry-'))
  project.provide('schemaRegistryStateDir', registryStateDir)
  return async () => {
    await stopRegistry(registryStateDir, {graceMs: 10_000})
    rmSync(registryStateDir, {recursive: true, force: true})
    await Promise.all(started.map((dir) => stopLocalCluster(dir, {removeData: true, graceMs: 10_000})))
  }
}
