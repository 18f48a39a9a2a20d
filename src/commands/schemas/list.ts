import {Flags} from '@oclif/core'

import {listSubjects, type SubjectRow} from '../../app/schemas.js'
import {renderSubjects} from '../../cli/render-schemas.js'
import {SchemaRegistryCommand} from '../../cli/schema-registry-flags.js'

export default class SchemasList extends SchemaRegistryCommand<typeof SchemasList> {
  static summary = 'List the subjects of a Schema Registry: versions, latest version, its schema id and type'
  static examples = ['$ kafkit schemas list --schema-registry http://localhost:8081', '$ kafkit schemas list --prefix orders']
  static flags = {
    prefix: Flags.string({description: 'only subjects that start with this'}),
  }

  async run(): Promise<SubjectRow[]> {
    const rows = await listSubjects(await this.registry(), this.flags.prefix)
    this.render(rows, renderSubjects)
    return rows
  }
}
