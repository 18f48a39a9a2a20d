/**
 * topics.yaml text → the desired state for one environment, plus every problem in the file with
 * its line and column. Pure: the caller reads the file and prints the problems.
 *
 * Layers, lowest first: defaults < topic < environments.<env>.defaults < environments.<env>.topics.<name>.
 * The environment overlay wins over the whole base file, so `dev: {defaults: {replicationFactor: 1}}`
 * applies to every topic, including those that set their own replicationFactor. A config set to
 * null in a higher layer un-declares it (the broker's value applies).
 */
import type {ErrorObject} from 'ajv'
import type {Document, Node} from 'yaml'
import {didYouMean} from './did-you-mean.js'
import {hasErrors, sortProblems, type Problem, type Severity} from './problem.js'
import {normaliseConfigValue, topicConfigDef, unknownConfigMessage} from './topic-configs.js'
import validateTopicsFile from './topics-schema-validate.generated.js'
import {DEFAULT_NAMING_PATTERN} from './topics-schema.js'
import {parseDuration} from './units.js'
import {readSecuritySpec, type SecuritySpec} from './security-spec.js'
import {yamlLibrary} from './lazy-yaml.js'
import {parseYamlSubset, type SubsetDocument} from './yaml-subset.js'

export type PolicySeverity = 'error' | 'warn' | 'off'

export interface TopicsPolicy {
  naming: {pattern: string; severity: PolicySeverity}
  minReplicationFactor: {value: number; severity: PolicySeverity}
  minInsyncReplicas: {value: number; severity: PolicySeverity}
  minRetentionMs: {value: number; severity: PolicySeverity}
  maxPartitions: {value: number; severity: PolicySeverity}
  /** The security rules (security-lint.ts): severity only. */
  aclWriteOnAll: {severity: PolicySeverity}
  consumerWithoutGroup: {severity: PolicySeverity}
  denyShadowsAllow: {severity: PolicySeverity}
  zeroQuota: {severity: PolicySeverity}
}

/** What applies when the file's policy leaves a rule out: the seeds' rules, as warnings. */
export const DEFAULT_POLICY: TopicsPolicy = {
  naming: {pattern: DEFAULT_NAMING_PATTERN, severity: 'warn'},
  minReplicationFactor: {value: 3, severity: 'warn'},
  minInsyncReplicas: {value: 2, severity: 'warn'},
  minRetentionMs: {value: 86_400_000, severity: 'warn'},
  maxPartitions: {value: 100, severity: 'warn'},
  aclWriteOnAll: {severity: 'warn'},
  consumerWithoutGroup: {severity: 'warn'},
  denyShadowsAllow: {severity: 'warn'},
  zeroQuota: {severity: 'warn'},
}

export interface SourceLocation {
  line: number
  col: number
}

export interface DesiredTopic {
  name: string
  partitions: number
  replicationFactor: number
  /** Declared configs after merging the layers, values as Kafka prints them. */
  config: Record<string, string>
  /** Where the topic is declared (its entry under `topics`). */
  location: SourceLocation
  /** Schema Registry subjects declared for its keys and values (checked only by lint --schema-registry). */
  schemas?: Array<{field: 'keySchema' | 'valueSchema'; subject: string; location: SourceLocation}>
}

export interface NormalisedSpec {
  file: string
  env?: string
  cluster?: {id: string; location: SourceLocation}
  managedPrefixes: string[]
  policy: TopicsPolicy
  /** In file order. */
  topics: DesiredTopic[]
  /** acls, users, quotas and their managed scope; absent in a topics-only file. */
  security?: SecuritySpec
}

export interface ParseResult {
  /** Undefined when any problem is an error. */
  spec: NormalisedSpec | undefined
  /** All problems, in file order. */
  problems: Problem[]
}

type Path = Array<string | number>

/**
 * Every problem is one line: a complex YAML key (`? {…}`) or a multi-line scalar quoted in a
 * message is folded and shortened.
 */
