// Worker entry: glue only. Scans the files it is given (structure-of-files.ts) and sends back
// their structure, or the failure as data (postMessage drops an Error's code).
import { parentPort, workerData } from 'node:worker_threads';
import { structureOfFiles, type StructureReply } from './structure-of-files';

const { paths } = workerData as { paths: string[] };
structureOfFiles(paths).then(
  (structure) => parentPort!.postMessage({ ok: true, structure } satisfies StructureReply),
  (err: unknown) => parentPort!.postMessage({ ok: false, message: (err as Error).message, code: (err as NodeJS.ErrnoException).code } satisfies StructureReply),
);
