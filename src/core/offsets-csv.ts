/**
 * The offsets file `groups reset-offsets --export` writes and `--from-file` reads: one
 * `topic,partition,offset` line per partition, no header. That is byte-for-byte the format
 * `kafka-consumer-groups.sh --reset-offsets --export` writes for a single group (Jackson CSV with
 * columns topic, partition, offset; see Kafka's CsvUtils.CsvRecordNoGroup), so files move freely
 * between kafkit and Kafka's tool. Kafka's reader rejects a header line, so we never write one,
 * but we accept `topic,partition,offset` as the first line since people add it by hand.
 *
 * Reading the file is the caller's job; this module only turns text into entries and back.
 */
import {KafkitError} from '../errors.js'
import {
  compareTopicPartitions,
  formatTopicPartition,
  isValidTopicName,
  parseNonNegativeInteger,
  topicPartitionKey,
  type TopicPartitionOffset,
} from './topic-partition.js'

export interface OffsetsFileEntry extends TopicPartitionOffset {
  /** `file:line`, so later checks (e.g. an unknown partition) can point at the line. */
  readonly location: string
}

const HEADER = ['topic', 'partition', 'offset']

/** Lines in topic/partition order, each ending in "\n" like Kafka's export; "" for no rows. */
export function formatOffsetsCsv(rows: readonly TopicPartitionOffset[]): string {
  return [...rows]
    .sort(compareTopicPartitions)
    .map((row) => `${row.topic},${row.partition},${row.offset}\n`)
    .join('')
}

/**
 * Every problem in the file is collected and reported together (one `file:line: what` per line),
 * so a hand-edited file can be fixed in one pass.
 */
export function parseOffsetsCsv(text: string, fileName: string): OffsetsFileEntry[] {
  const entries: OffsetsFileEntry[] = []
  const problems: string[] = []
  const lineOfPartition = new Map<string, number>()
  let seenContent = false

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((raw, index) => {
    const lineNumber = index + 1
    const location = `${fileName}:${lineNumber}`
    const line = raw.trim()
    if (line === '') return
    const fields = line.split(',').map((field) => field.trim())
    const isFirstContentLine = !seenContent
    seenContent = true
    if (isFirstContentLine && fields.join(',').toLowerCase() === HEADER.join(',')) return

    const problem = (what: string) => problems.push(`${location}: ${what}`)
    if (fields.length === 4) {
      return problem(
        'expected topic,partition,offset but found 4 fields; this looks like Kafka\'s multi-group export ' +
          '(group,topic,partition,offset): keep one group\'s lines and drop the group column',
      )
    }
    if (fields.length !== 3) return problem(`expected topic,partition,offset but found ${fields.length} field(s): "${line}"`)

    const [topic, partitionText, offsetText] = fields
    const partition = parseNonNegativeInteger(partitionText)
    const offset = parseNonNegativeInteger(offsetText)
    if (!isValidTopicName(topic) || partition === undefined || offset === undefined) {
      const lineProblems = [
        isValidTopicName(topic) ? undefined : `invalid topic name "${topic}" (allowed: letters, digits, '.', '_', '-')`,
        partition === undefined ? `partition must be a non-negative integer, got "${partitionText}"` : undefined,
        offset === undefined ? `offset must be a non-negative integer, got "${offsetText}"` : undefined,
      ]
      return problem(lineProblems.filter((p) => p !== undefined).join('; '))
    }

    const entry = {topic, partition, offset, location}
    const key = topicPartitionKey(entry)
    const earlierLine = lineOfPartition.get(key)
    if (earlierLine !== undefined) {
      return problem(`${formatTopicPartition(entry)} is already set on line ${earlierLine}; each partition may appear once`)
    }
    lineOfPartition.set(key, lineNumber)
    entries.push(entry)
  })

  if (problems.length === 0 && entries.length === 0) problems.push(`${fileName}: no offsets found (expected lines of topic,partition,offset)`)
  if (problems.length > 0) {
    throw new KafkitError(problems.join('\n'), {
      code: 'OFFSETS_FILE_INVALID',
      hint: 'each line is topic,partition,offset, e.g. orders,0,1200',
    })
  }
  return entries
}