function oneLine(message: string): string {
  const folded = message.replace(/\s*\n\s*/g, ' ')
  return folded.length <= 300 ? folded : `${folded.slice(0, 297)}...`
}

export function parseTopicsSpec(text: string, file: string, options: {env?: string} = {}): ParseResult {
  // Most files are plain YAML the fast reader takes whole; anything else (and every syntax
  // error) goes to the yaml library.
  const subset = parseYamlSubset(text)
  if (subset !== undefined) return checkData(new DocumentReader(file, new SubsetTree(subset, text)), subset.data, options)
  const {doc, lineCounter} = parseWithYamlLibrary(text)
  const reader = new DocumentReader(file, new YamlTree(doc, lineCounter))

  for (const error of doc.errors) reader.reportAtOffset('error', error.pos[0], error.message)
  for (const warning of doc.warnings) reader.reportAtOffset('warning', warning.pos[0], warning.message)
  if (doc.errors.length > 0) return {spec: undefined, problems: sortProblems(reader.problems)}

  let data: unknown
  try {
    data = doc.toJS()
  } catch (error) {
    reader.report('error', [], (error as Error).message)
    return {spec: undefined, problems: sortProblems(reader.problems)}
  }
  if (data === null || data === undefined) {
    reader.report('error', [], 'the file is empty; it needs at least "version: 1" and "topics:"')
    return {spec: undefined, problems: sortProblems(reader.problems)}
  }
  return checkData(reader, data, options)
}

function checkData(reader: DocumentReader, data: unknown, options: {env?: string}): ParseResult {
  for (const error of schemaErrors(data)) reportSchemaError(reader, data, error)
  const spec = buildSpec(reader, data, options.env)
  return {spec: hasErrors(reader.problems) ? undefined : spec, problems: sortProblems(reader.problems)}
}

// ---------------------------------------------------------------------------------------------
// Positions: every problem names the YAML node it is about.

/** Where the nodes of a parsed document are: the yaml library's Document, or the fast reader's tree. */
interface SourceTree {
  /** Offset of the node at `path`, or of the nearest existing ancestor; with `key`, of the map key. */
  offset(path: Path, options: {key?: boolean}): number | undefined
  /** The scalar at `path` as written, when the node there is a plain scalar. */
  scalarSource(path: Path): string | undefined
  linePos(offset: number): SourceLocation
}

function parseWithYamlLibrary(text: string) {
  const {LineCounter, parseDocument} = yamlLibrary()
  const lineCounter = new LineCounter()
  // logLevel 'error': problems are reported as file:line:col, never as Node process warnings.
  return {doc: parseDocument(text, {lineCounter, prettyErrors: false, logLevel: 'error'}), lineCounter}
}

class YamlTree implements SourceTree {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: InstanceType<typeof import('yaml').LineCounter>,
  ) {}

  private node(path: Path, options: {key?: boolean} = {}): Node | undefined {
    const {isMap, isScalar, isSeq} = yamlLibrary()
    let node = this.doc.contents as Node | null
    if (node === null) return undefined
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
        if (pair === undefined) return node
        const next = (last && options.key ? pair.key : pair.value) as Node | null
        if (next === null) return (pair.key as Node | null) ?? node
        node = next
      } else if (isSeq(node)) {
        const next = node.items[Number(segment)] as Node | undefined
        if (next === undefined) return node
        node = next
      } else {
        return node
      }
    }
    return node
  }

  offset(path: Path, options: {key?: boolean}): number | undefined {
    return this.node(path, options)?.range?.[0]
  }

  scalarSource(path: Path): string | undefined {
    const node = this.node(path)
    return yamlLibrary().isScalar(node) && typeof node.source === 'string' ? node.source : undefined
  }

  linePos(offset: number): SourceLocation {
    return this.lineCounter.linePos(offset)
  }
}

