/** `kafkit schemas list|get|check` for people; JSON/YAML are the result objects themselves. */
import type {CompatibilityResult, SchemaInfo, SubjectRow} from '../app/schemas.js'
import {plural, renderKeyValues, renderTable} from './render.js'

export function renderSubjects(rows: SubjectRow[]): string {
  if (rows.length === 0) return 'no subjects'
  return [
    renderTable(
      ['SUBJECT', 'VERSIONS', 'LATEST', 'ID', 'TYPE'],
      rows.map((r) => [r.subject, r.versions.join(','), r.latest.version, r.latest.id, r.latest.type]),
    ),
    '',
    plural(rows.length, 'subject'),
  ].join('\n')
}

/** Avro and JSON Schema pretty-printed; Protobuf as registered. */
export function schemaText(info: Pick<SchemaInfo, 'type' | 'schema'>): string {
  if (info.type === 'PROTOBUF') return info.schema.trimEnd()
  try {
    return JSON.stringify(JSON.parse(info.schema), null, 2)
  } catch {
    return info.schema
  }
}

export function renderSchema(info: SchemaInfo): string {
  const where = info.subjects.length === 0 ? '(no subject)' : info.subjects.map((s) => `${s.subject} v${s.version}`).join(', ')
  const pairs: [string, string | number][] = [
    ['id', info.id],
    ['type', info.type],
    ['subject', where],
  ]
  if (info.references) pairs.push(['references', info.references.map((r) => `${r.name} (${r.subject} v${r.version})`).join(', ')])
  return `${renderKeyValues(pairs)}\n\n${schemaText(info)}`
}

export function renderCompatibility(r: CompatibilityResult): string {
  const against = `${r.subject}${r.version === 'latest' ? ' (latest version)' : ` version ${r.version}`}`
  const head = r.compatible ? `compatible: ${r.file} (${r.type}) can be registered under ${against}` : `NOT compatible: ${r.file} (${r.type}) against ${against}`
  return [head, ...r.messages.map((m) => `  ${m}`)].join('\n')
}
