import { redact } from '../ffmpeg/redact';

/** The last lines of ffmpeg's stderr: bounded in count and length, redacted before they are kept. */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly secrets: readonly string[],
    private readonly maxLines = 20,
    private readonly maxLineLength = 300,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const pieces = text.split(/\r?\n|\r/);
    this.partial = pieces.pop() ?? '';
    for (const piece of pieces) this.add(piece);
    // Dropped whole rather than cut: a cut could leave half a password that redaction misses.
    if (this.partial.length > this.maxLineLength * 4) this.partial = '';
  }

  /** The kept lines, oldest first, including an unterminated last line. */
  snapshot(): string[] {
    if (this.partial.trim()) return [...this.lines, this.clean(this.partial)].slice(-this.maxLines);
    return [...this.lines];
  }

  clear(): void {
    this.lines.length = 0;
    this.partial = '';
  }

  private add(line: string): void {
    if (!line.trim()) return;
    this.lines.push(this.clean(line));
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  private clean(line: string): string {
    return redact(line.trim(), this.secrets).slice(0, this.maxLineLength);
  }
}
