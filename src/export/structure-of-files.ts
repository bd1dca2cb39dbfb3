// The structure of a source's rows files (json-structure.ts), read whole in a worker thread of
// its own, so the scan of a guest's millions of lines runs beside DuckDB's copy and the report's
// pass instead of before them; or guessed from the files' first lines, to start the copy with.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, VmtelError, type ErrorCode } from '../errors';
import { forEachLine } from '../run-dir/line-chunks';
import type { Structure } from './field-layout';
import { StructureScan } from './json-structure';

// Bundled beside the CLI (scripts/bundle.ts), compiled beside this file for the tests.
const WORKER_ENTRY = join(__dirname, 'structure-worker.js');
// The first lines a guess reads of each file: thousands of rows, read in a few milliseconds.
const HEAD_BYTES = 4 << 20;

/** What the worker sends back. */
export type StructureReply = { ok: true; structure: Structure } | { ok: false; message: string; code: string | undefined };

/** Every line of every file of `paths`, as one structure (read in this thread). */
export async function structureOfFiles(paths: readonly string[]): Promise<Structure> {
  const scan = new StructureScan();
  for (const path of paths) await forEachLine(path, (bytes, start, end) => scan.addLine(bytes, start, end));
  return scan.structure();
}

/** The same, read in a worker thread. */
export function structureInWorker(paths: readonly string[]): Promise<Structure> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { name: 'vmtel:structure', workerData: { paths } });
    let settled = false;
    worker.once('message', (reply: StructureReply) => {
      settled = true;
      if (reply.ok) resolve(reply.structure);
      else reject(reply.code !== undefined && reply.code in ERROR_CODES ? new VmtelError(reply.code as ErrorCode, reply.message) : new Error(reply.message));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the structure scan of ${paths.join(', ')} ended without an answer (exit ${code})`));
    });
  });
}

/** A guess from the first lines of each file: what the full scan will most often confirm. */
export function guessStructure(paths: readonly string[]): Structure {
  const scan = new StructureScan();
  for (const path of paths) {
    const head = readHead(path);
    let start = 0;
    for (let newline = head.indexOf(0x0a); newline !== -1; newline = head.indexOf(0x0a, start)) {
      scan.addLine(head, start, newline);
      start = newline + 1;
    }
  }
  return scan.structure();
}

// Up to HEAD_BYTES of a regular file, opened without following a link or waiting on a FIFO
// (forEachLine refuses both with a clear error when the whole file is read).
function readHead(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return Buffer.alloc(0);
  }
  try {
    if (!fstatSync(fd).isFile()) return Buffer.alloc(0);
    const head = Buffer.alloc(HEAD_BYTES);
    const length = readSync(fd, head, 0, HEAD_BYTES, 0);
    return head.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