/**
 * Positions in a file the fast reader took: it keeps only where each topic's entry is (every lint
 * and plan problem of a topic points there); any other position is asked of the yaml library,
 * which then parses the file once. That happens only for a file with problems elsewhere.
 */
class SubsetTree implements SourceTree {
  private full: YamlTree | undefined

  constructor(
    private readonly doc: SubsetDocument,
    private readonly text: string,
  ) {}

  private yamlTree(): YamlTree {
    if (this.full === undefined) {
      const {doc, lineCounter} = parseWithYamlLibrary(this.text)
      this.full = new YamlTree(doc, lineCounter)
    }
    return this.full
  }

  offset(path: Path, options: {key?: boolean}): number | undefined {
    if (path.length === 2 && path[0] === 'topics' && typeof path[1] === 'number' && !options.key) {
      const offset = this.doc.topicOffsets[path[1]]
      if (offset !== undefined) return offset
    }
    return this.yamlTree().offset(path, options)
  }

  scalarSource(path: Path): string | undefined {
    return this.yamlTree().scalarSource(path)
  }

  linePos(offset: number): SourceLocation {
    return this.doc.linePos(offset)
  }
}

class DocumentReader {
  readonly problems: Problem[] = []

  constructor(
    readonly file: string,
    private readonly tree: SourceTree,
  ) {}

  locate(path: Path, options: {key?: boolean} = {}): SourceLocation {
    const offset = this.tree.offset(path, options)
    return offset === undefined ? {line: 1, col: 1} : this.tree.linePos(offset)
  }

  report(severity: Severity, path: Path, message: string, options: {key?: boolean} = {}): void {
    const {line, col} = this.locate(path, options)
    this.problems.push({file: this.file, line, col, severity, message: oneLine(message), ...(path.length > 0 ? {path} : {})})
  }

  reportAtOffset(severity: Severity, offset: number, message: string): void {
    const {line, col} = this.tree.linePos(offset)
    this.problems.push({file: this.file, line, col, severity, message: oneLine(message)})
  }

  /**
   * The value at `path` as written: integers beyond 2^53 (Kafka's Long.MAX_VALUE defaults) come
   * back as their source digits so they are not rounded.
   */
  exactValue(path: Path, value: unknown): unknown {
    if (typeof value !== 'number' || Number.isSafeInteger(value) || !Number.isInteger(value)) return value
    const source = this.tree.scalarSource(path)
    return source !== undefined && /^[-+]?\d+$/.test(source) ? source : value
  }
}

// ---------------------------------------------------------------------------------------------
// Schema validation, with ajv's errors rephrased and placed on the offending node. The validator
// is Ajv's code for topicsFileSchema, generated ahead of time (scripts/gen-schema.mjs): compiling
// the schema on every run cost more than validating 10,000 topics.

function schemaErrors(data: unknown): ErrorObject[] {
  const validator = validateTopicsFile as unknown as {(data: unknown): boolean; errors?: ErrorObject[] | null}
  return validator(data) ? [] : (validator.errors ?? [])
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON pointer → path, with array indexes as numbers. */
function pointerToPath(pointer: string, data: unknown): Path {
  const path: Path = []
  let cursor: unknown = data
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    const step: string | number = Array.isArray(cursor) ? Number(segment) : segment
    path.push(step)
    cursor = isRecord(cursor) || Array.isArray(cursor) ? (cursor as Record<string | number, unknown>)[step] : undefined
  }
  return path
}

function isConfigValuePath(path: Path): boolean {
  const configAt = path.lastIndexOf('config')
  return configAt >= 0 && configAt < path.length - 1 && topicConfigDef(String(path[configAt + 1])) !== undefined
}

