/**
 * `produce --value-schema / --key-schema`: JSON input encoded with registry schemas before anything
 * is sent. The whole input is read and checked first; one record that does not fit refuses the
 * whole input (every bad line named with its reason), so a half-produced file never happens. The
 * encoded lines are then handed to the ordinary producer as {"base64"} JSON lines: produce's hot
 * path is the same with or without schemas.
 */
import {parseProducerJsonLine} from '../core/producer-input.js'
import type {ProducerMessage} from '../core/record.js'
import {KafkitError} from '../errors.js'
import type {SchemaEncoder} from './schema-codecs.js'

/** At most this many bad lines are listed; the rest are counted. */
const MAX_LISTED = 20

export interface SchemaProduceInput {
  /** The encoded input as JSON lines produce --format json reads. */
  lines: Buffer[]
  records: number
}

export interface SchemaProduceRefusal {
  problems: string[]
  /** Bad records in all (problems lists at most MAX_LISTED). */
  bad: number
  records: number
}

/** consume -o json writes these next to a decoded key/value: read back, they are ignored. */
const SCHEMA_REF_FIELDS = ['keySchema', 'valueSchema']

/**
 * Reads all of `input`, encodes each JSON line's value (and key) with the encoders, and returns the
 * lines to produce, or every problem found. Input that is not produce's JSON is refused the same way.
 */
export async function encodeWithSchemas(
  input: AsyncIterable<Buffer>,
  encoders: {key?: SchemaEncoder; value?: SchemaEncoder},
): Promise<{ok: true; input: SchemaProduceInput} | {ok: false; refusal: SchemaProduceRefusal}> {
  const chunks: Buffer[] = []
  for await (const chunk of input) chunks.push(chunk)
  const text = Buffer.concat(chunks).toString('utf8')
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const out: Buffer[] = []
  const problems: string[] = []
  let bad = 0
  let records = 0
  const report = (lineNo: number, reason: string) => {
    bad++
    if (problems.length < MAX_LISTED) problems.push(`line ${lineNo}: ${reason}`)
  }
  lines.forEach((raw, i) => {
    const lineNo = i + 1
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '') return
    records++
    let object: Record<string, unknown>
    try {
      object = JSON.parse(line)
    } catch (error) {
      report(lineNo, `not valid JSON (${(error as Error).message})`)
      return
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      report(lineNo, 'expected a JSON object with key, value, headers, partition')
      return
    }
    const rest = Object.fromEntries(Object.entries(object).filter(([name]) => !SCHEMA_REF_FIELDS.includes(name)))
    const parsed = parseProducerJsonLine(SCHEMA_REF_FIELDS.some((f) => f in object) ? JSON.stringify(rest) : line, lineNo)
    if (!parsed.ok) {
      bad++
      if (problems.length < MAX_LISTED) problems.push(parsed.error)
      return
    }
    const message = parsed.message as ProducerMessage
    const errors: string[] = []
    for (const which of ['key', 'value'] as const) {
      const encoder = encoders[which]
      const value = object[which]
      if (encoder === undefined || value === undefined || value === null) continue
      const encoded = encoder.encode(value)
      if (encoded.ok) message[which] = encoded.bytes
      else errors.push(...encoded.errors.map((e) => `${which}: ${e}`))
    }
    if (encoders.value !== undefined && object.value === undefined) errors.push('value: missing (a tombstone is "value": null)')
    if (errors.length > 0) {
      report(lineNo, `does not fit ${describe(encoders, errors)}: ${errors.join('; ')}`)
      return
    }
    out.push(Buffer.from(`${JSON.stringify(toJsonLine(message))}\n`, 'utf8'))
  })
  if (bad > 0) return {ok: false, refusal: {problems, bad, records}}
  return {ok: true, input: {lines: out, records}}
}

function describe(encoders: {key?: SchemaEncoder; value?: SchemaEncoder}, errors: string[]): string {
  const which = errors.every((e) => e.startsWith('key:')) ? encoders.key : encoders.value ?? encoders.key
  return which === undefined ? 'the schema' : `${which.subject ?? 'schema'}${which.version === undefined ? '' : ` v${which.version}`} (id ${which.id})`
}

const b64 = (bytes: Buffer | null) => (bytes === null ? null : {base64: bytes.toString('base64')})

function toJsonLine(m: ProducerMessage): Record<string, unknown> {
  return {
    key: b64(m.key),
    value: b64(m.value),
    headers: m.headers.flatMap((h) => [h.name, b64(h.value)]),
    ...(m.partition === undefined ? {} : {partition: m.partition}),
    ...(m.timestamp === undefined ? {} : {timestamp: m.timestamp}),
  }
}

/** The refusal as the one error line (the problems are printed before it, one per line). */
export function refusalError(refusal: SchemaProduceRefusal): KafkitError {
  const more = refusal.bad - refusal.problems.length
  return new KafkitError(
    `${refusal.bad} of ${refusal.records} record${refusal.records === 1 ? '' : 's'} cannot be encoded${more > 0 ? ` (${more} more not listed)` : ''}: nothing was produced`,
    {code: 'SCHEMA_INVALID_RECORD', hint: 'fix the lines above and run again'},
  )
}
