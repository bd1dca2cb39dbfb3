// What `vmtel status` prints: one frame from the running process over the control socket, or,
// when nothing records there, from the manifest (labelled as such). --watch draws a frame a
// second: redrawn in place on a terminal, as plain successive blocks otherwise.
import { setTimeout as delay } from 'node:timers/promises';
import { VmtelError } from '../errors';
import { readManifest } from '../orchestrator/manifest';
import { toJson } from '../sink/json-line';
import { requestControl } from './control-client';
import { liveStatusTable, manifestStatusTable } from './status-table';

// Every figure is at most about this old while watching.
export const WATCH_INTERVAL_MS = 1000;

export interface StatusOutput {
  write(text: string): void;
  isTTY: boolean;
}

/** One frame: a table, or one JSON object with `recording` true (live) or false (manifest). */
export async function statusFrame(runDir: string, json: boolean): Promise<string> {
  try {
    const reply = await requestControl(runDir, { op: 'status' });
    const status = reply['status'] as Record<string, unknown>;
    return json ? `${toJson({ recording: true, ...status })}\n` : liveStatusTable(status);
  } catch (err) {
    if (!(err instanceof VmtelError) || err.code !== 'VMTEL_NOT_RECORDING') throw err;
    const manifest = readManifest(runDir);
    if (manifest === null) throw new VmtelError('VMTEL_NOT_RECORDING', `${err.message}, and it holds no episode.json`);
    return json ? `${toJson({ recording: false, run_dir: runDir, manifest })}\n` : manifestStatusTable(runDir, manifest);
  }
}

/** Draws a frame a second until `signal` aborts. */
export async function watchStatus(runDir: string, json: boolean, out: StatusOutput, signal: AbortSignal): Promise<void> {
  let drawnLines = 0;
  while (!signal.aborted) {
    let frame: string;
    try {
      frame = await statusFrame(runDir, json);
    } catch (err) {
      // Watching outlives a run dir that is not there yet or a vmtel that is restarting.
      frame = `${err instanceof VmtelError ? `${err.message} [${err.code}]` : String(err)}\n`;
    }
    if (out.isTTY && !json) {
      // Up to the first line of the last frame, then clear to the end of the screen.
      out.write(`${drawnLines > 0 ? `\x1b[${drawnLines}F` : ''}\x1b[J${frame}`);
      drawnLines = frame.split('\n').length - 1;
    } else {
      out.write(json ? frame : `${frame}\n`);
    }
    await delay(WATCH_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }
}
