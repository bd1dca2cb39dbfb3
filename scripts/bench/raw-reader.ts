// The floor for alignment on this machine: a process that does nothing but read agent.sock and
// stamp each read (no framing, no validation, no file), so the wake-up latency of the kernel and
// the hypervisor is measured apart from vmtel's own. It prints the alignment errors' percentiles
// as one JSON line when the generator closes the socket.
import { createConnection } from 'node:net';
import { percentile } from './stats';

const STAMP = /"t_guest_mono_ns":(\d+)/g;

const socketPath = process.argv[2];
if (socketPath === undefined) throw new Error('usage: raw-reader.js SOCKET');
const alignmentNs: number[] = [];
const socket = createConnection(socketPath);
socket.on('data', (chunk: Buffer) => {
  const readNs = process.hrtime.bigint();
  for (const match of chunk.toString('latin1').matchAll(STAMP)) alignmentNs.push(Number(readNs - BigInt(match[1]!)));
});
socket.on('close', () => {
  const sorted = Float64Array.from(alignmentNs).sort();
  const us = (p: number): number => percentile(sorted, p) / 1e3;
  process.stdout.write(`${JSON.stringify({ rows: sorted.length, p50Us: us(50), p99Us: us(99), maxUs: us(100) })}\n`);
});
