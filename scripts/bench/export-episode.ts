// The episode the export benchmark exports: an hour of a guest agent at 2,000 rows/s (7.2 M rows
// of numeric telemetry, each with the guest's 19-digit clocks) beside an hour of the samplers at
// 1 s (host, net and qemu_process rows sampled for real from this machine's /proc and /sys,
// qmp rows from the simulated QEMU's figures), written straight to a run dir: what an export
// reads is files, and an hour of recording would cost the benchmark an hour.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HostSampler } from '../../src/collectors/host/host-sampler';
import { InterfaceSampler } from '../../src/collectors/net/interface-sampler';
import { ProcessSampler } from '../../src/collectors/qemu-process/process-sampler';
import { VcpuThreads } from '../../src/collectors/qemu-process/vcpu-threads';
import { rowKeyOf, withRowNames } from '../../src/collectors/qmp/result-names';
import { QmpFigures } from '../../src/sim/qmp-figures';
import type { ExactJson } from '../../src/sink/exact-json';
import { toJson } from '../../src/sink/json-line';
import { collectorRecord, WALL_START_NS, writeSyntheticManifest } from '../../test/export/synthetic-episode';
import type { CollectorRecord } from '../../src/orchestrator/manifest';

export const EPISODE_S = 3600;
export const GUEST_ROWS_PER_S = 2000;
export const GUEST_FILE = 'telemetry-guest.jsonl';
const NS_PER_S = 1_000_000_000n;
const GUEST_STEP_NS = NS_PER_S / BigInt(GUEST_ROWS_PER_S);
// The guest's monotonic clock: a guest up for about two days.
const GUEST_MONO_BASE_NS = 172_800_123_456_789n;
// Rows are buffered to about this many characters per write.
const WRITE_CHARS = 4 * 1024 * 1024;

/** Writes the episode into `runDir`; returns the rows per source. */
export function writeExportEpisode(runDir: string): Record<string, number> {
  mkdirSync(runDir, { recursive: true });
  const collectors: Record<string, CollectorRecord> = {};
  const guestRows = EPISODE_S * GUEST_ROWS_PER_S;
  writeRows(join(runDir, GUEST_FILE), guestRows, guestRow);
  collectors['guest_agent'] = collectorRecord('guest_agent', GUEST_FILE, true, guestRows);
  for (const [name, sample] of samplers()) {
    const file = `telemetry-${name}.jsonl`;
    writeRows(join(runDir, file), EPISODE_S, (i) => samplerRow(name, i, sample()));
    collectors[name] = collectorRecord(name, file, false, EPISODE_S);
  }
  writeSyntheticManifest(runDir, { vm: 'bench-vm', episode: 'hour', durationS: EPISODE_S, labels: { family: 'bench' } }, collectors);
  return Object.fromEntries(Object.entries(collectors).map(([name, record]) => [name, record.rows]));
}

function writeRows(path: string, count: number, row: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    let batch = '';
    for (let i = 0; i < count; i++) {
      batch += row(i);
      if (batch.length >= WRITE_CHARS) {
        writeSync(fd, batch);
        batch = '';
      }
    }
    writeSync(fd, batch);
  } finally {
    closeSync(fd);
  }
}

// What an in-guest agent reports: its clocks, CPU, memory, processes, I/O and network figures.
function guestRow(i: number): string {
  const tMonoNs = BigInt(i) * GUEST_STEP_NS + 137_000n;
  const guestMonoNs = GUEST_MONO_BASE_NS + tMonoNs - 41_000n;
  return (
    `{"t_mono_ns":${tMonoNs},"t_wall_ns":${WALL_START_NS + tMonoNs},"source":"guest_agent","available_in_deployment":true,` +
    `"seq":${i},"t_guest_mono_ns":${guestMonoNs},"t_guest_wall_ns":${WALL_START_NS + tMonoNs - 1_234_567n},` +
    `"cpu_pct":${(i % 997) / 10},"load1":${(i % 300) / 100},"mem_used_kib":${1_048_576 + (i % 65_536)},"procs":${120 + (i % 40)},` +
    `"disk_read_bytes":${i * 4096},"net_rx_bytes":${i * 1500},"net_tx_bytes":${i * 600},"ctx_switches":${i * 37}}\n`
  );
}

function samplerRow(source: string, i: number, fields: Record<string, unknown>): string {
  const tMonoNs = BigInt(i + 1) * NS_PER_S + 250_000n;
  return `${toJson({ t_mono_ns: tMonoNs, t_wall_ns: WALL_START_NS + tMonoNs, source, available_in_deployment: false, tick: i + 1, missed_before: 0, ...fields })}\n`;
}

// Each sampler as it runs in vmtel, here against this machine and this process.
function samplers(): Array<[string, () => Record<string, unknown>]> {
  const host = new HostSampler('/proc', () => undefined);
  const net = new InterfaceSampler('/sys/class/net', 'lo', () => undefined);
  const process_ = new ProcessSampler('/proc', process.pid, new VcpuThreads(), () => undefined);
  const qmp = new QmpFigures([process.pid]);
  return [
    ['host', () => host.sample()],
    ['net', () => net.sample() ?? {}],
    ['qemu_process', () => process_.sample() ?? {}],
    [
      'qmp',
      () => ({
        poll_ns: 310_000,
        // Named as the collector writes them (result-names.ts).
        results: Object.fromEntries(
          (
            [
              ['query-status', { running: true, singlestep: false, status: 'running' }],
              ['query-blockstats', qmp.blockstats()],
              ['query-cpus-fast', qmp.cpusFast()],
              ['query-stats:vm', qmp.stats('vm')],
              ['query-stats:vcpu', qmp.stats('vcpu')],
            ] as Array<[string, ExactJson]>
          ).map(([entry, value]) => [rowKeyOf(entry), withRowNames(entry.split(':')[0]!, value)]),
        ),
      }),
    ],
  ];
}
