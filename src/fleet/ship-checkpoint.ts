// RUN_DIR/ship-checkpoint.json: how far each file of the run dir is in the stream. It advances
// only after the stream acknowledged (the way Filebeat's registry and Vector's checkpointer do),
// and it is written whole (temp file, fsync, rename), so after any crash it names a point the
// stream really holds. It may lag the stream (a crash between the ack and the write): the next
// publish then meets its expected subject sequence refused, and the shipper reads the true point
// back from the stream. It never runs ahead of it.
import { join } from 'node:path';
import { writeFileAtomic } from '../orchestrator/atomic-file';
import { SHIP_CHECKPOINT_FILE } from '../run-dir-files';
import { readOwnText } from '../sink/own-file';

/** One file's point in the stream. */
export interface FilePoint {
  /** Bytes of the file the stream holds (lines); the shipped version's length (snapshot). */
  offset: number;
  /** Lines of the file the stream holds. */
  lines: number;
  /** Stream sequence of the file's last message on its subject; 0 when it has none. */
  subjectSeq: number;
  /** sha256 of the last shipped snapshot, hex; '' for an append-only file. */
  sha256: string;
}

export interface ShipCheckpoint {
  stream: string;
  subjectPrefix: string;
  files: Record<string, FilePoint>;
}

export const START_POINT: FilePoint = { offset: 0, lines: 0, subjectSeq: 0, sha256: '' };

/** The checkpoint of `runDir` for this stream and prefix; an empty one when there is none (or it is for another stream). */
export function readCheckpoint(runDir: string, stream: string, subjectPrefix: string): ShipCheckpoint {
  const empty: ShipCheckpoint = { stream, subjectPrefix, files: {} };
  // Never read through a link planted at its name (see own-file.ts).
  const text = readOwnText(join(runDir, SHIP_CHECKPOINT_FILE));
  if (text === null) return empty;
  const saved = JSON.parse(text) as { stream?: unknown; subject_prefix?: unknown; files?: Record<string, Record<string, unknown>> };
  if (saved.stream !== stream || saved.subject_prefix !== subjectPrefix || typeof saved.files !== 'object') return empty;
  for (const [file, point] of Object.entries(saved.files)) {
    empty.files[file] = {
      offset: Number(point['offset'] ?? 0),
      lines: Number(point['lines'] ?? 0),
      subjectSeq: Number(point['subject_seq'] ?? 0),
      sha256: String(point['sha256'] ?? ''),
    };
  }
  return empty;
}

/** Writes the checkpoint whole; called only with points the stream acknowledged. */
export function writeCheckpoint(runDir: string, checkpoint: ShipCheckpoint): void {
  const files = Object.fromEntries(
    Object.entries(checkpoint.files).map(([file, p]) => [file, { offset: p.offset, lines: p.lines, subject_seq: p.subjectSeq, sha256: p.sha256 }]),
  );
  const text = JSON.stringify({ stream: checkpoint.stream, subject_prefix: checkpoint.subjectPrefix, files }, null, 1);
  writeFileAtomic(join(runDir, SHIP_CHECKPOINT_FILE), `${text}\n`);
}
