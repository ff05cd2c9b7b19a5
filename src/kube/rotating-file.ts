// A credential file that can change under a running process: the kubelet rotates projected
// ServiceAccount tokens (hourly by default), cert-manager or a sidecar rotates client
// certificates. Reading the file for every request would cost a syscall per request, and
// reading it once would use an expired token after the first hour; so it is re-read at most
// once per `maxAgeMs` (client-go does the same for tokens, every minute) and at once after
// the API server answered 401 (invalidate()).
import { readFileSync } from 'node:fs';

export const ROTATION_CHECK_MS = 60_000;

export class RotatingFile {
  readonly #path: string;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #content: Buffer | undefined;
  #readAt = 0;

  constructor(path: string, opts: { maxAgeMs?: number; now?: () => number } = {}) {
    this.#path = path;
    this.#maxAgeMs = opts.maxAgeMs ?? ROTATION_CHECK_MS;
    this.#now = opts.now ?? Date.now;
  }

  /** The content, re-read when older than maxAgeMs; an error names the file, not its content. */
  read(): Buffer {
    const now = this.#now();
    if (this.#content === undefined || now - this.#readAt >= this.#maxAgeMs) {
      try {
        this.#content = readFileSync(this.#path);
      } catch (err) {
        // A file being replaced can be missing for a moment: keep the last content if there is one.
        if (this.#content === undefined) {
          const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
          throw new Error(`cannot read ${this.#path}: ${code}`, { cause: err });
        }
      }
      this.#readAt = now;
    }
    return this.#content;
  }

  /** The next read goes to the file (the API server rejected what we sent). */
  invalidate(): void {
    this.#readAt = Number.NEGATIVE_INFINITY;
  }
}
