import {Flags} from '@oclif/core'

import {BaseCommand, parseTimeoutFlag} from '../../cli/base-command.js'
import {renderKeyValues} from '../../cli/render.js'
import {KafkitError} from '../../errors.js'
import {defaultStateDir, startLocalCluster, stopLocalCluster, type LocalCluster} from '../../local/harness.js'
import {checkRegistryPort, DEFAULT_REGISTRY_PORT, ensureRegistryInstall, registryStatus, startRegistry, type LocalRegistry} from '../../local/registry.js'

export default class LocalStart extends BaseCommand<typeof LocalStart> {
  static summary = 'Start a real Kafka (KRaft) on 127.0.0.1 from Maven Central jars (needs Java 17+ and Maven)'
  static description = `Downloads Apache Kafka's jars once into ~/.cache/kafkit (KAFKIT_KAFKA_VERSION picks the version),
formats KRaft storage and starts 1 or 3 combined broker+controller nodes in the background.
Node i listens on PORT+i (clients) and PORT+100+i (controller). Returns when the cluster answers.
With --registry, also a Confluent-API-compatible schema registry (Apicurio Registry, schemas in
memory), built once from Maven Central jars into the same cache; its URL is printed.`
  static examples = ['$ kafkit local start', '$ kafkit local start --nodes 3 --port 29092', '$ kafkit local start --registry']

  static flags = {
    nodes: Flags.integer({description: 'number of nodes (1 or 3)', default: 1, options: ['1', '3'] as any}),
    // Node i: PORT+i, its controller PORT+100+i, the SASL_SSL listener PORT+200+i: all within 65535.
    port: Flags.integer({description: 'first client port', default: 9092, min: 1, max: 65_333}),
    'state-dir': Flags.string({description: 'where data, logs and pids live', default: defaultStateDir()}),
    timeout: Flags.string({description: 'how long to wait for the cluster to answer', default: '120s'}),
    secure: Flags.boolean({
      description: 'also open a SASL_SSL listener on PORT+200 (self-signed CA; SCRAM-SHA-512 users, and OAUTHBEARER checked by Kafka\'s unsecured-JWS validator, for development) and the StandardAuthorizer: only super users and what ACLs grant',
    }),
    registry: Flags.boolean({description: 'also start a Confluent-API-compatible schema registry (Apicurio Registry, in memory)'}),
    'registry-port': Flags.integer({description: `port of the schema registry (default ${DEFAULT_REGISTRY_PORT}; implies --registry)`, min: 1, max: 65_535}),
  }

  async run(): Promise<LocalCluster & {registry?: LocalRegistry}> {
    const log = (line: string) => this.message(line)
    const registryPort = this.flags['registry-port'] ?? (this.flags.registry ? DEFAULT_REGISTRY_PORT : undefined)
    if (registryPort !== undefined) {
      // Before the broker starts: a taken port or a failed build leaves nothing running.
      const running = registryStatus(this.flags['state-dir'])
      if (running?.running) {
        throw new KafkitError(`a local schema registry is already running at ${running.url} (state in ${this.flags['state-dir']})`, {
          hint: 'stop it with `kafkit local stop`',
        })
      }
      await checkRegistryPort(registryPort)
      ensureRegistryInstall(undefined, log)
    }
    const started = await startLocalCluster({
      nodes: this.flags.nodes,
      port: this.flags.port,
      stateDir: this.flags['state-dir'],
      timeoutMs: parseTimeoutFlag(this.flags.timeout),
      secure: this.flags.secure,
      log,
    })
    let cluster: LocalCluster & {registry?: LocalRegistry} = started
    if (registryPort !== undefined) {
      try {
        const registry = await startRegistry({stateDir: started.stateDir, port: registryPort, timeoutMs: parseTimeoutFlag(this.flags.timeout), log})
        cluster = {...started, registry}
      } catch (error) {
        await stopLocalCluster(started.stateDir, {graceMs: 10_000})
        throw error
      }
    }
    this.render(cluster, (c) =>
      [
        renderKeyValues([
          ['kafka', c.version],
          ['cluster id', c.clusterId],
          ['bootstrap', c.bootstrap],
          ['nodes', c.nodes.map((n) => `${n.nodeId} (pid ${n.pid})`).join(', ')],
          ['logs', c.nodes.map((n) => n.logFile).join(', ')],
        ]),
        '',
        `export KAFKA_BOOTSTRAP_SERVERS=${c.bootstrap}`,
        ...(c.registry
          ? [
              '',
              `schema registry: ${c.registry.url} (Apicurio Registry ${c.registry.version}, Confluent-compatible API, schemas in memory; pid ${c.registry.pid}, log ${c.registry.logFile})`,
              `export SCHEMA_REGISTRY_URL=${c.registry.url}`,
            ]
          : []),
        ...(c.secure
          ? [
              '',
              `SASL_SSL listener: ${c.secure.bootstrap} (CA ${c.secure.caFile}, SCRAM-SHA-512 user ${c.secure.username}, password in ${c.stateDir}/cluster.json)`,
              'a context for it (kafkit context list):',
              `  secure: {brokers: [${c.secure.bootstrap}], tls: {ca: ${c.secure.caFile}}, sasl: {mechanism: scram-sha-512, username: ${c.secure.username}, passwordEnv: KAFKA_PASSWORD}}`,
              ...(c.secure.oauthbearer
                ? ['OAUTHBEARER on the same listener: unsecured JWS tokens (alg none; the principal in sub; exp required), for development only']
                : []),
              ...(c.secure.superUsers
                ? [
                    `authorizer: StandardAuthorizer, allow.everyone.if.no.acl.found=false; super users ${c.secure.superUsers.join(', ')} (PLAINTEXT is User:ANONYMOUS)`,
                    ...(c.secure.unprivileged ? [`SCRAM-SHA-512 user ${c.secure.unprivileged.username} has no ACL: it may do only what kafkit acls create grants it`] : []),
                  ]
                : []),
            ]
          : []),
      ].join('\n'),
    )
    return cluster
  }
}