/** `topic "orders.created"`, `environment "dev" topic "x"`, `defaults`… and the rest of the path. */
function describePath(path: Path, data?: unknown): {context: string; field: string} {
  const display = (segments: Path) =>
    segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')
  if (path[0] === 'topics' && typeof path[1] === 'number') {
    const name = isRecord(data) && Array.isArray(data.topics) && isRecord(data.topics[path[1]]) ? data.topics[path[1]].name : undefined
    return {context: typeof name === 'string' ? `topic "${name}"` : `topics[${path[1]}]`, field: display(path.slice(2))}
  }
  if (path[0] === 'environments' && path.length > 1) {
    if (path[2] === 'topics' && path.length > 3) {
      return {context: `environment "${path[1]}" topic "${path[3]}"`, field: display(path.slice(4))}
    }
    if (path[2] === 'defaults') return {context: `environment "${path[1]}" defaults`, field: display(path.slice(3))}
    return {context: `environment "${path[1]}"`, field: display(path.slice(2))}
  }
  if (path[0] === 'defaults') return {context: 'defaults', field: display(path.slice(1))}
  return {context: '', field: display(path)}
}

function withContext(context: string, message: string): string {
  return context === '' ? message : `${context}: ${message}`
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false',
  object: 'a mapping (key: value)', array: 'a list', null: 'null',
}

function reportSchemaError(reader: DocumentReader, data: unknown, error: ErrorObject): void {
  const path = pointerToPath(error.instancePath, data)
  // A config's value is checked against its kind by the parser, which says what it expected.
  if (isConfigValuePath(path)) return
  const {context, field} = describePath(path, data)
  // "topic "x": partitions must be …", "topics[2] must be …", "the file must be …"
  const say = (predicate: string) =>
    field === '' ? `${context === '' ? 'the file' : context} ${predicate}` : withContext(context, `${field} ${predicate}`)
  const params = error.params as Record<string, any>
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const keyPath = [...path, key]
      const isConfigMap = path[path.length - 1] === 'config'
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {})
      const hint = topicConfigDef(key) !== undefined && allowed.includes('config')
        ? ' (a topic config: put it under "config:")'
        : didYouMean(key, allowed) || ` (expected one of: ${allowed.join(', ')})`
      const message = isConfigMap ? unknownConfigMessage(key) : `unknown key "${field === '' ? key : `${field}.${key}`}"${hint}`
      reader.report('error', keyPath, withContext(context, message), {key: true})
      return
    }
    case 'required':
      reader.report('error', path, withContext(context, `missing "${params.missingProperty}"`))
      return
    case 'type': {
      const expected = String(params.type).split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ')
      reader.report('error', path, say(`must be ${expected}`))
      return
    }
    case 'minimum':
      reader.report('error', path, say(`must be at least ${params.limit} (got ${error.data})`))
      return
    case 'maximum':
      reader.report('error', path, say(`must be at most ${params.limit} (got ${error.data})`))
      return
    case 'const':
      reader.report('error', path, say(`must be ${JSON.stringify(params.allowedValue)}`))
      return
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      reader.report('error', path, say(`must be one of ${allowed.join(', ')}, not ${JSON.stringify(error.data)}${didYouMean(String(error.data), allowed)}`))
      return
    }
    case 'pattern':
      if (path[0] === 'topics' && field === 'name') {
        reader.report('error', path, `topic name ${JSON.stringify(error.data)} is not valid: Kafka allows letters, digits, '.', '_' and '-', at most 249 characters, and not "." or ".."`)
      } else {
        reader.report('error', path, say(`must match ${params.pattern}`))
      }
      return
    case 'minLength':
      reader.report('error', path, say('must not be empty'))
      return
    default:
      reader.report('error', path, say(error.message ?? 'is not valid'))
  }
}

// ---------------------------------------------------------------------------------------------
// Building the spec: normalise every layer (reporting bad values where they are written),
// check what the schema cannot, then merge the layers for the chosen environment.

