/**
 * One Metadata request where kafkajs 2.2.4 sends two. Cluster.metadata({topics}) first refreshes
 * its cached metadata when that is stale or lacks the topics — with a Metadata request for exactly
 * those topics — and then sends the same request again for its answer. For "all topics" the cache
 * is always refreshed on a fresh connection, so `topics list`, `cluster info` and every plan paid
 * for the whole cluster's metadata twice: at 10,000 topics (15,000 partitions) ~0.1 s of broker
 * time and decoding each. The patches tag each refreshed answer with the topics array it was asked
 * for; when the refresh just made was for this very call (the same array, not merely equal topics:
 * a concurrent refresh for other topics does not count), its answer is returned.
 *
 * Admin.describeConfigs refreshes the whole cluster's metadata before every call, only to find the
 * controller and the brokers of broker resources: a plan reading 10,000 topics' configs in ten
 * requests sent eight full Metadata requests for them (an admin's metadataMaxAge is 0: its cache is
 * always stale). The patch uses the cached metadata when there is one and refreshes on a retry
 * (after NOT_CONTROLLER or a connection error the cache may be what is wrong). kafkit's commands
 * are short; the long-running ones (consume, replay) do not describe configs.
 *
 * Installed by installKafkaJsFixes (kafkajs-fixes.ts) with patchModuleSource, on kafkajs 2.2.4 only.
 */

/** What follows the refresh in Admin.describeConfigs (and only there), unchanged. */
const DESCRIBE_CONFIGS_ROUTING =
  '        const controller = await cluster.findControllerBroker()\n' +
  '        const resourcerByBroker = await groupResourcesByBroker({\n' +
  '          resources,\n' +
  '          defaultBroker: controller,\n' +
  '        })\n' +
  '\n' +
  '        const describeConfigsAction = '

export const METADATA_REFRESH_PATCHES = [
  {
    file: 'cluster/brokerPool.js',
    from: '        this.metadata = await broker.metadata(topics)\n',
    to:
      '        this.metadata = await broker.metadata(topics)\n' +
      '        // kafkit: which request this answer is (Cluster.metadata reuses it; kafkajs-metadata-fix.ts)\n' +
      "        Object.defineProperty(this.metadata, 'kafkitRequestedTopics', { value: topics })\n",
  },
  {
    file: 'cluster/index.js',
    from:
      '        await this.brokerPool.refreshMetadataIfNecessary(topics)\n' +
      '        return this.brokerPool.withBroker(async ({ broker }) => broker.metadata(topics))\n',
    to:
      '        const cached = this.brokerPool.metadata\n' +
      '        await this.brokerPool.refreshMetadataIfNecessary(topics)\n' +
      '        // kafkit: a refresh just made for this very call is its answer (kafkajs-metadata-fix.ts)\n' +
      '        const fresh = this.brokerPool.metadata\n' +
      '        if (fresh && fresh !== cached && fresh.kafkitRequestedTopics === topics) return fresh\n' +
      '        return this.brokerPool.withBroker(async ({ broker }) => broker.metadata(topics))\n',
  },
  {
    file: 'admin/index.js',
    from: `        await cluster.refreshMetadata()\n${DESCRIBE_CONFIGS_ROUTING}`,
    to:
      '        // kafkit: the cached metadata, refreshed on a retry (kafkajs-metadata-fix.ts)\n' +
      `        if (retryCount > 0 || !cluster.brokerPool.metadata) await cluster.refreshMetadata()\n${DESCRIBE_CONFIGS_ROUTING}`,
  },
] as const
