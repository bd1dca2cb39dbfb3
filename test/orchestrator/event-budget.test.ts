// The per-collector event budget: a flood of one event name is cut to its burst and counted, other
// names still pass, many names together meet the collector's own budget, and log lines have theirs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COLLECTOR_EVENT_BURST, COLLECTOR_EVENTS_PER_S, EVENT_BURST, EVENTS_PER_S, EventBudget, type Suppressed } from '../../src/orchestrator/event-budget';

function budgetWithReports(): { budget: EventBudget; reports: Suppressed[] } {
  const reports: Suppressed[] = [];
  const budget = new EventBudget((suppressed) => reports.push(suppressed));
  return { budget, reports };
}

test('a flood of one name passes its burst, is counted past it, and leaves other names their budget', () => {
  const { budget, reports } = budgetWithReports();
  const startedMs = performance.now();
  const passed = Array.from({ length: EVENT_BURST + 500 }, () => budget.allowEvent('qmp_event')).filter(Boolean).length;
  // The bucket refills while the loop runs (milliseconds, more on a loaded host).
  const refilled = Math.ceil(((performance.now() - startedMs) * EVENTS_PER_S) / 1000);
  assert.ok(passed >= EVENT_BURST && passed <= EVENT_BURST + refilled, `${passed} passed`);
  assert.equal(budget.allowEvent('qmp_connected'), true, 'a rare lifecycle event still passes');
  budget.flush();
  assert.deepEqual(reports, [{ counts: { qmp_event: EVENT_BURST + 500 - passed }, log_lines: 0, total: EVENT_BURST + 500 - passed }]);
  budget.flush();
  assert.equal(reports.length, 1, 'nothing held, nothing reported');
});

test('many names together meet the collector budget; log lines are budgeted and counted apart', () => {
  const { budget, reports } = budgetWithReports();
  let passed = 0;
  const startedMs = performance.now();
  for (let i = 0; i < 2 * COLLECTOR_EVENT_BURST; i += 1) if (budget.allowEvent(`name_${i % 250}`)) passed += 1;
  const refilled = Math.ceil(((performance.now() - startedMs) * COLLECTOR_EVENTS_PER_S) / 1000);
  assert.ok(passed >= COLLECTOR_EVENT_BURST && passed <= COLLECTOR_EVENT_BURST + refilled, `${passed} passed`);
  const logged = Array.from({ length: EVENT_BURST + 10 }, () => budget.allowLog()).filter(Boolean).length;
  budget.flush();
  const [report] = reports;
  assert.equal(report?.log_lines, EVENT_BURST + 10 - logged);
  assert.equal(report?.total, 2 * COLLECTOR_EVENT_BURST - passed + report.log_lines);
  assert.equal(Object.values(report.counts).reduce((a, b) => a + b, 0), 2 * COLLECTOR_EVENT_BURST - passed);
});
