/**
 * The KafkaClient port (src/app/kafka-client.ts) over one KafkaConnection: kafkajs for what it
 * speaks, the protocol module (./admin-extra.ts) for the admin APIs it lacks. Each method only
 * routes to the module that owns the operation; batching and error wording live there.
 */
import type {KafkaClient} from '../app/kafka-client.js'
import {adminExtra} from './admin-extra.js'
import type {KafkaConnection} from './connection.js'
import {openConsoleProducer, startConsoleConsumer} from './console.js'
import {dlqPartitions, existingTopics, openReplayWriter, readToEnd} from './dlq.js'
import {offsetsClient} from './groups.js'
import {deleteRecords} from './records.js'
import {
  addPartitionsReportingFailures,
  alterTopicConfigsReportingFailures,
  createTopic,
  createTopicsReportingFailures,
  deleteTopicsReportingFailures,
  reassignPartitionsReportingFailures,
  waitForReassignments,
} from './topic-changes.js'
import {alterReassignments, brokerConfigOverrides, listReassignments, replicaSizes} from './reassignments.js'
import {deleteTopics, describeCluster, describeTopics, readClusterState} from './topics.js'
import {describeConfigs} from './configs.js'
import {createAcls, deleteAcls, describeAcls} from './acls.js'

export function kafkaClient(conn: KafkaConnection): KafkaClient {
  const groups = () => offsetsClient(conn)
  return {
    get brokersLabel() {
      return conn.brokersLabel
    },
    timeoutMs: conn.timeoutMs,

    describeCluster: (opts) => describeCluster(conn, opts),
    describeTopics: (opts) => describeTopics(conn, opts),
    readClusterState: (opts) => readClusterState(conn, opts),
    existingTopics: (topics) => existingTopics(conn, topics),
    topicPartitions: async (topics) => (await groups()).topicPartitions(topics),
    createTopic: (topic) => createTopic(conn, topic),
    deleteTopics: (names) => deleteTopics(conn, names),
    describeConfigs: (resources, opts) => describeConfigs(conn, resources, opts),

    createTopics: (topics, opts) => createTopicsReportingFailures(conn, topics, opts),
    addPartitions: (items) => addPartitionsReportingFailures(conn, items),
    alterTopicConfigs: (items) => alterTopicConfigsReportingFailures(conn, items),
    reassignPartitions: (items) => reassignPartitionsReportingFailures(conn, items),
    waitForReassignments: (topics, opts) => waitForReassignments(conn, topics, opts),
    deleteTopicsReportingFailures: (names) => deleteTopicsReportingFailures(conn, names),

    listGroups: async () => (await groups()).listGroups(),
    describeGroups: async (names) => (await groups()).describeGroups(names),
    committedOffsets: async (group, partitions) => (await groups()).committedOffsets(group, partitions),
    committedOffsetsOfGroups: async (names) => (await groups()).committedOffsetsOfGroups(names),
    logOffsets: async (partitions, spec) => (await groups()).logOffsets(partitions, spec),
    commitOffsetsWhileInactive: async (group, offsets, action) => (await groups()).commitOffsetsWhileInactive(group, offsets, action),
    deleteGroups: async (names) => (await groups()).deleteGroups(names),
    nextMessageTimestamps: async (positions) => (await groups()).nextMessageTimestamps(positions),

    openConsoleProducer: (opts) => openConsoleProducer(conn, opts),
    startConsoleConsumer: (opts) => startConsoleConsumer(conn, opts),
    dlqPartitions: (topic) => dlqPartitions(conn, topic),
    readToEnd: (options) => readToEnd(conn, options),
    openReplayWriter: (options) => openReplayWriter(conn, options),

    listReassignments: (topics) => listReassignments(conn, topics),
    alterReassignments: (targets) => alterReassignments(conn, targets),
    replicaSizes: (brokers, partitions) => replicaSizes(conn, brokers, partitions),
    brokerConfigOverrides: (brokers, names) => brokerConfigOverrides(conn, brokers, names),

    deleteRecords: (items) => deleteRecords(conn, items),

    describeAcls: (filter) => describeAcls(conn, filter),
    createAcls: (bindings) => createAcls(conn, bindings),
    deleteAcls: (bindings) => deleteAcls(conn, bindings),

    ...adminExtra(conn),
  }
}
