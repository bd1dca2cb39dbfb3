// `vmtel archive --check`: compares the archive with what the stream says was sent. For every
// subject under the prefix, the subject's last message tells how long its file is (offset +
// length) or which snapshot is the newest (sha256); a file shorter than that, or an older
// snapshot, is listed as missing.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readChunkMeta } from '../chunk-message';
import type { NatsSession } from '../nats-client';
import { addressOf } from '../subject-token';
import { archivePath } from './archive-place';

export interface CheckResult {
  files: number;
  missing: string[];
}

export async function checkArchive(session: NatsSession, stream: string, subjectPrefix: string, intoDir: string): Promise<CheckResult> {
  const info = await session.jsm.streams.info(stream, { subjects_filter: `${subjectPrefix}.>` });
  const subjects = Object.keys(info.state.subjects ?? {}).sort();
  const missing: string[] = [];
  for (const subject of subjects) {
    const address = addressOf(subjectPrefix, subject);
    const path = address === null ? null : archivePath(intoDir, address);
    if (address === null || path === null) continue;
    const where = `${address.vm}/${address.episode}/${address.file}`;
    const last = await session.jsm.streams.getMessage(stream, { last_by_subj: subject });
    const meta = last === null ? 'gone' : readChunkMeta(last.header);
    if (last === null || typeof meta === 'string') continue;
    if (meta.kind === 'lines') {
      const expected = meta.offset + last.data.length;
      const have = sizeOf(path);
      if (have < expected) missing.push(`${where}: have ${have} of ${expected} bytes`);
    } else if (shaOf(path) !== meta.sha256) {
      missing.push(`${where}: not the newest version (stream sequence ${last.seq})`);
    }
  }
  return { files: subjects.length, missing };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function shaOf(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return '';
  }
}
