// The start floor: a Node process that starts as many empty workers as its argument says and
// does nothing else (no modules of its own, no config, no files).
import { startEmptyWorkers } from './empty-workers';

startEmptyWorkers(Number(process.argv[2]));
