/**
 * The one definition of topics.yaml's shape. The parser validates with it (ajv) and
 * `schema/topics.schema.json` is generated from it for editors (`node scripts/gen-schema.mjs`);
 * a unit test fails if the committed file and this definition differ.
 *
 * Config values are typed loosely here (a duration may be 604800000 or "7d"); the parser checks
 * each value against its config's kind and range and explains what it expected.
 */
import {TOPIC_CONFIGS, type TopicConfigDef} from './topic-configs.js'
import {managedSecurity, securityDefinitions, securityPolicyRules, securityProperties} from './security-schema.js'

/** Kafka's legal topic names: letters, digits, '.', '_', '-', at most 249 characters, not "." or "..". */
export const TOPIC_NAME_PATTERN = '^(?!\\.{1,2}$)[a-zA-Z0-9._-]{1,249}$'

/** The seeds' `<domain>.<entity>.<event-type>`, lower case with dashes inside a part. */
export const DEFAULT_NAMING_PATTERN = '^[a-z0-9-]+(\\.[a-z0-9-]+){2}$'

export const SEVERITY_LEVELS = ['error', 'warn', 'off'] as const

type JsonSchema = {[key: string]: unknown}

function configValueSchema(def: TopicConfigDef): JsonSchema {
  const types: Record<TopicConfigDef['kind'], string[]> = {
    duration: ['integer', 'string'],
    size: ['integer', 'string'],
    int: ['integer', 'string'],
    double: ['number', 'string'],
    boolean: ['boolean', 'string'],
    string: ['string'],
    list: ['string', 'array'],
  }
  const unit = def.kind === 'duration' ? ' Milliseconds or 500ms, 30s, 15m, 12h, 7d.' : def.kind === 'size' ? ' Bytes or 512KiB, 1GiB, 100MB.' : ''
  return {
    description: `${def.description}${unit} Kafka's default: ${def.kafkaDefault === '' ? '(empty)' : def.kafkaDefault}. null: not declared.`,
    type: [...types[def.kind], 'null'],
    ...(def.kind === 'list' ? {items: {type: 'string'}} : {}),
    ...(def.allowed ? {examples: [...def.allowed]} : {}),
  }
}

const ref = (name: string) => ({$ref: `#/definitions/${name}`})

const configMap: JsonSchema = {
  description: 'Topic-level configs (kafka-configs --entity-type topics). null un-declares a value inherited from defaults.',
  type: 'object',
  properties: Object.fromEntries([...TOPIC_CONFIGS.values()].map((def) => [def.name, configValueSchema(def)])),
  additionalProperties: false,
}

// Kafka's CreateTopics fields: partitions INT32, replication factor INT16.
const partitions = {type: 'integer', minimum: 1, maximum: 2_147_483_647, description: 'Number of partitions (can only grow).'}
const replicationFactor = {type: 'integer', minimum: 1, maximum: 32_767, description: 'Copies of each partition (3 in production).'}

const defaults: JsonSchema = {
  description: 'Applied to every topic unless the topic sets its own value.',
  type: 'object',
  properties: {partitions, replicationFactor, config: ref('config')},
  additionalProperties: false,
}

const topicOverride: JsonSchema = {
  type: 'object',
  properties: {partitions, replicationFactor, config: ref('config')},
  additionalProperties: false,
}

const topic: JsonSchema = {
  type: 'object',
  properties: {
    name: {type: 'string', pattern: TOPIC_NAME_PATTERN, description: 'Topic name, e.g. orders.payment.completed.'},
    partitions,
    replicationFactor,
    config: ref('config'),
    keySchema: {type: 'string', minLength: 1, description: 'Schema Registry subject of the keys (topics lint --schema-registry checks it exists).'},
    valueSchema: {type: 'string', minLength: 1, description: 'Schema Registry subject of the values, e.g. orders.created-value (topics lint --schema-registry checks it exists).'},
  },
  required: ['name'],
  additionalProperties: false,
}

const cluster: JsonSchema = {
  description: 'Guard: plan and apply refuse a cluster whose id differs.',
  type: 'object',
  properties: {id: {type: 'string', minLength: 1, description: 'The cluster id (kafkit cluster info).'}},
  required: ['id'],
  additionalProperties: false,
}

const severity = {enum: [...SEVERITY_LEVELS], description: 'error fails lint; warn reports; off skips the rule.'}

function valueRule(description: string, value: JsonSchema): JsonSchema {
  return {description, type: 'object', properties: {value, severity}, additionalProperties: false}
}

const policy: JsonSchema = {
  description: 'Lint rules; a rule left out keeps its default (warn).',
  type: 'object',
  properties: {
    naming: {
      description: 'Topic names must match this regular expression (default: <domain>.<entity>.<event-type>).',
      type: 'object',
      properties: {pattern: {type: 'string', default: DEFAULT_NAMING_PATTERN}, severity},
      additionalProperties: false,
    },
    minReplicationFactor: valueRule('Lowest replicationFactor allowed (default 3).', {type: 'integer', minimum: 1}),
    minInsyncReplicas: valueRule('Lowest min.insync.replicas allowed (default 2).', {type: 'integer', minimum: 1}),
    minRetention: valueRule('Shortest retention.ms allowed on delete topics (default 1d).', {type: ['integer', 'string']}),
    maxPartitions: valueRule('Most partitions allowed per topic (default 100).', {type: 'integer', minimum: 1}),
    ...securityPolicyRules,
  },
  additionalProperties: false,
}

const environment: JsonSchema = {
  description: 'Overlay chosen with --env; it wins over the rest of the file.',
  type: 'object',
  properties: {
    cluster: ref('cluster'),
    defaults: ref('defaults'),
    policy: ref('policy'),
    topics: {
      description: 'Per-topic overrides, keyed by a topic name declared under topics.',
      type: 'object',
      additionalProperties: ref('topicOverride'),
    },
  },
  additionalProperties: false,
}

export const topicsFileSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'kafkit topics.yaml',
  description: 'Desired state of a Kafka cluster\'s topics, for kafkit topics lint | plan | apply.',
  type: 'object',
  properties: {
    version: {const: 1, description: 'File format version.'},
    cluster: ref('cluster'),
    defaults: ref('defaults'),
    environments: {type: 'object', additionalProperties: ref('environment')},
    managed: {
      type: 'object',
      properties: {
        prefixes: {
          description: '--prune deletes only undeclared live topics under these prefixes.',
          type: 'array',
          items: {type: 'string', minLength: 1},
        },
        ...managedSecurity,
      },
      additionalProperties: false,
    },
    policy: ref('policy'),
    topics: {type: 'array', items: ref('topic')},
    ...securityProperties,
  },
  required: ['version', 'topics'],
  additionalProperties: false,
  definitions: {config: configMap, defaults, topic, topicOverride, cluster, policy, environment, ...securityDefinitions},
}

/** The text of schema/topics.schema.json. */
export function topicsJsonSchemaText(): string {
  return `${JSON.stringify(topicsFileSchema, null, 2)}\n`
}
