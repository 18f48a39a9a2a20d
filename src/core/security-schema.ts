/**
 * The JSON Schema of topics.yaml's security sections (acls, users, quotas, their managed scope and
 * lint rules), merged into topicsFileSchema by topics-schema.ts. Operations, resource types,
 * principals and quota values are strings here: the parser (security-spec.ts) checks them and says
 * what it expected, with a did-you-mean.
 */
type JsonSchema = {[key: string]: unknown}

const ref = (name: string) => ({$ref: `#/definitions/${name}`})
const severity = {enum: ['error', 'warn', 'off'], description: 'error fails lint; warn reports; off skips the rule.'}
const severityRule = (description: string): JsonSchema => ({description, type: 'object', properties: {severity}, additionalProperties: false})

export const securityPolicyRules: JsonSchema = {
  aclWriteOnAll: severityRule('A principal allowed Write (or All) on every topic (literal "*") (default warn).'),
  consumerWithoutGroup: severityRule('A principal allowed Read on a topic but on no group (default warn).'),
  denyShadowsAllow: severityRule('A principal whose every ALLOW is cancelled by one of its DENY ACLs (default warn).'),
  zeroQuota: severityRule('A quota of 0 (the client is stopped, not slowed) (default warn).'),
}

const pattern = {enum: ['literal', 'prefixed'], description: 'literal: exactly this name ("*": every one); prefixed: every name starting with it.'}
const principal = {type: 'string', minLength: 1, description: 'TYPE:NAME, e.g. User:orders-app (User:* for every user).'}
const entityName = {type: 'string', minLength: 1, description: "A name, or '<default>' for the default entity."}

const role = (what: string, extra: JsonSchema): JsonSchema => ({
  description: what,
  type: ['string', 'object'],
  properties: {topic: {type: 'string', minLength: 1}, pattern, ...extra},
  additionalProperties: false,
})

const acl: JsonSchema = {
  description: 'ACLs of one principal: a role (producer, consumer) or a resource with operations.',
  type: 'object',
  properties: {
    principal,
    producer: role('Write + Describe on the topic (or prefix) and IdempotentWrite on the cluster. A topic name, or {topic, pattern}.', {}),
    consumer: role('Read + Describe on the topic (or prefix) and Read on its group: {topic, pattern, group, groupPattern}.', {
      group: {type: 'string', minLength: 1},
      groupPattern: pattern,
    }),
    resource: {
      type: 'object',
      properties: {
        type: {type: 'string', description: 'topic, group, cluster or transactional-id.'},
        name: {type: 'string', minLength: 1, description: 'The resource name ("*": every one; not for cluster).'},
        pattern,
      },
      required: ['type'],
      additionalProperties: false,
    },
    operations: {
      description: 'Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All (or read, idempotent-write, ...).',
      type: ['array', 'string'],
      items: {type: 'string'},
    },
    permission: {enum: ['allow', 'deny'], default: 'allow'},
    host: {type: 'string', minLength: 1, default: '*'},
  },
  required: ['principal'],
  additionalProperties: false,
}

const user: JsonSchema = {
  description: 'A SCRAM user. The password is never in the file: passwordEnv or passwordFile names where kafkit reads it when it writes the credential.',
  type: 'object',
  properties: {
    name: {type: 'string', minLength: 1},
    mechanism: {enum: ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'scram-sha-256', 'scram-sha-512'], default: 'SCRAM-SHA-512'},
    iterations: {type: 'integer', minimum: 4096, maximum: 16_384, description: 'PBKDF2 iterations (default 8192 on create; unset: any live count is in sync).'},
    passwordEnv: {type: 'string', minLength: 1, description: 'Environment variable holding the password.'},
    passwordFile: {type: 'string', minLength: 1, description: 'File holding the password (one trailing newline is dropped).'},
  },
  required: ['name'],
  additionalProperties: false,
}

const rate = (description: string) => ({type: ['number', 'string'], description})

const quota: JsonSchema = {
  description: "Client quotas of a user, a client id, both, or a default ('<default>').",
  type: 'object',
  properties: {
    user: entityName,
    clientId: entityName,
    producer_byte_rate: rate('Bytes per second: 1048576, 1MiB/s, 512KiB.'),
    consumer_byte_rate: rate('Bytes per second: 1048576, 1MiB/s, 512KiB.'),
    request_percentage: rate("Percent of one request thread's time (200: two threads)."),
    controller_mutation_rate: rate('Partitions created or deleted per second.'),
  },
  additionalProperties: false,
}

export const securityDefinitions: JsonSchema = {acl, user, quota}

export const securityProperties: JsonSchema = {
  acls: {description: 'ACLs, per principal.', type: 'array', items: ref('acl')},
  users: {description: 'SCRAM users (credentials, never passwords).', type: 'array', items: ref('user')},
  quotas: {description: 'Client quotas.', type: 'array', items: ref('quota')},
}

export const managedSecurity: JsonSchema = {
  principals: {
    description: '--prune deletes live ACLs of these principals that the file does not declare.',
    type: 'array',
    items: principal,
  },
  users: {
    description: '--prune deletes SCRAM credentials of these users that the file does not declare.',
    type: 'array',
    items: {type: 'string', minLength: 1},
  },
  quotas: {
    description: '--prune removes live quotas of entities matching these ({user}, {clientId} or both) that the file does not declare.',
    type: 'array',
    items: {type: 'object', properties: {user: entityName, clientId: entityName}, additionalProperties: false},
  },
}
