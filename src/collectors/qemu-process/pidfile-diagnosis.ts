// Why QEMU's pid file does not (yet) lead to a QEMU process, in words that say what to do: a
// pid file that never appears, one that holds garbage and one naming a dead process each need a
// different fix, and "waiting" alone tells the operator none of them.
import { readFileSync } from 'node:fs';

// Enough of a garbage file to recognise it.
const SHOWN_CHARS = 40;

/** What is wrong with the pid file at `path`, as seen now. */
export function diagnosePidfile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    if (code === 'ENOENT') return `${path} does not exist: QEMU has not started yet, or its -pidfile names another path`;
    if (code === 'EACCES') return `${path}: permission denied: vmtel (uid ${process.getuid?.() ?? '?'}) cannot read it`;
    return `${path}: ${code}`;
  }
  const trimmed = text.trim();
  if (trimmed === '') return `${path} is empty (QEMU is writing it?)`;
  if (!/^\d{1,10}$/.test(trimmed)) {
    const shown = trimmed.length > SHOWN_CHARS ? `${trimmed.slice(0, SHOWN_CHARS)}…` : trimmed;
    return `${path} holds ${JSON.stringify(shown)}, which is not a pid: is it QEMU's -pidfile?`;
  }
  return `${path} names pid ${trimmed}, which is not a running QEMU: a pid file left by an earlier run?`;
}
