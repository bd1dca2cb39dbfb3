// The qmp collector's life: connect, poll until the session ends, then end the episode (the VM is
// gone) or reconnect with backoff (stop_on_vm_exit false, or vmtel closed the connection itself
// because a reply did not come). QEMU's async events are recorded as
// they arrive, on every connection, with QEMU's own stamp beside the host's.
import type { CollectorOutcome } from '../contract';
import { BlockstatsDeltas } from './blockstats-deltas';
import { EmptyQueries } from './empty-queries';
import { openQmp } from './open-qmp';
import type { QmpConnectionHandlers, QmpEvent } from './qmp-connection';
import { isObject, qemuTimeNs, type JsonObject } from './qmp-message';
import { runSession, type PollState, type QmpContext } from './qmp-session';
import { QuerySet } from './query-set';
import { VcpuThreadPublisher } from './vcpu-threads';

export async function runQmp(ctx: QmpContext): Promise<CollectorOutcome> {
  const state: PollState = {
    queries: new QuerySet(ctx.options.queries),
    vcpus: new VcpuThreadPublisher(ctx),
    blockstats: new BlockstatsDeltas(),
    empty: new EmptyQueries((empty) => {
      ctx.emit('qmp_query_empty', { ...empty });
      ctx.log.info(`qmp: ${empty.query} returned nothing in ${empty.polls} polls: ${empty.why}`);
    }),
  };
  const dropsLogged = new Set<string>();
  let lostAtMonoNs: bigint | null = null;
  for (;;) {
    const vmExit = new AbortController();
    const handlers: QmpConnectionHandlers = {
      onEvent: (event) => {
        recordEvent(ctx, event);
        if (event.event === 'SHUTDOWN') vmExit.abort();
      },
      onDrop: (reason, detail) => {
        ctx.counters.drop(reason);
        if (!dropsLogged.has(reason)) ctx.log.warn(`QMP message dropped (${reason}); later ones are only counted`, { detail });
        dropsLogged.add(reason);
      },
    };
    const opened = await openQmp(ctx, handlers, lostAtMonoNs !== null);
    if (opened === null) return { reason: 'stopped' };
    ctx.counters.add('connects');
    ctx.emit('qmp_connected', { attempts: opened.attempts, ...describeGreeting(opened.greeting) });
    if (lostAtMonoNs !== null) {
      ctx.emit('qmp_reconnected', { attempt: opened.attempts, gap_s: Number(ctx.clock.monoNs() - lostAtMonoNs) / 1e9 });
    }
    const end = await runSession(ctx, opened.connection, state, vmExit.signal);
    if (end.reason === 'stopped') return end;
    ctx.emit('qmp_disconnected', { reason: end.detail });
    if (ctx.options.stop_on_vm_exit && end.reason !== 'reply_lost') {
      ctx.endEpisode(end.reason);
      return { reason: end.reason };
    }
    lostAtMonoNs = ctx.clock.monoNs();
  }
}

// Each QMP event name has a budget of its own: a flood of RTC_CHANGE never hides a SHUTDOWN.
function recordEvent(ctx: QmpContext, event: QmpEvent): void {
  ctx.counters.add('events');
  const fields = {
    qmp_event: event.event,
    data: event.data,
    qemu_timestamp: event.timestamp,
    qemu_time_ns: event.timestamp === null ? null : qemuTimeNs(event.timestamp),
  };
  ctx.emit('qmp_event', fields, `qmp_event:${event.event}`);
}

// The greeting's version as "major.minor.micro" plus QEMU's package string and capabilities.
function describeGreeting(qmp: JsonObject): { qemu_version: string | null; qemu_package: unknown; capabilities: unknown } {
  const version = isObject(qmp['version']) ? qmp['version'] : {};
  const qemu = isObject(version['qemu']) ? version['qemu'] : null;
  return {
    qemu_version: qemu === null ? null : `${String(qemu['major'])}.${String(qemu['minor'])}.${String(qemu['micro'])}`,
    qemu_package: version['package'] ?? null,
    capabilities: qmp['capabilities'] ?? [],
  };
}
