// Agent rows and QMP messages are newline-ended text; the VM tests read both as whole lines,
// however the bytes were cut on the way.
import type { Readable } from 'node:stream';

/** Calls `handle` with each complete line of `stream`, without its "\n". */
export function onLines(stream: Readable, handle: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    parts.forEach((line) => handle(line));
  });
}

/** Every complete line `stream` has delivered so far; the array grows as lines come. */
export function collectLines(stream: Readable): string[] {
  const lines: string[] = [];
  onLines(stream, (line) => lines.push(line));
  return lines;
}
