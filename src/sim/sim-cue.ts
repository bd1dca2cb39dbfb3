// What the simulated VM can be asked to do, in one small language shared by the `--script`
// timeline and by line commands on stdin, so a demo scripts the same faults a test cues by hand:
//   agent-silence=2s   qmp-stop   qmp-event=RESET   shutdown
// and a script is `TIME:CUE,...`, e.g. "3s:agent-silence=2s,5s:qmp-stop,6s:qmp-cont,9s:shutdown".
import { VmtelError } from '../errors';

export type SimCue =
  | { kind: 'agent-silence'; durationMs: number | null }
  | { kind: 'agent-resume' }
  | { kind: 'agent-malformed'; lines: number }
  | { kind: 'agent-disconnect'; durationMs: number }
  | { kind: 'qmp-close' }
  | { kind: 'qmp-stop' }
  | { kind: 'qmp-cont' }
  | { kind: 'qmp-event'; event: string }
  | { kind: 'shutdown' };

export interface ScriptStep {
  atMs: number;
  cue: SimCue;
  /** The cue as the script spelled it. */
  text: string;
}

// A malformed burst without a count: one each of a cut row, non-JSON text and binary junk.
const DEFAULT_MALFORMED_LINES = 3;
// An agent disconnect without a duration: long enough for a reader to notice, short for a demo.
const DEFAULT_DISCONNECT_MS = 1000;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;
const EVENT_NAME = /^[A-Z][A-Z0-9_]*$/;

/** One cue, `NAME` or `NAME=ARG`; throws VMTEL_USAGE naming what is wrong. */
export function parseCue(text: string): SimCue {
  const [name = '', arg] = text.trim().split('=', 2) as [string, string | undefined];
  switch (name) {
    case 'agent-silence':
      return { kind: name, durationMs: arg === undefined ? null : parseDurationMs(arg, text) };
    case 'agent-malformed':
      return { kind: name, lines: arg === undefined ? DEFAULT_MALFORMED_LINES : parseCount(arg, text) };
    case 'agent-disconnect':
      return { kind: name, durationMs: arg === undefined ? DEFAULT_DISCONNECT_MS : parseDurationMs(arg, text) };
    case 'qmp-event':
      if (arg === undefined || !EVENT_NAME.test(arg)) throw usage(text, 'expected qmp-event=NAME, e.g. qmp-event=RESET');
      return { kind: name, event: arg };
    case 'agent-resume':
    case 'qmp-close':
    case 'qmp-stop':
    case 'qmp-cont':
    case 'shutdown':
      if (arg !== undefined) throw usage(text, `${name} takes no argument`);
      return { kind: name };
    default:
      throw usage(text, 'unknown cue; see `vmtel sim --help`');
  }
}

/** A `--script`: comma-separated `TIME:CUE` steps, in any order; returned sorted by time. */
export function parseScript(text: string): ScriptStep[] {
  return text
    .split(',')
    .filter((step) => step.trim() !== '')
    .map((step) => {
      const colon = step.indexOf(':');
      if (colon < 0) throw usage(step, 'expected TIME:CUE, e.g. 3s:qmp-stop');
      const text = step.slice(colon + 1).trim();
      return { atMs: parseDurationMs(step.slice(0, colon).trim(), step), cue: parseCue(text), text };
    })
    .sort((a, b) => a.atMs - b.atMs);
}

function parseDurationMs(text: string, context: string): number {
  const match = DURATION.exec(text);
  if (match === null) throw usage(context, `"${text}" is not a duration like 500ms or 2s`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

function parseCount(text: string, context: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) throw usage(context, `"${text}" is not a positive count`);
  return count;
}

function usage(text: string, problem: string): VmtelError {
  return new VmtelError('VMTEL_USAGE', `sim cue "${text.trim()}": ${problem}`);
}
