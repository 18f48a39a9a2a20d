import {Flags} from '@oclif/core'

import {BaseCommand, parseTimeoutFlag} from '../../cli/base-command.js'
import {renderKeyValues} from '../../cli/render.js'
import {defaultStateDir, startLocalCluster, type LocalCluster} from '../../local/harness.js'

export default class LocalStart extends BaseCommand<typeof LocalStart> {
  static summary = 'Start a real Kafka (KRaft) on 127.0.0.1 from Maven Central jars (needs Java 17+ and Maven)'
  static description = `Downloads Apache Kafka's jars once into ~/.cache/kafkit (KAFKIT_KAFKA_VERSION picks the version),
formats KRaft storage and starts 1 or 3 combined broker+controller nodes in the background.
Node i listens on PORT+i (clients) and PORT+100+i (controller). Returns when the cluster answers.`
  static examples = ['$ kafkit local start', '$ kafkit local start --nodes 3 --port 29092']

  static flags = {
    nodes: Flags.integer({description: 'number of nodes (1 or 3)', default: 1, options: ['1', '3'] as any}),
    // Node i: PORT+i, its controller PORT+100+i, the SASL_SSL listener PORT+200+i: all within 65535.
    port: Flags.integer({description: 'first client port', default: 9092, min: 1, max: 65_333}),
    'state-dir': Flags.string({description: 'where data, logs and pids live', default: defaultStateDir()}),
    timeout: Flags.string({description: 'how long to wait for the cluster to answer', default: '120s'}),
    secure: Flags.boolean({
      description: 'also open a SASL_SSL listener on PORT+200 (self-signed CA; SCRAM-SHA-512 users, and OAUTHBEARER checked by Kafka\'s unsecured-JWS validator, for development) and the StandardAuthorizer: only super users and what ACLs grant',
    }),
  }

  async run(): Promise<LocalCluster> {
    const cluster = await startLocalCluster({
      nodes: this.flags.nodes,
      port: this.flags.port,
      stateDir: this.flags['state-dir'],
      timeoutMs: parseTimeoutFlag(this.flags.timeout),
      secure: this.flags.secure,
      log: (line) => process.stderr.write(`${line}\n`),
    })
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
