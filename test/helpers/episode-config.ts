// Builds an EpisodeConfig directly, for orchestrator tests that exercise supervision and stop
// rather than YAML parsing. Collectors are the fixture modules under test/fixtures/collectors.
import { join } from 'node:path';
import type { CollectorConfig, EpisodeConfig } from '../../src/config/episode-config';

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
  const collectorConfigs: CollectorConfig[] = collectors.map((c) => ({
    name: c.name,
    kind: c.fixture,
    modulePath: fixtureModule(c.fixture),
    enabled: true,
    outputPath: join(runDir, `telemetry-${c.name}.jsonl`),
    availableInDeployment: false,
    flushMs: c.flushMs ?? 20,
    maxHeapMb: c.maxHeapMb ?? 256,
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
