import {existsSync, writeFileSync} from 'node:fs'

import {Flags} from '@oclif/core'

import {exportTopics} from '../../app/declarative-topics.js'
import {exportSecurity} from '../../app/declarative-security.js'
import {KafkaCommand} from '../../cli/base-command.js'
import {describeUnevenReplication} from '../../core/topics-export.js'
import {KafkitError, fileErrorCause} from '../../errors.js'

export default class TopicsExport extends KafkaCommand<typeof TopicsExport> {
  static summary = 'Write the live topics as a topics.yaml (only non-default configs)'
  static description = `For adopting kafkit on an existing cluster: export, review, commit; \`topics plan\` on the same
cluster then shows no changes. --security adds the ACLs, SCRAM users (each with a passwordEnv to
fill in: a credential is a salted hash, never a password) and client quotas. Internal topics are left out. Here -o/--output names the file to
write (default: stdout), since the output is always topics.yaml.`
  static examples = ['$ kafkit topics export --prefix orders. -o topics.yaml', '$ kafkit topics export > topics.yaml']

  static flags = {
    prefix: Flags.string({description: 'only topics whose name starts with this'}),
    output: Flags.string({char: 'o', description: 'file to write (default: stdout)', helpGroup: 'GLOBAL'}),
    force: Flags.boolean({description: 'overwrite an existing file'}),
    security: Flags.boolean({description: 'also write the ACLs, SCRAM users (passwordEnv to fill in; no secret) and client quotas'}),
  }

  async run(): Promise<{file?: string; topics: number; acls?: number; users?: number; quotas?: number}> {
    const file = this.flags.output
    if (file && file !== '-' && existsSync(file) && !this.flags.force) {
      throw new KafkitError(`${file} exists; add --force to overwrite it`)
    }
    const conn = await this.connection()
    const security = this.flags.security ? await exportSecurity(conn) : undefined
    const {yaml, topics, uneven} = await exportTopics(conn, {prefix: this.flags.prefix, schema: './schema/topics.schema.json', sections: security?.sections})
    for (const u of uneven) this.warning(describeUnevenReplication(u))
    if (file && file !== '-') {
      try {
        writeFileSync(file, yaml)
      } catch (error) {
        throw new KafkitError(`cannot write ${file}: ${fileErrorCause(error)}`)
      }
      if (!this.jsonEnabled()) this.message(`wrote ${topics} topic(s)${security ? `, ${security.counts.acls} ACL(s), ${security.counts.users} credential(s), ${security.counts.quotas} quota entit${security.counts.quotas === 1 ? 'y' : 'ies'}` : ''} to ${file}`)
    } else if (!this.jsonEnabled()) {
      this.output(yaml)
    }
    return {...(file && file !== '-' ? {file} : {}), topics, ...security?.counts}
  }
}
