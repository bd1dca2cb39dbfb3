// The environment each built-in kind needs, looked at once before an episode: the sockets QEMU
// serves, QEMU's pid file, the tap interface, the host files the samplers read.
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnosePidfile } from '../collectors/qemu-process/pidfile-diagnosis';
import { QEMU_SOCKET_ARGUMENT } from '../collectors/unix-client/socket-diagnosis';
import type { CollectorEntry } from '../config/collector-entry';
import { readPidfile } from '../proc/pid-file';
import { readTextIfPresent } from '../proc/read-proc-file';
import { fail, note, ok, type CheckResult } from './check-result';
import { checkQmpGreeting, checkSocket } from './socket-checks';

// What the host sampler reads; pressure (PSI) is optional there, so its absence is a note.
const HOST_FILES = ['/proc/stat', '/proc/meminfo', '/proc/loadavg'];
const PRESSURE_FILES = ['/proc/pressure/cpu', '/proc/pressure/memory', '/proc/pressure/io'];

/** The checks of one enabled collector. */
export async function checkSource(collector: CollectorEntry): Promise<CheckResult> {
  const { name, options } = collector;
  switch (collector.module === undefined ? collector.kind : null) {
    case 'guest_agent': {
      const socket = options['socket'] as string;
      return checkSocket(name, socket, QEMU_SOCKET_ARGUMENT.guestAgent(socket));
    }
    case 'qmp': {
      const socket = options['socket'] as string;
      return checkQmpGreeting(name, socket, QEMU_SOCKET_ARGUMENT.qmp(socket));
    }
    case 'qemu_process':
      return checkQemuPidfile(name, options['pidfile'] as string);
    case 'net':
      return checkInterface(name, options['interface'] as string);
    case 'host':
      return checkHostFiles(name);
    default:
      return note(name, `not checked: ${collector.module === undefined ? `kind ${collector.kind}` : `module ${collector.module}`} reads a source vmtel does not know`);
  }
}

function checkQemuPidfile(subject: string, pidfile: string): CheckResult {
  const pid = readPidfile(pidfile);
  if (pid === null) return fail(subject, diagnosePidfile(pidfile));
  const comm = readTextIfPresent(`/proc/${pid}/comm`)?.trim();
  if (comm === undefined) return fail(subject, `${pidfile} names pid ${pid}, which is not running: a pid file left by an earlier run?`);
  if (!/qemu/i.test(comm)) return fail(subject, `${pidfile} names pid ${pid}, which is "${comm}", not QEMU: is it QEMU's -pidfile?`);
  // I/O counters of another user's process need ptrace rights; the collector records without them.
  if (!readable(`/proc/${pid}/io`)) {
    return note(subject, `${pidfile} names pid ${pid}, a live ${comm}; /proc/${pid}/io is not readable: rows will lack I/O counters (run vmtel as QEMU's user, or as root)`);
  }
  return ok(subject, `${pidfile} names pid ${pid}, a live ${comm}`);
}

function checkInterface(subject: string, iface: string): CheckResult {
  const operstate = readTextIfPresent(join('/sys/class/net', iface, 'operstate'))?.trim();
  if (operstate === undefined) {
    return fail(subject, `interface ${iface} does not exist: start the VM with -netdev tap,ifname=${iface} (or create it: ip tuntap add ${iface} mode tap)`);
  }
  return ok(subject, `interface ${iface} exists (${operstate})`);
}

function checkHostFiles(subject: string): CheckResult {
  const unreadable = HOST_FILES.filter((file) => !readable(file));
  if (unreadable.length > 0) return fail(subject, `cannot read ${unreadable.join(', ')}: is /proc mounted?`);
  const noPressure = PRESSURE_FILES.filter((file) => !readable(file));
  if (noPressure.length > 0) return note(subject, `${HOST_FILES.join(', ')} readable; no ${noPressure.join(', ')} (a kernel without PSI): rows will lack pressure`);
  return ok(subject, `${[...HOST_FILES, ...PRESSURE_FILES].join(', ')} readable`);
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}
