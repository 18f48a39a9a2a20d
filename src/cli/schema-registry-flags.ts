/** --schema-registry and --raw, and where the registry comes from: the flag, else the context's schemaRegistry. */
import {type Command, Flags} from '@oclif/core'

import type {ResolvedRegistry, SchemaRegistryClient} from '../app/schemas.js'
import {resolveSchemaRegistry} from '../core/contexts.js'
import {KafkitError} from '../errors.js'
import {BaseCommand, parseTimeoutFlag} from './base-command.js'
import {configFilePath, loadKafkitConfig} from './config-file.js'

export const schemaRegistryFlag = Flags.string({
  description: 'Schema Registry URL (Confluent API; default: the context\'s schemaRegistry)',
  helpGroup: 'SCHEMA REGISTRY',
})

export const rawFlag = Flags.boolean({
  description: 'do not decode Schema Registry wire-format keys and values: print their bytes',
  helpGroup: 'SCHEMA REGISTRY',
})

/** The registry to use, or undefined when neither the flag nor the context names one. */
export function schemaRegistryFor(flagUrl: string | undefined, contextName: string | undefined): ResolvedRegistry | undefined {
  if (flagUrl !== undefined) return resolveSchemaRegistry({flagUrl})
  if (contextName === undefined) return undefined
  return resolveSchemaRegistry({contextName, config: loadKafkitConfig(configFilePath())})
}

/** The context a command without brokers (schemas ...) uses: --context, else the current one. */
export function currentContextName(flagContext: string | undefined): string | undefined {
  if (flagContext !== undefined) return flagContext
  return loadKafkitConfig(configFilePath())?.currentContext
}

/** Like schemaRegistryFor, but a registry is needed: none is one line saying how to give one. */
export function requireSchemaRegistry(flagUrl: string | undefined, contextName: string | undefined, why: string): ResolvedRegistry {
  const found = schemaRegistryFor(flagUrl, contextName)
  if (found === undefined) {
    throw new KafkitError(`${why} needs a schema registry`, {
      code: 'NO_SCHEMA_REGISTRY',
      hint: 'give --schema-registry URL, or a schemaRegistry: {url: ...} in the context',
    })
  }
  return found
}

/** `kafkit schemas ...`: a registry and no Kafka; --context picks whose schemaRegistry. */
export abstract class SchemaRegistryCommand<T extends typeof Command> extends BaseCommand<T> {
  static baseFlags = {
    ...BaseCommand.baseFlags,
    'schema-registry': schemaRegistryFlag,
    context: Flags.string({description: 'use the schemaRegistry of this context from the kafkit config file (default: the current context)', helpGroup: 'SCHEMA REGISTRY'}),
    timeout: Flags.string({description: 'bound for each registry request (e.g. 10s)', default: '10s', helpGroup: 'SCHEMA REGISTRY'}),
  }

  /** The registry client; the schema modules load only here (`--help` and other commands stay light). */
  protected async registry(): Promise<SchemaRegistryClient> {
    const flags = this.flags as any
    const spec = requireSchemaRegistry(flags['schema-registry'], flags['schema-registry'] === undefined ? currentContextName(flags.context) : undefined, `kafkit ${(this.id ?? 'schemas').replaceAll(':', ' ')}`)
    const {openSchemaRegistry} = await import('../app/schemas.js')
    return openSchemaRegistry(spec, parseTimeoutFlag(flags.timeout ?? '10s'))
  }
}