interface Layer {
  /** NaN when written but invalid (already reported), so it neither counts as unset nor as a value. */
  partitions?: number
  replicationFactor?: number
  /** null: un-declared in this layer. */
  config: Record<string, string | null>
}

type PolicyLayer = Partial<{[K in keyof TopicsPolicy]: Partial<TopicsPolicy[K]>}>

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 1

/** `context` is a function: building the text per topic cost more than the rare error it is for. */
function readLayer(reader: DocumentReader, raw: unknown, path: Path, context: () => string): Layer {
  const layer: Layer = {config: {}}
  if (!isRecord(raw)) return layer
  if ('partitions' in raw) layer.partitions = isCount(raw.partitions) ? raw.partitions : Number.NaN
  if ('replicationFactor' in raw) layer.replicationFactor = isCount(raw.replicationFactor) ? raw.replicationFactor : Number.NaN
  if (!isRecord(raw.config)) return layer
  for (const name in raw.config) {
    if (!Object.prototype.hasOwnProperty.call(raw.config, name) || topicConfigDef(name) === undefined) continue // unknown: reported by the schema
    const value = raw.config[name]
    if (value === null) {
      layer.config[name] = null
      continue
    }
    const exact = typeof value === 'number' && !Number.isSafeInteger(value) ? reader.exactValue([...path, 'config', name], value) : value
    const result = normaliseConfigValue(name, exact)
    if (result.ok) layer.config[name] = result.value
    else reader.report('error', [...path, 'config', name], withContext(context(), `${name}: ${result.reason}`))
  }
  return layer
}

function readPolicyLayer(reader: DocumentReader, raw: unknown, path: Path): PolicyLayer {
  const layer: PolicyLayer = {}
  if (!isRecord(raw)) return layer
  const severityOf = (rule: Record<string, unknown>): {severity?: PolicySeverity} =>
    rule.severity === 'error' || rule.severity === 'warn' || rule.severity === 'off' ? {severity: rule.severity} : {}
  const {context, field} = describePath(path)
  const problem = (rule: string, message: string) => withContext(context, `${field}.${rule}: ${message}`)
  if (isRecord(raw.naming)) {
    const naming: Partial<TopicsPolicy['naming']> = severityOf(raw.naming)
    if (typeof raw.naming.pattern === 'string') {
      try {
        new RegExp(raw.naming.pattern)
        naming.pattern = raw.naming.pattern
      } catch (error) {
        reader.report('error', [...path, 'naming', 'pattern'], problem('naming.pattern', (error as Error).message))
      }
    }
    layer.naming = naming
  }
  for (const rule of ['aclWriteOnAll', 'consumerWithoutGroup', 'denyShadowsAllow', 'zeroQuota'] as const) {
    if (isRecord(raw[rule])) layer[rule] = severityOf(raw[rule])
  }
  for (const rule of ['minReplicationFactor', 'minInsyncReplicas', 'maxPartitions'] as const) {
    const value = raw[rule]
    if (isRecord(value)) layer[rule] = {...severityOf(value), ...(isCount(value.value) ? {value: value.value} : {})}
  }
  if (isRecord(raw.minRetention)) {
    const value = raw.minRetention.value
    const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDuration(value) : undefined
    const valid = ms !== undefined && Number.isSafeInteger(ms) && ms >= 0
    if (value !== undefined && !valid) {
      reader.report('error', [...path, 'minRetention', 'value'], problem('minRetention.value', `${JSON.stringify(value)} is not a duration (e.g. 1d, 12h or milliseconds)`))
    }
    layer.minRetentionMs = {...severityOf(raw.minRetention), ...(valid ? {value: ms} : {})}
  }
  return layer
}

function applyPolicyLayer(policy: TopicsPolicy, layer: PolicyLayer): TopicsPolicy {
  const merged = {...policy} as Record<keyof TopicsPolicy, unknown>
  for (const rule of Object.keys(layer) as Array<keyof TopicsPolicy>) merged[rule] = {...policy[rule], ...layer[rule]}
  return merged as TopicsPolicy
}

