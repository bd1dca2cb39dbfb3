// What every row of vmtel-agent must be, checked the same way whether the agent ran on the host
// or in the test VM: the fields of docs/real-vm.md and no others, seq contiguous, both guest
// clocks exact integers (the wall clock's 19 digits are past 2^53, so it is read as a bigint).
import assert from 'node:assert/strict';
import { parseExactJson, type ExactJson } from '../../../src/sink/exact-json';

export const AGENT_ROW_FIELDS = [
  'seq',
  't_guest_mono_ns',
  't_guest_wall_ns',
  'interval_ns',
  'cpu_user_jiffies',
  'cpu_nice_jiffies',
  'cpu_system_jiffies',
  'cpu_idle_jiffies',
  'cpu_iowait_jiffies',
  'cpu_irq_jiffies',
  'cpu_softirq_jiffies',
  'cpu_steal_jiffies',
  'mem_total_kb',
  'mem_available_kb',
  'load_1m',
  'load_5m',
  'load_15m',
  'tasks_running',
  'tasks_total',
  'process_count',
  'net',
];
const NET_COUNTERS = ['rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop'];
// 2020-01-01T00:00:00Z in ns: a guest wall clock before it was never set.
const WALL_FLOOR_NS = 1_577_836_800_000_000_000n;

export interface AgentRow {
  seq: number;
  monoNs: bigint;
  wallNs: bigint;
  fields: { [key: string]: ExactJson };
}

/** Parses and checks `lines` (consecutive rows); fails naming the first row that is wrong. */
export function checkAgentRows(lines: readonly string[]): AgentRow[] {
  assert.ok(lines.length > 0, 'no agent rows');
  const rows = lines.map((line, index) => checkRow(line, index));
  rows.forEach((row, index) => {
    const first = rows[0]!;
    assert.equal(row.seq, first.seq + index, `row ${index}: seq is not contiguous`);
    if (index === 0) return;
    const previous = rows[index - 1]!;
    assert.ok(row.monoNs > previous.monoNs, `row ${index}: t_guest_mono_ns did not advance`);
    assert.ok(row.wallNs >= previous.wallNs, `row ${index}: t_guest_wall_ns went back`);
  });
  return rows;
}

function checkRow(line: string, index: number): AgentRow {
  const where = `row ${index} (${line.slice(0, 120)})`;
  // The text itself: plain integers, no exponent or fraction that a parser would round.
  assert.match(line, /^\{"seq":\d+,"t_guest_mono_ns":\d+,"t_guest_wall_ns":\d{19},"interval_ns":\d+,/, where);
  const fields = parseExactJson(line) as { [key: string]: ExactJson };
  assert.deepEqual(Object.keys(fields), AGENT_ROW_FIELDS, `${where}: fields`);
  for (const key of AGENT_ROW_FIELDS.filter((k) => k !== 'net')) {
    const value = fields[key];
    assert.ok((typeof value === 'number' || typeof value === 'bigint') && value >= 0, `${where}: ${key} is ${String(value)}`);
  }
  const net = fields['net'] as { [ifname: string]: { [counter: string]: ExactJson } };
  for (const [ifname, counters] of Object.entries(net)) {
    assert.deepEqual(Object.keys(counters), NET_COUNTERS, `${where}: net.${ifname}`);
    assert.ok(Object.values(counters).every((v) => Number.isInteger(v) || typeof v === 'bigint'), `${where}: net.${ifname} counters`);
  }
  const wallNs = BigInt(fields['t_guest_wall_ns'] as number | bigint);
  assert.ok(wallNs > WALL_FLOOR_NS, `${where}: t_guest_wall_ns before 2020`);
  return { seq: Number(fields['seq']), monoNs: BigInt(fields['t_guest_mono_ns'] as number | bigint), wallNs, fields };
}

// vmtel's guest_agent puts the host's keys first and then the agent's line as it came.
const RECORDED_PREFIX = /^\{"t_mono_ns":(\d+),"t_wall_ns":(\d+),"source":"guest_agent","available_in_deployment":true,"t_guest_host_ns":(-?\d+),/;

export interface RecordedGuestRow {
  tMonoNs: bigint;
  tWallNs: bigint;
  /** vmtel's estimate of when the guest sampled the row, on the t_mono_ns timeline. */
  tGuestHostNs: bigint;
  /** The agent's own line, rebuilt from what follows the host's keys. */
  agentLine: string;
}

/** Splits a line of telemetry-guest.jsonl into the host's stamps and the agent's bytes. */
export function splitRecordedRow(line: string): RecordedGuestRow {
  const match = RECORDED_PREFIX.exec(line);
  assert.ok(match !== null, `not a guest_agent row with host stamps first: ${line.slice(0, 160)}`);
  return { tMonoNs: BigInt(match[1]!), tWallNs: BigInt(match[2]!), tGuestHostNs: BigInt(match[3]!), agentLine: `{${line.slice(match[0].length)}` };
}
