/**
 * The one error type the CLI turns into a one-line message and an exit code.
 * Anything else reaching the top level is a bug (printed with a hint to use --debug).
 */
export class KafkitError extends Error {
  readonly code: string
  readonly exitCode: number
  readonly hint?: string

  constructor(message: string, opts: {code?: string; exitCode?: number; hint?: string; cause?: unknown} = {}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = 'KafkitError'
    this.code = opts.code ?? 'KAFKIT_ERROR'
    this.exitCode = opts.exitCode ?? 1
    this.hint = opts.hint
  }
}

/** Exit codes shared by every command (see README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  error: 1,
  changesPending: 2,
  thresholdBreached: 3,
} as const

/** A file system error in words, for one-line messages naming the path ("is a directory"). */
export function fileErrorCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const causes: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  }
  return (code && causes[code]) ?? code ?? (error instanceof Error ? error.message : String(error))
}
