// The harness's handle on a load generator process: start it, follow its JSON lines under
// deadlines, give it commands. The generator is a process of its own so that its CPU is never
// counted as vmtel's.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { withDeadline } from '../../test/helpers/wait-for';

const GENERATOR = join(__dirname, 'load-generator.js');

export interface GeneratorOptions {
  socketPath: string;
  rows?: number;
  rowBytes?: number;
  /** Rows per second; absent: flat out. */
  ratePerSec?: number;
  /** Send this many bytes without a newline, then "\n" and one row. */
  noNewlineBytes?: number;
  /** Close the connection once everything is sent (socat, and vmtel with reconnect off, then end). */
  close?: boolean;
}

export interface GeneratorDone {
  rows: number;
  bytes: number;
  first_send_ns: string | null;
  last_accepted_ns: string | null;
  deferred_writes: number;
}

export class GeneratorProcess {
  private readonly messages = new EventEmitter();
  private readonly seen = new Map<string, Record<string, unknown>>();
  private readonly exited: Promise<unknown>;
  private stderr = '';

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    this.exited = once(child, 'exit');
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      const kind = String(message['gen']);
      this.seen.set(kind, message);
      this.messages.emit(kind, message);
    });
  }

  /** Starts a generator and resolves once its socket listens. */
  static async start(options: GeneratorOptions): Promise<GeneratorProcess> {
    const args = [GENERATOR, '--socket', options.socketPath, '--row-bytes', String(options.rowBytes ?? 200)];
    if (options.rows !== undefined) args.push('--rows', String(options.rows));
    if (options.ratePerSec !== undefined) args.push('--rate', String(options.ratePerSec));
    if (options.noNewlineBytes !== undefined) args.push('--no-newline-bytes', String(options.noNewlineBytes));
    if (options.close === true) args.push('--close');
    const generator = new GeneratorProcess(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    await generator.message('ready', 10_000);
    return generator;
  }

  /** Resolves with the generator's `kind` message (at once if it came already). */
  async message(kind: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const earlier = this.seen.get(kind);
    if (earlier !== undefined) return earlier;
    const failed = this.exited.then(() => {
      throw new Error(`the load generator exited before saying "${kind}": ${this.stderr.trim()}`);
    });
    const [message] = (await withDeadline(`the load generator to say "${kind}"`, Promise.race([once(this.messages, kind), failed]), timeoutMs)) as [
      Record<string, unknown>,
    ];
    return message;
  }

  command(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Starts sending, and resolves with its report once everything is sent (or the client left). */
  async run(timeoutMs: number): Promise<GeneratorDone> {
    this.command('go');
    return (await this.message('done', timeoutMs)) as unknown as GeneratorDone;
  }

  /** How many rows had been handed to the socket before `limitNs` (CLOCK_MONOTONIC). */
  async rowsSentBefore(limitNs: bigint): Promise<number> {
    this.seen.delete('sent_before');
    this.command(`sent-before ${limitNs}`);
    return (await this.message('sent_before', 5000))['rows'] as number;
  }

  /** Ends the generator (its socket closes) and waits for it to exit. */
  async close(): Promise<void> {
    this.child.stdin.end();
    await withDeadline('the load generator to exit', this.exited, 5000).catch(() => this.child.kill('SIGKILL'));
  }
}
