import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Socket } from "node:net";
import type { Readable, Writable } from "node:stream";

interface Pending {
  sha: string;
  resolve: (text: string | null) => void;
  reject: (error: Error) => void;
}

/**
 * Blobs of a local repository through one long-lived `git cat-file --batch`: one process for every
 * read of a command, instead of one per file. Started on the first read; `close()` ends it (and
 * the command ends it anyway: the process keeps Node's event loop alive only while a read waits).
 * Answers come in the order asked, as git writes them: `<sha> <type> <size>\n<bytes>\n`, or
 * `<sha> missing\n`.
 */
export class GitBlobBatch {
  readonly #dir: string;
  #child: ChildProcessByStdio<Writable, Readable, Readable> | null = null;
  #pending: Pending[] = [];
  /** Bytes received and not yet answered, and how many a whole answer needs (0: unknown). */
  #chunks: Buffer[] = [];
  #length = 0;
  #need = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The blob's text (UTF-8), or null when the repository has no such object or it is not a blob. */
  read(sha: string): Promise<string | null> {
    // A name git would read as something else (`HEAD:file`, options, a newline) is no blob SHA here.
    if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(sha)) return Promise.resolve(null);
    const child = this.#start();
    return new Promise((resolve, reject) => {
      this.#pending.push({ sha, resolve, reject });
      (child.stdout as Socket).ref();
      child.stdin.write(`${sha}\n`);
    });
  }

  /** Ends the git process; reads after this start a new one. */
  close(): void {
    const child = this.#child;
    this.#child = null;
    child?.stdin.end();
    // Answers still on their way belong to reads that fail now: nobody reads them any more.
    child?.stdout.destroy();
    this.#fail(new Error("git cat-file --batch was closed"));
  }

  #start(): ChildProcessByStdio<Writable, Readable, Readable> {
    if (this.#child) return this.#child;
    const child = spawn("git", ["cat-file", "--batch"], { cwd: this.#dir, stdio: ["pipe", "pipe", "pipe"] });
    this.#child = child;
    this.#chunks = [];
    this.#length = 0;
    this.#need = 0;
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2000)));
    child.stdout.on("data", (chunk: Buffer) => {
      if (this.#child === child) this.#receive(chunk);
    });
    const ended = (why: string) => {
      // A process closed earlier (and replaced) has no reads left to fail.
      if (this.#child !== child) return;
      this.#child = null;
      this.#fail(new Error(`git cat-file --batch in ${this.#dir} ${why}${stderr ? `: ${stderr.trim()}` : ""}`));
    };
    child.on("error", (error) => ended(`failed (${error.message})`));
    child.on("close", (code) => ended(`exited (${String(code)})`));
    // A write after git exited is reported by `close` above; the pipe's own error would be unhandled.
    child.stdin.on("error", () => {});
    return child;
  }

  #receive(chunk: Buffer): void {
    // A large blob arrives in many chunks: they are joined once it is whole, not at every chunk.
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length < this.#need) return;
    let buffer = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks, this.#length);
    this.#need = 0;
    for (;;) {
      const next = this.#pending[0];
      const eol = buffer.indexOf(10);
      if (!next || eol < 0) break;
      const header = buffer.subarray(0, eol).toString("utf8").split(" ");
      if (header[1] === "missing" || header[1] === "ambiguous") {
        buffer = buffer.subarray(eol + 1);
        this.#pending.shift();
        next.resolve(null);
        continue;
      }
      const end = eol + 1 + Number(header[2]);
      if (buffer.length < end + 1) {
        this.#need = end + 1;
        break;
      }
      const body = buffer.subarray(eol + 1, end);
      buffer = buffer.subarray(end + 1);
      this.#pending.shift();
      next.resolve(header[1] === "blob" ? body.toString("utf8") : null);
    }
    this.#chunks = buffer.length > 0 ? [buffer] : [];
    this.#length = buffer.length;
    if (this.#pending.length === 0) (this.#child?.stdout as Socket | undefined)?.unref();
  }

  #fail(error: Error): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const p of pending) p.reject(error);
  }
}
