import {readFileSync} from 'node:fs'
import {extname} from 'node:path'

import {Args, Flags} from '@oclif/core'

import {checkCompatibility, type CompatibilityResult} from '../../app/schemas.js'
import {renderCompatibility} from '../../cli/render-schemas.js'
import {SchemaRegistryCommand} from '../../cli/schema-registry-flags.js'
import {parseSubjectVersion, SCHEMA_TYPES, type SchemaType} from '../../core/schema-wire.js'
import {KafkitError, fileErrorCause} from '../../errors.js'

export default class SchemasCheck extends SchemaRegistryCommand<typeof SchemasCheck> {
  static summary = 'Check that a local schema file is compatible with a subject, by the registry\'s own rules (nothing is registered)'
  static description = `Asks the registry (POST /compatibility/subjects/SUBJECT/versions/latest) whether FILE could be registered under SUBJECT with the subject's compatibility level.
The schema type comes from the file name (.avsc Avro, .proto Protobuf, .json JSON Schema) unless --type says.
Exit 0: compatible; 1: not compatible (the registry's reasons follow when it gives them), or an error.`
  static examples = ['$ kafkit schemas check orders-value schemas/order-v3.avsc', '$ kafkit schemas check orders-value:2 order.proto']
  static args = {
    subject: Args.string({required: true, description: 'SUBJECT or SUBJECT:VERSION (default: against the latest version)'}),
    file: Args.string({required: true, description: 'the schema file to check'}),
  }

  static flags = {
    type: Flags.string({description: 'schema type (default: from the file extension)', options: ['avro', 'protobuf', 'json']}),
  }

  async run(): Promise<CompatibilityResult> {
    const parsed = parseSubjectVersion(this.args.subject)
    if (!parsed.ok) throw new KafkitError(parsed.error, {code: 'INVALID_FLAG'})
    const {file} = this.args
    let schema: string
    try {
      schema = readFileSync(file, 'utf8')
    } catch (error) {
      throw new KafkitError(`${file}: ${fileErrorCause(error)}`, {code: 'FILE_UNREADABLE'})
    }
    const type = this.flags.type === undefined ? typeFromFile(file, schema) : (this.flags.type.toUpperCase() as SchemaType)
    const result = await checkCompatibility(await this.registry(), {subject: parsed.subject, version: parsed.version, type, schema, file})
    this.render(result, renderCompatibility)
    if (!result.compatible) this.exit(1)
    return result
  }
}

/** .avsc Avro, .proto Protobuf; a .json file is Avro when it reads like an Avro record/enum/fixed without $schema. */
function typeFromFile(file: string, text: string): SchemaType {
  const ext = extname(file).toLowerCase()
  const type = ext === '.avsc' || ext === '.avro' ? 'AVRO' : ext === '.proto' ? 'PROTOBUF' : ext === '.json' ? (looksLikeAvro(text) ? 'AVRO' : 'JSON') : undefined
  if (type === undefined || !SCHEMA_TYPES.includes(type)) {
    throw new KafkitError(`${file}: cannot tell the schema type from the file name`, {code: 'INVALID_FLAG', hint: 'name it .avsc, .proto or .json, or give --type avro|protobuf|json'})
  }
  return type
}

function looksLikeAvro(text: string): boolean {
  try {
    const doc = JSON.parse(text)
    return typeof doc === 'object' && doc !== null && doc.$schema === undefined && ['record', 'enum', 'fixed'].includes(doc.type) && typeof doc.name === 'string'
  } catch {
    return false
  }
}
