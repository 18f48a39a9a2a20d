/**
 * Ctrl-C and SIGTERM for long-running commands (produce, consume, dlq replay): the first signal aborts the
 * returned signal so the command can finish cleanly (flush, leave the group); a second one exits
 * at once. exitCode() is the conventional 128 + signal number once a signal arrived.
 */
export interface Interrupt {
  signal: AbortSignal
  /** 130 after SIGINT, 143 after SIGTERM, undefined when no signal arrived. */
  exitCode(): number | undefined
  /** The signal's name, for messages. */
  received(): NodeJS.Signals | undefined
  dispose(): void
}

const CODES: Partial<Record<NodeJS.Signals, number>> = {SIGINT: 130, SIGTERM: 143}

export function onInterrupt(onFirst?: () => void): Interrupt {
  const controller = new AbortController()
  let got: NodeJS.Signals | undefined
  const handler = (sig: NodeJS.Signals): void => {
    if (got !== undefined) process.exit(CODES[sig] ?? 1)
    got = sig
    controller.abort()
    onFirst?.()
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']
  for (const s of signals) process.on(s, handler)
  return {
    signal: controller.signal,
    exitCode: () => (got === undefined ? undefined : CODES[got]),
    received: () => got,
    dispose: () => {
      for (const s of signals) process.off(s, handler)
    },
  }
}
