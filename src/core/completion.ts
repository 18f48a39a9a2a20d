/**
 * Shell completion candidates from the words typed so far. Pure: the caller passes the command
 * table (from oclif's manifest) and, lazily, the cluster's topic and group names.
 */

export interface CompletableCommand {
  /** oclif id with spaces: "topics describe". */
  id: string
  flags: string[]
  /** What the first positional argument names, when the cluster knows the values. */
  argKind?: 'topic' | 'group'
}

export type NameLookup = (kind: 'topic' | 'group') => Promise<string[]>

/** Flags whose value is a topic or group name. */
const VALUE_KINDS: Record<string, 'topic' | 'group'> = {'--topic': 'topic', '--to': 'topic', '--parking-topic': 'topic', '--group': 'group', '--to-group': 'group'}

export async function completionCandidates(words: string[], commands: CompletableCommand[], lookup: NameLookup): Promise<string[]> {
  const current = words.at(-1) ?? ''
  const typed = words.slice(0, -1)
  // The longest command id matched by the leading words.
  let command: CompletableCommand | undefined
  let depth = 0
  for (const c of commands) {
    const parts = c.id.split(' ')
    if (parts.length > depth && parts.every((p, i) => typed[i] === p)) {
      command = c
      depth = parts.length
    }
  }
  if (!command) {
    // Next id segment for whatever prefix has been typed.
    const next = new Set<string>()
    for (const c of commands) {
      const parts = c.id.split(' ')
      if (typed.every((w, i) => parts[i] === w) && parts.length > typed.length) next.add(parts[typed.length])
    }
    return [...next].filter((n) => n.startsWith(current)).sort()
  }
  const previous = typed.at(-1)
  if (previous && VALUE_KINDS[previous]) return (await lookup(VALUE_KINDS[previous])).filter((n) => n.startsWith(current))
  if (current.startsWith('-')) return command.flags.filter((f) => f.startsWith(current)).sort()
  const positional = typed.slice(depth).filter((w, i, all) => !w.startsWith('-') && !(i > 0 && all[i - 1].startsWith('--')))
  if (command.argKind && (positional.length === 0 || command.id === 'topics delete')) {
    return (await lookup(command.argKind)).filter((n) => n.startsWith(current) && !positional.includes(n))
  }
  return []
}

export const BASH_COMPLETION_SCRIPT = `# kafkit completion for bash (and zsh via bashcompinit). Install:
#   kafkit completion bash > ~/.local/share/bash-completion/completions/kafkit
_kafkit_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(kafkit __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _kafkit_complete kafkit
`

export const ZSH_COMPLETION_SCRIPT = `# kafkit completion for zsh. Install: kafkit completion zsh > "\${fpath[1]}/_kafkit" or source it.
autoload -U +X bashcompinit && bashcompinit
${BASH_COMPLETION_SCRIPT}`
