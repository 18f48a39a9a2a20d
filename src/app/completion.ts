/** Live names for shell completion: topics (without Kafka's own __ topics) or consumer groups, sorted. */
import type {KafkaClient} from './kafka-client.js'

export async function liveNames(kafka: KafkaClient, kind: 'topic' | 'group'): Promise<string[]> {
  if (kind === 'topic') {
    const topics = await kafka.describeTopics({configs: false})
    return topics.map((t) => t.name).filter((name) => !name.startsWith('__')).sort()
  }
  return (await kafka.listGroups()).map((g) => g.group).sort()
}
