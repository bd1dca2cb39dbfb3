// How much memory a collector's worker may take, so a runaway collector (a user's module that
// allocates without bound, a bug) ends as a failure of its own worker instead of growing vmtel
// beside the VM it measures. V8 enforces the limit on the JS heap; memory outside it (Buffers)
// is not bounded by it.

// Per built-in kind, in MiB of old-generation heap, each several times what the kind uses under
// its heaviest legitimate load: qmp parses replies of up to 16 MiB into objects (several times
// their size), guest_agent decodes lines of up to max_line_bytes (64 MiB at most); the samplers
// of /proc hold a few small files.
const BUILT_IN_HEAP_MB: Readonly<Record<string, number>> = {
  qmp: 512,
  guest_agent: 512,
  qemu_process: 128,
  host: 128,
  net: 128,
};
// A user's module: room for real work, small enough that a leak is caught within seconds.
const MODULE_HEAP_MB = 256;

/** The heap limit of a collector whose entry does not set `max_heap_mb`. */
export function defaultMaxHeapMb(kind: string, isModule: boolean): number {
  return (isModule ? undefined : BUILT_IN_HEAP_MB[kind]) ?? MODULE_HEAP_MB;
}
