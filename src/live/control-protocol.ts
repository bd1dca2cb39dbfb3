// The control socket's protocol: one JSON object per line each way (docs/control.md). A request
// names its `op`; every request gets exactly one reply, `{"ok":true,...}` or
// `{"ok":false,"error":{"code","message"}}`. This module turns one received line into a checked
// request or the error reply it deserves; it never throws on what a client sends.
import type { ErrorCode } from '../errors';
import { parseExactJson, type ExactJson } from '../sink/exact-json';
import { labelsProblems, markerNameProblem, type Labels } from './labels';

export interface MarkRequest {
  op: 'mark';
  name: string;
  phase: boolean;
  labels: Labels;
  /** The client's CLOCK_MONOTONIC when it sent the request, absolute ns; null when not sent. */
  clientMonotonicNs: bigint | null;
}
export interface StatusRequest {
  op: 'status';
}
export interface StopRequest {
  op: 'stop';
  reason: string;
}
export type ControlRequest = (MarkRequest | StatusRequest | StopRequest) & { id: RequestId };

/** An optional tag a client may put on a request; the reply carries it back. */
export type RequestId = string | number | null;

export interface ControlErrorReply {
  ok: false;
  id?: RequestId;
  error: { code: ErrorCode; message: string };
}

/** Why a line was not a request, as counted in status and the manifest. */
export type RejectionReason = 'bad_json' | 'bad_request' | 'unknown_op' | 'line_too_long' | 'too_many_clients' | 'idle_timeout' | 'slow_reader';

export interface Rejection {
  rejected: RejectionReason;
  reply: ControlErrorReply;
}

export const CONTROL_OPS = ['mark', 'status', 'stop'] as const;
// A stop reason is recorded in stop_requested and the manifest: a sentence, not a document.
export const MAX_STOP_REASON_CHARS = 200;
const FIELDS: Record<(typeof CONTROL_OPS)[number], readonly string[]> = {
  mark: ['op', 'id', 'name', 'phase', 'labels', 'client_monotonic_ns'],
  status: ['op', 'id'],
  stop: ['op', 'id', 'reason'],
};

/** The error reply for `reason`, tagged with the request's id when it had one. */
export function errorReply(code: ErrorCode, message: string, id?: RequestId): ControlErrorReply {
  return id === undefined || id === null ? { ok: false, error: { code, message } } : { ok: false, id, error: { code, message } };
}

/** One received line (without its newline) as a request, or the rejection to reply with. */
export function parseRequest(line: string): ControlRequest | Rejection {
  let value: ExactJson;
  try {
    value = parseExactJson(line);
  } catch (err) {
    return { rejected: 'bad_json', reply: errorReply('VMTEL_CONTROL_BAD_JSON', `not JSON: ${(err as Error).message}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return badRequest(`expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const id = value['id'];
  if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') return badRequest('id: expected a string or a number');
  const requestId: RequestId = (id as RequestId | undefined) ?? null;
  const op = value['op'];
  if (typeof op !== 'string') return badRequest(`op: expected one of ${CONTROL_OPS.join(', ')}`, requestId);
  if (!(CONTROL_OPS as readonly string[]).includes(op)) {
    return { rejected: 'unknown_op', reply: errorReply('VMTEL_CONTROL_UNKNOWN_OP', `unknown op ${JSON.stringify(op.slice(0, 40))}; known ops are ${CONTROL_OPS.join(', ')}`, requestId) };
  }
  const known = FIELDS[op as (typeof CONTROL_OPS)[number]];
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) return badRequest(`${op}: unknown field ${JSON.stringify(unknown.slice(0, 40))}; known fields are ${known.join(', ')}`, requestId);
  switch (op) {
    case 'mark':
      return parseMark(value, requestId);
    case 'status':
      return { op, id: requestId };
    default:
      return parseStop(value, requestId);
  }
}

function parseMark(value: { [key: string]: ExactJson }, id: RequestId): ControlRequest | Rejection {
  const nameProblem = markerNameProblem(value['name']);
  if (nameProblem !== null) return badRequest(`mark: name: ${nameProblem}`, id);
  const phase = value['phase'] ?? false;
  if (typeof phase !== 'boolean') return badRequest('mark: phase: expected true or false', id);
  const labels = value['labels'] ?? {};
  const problem = labelsProblems(labels)[0];
  if (problem !== undefined) return badRequest(`mark: labels${problem[0] === '' ? '' : `.${problem[0]}`}: ${problem[1]}`, id);
  const clock = value['client_monotonic_ns'] ?? null;
  if (clock !== null && !(typeof clock === 'bigint' ? clock >= 0n : Number.isSafeInteger(clock) && (clock as number) >= 0)) {
    return badRequest('mark: client_monotonic_ns: expected a non-negative integer (CLOCK_MONOTONIC ns)', id);
  }
  return { op: 'mark', id, name: value['name'] as string, phase, labels: labels as Labels, clientMonotonicNs: clock === null ? null : BigInt(clock as number | bigint) };
}

function parseStop(value: { [key: string]: ExactJson }, id: RequestId): ControlRequest | Rejection {
  const reason = value['reason'];
  if (typeof reason !== 'string' || reason.length === 0 || reason.length > MAX_STOP_REASON_CHARS || /[\u0000-\u001f\u007f]/.test(reason)) {
    return badRequest(`stop: reason: expected a string of 1 to ${MAX_STOP_REASON_CHARS} characters without control characters`, id);
  }
  return { op: 'stop', id, reason };
}

function badRequest(message: string, id?: RequestId): Rejection {
  return { rejected: 'bad_request', reply: errorReply('VMTEL_CONTROL_BAD_REQUEST', message, id) };
}