interface EnvironmentLayers {
  defaults: Layer
  topics: Map<string, Layer>
  policy: PolicyLayer
  cluster?: {id: string; path: Path}
}

const LAYER_KEYS = ['name', 'partitions', 'replicationFactor', 'config', 'keySchema', 'valueSchema']
const hasUnknownKeys = (raw: unknown) => isRecord(raw) && Object.keys(raw).some((key) => !LAYER_KEYS.includes(key))

function clusterOf(raw: unknown, path: Path): {id: string; path: Path} | undefined {
  return isRecord(raw) && isRecord(raw.cluster) && typeof raw.cluster.id === 'string' && raw.cluster.id !== ''
    ? {id: raw.cluster.id, path: [...path, 'cluster', 'id']}
    : undefined
}

function buildSpec(reader: DocumentReader, data: unknown, env: string | undefined): NormalisedSpec {
  const root = isRecord(data) ? data : {}

  const defaults = readLayer(reader, root.defaults, ['defaults'], () => 'defaults')
  const declared: Array<{name: string; layer: Layer; path: Path}> = []
  const rawTopics = Array.isArray(root.topics) ? root.topics : []
  for (let index = 0; index < rawTopics.length; index++) {
    const raw: unknown = rawTopics[index]
    if (!isRecord(raw) || typeof raw.name !== 'string') continue
    const name = raw.name
    const path = ['topics', index]
    declared.push({name, layer: readLayer(reader, raw, path, () => `topic "${name}"`), path})
  }
  const declaredNames = checkTopicNames(reader, declared)

  // Every environment is checked, not only the chosen one: a broken overlay fails lint everywhere.
  const environments = new Map<string, EnvironmentLayers>()
  for (const [name, raw] of Object.entries(isRecord(root.environments) ? root.environments : {})) {
    const path = ['environments', name]
    const overlay = isRecord(raw) ? raw : {}
    const topics = new Map<string, Layer>()
    for (const [topicName, rawTopic] of Object.entries(isRecord(overlay.topics) ? overlay.topics : {})) {
      const topicPath = [...path, 'topics', topicName]
      if (!declaredNames.has(topicName)) {
        reader.report('error', topicPath, `environment "${name}": topic "${topicName}" is not declared under topics${didYouMean(topicName, [...declaredNames])}`, {key: true})
      }
      topics.set(topicName, readLayer(reader, rawTopic, topicPath, () => `environment "${name}" topic "${topicName}"`))
    }
    environments.set(name, {
      defaults: readLayer(reader, overlay.defaults, [...path, 'defaults'], () => `environment "${name}" defaults`),
      topics,
      policy: readPolicyLayer(reader, overlay.policy, [...path, 'policy']),
      cluster: clusterOf(overlay, path),
    })
  }

  let policy = applyPolicyLayer(DEFAULT_POLICY, readPolicyLayer(reader, root.policy, ['policy']))
  let cluster = clusterOf(root, [])
  let overlay: EnvironmentLayers = {defaults: {config: {}}, topics: new Map(), policy: {}}
  if (env !== undefined) {
    const chosen = environments.get(env)
    if (chosen === undefined) {
      const known = [...environments.keys()]
      const choices = known.length === 0 ? 'the file declares no environments' : `known: ${known.join(', ')}`
      reader.report('error', ['environments'], `unknown environment "${env}" (${choices})${didYouMean(env, known)}`, {key: true})
    } else {
      overlay = chosen
      policy = applyPolicyLayer(policy, chosen.policy)
      cluster = chosen.cluster ?? cluster
    }
  }

  const topics: DesiredTopic[] = []
  const defaultsMisspelt = hasUnknownKeys(root.defaults)
  const noLayer: Layer = {config: {}}
  for (const {name, layer, path} of declared) {
    const topicOverlay = overlay.topics.get(name) ?? noLayer
    // Lowest first: defaults < topic < environment defaults < environment topic.
    const partitions = topicOverlay.partitions ?? overlay.defaults.partitions ?? layer.partitions ?? defaults.partitions
    const replicationFactor = topicOverlay.replicationFactor ?? overlay.defaults.replicationFactor ?? layer.replicationFactor ?? defaults.replicationFactor
    if (partitions === undefined || replicationFactor === undefined) {
      // A misspelt key (replicationfactor:) is already reported; "not set" would only repeat it.
      const misspelt = defaultsMisspelt || hasUnknownKeys(rawTopics[path[1] as number])
      for (const [key, value] of [['partitions', partitions], ['replicationFactor', replicationFactor]] as const) {
        if (value === undefined && !misspelt) reader.report('error', path, `topic "${name}": ${key} is not set (set it on the topic or under defaults)`)
      }
    }
    if (isCount(partitions) && isCount(replicationFactor)) {
      const config = mergeConfigs(defaults.config, layer.config, overlay.defaults.config, topicOverlay.config)
      const raw = rawTopics[path[1] as number] as Record<string, unknown>
      const schemas = (['keySchema', 'valueSchema'] as const).flatMap((field) =>
        typeof raw[field] === 'string' && raw[field] !== '' ? [{field, subject: raw[field] as string, location: reader.locate([...path, field])}] : [],
      )
      topics.push({name, partitions, replicationFactor, config, location: reader.locate(path), ...(schemas.length === 0 ? {} : {schemas})})
    }
  }

  const prefixes = isRecord(root.managed) && Array.isArray(root.managed.prefixes) ? root.managed.prefixes : []
  const security = readSecuritySpec(reader, root)
  return {
    file: reader.file,
    ...(env === undefined ? {} : {env}),
    ...(cluster === undefined ? {} : {cluster: {id: cluster.id, location: reader.locate(cluster.path)}}),
    managedPrefixes: prefixes.filter((p): p is string => typeof p === 'string' && p !== ''),
    policy,
    topics,
    ...(security === undefined ? {} : {security}),
  }
}

