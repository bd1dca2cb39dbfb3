// The shipper's worker entry: glue only. It ships live until the main thread says the episode
// stopped, drains the files to their end, waits for the final manifest, ships it and exits.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../errors';
import { Shipper, type ShipperSetup } from './shipper';
import type { FromShipper, ToShipper } from './shipper-messages';

// Recording first: on a busy host the collectors' threads must win the CPU over shipping, which
// can always catch up later. On Linux a nice value is per thread: this thread (its tid from
// /proc/thread-self) gets a lower priority; elsewhere it keeps its own.
const SHIPPER_NICE = 10;
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), SHIPPER_NICE);
} catch {
  // Not Linux, or no /proc: shipping then shares the CPU evenly.
}

const port = parentPort;
if (port === null) throw new Error('shipper-worker.js runs only as a worker thread');
const post = (message: FromShipper): void => port.postMessage(message);

const requests = new Map<ToShipper['type'], (deadlineMs: number) => void>();
const requested = (type: ToShipper['type']): Promise<number> => new Promise((resolve) => requests.set(type, resolve));
const drainRequested = requested('drain');
const finishRequested = requested('finish');
port.on('message', (message: ToShipper) => {
  switch (message.type) {
    case 'drain':
    case 'finish':
      requests.get(message.type)?.(message.deadlineMs);
      break;
    default:
      throw new Error(`unknown message to the shipper: ${JSON.stringify(message satisfies never)}`);
  }
});

const shipper = new Shipper(workerData as ShipperSetup, {
  event: (event, fields) => post({ type: 'event', event, fields }),
  log: (level, message) => post({ type: 'log', level, message }),
});

async function ship(): Promise<void> {
  await shipper.runLive(drainRequested.then(() => undefined));
  post({ type: 'drained', complete: await shipper.shipAll(await drainRequested, false) });
  post({ type: 'finished', complete: await shipper.shipAll(await finishRequested, true) });
}

ship()
  .catch((err: unknown) => post({ type: 'failed', error: serializeError(err, 'VMTEL_SHIPPER_FAILED') }))
  .finally(() => shipper.close().finally(() => port.close()));
