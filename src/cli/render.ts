/**
 * One renderer for every command: the same result object prints as a table for people and as
 * JSON/YAML for machines. Formatters return strings; the command prints them.
 */
import {createRequire} from 'node:module'

import {yamlLibrary} from '../core/lazy-yaml.js'

export type OutputFormat = 'table' | 'json' | 'yaml'

export const colorEnabled = (): boolean =>
  process.env.NO_COLOR === undefined && process.env.FORCE_COLOR !== '0' && Boolean(process.stdout.isTTY)

export type Cell = string | number | boolean | null | undefined

const cellText = (c: Cell): string => (c === null || c === undefined || c === '' ? '-' : String(c))

/** Printable ASCII only: one column per character, nothing to measure or wrap. */
const PLAIN = /^[\x20-\x7e]*$/

/**
 * A borderless, aligned table like kubectl's; `-` for missing values. Plain ASCII rows (topic and
 * group names, numbers: nearly every table) are aligned here in one pass over the cells;
 * cli-table3 measures and lays out every cell against every other (10,000 topics took 6.5 s),
 * so it only prints tables with wide characters, ANSI codes or line breaks, where its
 * measuring is needed. Both print the same text (a unit test compares them).
 */
export function renderTable(head: string[], rows: Cell[][], opts: {title?: string} = {}): string {
  const cells = rows.map((row) => row.map(cellText))
  const plain = head.every((h) => PLAIN.test(h)) && cells.every((row) => row.length === head.length && row.every((c) => PLAIN.test(c)))
  const body = plain ? alignColumns(head, cells, colorEnabled()) : renderWithCliTable3(head, cells)
  return opts.title ? `${opts.title}\n${body}` : body
}

/** Columns padded to their widest cell, two spaces apart, no trailing spaces; the head bold on a colour terminal. */
function alignColumns(head: string[], rows: string[][], bold: boolean): string {
  // cli-table3 gives an empty column one character.
  const widths = head.map((h) => Math.max(1, h.length))
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) if (row[i].length > widths[i]) widths[i] = row[i].length
  }
  const last = head.length - 1
  const line = (row: string[], style = (text: string) => text): string => {
    let out = ''
    for (let i = 0; i < last; i++) out += style(row[i]) + ' '.repeat(widths[i] - row[i].length + 2)
    return (out + (last >= 0 ? style(row[last]) : '')).trimEnd()
  }
  const lines = new Array<string>(rows.length + 1)
  lines[0] = line(head, bold ? (text) => (text === '' ? text : `\u001b[1m${text}\u001b[22m`) : undefined)
  for (let r = 0; r < rows.length; r++) lines[r + 1] = line(rows[r])
  return lines.join('\n')
}

const requireModule = createRequire(import.meta.url)

/** cli-table3, loaded only for a table that needs it. Exported for the test that compares both. */
export function renderWithCliTable3(head: string[], rows: string[][]): string {
  const Table = requireModule('cli-table3') as typeof import('cli-table3')
  const table = new Table({
    head,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: {head: colorEnabled() ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true},
  })
  for (const row of rows) table.push(row)
  return table.toString().split('\n').map((l) => l.trimEnd()).join('\n')
}

/** "key: value" lines, aligned, for single-object results. */
export function renderKeyValues(pairs: [string, Cell][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length))
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v === null || v === undefined || v === '' ? '-' : String(v)}`).join('\n')
}

export function renderStructured(result: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(result, null, 2) : yamlLibrary().stringify(result).trimEnd()
}

/** "1 broker", "3 brokers". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
