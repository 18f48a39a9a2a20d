/**
 * Telling "does not exist" from "not allowed to see": a Metadata request for all topics leaves out
 * the topics the principal may not Describe, exactly as if they did not exist. Asked by name, the
 * broker answers TOPIC_AUTHORIZATION_FAILED for those (whether they exist or not, so existence is
 * not leaked). Only asked on the error path, one Metadata per name at once (kafkajs names no topic in the
 * error it throws for a topic's error code).
 */
import {KafkitError} from '../errors.js'
import type {KafkaConnection} from './connection.js'
import {connectionCluster} from './groups.js'

interface MetadataBroker {
  /** Sent in every Metadata request; kafkajs's consumer default is true. */
  allowAutoTopicCreation: boolean
  /** kafkajs's Broker#metadata(topics): auto-creation as the client was configured (kafkit: off). */
  metadata(topics: string[]): Promise<unknown>
}

/** The names among `topics` the connection's principal is not authorized to describe. */
export async function topicsNotAuthorized(conn: KafkaConnection, topics: readonly string[]): Promise<string[]> {
  const cluster = await connectionCluster(conn)
  const [nodeId] = cluster.getNodeIds()
  if (nodeId === undefined) return []
  const broker = (await cluster.findBroker({nodeId})) as unknown as MetadataBroker
  const denied: string[] = []
  // A name that does not exist must never create a topic (a cluster with auto.create.topics.enable).
  const autoCreate = broker.allowAutoTopicCreation
  broker.allowAutoTopicCreation = false
  try {
    await Promise.all(
      topics.map(async (topic) => {
        try {
          await conn.run('describe topics', () => broker.metadata([topic]))
        } catch (error) {
          const type = (error as {type?: string})?.type ?? (error as KafkitError)?.code
          if (type === 'TOPIC_AUTHORIZATION_FAILED') denied.push(topic)
        }
      }),
    )
  } finally {
    broker.allowAutoTopicCreation = autoCreate
  }
  return topics.filter((t) => denied.includes(t))
}

export function topicNotAuthorized(topics: readonly string[], conn: KafkaConnection): KafkitError {
  return new KafkitError(`not authorized to access topic${topics.length > 1 ? 's' : ''} ${topics.map((t) => `"${t}"`).join(', ')} as ${principalOf(conn)} on ${conn.brokersLabel}`, {
    code: 'TOPIC_AUTHORIZATION_FAILED',
    hint: 'an ACL must allow Describe (and Read or Write) on it: kafkit acls list --topic NAME --pattern match',
  })
}

/**
 * kafkajs says only "Failed to find group coordinator" when FindCoordinator is refused: it tries
 * every broker and drops their answers. Asked again on one broker, the answer names the reason; a
 * refusal by the authorizer becomes GROUP_AUTHORIZATION_FAILED naming the group.
 */
export async function explainCoordinatorNotFound(conn: KafkaConnection, groupId: string, error: unknown): Promise<unknown> {
  if ((error as {name?: string})?.name !== 'KafkaJSGroupCoordinatorNotFound') return error
  try {
    const cluster = await connectionCluster(conn)
    const [nodeId] = cluster.getNodeIds()
    const broker = (await cluster.findBroker({nodeId})) as unknown as {findGroupCoordinator(request: {groupId: string; coordinatorType: number}): Promise<unknown>}
    await broker.findGroupCoordinator({groupId, coordinatorType: 0})
  } catch (probe) {
    if ((probe as {type?: string})?.type === 'GROUP_AUTHORIZATION_FAILED') {
      return new KafkitError(`not authorized to use consumer group "${groupId}" as ${principalOf(conn)} on ${conn.brokersLabel}`, {
        code: 'GROUP_AUTHORIZATION_FAILED',
        hint: 'an ACL must allow Read on the group: kafkit acls create --principal User:NAME --operation read --group NAME (or --pattern prefixed)',
      })
    }
  }
  return error
}

function principalOf(conn: KafkaConnection): string {
  return conn.settings.sasl && 'username' in conn.settings.sasl && conn.settings.sasl.username ? `User:${conn.settings.sasl.username}` : 'this principal'
}
