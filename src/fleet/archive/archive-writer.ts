// Writes one received chunk into the archive so that a chunk written twice, or a crash between
// write and ack, changes nothing: a `lines` chunk is written at its own offset (pwrite) and only
// when it continues or overlaps what the file holds; one beyond the end is a gap, left for the
// stream to fill (it is never written past). A snapshot replaces the file atomically, and only
// when it is newer in the stream than the one kept. Everything is fsynced before the caller acks.
import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../orchestrator/atomic-file';
import type { ChunkMeta } from '../chunk-message';

export type Placed = 'written' | 'had' | 'gap';

const OPEN_FOR_CHUNKS = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW;
const FILE_MODE = 0o644;
// Per episode folder: the stream sequence of each snapshot kept, so an older one redelivered
// after a newer (a redelivery after an ack timeout) never replaces it.
const SNAPSHOT_SEQS_FILE = '.vmtel-archive-snapshots.json';

export function placeChunk(path: string, meta: ChunkMeta, data: Uint8Array, streamSeq: number): Placed {
  ensureFolder(dirname(path));
  return meta.kind === 'lines' ? placeLines(path, meta.offset, data) : placeSnapshot(path, data, streamSeq);
}

function placeLines(path: string, offset: number, data: Uint8Array): Placed {
  const fd = openSync(path, OPEN_FOR_CHUNKS, FILE_MODE);
  try {
    const size = fstatSync(fd).size;
    if (offset > size) return 'gap';
    if (offset + data.length <= size) return 'had';
    // The bytes before `size` are the same ones (a chunk written in part before a crash): writing
    // the whole chunk at its offset is simpler than cutting it and just as right.
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written, offset + written);
    fsyncSync(fd);
    // The file's first bytes: its entry in the folder must reach the disk before the ack too.
    if (size === 0) syncFolder(dirname(path));
    return 'written';
  } finally {
    closeSync(fd);
  }
}

function placeSnapshot(path: string, data: Uint8Array, streamSeq: number): Placed {
  const seqsPath = join(dirname(path), SNAPSHOT_SEQS_FILE);
  const seqs = readSeqs(seqsPath);
  const name = path.slice(dirname(path).length + 1);
  if ((seqs[name] ?? 0) >= streamSeq) return 'had';
  writeFileAtomic(path, data);
  seqs[name] = streamSeq;
  writeFileAtomic(seqsPath, `${JSON.stringify(seqs)}\n`);
  return 'written';
}

function readSeqs(path: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

// A new folder's entry must be on disk too, or a crash could lose a file already acked.
const knownFolders = new Set<string>();
function ensureFolder(folder: string): void {
  if (knownFolders.has(folder)) return;
  mkdirSync(folder, { recursive: true });
  for (const dir of [folder, dirname(folder), dirname(dirname(folder))]) syncFolder(dir);
  knownFolders.add(folder);
}

function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
