// Where an export writes. A table is written by DuckDB under an unpredictable temp name in the
// same folder and renamed to its final name only once whole, so a reader (or a crash halfway)
// never finds a half-written file under a final name; a failed export removes its temp files.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VmtelError } from '../errors';

export class OutputDir {
  private readonly temps = new Set<string>();

  private constructor(readonly path: string) {}

  /** Creates `path` (and rows/ in it); it must be new or empty, so no old table is mistaken for new. */
  static prepare(path: string): OutputDir {
    try {
      mkdirSync(join(path, 'rows'), { recursive: true });
    } catch (err) {
      throw unwritable(path, err);
    }
    const present = readdirSync(path).filter((name) => name !== 'rows');
    if (present.length > 0 || readdirSync(join(path, 'rows')).length > 0) {
      throw new VmtelError('VMTEL_OUTPUT_UNWRITABLE', `--out ${path}: not empty (holds ${present[0] ?? 'rows/'}); export into a new folder`);
    }
    return new OutputDir(path);
  }

  /** A fresh temp path beside `finalName` (relative to the output folder). */
  tempFor(finalName: string): string {
    const temp = join(this.path, dirname(finalName), `.${randomBytes(8).toString('hex')}.tmp`);
    this.temps.add(temp);
    return temp;
  }

  /** Renames a finished temp file to its final name. */
  commit(temp: string, finalName: string): string {
    const finalPath = join(this.path, finalName);
    try {
      renameSync(temp, finalPath);
    } catch (err) {
      throw unwritable(finalPath, err);
    }
    this.temps.delete(temp);
    return finalPath;
  }

  /** Removes one temp file not committed (a table written again). */
  discard(temp: string): void {
    rmSync(temp, { force: true });
    this.temps.delete(temp);
  }

  /** Removes every temp file not committed (after a failure). */
  discardTemps(): void {
    for (const temp of this.temps) rmSync(temp, { force: true });
    this.temps.clear();
  }
}

function unwritable(path: string, err: unknown): VmtelError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new VmtelError('VMTEL_OUTPUT_UNWRITABLE', `--out ${path}: cannot be written (${code})`, { cause: err });
}
