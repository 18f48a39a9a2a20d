/**
 * Registry schemas turned into codecs: Avro with avsc, Protobuf with protobufjs, JSON Schema with
 * ajv. Each library is imported the first time a schema of its kind is met, so commands that do
 * not decode (and `kafkit --version`) never load them.
 */
import {Buffer} from 'node:buffer'

import type {SchemaCodec} from '../core/schema-decoder.js'
import {encodeMessageIndexes, frameWire, parseMessageIndexes, type SchemaType} from '../core/schema-wire.js'
import {KafkitError} from '../errors.js'

/** A codec that also encodes: a JSON value to the full wire-format bytes, or why it does not fit. */
export interface SchemaEncoder extends SchemaCodec {
  encode(value: unknown): {ok: true; bytes: Buffer} | {ok: false; errors: string[]}
}

export interface SchemaSource {
  id: number
  type: SchemaType
  schema: string
  subject?: string
  version?: number
  subjects?: string[]
}

let avscModule: Promise<any> | undefined
let protobufModule: Promise<any> | undefined
const ajvModules = new Map<string, Promise<any>>()

const loadAvsc = (): Promise<any> => (avscModule ??= import('avsc').then((m: any) => m.default ?? m))
const loadProtobuf = (): Promise<any> => (protobufModule ??= import('protobufjs').then((m: any) => m.default ?? m))
function loadAjv(draft: '2020' | '2019' | '07'): Promise<any> {
  const path = draft === '2020' ? 'ajv/dist/2020.js' : draft === '2019' ? 'ajv/dist/2019.js' : 'ajv'
  let loaded = ajvModules.get(path)
  if (loaded === undefined) {
    loaded = import(path).then((m: any) => m.default?.default ?? m.default ?? m)
    ajvModules.set(path, loaded)
  }
  return loaded
}

/** Builds the codec of a schema; a schema that does not parse is one KafkitError line. */
export async function compileSchema(source: SchemaSource): Promise<SchemaEncoder> {
  try {
    if (source.type === 'AVRO') return await avroCodec(source)
    if (source.type === 'PROTOBUF') return await protobufCodec(source)
    return await jsonSchemaCodec(source)
  } catch (error) {
    if (error instanceof KafkitError) throw error
    throw new KafkitError(`schema id ${source.id} (${source.type}): ${(error as Error).message.split('\n')[0]}`, {code: 'SCHEMA_INVALID'})
  }
}

function meta(source: SchemaSource): Pick<SchemaCodec, 'id' | 'type' | 'subject' | 'version' | 'subjects'> {
  return {
    id: source.id,
    type: source.type,
    ...(source.subject === undefined ? {} : {subject: source.subject}),
    ...(source.version === undefined ? {} : {version: source.version}),
    ...(source.subjects === undefined ? {} : {subjects: source.subjects}),
  }
}

/** {"base64": "..."} (kafkit's JSON for bytes, what decoding prints) back to bytes, anywhere in a value. */
function base64ToBuffers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(base64ToBuffers)
  if (typeof value !== 'object' || value === null) return value
  const keys = Object.keys(value)
  if (keys.length === 1 && keys[0] === 'base64' && typeof (value as {base64: unknown}).base64 === 'string') return Buffer.from((value as {base64: string}).base64, 'base64')
  return Object.fromEntries(keys.map((k) => [k, base64ToBuffers((value as Record<string, unknown>)[k])]))
}

