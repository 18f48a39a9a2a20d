/**
 * Deterministic generators of malformed input for the fuzz-style tests: mutated topics.yaml
 * documents and random flag combinations. Seeded, so a failure names a reproducible case.
 */

/** mulberry32: a tiny seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]

const TOKENS = [
  '', ' ', '\t', ':', '- ', '[', ']', '{', '}', ',', '"', "'", '#', '&a', '*a', '!!binary', '---', '...', '|', '>',
  'null', '~', 'true', 'no', '-1', '0', '1e309', '99999999999999999999999', 'NaN', '0x1F', '7d', '1GiB', 'soon',
  'partitions', 'replicationFactor', 'config', 'retention.ms', 'retension.ms', 'cleanup.policy', 'topics', 'name',
  'defaults', 'environments', 'policy', 'managed', 'prefixes', 'version', 'cluster', 'id', '\u00e9\u4e2d', '\u0000',
  '<<: *a', '? complex', '%YAML 1.2', 'orders..created', '_internal', 'a'.repeat(300),
]

/** Mutates a valid document: deleted, duplicated, swapped and garbled lines and characters. */
export function mutateYaml(base: string, seed: number): string {
  const r = rng(seed)
  let lines = base.split('\n')
  const edits = 1 + Math.floor(r() * 4)
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(r() * lines.length)
    switch (Math.floor(r() * 8)) {
      case 0:
        lines.splice(i, 1)
        break
      case 1:
        lines.splice(i, 0, lines[Math.floor(r() * lines.length)] ?? '')
        break
      case 2: {
        const j = Math.floor(r() * lines.length)
        ;[lines[i], lines[j]] = [lines[j], lines[i]]
        break
      }
      case 3: {
        const line = lines[i] ?? ''
        const at = Math.floor(r() * (line.length + 1))
        lines[i] = line.slice(0, at) + pick(r, TOKENS) + line.slice(at)
        break
      }
      case 4: {
        const line = lines[i] ?? ''
        const at = Math.floor(r() * (line.length + 1))
        lines[i] = line.slice(0, at) + line.slice(at + 1 + Math.floor(r() * 5))
        break
      }
      case 5:
        lines[i] = (lines[i] ?? '').replace(/:\s*(.*)$/, (_, v: string) => `: ${pick(r, TOKENS)}${r() < 0.3 ? v : ''}`)
        break
      case 6:
        lines[i] = `${' '.repeat(Math.floor(r() * 8))}${(lines[i] ?? '').trimStart()}`
        break
      default:
        lines = lines.slice(0, Math.floor(r() * lines.length))
    }
  }
  return lines.join('\n')
}

/** Random argv for a command, mixing known flags with wrong values, unknown flags and repeats. */
export function randomArgv(seed: number, commands: string[][], flags: string[], values: string[]): string[] {
  const r = rng(seed)
  const argv = [...pick(r, commands)]
  const n = Math.floor(r() * 5)
  for (let k = 0; k < n; k++) {
    const flag = pick(r, flags)
    argv.push(flag)
    if (r() < 0.8) argv.push(pick(r, values))
  }
  return argv
}
