/**
 * A one-line counter on stderr for long produce/consume runs, only when stderr is a terminal
 * (never in pipes, files or CI logs). Redrawn at most every 200 ms; cleared by done().
 */
export class Progress {
  private last = 0
  private shown = false
  private readonly enabled: boolean

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(out.isTTY) && process.env.KAFKIT_NO_PROGRESS !== '1'
  }

  /** detail follows "N messages", e.g. ", 3 matched" (consume --where). */
  update(count: number, detail = ''): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.last < 200) return
    this.last = now
    this.shown = true
    this.out.write(`\r\u001B[2K${this.label} ${count.toLocaleString('en-US')} messages${detail}…`)
  }

  done(): void {
    if (this.shown) this.out.write('\r\u001B[2K')
    this.shown = false
  }
}