const shown = (value: unknown): string => {
  const text = Buffer.isBuffer(value) ? '(bytes)' : JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

// ---------------------------------------------------------------------------------------------
// Avro

function avroTypeName(type: any): string {
  if (type.types) return `one of ${type.types.map((t: any) => t.branchName ?? t.typeName).join(', ')}`
  if (type.symbols) return `one of the symbols ${type.symbols.join(', ')}`
  if (type.typeName === 'record' || type.typeName === 'error') return `record ${type.name}`
  return type.name ?? String(type.typeName).replace(/^abstract:/, '')
}

/**
 * Avro longs as bigints: avsc's own long type refuses to decode what a double cannot hold exactly
 * (ids, nanosecond times). Decoded, they print as numbers when exact and as strings otherwise
 * (jsonSafe); to encode, a number or a decimal string is taken.
 */
let bigintLong: any
function avroLongType(avro: any): any {
  bigintLong ??= avro.types.LongType.__with({
    fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
    toBuffer: (n: bigint | number | string) => {
      const buf = Buffer.alloc(8)
      buf.writeBigInt64LE(BigInt(n))
      return buf
    },
    fromJSON: BigInt,
    toJSON: Number,
    isValid: (n: unknown) =>
      typeof n === 'bigint' ? n >= -(2n ** 63n) && n < 2n ** 63n : Number.isSafeInteger(n) || (typeof n === 'string' && /^-?\d{1,19}$/.test(n) && BigInt(n) >= -(2n ** 63n) && BigInt(n) < 2n ** 63n),
    compare: (a: bigint, b: bigint) => (BigInt(a) === BigInt(b) ? 0 : BigInt(a) < BigInt(b) ? -1 : 1),
  })
  return bigintLong
}

async function avroCodec(source: SchemaSource): Promise<SchemaEncoder> {
  const avro = await loadAvsc()
  const type = avro.Type.forSchema(JSON.parse(source.schema), {registry: {long: avroLongType(avro)}})
  return {
    ...meta(source),
    decode: (payload) => type.fromBuffer(payload),
    encode(value) {
      const input = base64ToBuffers(value)
      const errors: string[] = []
      const valid = type.isValid(input, {
        noUndeclaredFields: true,
        errorHook: (path: string[], any: unknown, t: any) => {
          const where = path.length === 0 ? '' : `field "${path.join('.')}": `
          if (any === undefined) errors.push(`${where}missing (${avroTypeName(t)})`)
          else if (t.typeName === 'record' && typeof any === 'object' && any !== null && !Array.isArray(any)) {
            const declared = new Set(t.fields.map((f: any) => f.name))
            const extra = Object.keys(any).filter((k) => !declared.has(k))
            errors.push(`${where}${extra.length > 0 ? `unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (not in the schema)` : `${shown(any)} is not a ${t.name ?? 'record'}`}`)
          } else errors.push(`${where}${shown(any)} is not ${avroTypeName(t)}`)
        },
      })
      if (!valid) return {ok: false, errors: errors.length > 0 ? errors : ['does not match the schema']}
      return {ok: true, bytes: frameWire(source.id, type.toBuffer(input))}
    },
  }
}

// ---------------------------------------------------------------------------------------------
// Protobuf

/** The message types of a .proto file in declaration order, by message index path. */
function messageAt(pkg: any, indexes: readonly number[]): any {
  let scope = pkg
  let found: any
  for (const index of indexes) {
    const messages = (scope.nestedArray ?? []).filter((n: any) => Array.isArray(n.fieldsArray))
    found = messages[index]
    if (found === undefined) throw new RangeError(`message index ${indexes.join('.')} is not in the schema`)
    scope = found
  }
  return found
}

async function protobufCodec(source: SchemaSource): Promise<SchemaEncoder> {
  const protobuf = await loadProtobuf()
  const root = new protobuf.Root()
  const parsed = protobuf.parse(source.schema, root, {keepCase: true})
  // The well-known types (google/protobuf/timestamp.proto, ...) ship with protobufjs.
  for (const name of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
    const common = protobuf.common.get?.(name) ?? protobuf.common[name.replace(/^google\/protobuf\//, '')]
    if (common) root.addJSON(common.nested ?? common)
    else throw new KafkitError(`schema id ${source.id} (PROTOBUF): imports ${name} (schema references are not supported yet)`, {code: 'SCHEMA_INVALID'})
  }
  root.resolveAll()
  const pkg = parsed.package ? root.lookup(parsed.package) : root
  const first = messageAt(pkg, [0])
  const toObject = {longs: String, enums: String, bytes: String, defaults: true, oneofs: false}
  return {
    ...meta(source),
    decode(payload) {
      const framed = parseMessageIndexes(payload)
      if (!framed.ok) throw new RangeError(framed.error)
      const type = messageAt(pkg, framed.indexes)
      return type.toObject(type.decode(framed.message), toObject)
    },
    encode(value) {
      const errors = checkProtobuf(first, value, '')
      if (errors.length > 0) return {ok: false, errors}
      const message = first.fromObject(value as object)
      return {ok: true, bytes: frameWire(source.id, Buffer.concat([encodeMessageIndexes([0]), first.encode(message).finish()]))}
    },
  }
}

const INT_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'])
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'])

/** protobufjs's fromObject coerces anything ("abc" to 0): the JSON is checked against the message first. */
function checkProtobuf(type: any, value: unknown, path: string): string[] {
  const where = path === '' ? '' : `field "${path}": `
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}${shown(value)} is not a ${type.name} message (a JSON object)`]
  const errors: string[] = []
  for (const [name, v] of Object.entries(value)) {
    const field = type.fields[name]
    const at = path === '' ? name : `${path}.${name}`
    if (field === undefined) {
      errors.push(`field "${at}": unknown field (not in ${type.name})`)
      continue
    }
    if (v === null) continue
    field.resolve()
    if (field.map) {
      if (typeof v !== 'object' || Array.isArray(v)) errors.push(`field "${at}": ${shown(v)} is not a map (a JSON object)`)
      else for (const [k, item] of Object.entries(v)) errors.push(...checkScalar(field, item, `${at}.${k}`))
    } else if (field.repeated) {
      if (!Array.isArray(v)) errors.push(`field "${at}": ${shown(v)} is not a list`)
      else v.forEach((item, i) => errors.push(...checkScalar(field, item, `${at}[${i}]`)))
    } else errors.push(...checkScalar(field, v, at))
  }
  return errors
}

function checkScalar(field: any, v: unknown, at: string): string[] {
  const bad = (what: string): string[] => [`field "${at}": ${shown(v)} is not ${what}`]
  const t = field.type
  if (field.resolvedType && Array.isArray(field.resolvedType.fieldsArray)) return checkProtobuf(field.resolvedType, v, at)
  if (field.resolvedType?.values) {
    const values = field.resolvedType.values as Record<string, number>
    if (typeof v === 'string' && Object.hasOwn(values, v)) return []
    if (typeof v === 'number' && Object.values(values).includes(v)) return []
    return bad(`one of ${Object.keys(values).join(', ')}`)
  }
  if (INT_TYPES.has(t)) return Number.isInteger(v) ? [] : bad(`an integer (${t})`)
  if (LONG_TYPES.has(t)) return Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)) ? [] : bad(`an integer (${t})`)
  if (t === 'double' || t === 'float') return typeof v === 'number' ? [] : bad(`a number (${t})`)
  if (t === 'bool') return typeof v === 'boolean' ? [] : bad('true or false')
  if (t === 'string') return typeof v === 'string' ? [] : bad('a string')
  if (t === 'bytes') return typeof v === 'string' ? [] : bad('base64 text (bytes)')
  return []
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

async function jsonSchemaCodec(source: SchemaSource): Promise<SchemaEncoder> {
  const schema = JSON.parse(source.schema)
  const declared = typeof schema?.$schema === 'string' ? schema.$schema : ''
  const Ajv = await loadAjv(declared.includes('2020-12') ? '2020' : declared.includes('2019-09') ? '2019' : '07')
  const ajv = new Ajv({strict: false, allErrors: true})
  const validate = ajv.compile(schema)
  return {
    ...meta(source),
    decode: (payload) => JSON.parse(payload.toString('utf8')),
    encode(value) {
      if (!validate(value)) {
        return {ok: false, errors: (validate.errors ?? []).map((e: any) => `${e.instancePath === '' ? '' : `field "${e.instancePath.slice(1).replaceAll('/', '.')}": `}${e.message}${e.params?.additionalProperty ? ` ("${e.params.additionalProperty}")` : ''}`)}
      }
      return {ok: true, bytes: frameWire(source.id, Buffer.from(JSON.stringify(value), 'utf8'))}
    },
  }
}
