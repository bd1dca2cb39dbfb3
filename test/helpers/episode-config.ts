// Builds an EpisodeConfig directly, for orchestrator tests that exercise supervision and stop
// rather than YAML parsing. Collectors are the fixture modules under test/fixtures/collectors.
import { join } from 'node:path';
import type { CollectorEntry } from '../../src/config/collector-entry';
import type { EpisodeConfig } from '../../src/config/episode-config';

/** Absolute path of a compiled fixture collector module. */
export function fixtureModule(fixture: string): string {
  return join(__dirname, '..', 'fixtures', 'collectors', `${fixture}.js`);
}

export interface TestCollector {
  name: string;
  fixture: string;
  options?: Record<string, unknown>;
  flushMs?: number;
  maxHeapMb?: number;
}

export function testEpisodeConfig(runDir: string, collectors: TestCollector[], overrides: Partial<EpisodeConfig> = {}): EpisodeConfig {
  const collectorConfigs: CollectorEntry[] = collectors.map((c) => ({
    name: c.name,
    kind: c.fixture,
    module: fixtureModule(c.fixture),
    enabled: true,
    output: join(runDir, `telemetry-${c.name}.jsonl`),
    available_in_deployment: false,
    flush_ms: c.flushMs ?? 20,
    max_heap_mb: c.maxHeapMb ?? 256,
    options: c.options ?? {},
  }));
  return {
    configPath: join(runDir, 'test.yaml'),
    digest: '0'.repeat(64),
    vm: 'testvm',
    episode: 'ep1',
    runDir,
    labels: {},
    fileMode: 0o640,
    dirMode: 0o750,
    logLevel: 'error',
    stopGraceMs: 2000,
    unresponsiveAfterMs: 10_000,
    restart: { maxRestarts: 3, initialDelayMs: 40, maxDelayMs: 1000, resetAfterMs: 60_000 },
    collectors: collectorConfigs,
    resolved: {},
    ...overrides,
  };
}