/** The layers' configs merged (later wins, null un-declares), sorted by name. */
function mergeConfigs(...layers: Array<Record<string, string | null>>): Record<string, string> {
  const merged: Record<string, string | null> = {}
  let count = 0
  for (const config of layers) {
    for (const name in config) {
      merged[name] = config[name]
      count++
    }
  }
  if (count === 0) return {}
  const names = Object.keys(merged).filter((name) => merged[name] !== null)
  if (names.length > 1) names.sort((a, b) => (a < b ? -1 : 1))
  const config: Record<string, string> = {}
  for (const name of names) config[name] = merged[name] as string
  return config
}

/**
 * Duplicates, and names Kafka refuses because they collide in metric names ('.' and '_' are
 * the same there: orders.created vs orders_created).
 */
function checkTopicNames(reader: DocumentReader, declared: ReadonlyArray<{name: string; path: Path}>): Set<string> {
  const byName = new Map<string, Path>()
  const byMetricName = new Map<string, string>()
  for (const {name, path} of declared) {
    const first = byName.get(name)
    if (first !== undefined) {
      reader.report('error', [...path, 'name'], `topic "${name}" is declared twice (first at line ${reader.locate(first).line})`)
      continue
    }
    byName.set(name, path)
    // Only a name with '_' can collide with one with '.', and the other way round.
    if (!name.includes('_') && !name.includes('.')) continue
    const metricName = name.replaceAll('.', '_')
    const collision = byMetricName.get(metricName)
    if (collision !== undefined) {
      reader.report('error', [...path, 'name'], `topic "${name}" collides with "${collision}": Kafka treats '.' and '_' alike in metric names and refuses the second`)
    } else {
      byMetricName.set(metricName, name)
    }
  }
  return new Set(byName.keys())
}
