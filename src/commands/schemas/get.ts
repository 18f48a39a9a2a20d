import {Args, Flags} from '@oclif/core'

import {getSchema, type SchemaInfo} from '../../app/schemas.js'
import {renderSchema} from '../../cli/render-schemas.js'
import {SchemaRegistryCommand} from '../../cli/schema-registry-flags.js'
import {parseSubjectVersion} from '../../core/schema-wire.js'
import {KafkitError} from '../../errors.js'

export default class SchemasGet extends SchemaRegistryCommand<typeof SchemasGet> {
  static summary = 'Show a schema: a subject\'s latest or given version (SUBJECT[:VERSION]), or a schema id (--id)'
  static examples = ['$ kafkit schemas get orders-value', '$ kafkit schemas get orders-value:2 -o json', '$ kafkit schemas get --id 7']
  static args = {subject: Args.string({description: 'SUBJECT or SUBJECT:VERSION (default: the latest version)'})}
  static flags = {
    id: Flags.integer({description: 'the schema with this id (what a record in the wire format names)', min: 0}),
  }

  async run(): Promise<SchemaInfo> {
    const {subject} = this.args
    const {id} = this.flags
    if ((subject === undefined) === (id === undefined)) {
      throw new KafkitError(subject === undefined ? 'give a SUBJECT[:VERSION] or --id' : 'a SUBJECT and --id are alternatives: use one', {code: 'INVALID_FLAG'})
    }
    let info: SchemaInfo
    if (id !== undefined) info = await getSchema(await this.registry(), {id})
    else {
      const parsed = parseSubjectVersion(subject!)
      if (!parsed.ok) throw new KafkitError(parsed.error, {code: 'INVALID_FLAG'})
      info = await getSchema(await this.registry(), {subject: parsed.subject, version: parsed.version})
    }
    this.render(info, renderSchema)
    return info
  }
}
