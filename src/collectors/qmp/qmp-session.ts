// One negotiated QMP connection, polled every interval_ms: every active query is sent at once
// (replies matched by id), and their results make ONE row stamped when the poll was sent. Ends
// on stop, on the socket closing, on QEMU's SHUTDOWN when stop_on_vm_exit is set, or on a reply
// that did not come in time (vmtel closes the connection and the collector reconnects). A poll
// whose reply was in a line too long to read is lost, counted, and the next poll goes on.
import type { CollectorContext } from '../contract';
import type { ExactJson } from '../../sink/exact-json';
import { tickFields, ticks, type Tick } from '../sampling/ticker';
import type { BlockstatsDeltas } from './blockstats-deltas';
import type { EmptyQueries } from './empty-queries';
import type { QmpOptions } from './options';
import { MAX_LINE_BYTES, QmpClosedError, QmpReplyLostError, type QmpConnection } from './qmp-connection';
import type { QmpError } from './qmp-message';
import { QuerySet } from './query-set';
import { rowKeyOf, withRowNames } from './result-names';
import type { VcpuThreadPublisher } from './vcpu-threads';

export type QmpContext = CollectorContext<QmpOptions>;

/** What outlives one connection: the queries still supported, the last published vCPU threads. */
export interface PollState {
  queries: QuerySet;
  vcpus: VcpuThreadPublisher;
  blockstats: BlockstatsDeltas;
  empty: EmptyQueries;
}

export type SessionEnd = { reason: 'stopped' } | { reason: 'vm_shutdown' | 'qmp_closed' | 'reply_lost'; detail: string };

// The reason vmtel gives its own close of a connection whose reply did not come.
const REPLY_TIMEOUT = 'reply_timeout';
// The reasons vmtel itself closes the connection with when the session ends.
const SESSION_END_REASONS = new Set(['stopped', 'vm_shutdown']);

/** Polls until the session ends; `vmExit` aborts when QEMU sent SHUTDOWN. */
export async function runSession(
  ctx: QmpContext,
  connection: QmpConnection,
  state: PollState,
  vmExit: AbortSignal,
): Promise<SessionEnd> {
  const closed = new AbortController();
  void connection.closed.then(() => closed.abort());
  const exitsOnShutdown = ctx.options.stop_on_vm_exit;
  const sessionSignal = AbortSignal.any(exitsOnShutdown ? [ctx.stopSignal, closed.signal, vmExit] : [ctx.stopSignal, closed.signal]);
  const tickContext = { clock: ctx.clock, counters: ctx.counters, stopSignal: sessionSignal };
  let inFlight: Promise<void> = Promise.resolve();
  for await (const tick of ticks(tickContext, ctx.options.interval_ms)) {
    inFlight = poll(ctx, connection, state, tick);
    await untilAborted(inFlight, sessionSignal);
  }
  // A poll still waiting for its reply when the session ends is settled by the close (counted as
  // poll_cut_by_stop) before the session returns, so the final counts include it: every query
  // sent is a row or a counted drop.
  if (ctx.stopSignal.aborted) {
    connection.close('stopped');
    await inFlight;
    return { reason: 'stopped' };
  }
  // SHUTDOWN is checked before the close: QEMU closes the socket right after sending it.
  if (exitsOnShutdown && vmExit.aborted) {
    connection.close('vm_shutdown');
    await inFlight;
    return { reason: 'vm_shutdown', detail: 'SHUTDOWN' };
  }
  const detail = await connection.closed;
  return { reason: detail === REPLY_TIMEOUT ? 'reply_lost' : 'qmp_closed', detail };
}

async function poll(ctx: QmpContext, connection: QmpConnection, state: PollState, tick: Tick): Promise<void> {
  const queries = state.queries.active;
  if (queries.length === 0) return;
  const sentMonoNs = ctx.clock.monoNs();
  let replies;
  try {
    replies = await Promise.all(
      connection.executeAll(queries.map(({ command, target }) => (target === undefined ? { command } : { command, args: { target } }))),
    );
  } catch (err) {
    if (err instanceof QmpReplyLostError) return lostReply(ctx, connection, err);
    if (!(err instanceof QmpClosedError)) throw err;
    // vmtel's own close at the end of the session is told apart from QEMU's or the socket's.
    ctx.counters.drop(SESSION_END_REASONS.has(err.reason) ? 'poll_cut_by_stop' : 'poll_cut_by_close');
    return;
  }
  const pollNs = ctx.clock.monoNs() - sentMonoNs;
  ctx.counters.add('polls');
  ctx.counters.add('replies', replies.length);
  // Keyed in the row by rowKeyOf (vmtel's names); by the entry as configured where a user reads it.
  const results: Record<string, ExactJson> = {};
  const resultsByEntry: Record<string, ExactJson> = {};
  const errors: Record<string, QmpError> = {};
  queries.forEach((query, index) => {
    const reply = replies[index]!;
    if (reply.ok) {
      results[rowKeyOf(query.key)] = resultsByEntry[query.key] = resultFor(query.command, reply.value, state);
    } else if (QuerySet.isUnsupported(query, reply.error)) {
      state.queries.drop(query.key);
      ctx.emit('qmp_command_unsupported', { command: query.key, error: reply.error });
    } else {
      errors[rowKeyOf(query.key)] = reply.error;
      ctx.counters.add('errors');
    }
  });
  state.empty.poll(resultsByEntry, sentMonoNs);
  const errorFields = Object.keys(errors).length > 0 ? { errors } : {};
  ctx.rows.write({ ...tickFields(tick), poll_ns: pollNs, results, ...errorFields }, sentMonoNs);
}

// A reply that timed out leaves QEMU's monitor in an unknown state: a new connection starts clean.
// One that was in an oversized line is only this poll's loss.
function lostReply(ctx: QmpContext, connection: QmpConnection, err: QmpReplyLostError): void {
  if (err.reason === 'oversized_line') {
    ctx.counters.drop('poll_reply_oversized');
    ctx.emit('qmp_reply_dropped', { reason: err.reason, command: err.command, max_line_bytes: MAX_LINE_BYTES });
    return;
  }
  ctx.counters.drop('poll_reply_timeout');
  ctx.emit('qmp_reply_timeout', { command: err.command, timeout_ms: ctx.options.reply_timeout_ms });
  connection.close(REPLY_TIMEOUT);
}

// The result as written: in vmtel's names first, so everything after reads one spelling.
function resultFor(command: string, value: ExactJson, state: PollState): ExactJson {
  const renamed = withRowNames(command, value);
  switch (command) {
    case 'query-cpus-fast':
      state.vcpus.offer(renamed);
      return renamed;
    case 'query-blockstats':
      return state.blockstats.withDeltas(renamed);
    default:
      return renamed;
  }
}

// Waits for `work` or for `signal`, whichever is first; the listener goes with the wait, so a long
// session does not pile up one per poll.
async function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  let onAbort = (): void => undefined;
  const abortion = new Promise<void>((resolve) => (onAbort = resolve));
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  try {
    await Promise.race([work, abortion]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
