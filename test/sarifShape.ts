/**
 * The structure SARIF 2.1.0 requires of the objects `check --format sarif`
 * writes (OASIS SARIF 2.1.0, §3.13 sarifLog to §3.58 notification), and the
 * limits GitHub code scanning puts on an upload.
 */
import assert from 'node:assert/strict';

const LEVELS = ['none', 'note', 'warning', 'error'];

/** GitHub code scanning rejects a run with more results. */
export const GITHUB_MAX_RESULTS = 25_000;

type Json = Record<string, unknown>;

export function assertValidSarif(log: Json): void {
  assert.equal(log.version, '2.1.0');
  assert.equal(typeof log.$schema, 'string');
  assert.ok(Array.isArray(log.runs) && log.runs.length > 0, 'runs: a non-empty array');
  for (const run of log.runs as Json[]) assertValidRun(run);
}

function assertValidRun(run: Json): void {
  const driver = object(object(run.tool, 'run.tool').driver, 'tool.driver');
  assert.equal(typeof driver.name, 'string');
  const rules = (driver.rules ?? []) as Json[];
  for (const rule of rules) {
    assert.equal(typeof rule.id, 'string');
    if (rule.shortDescription !== undefined) assert.equal(typeof object(rule.shortDescription, 'shortDescription').text, 'string');
    if (rule.defaultConfiguration !== undefined) assert.ok(LEVELS.includes(object(rule.defaultConfiguration, 'defaultConfiguration').level as string));
  }
  if (run.properties !== undefined) object(run.properties, 'run.properties');
  for (const invocation of (run.invocations ?? []) as Json[]) {
    assert.equal(typeof invocation.executionSuccessful, 'boolean', 'invocation.executionSuccessful is required');
    for (const notification of (invocation.toolExecutionNotifications ?? []) as Json[]) assertMessage(notification.message);
  }
  assert.ok(Array.isArray(run.results), 'run.results: an array');
  assert.ok(run.results.length <= GITHUB_MAX_RESULTS, `${run.results.length} results: GitHub takes ${GITHUB_MAX_RESULTS} per run`);
  for (const result of run.results as Json[]) {
    assertMessage(result.message);
    if (result.level !== undefined) assert.ok(LEVELS.includes(result.level as string), `level ${JSON.stringify(result.level)}`);
    if (result.ruleIndex !== undefined) assert.equal(rules[result.ruleIndex as number]?.id, result.ruleId, 'ruleIndex points at the rule ruleId names');
    for (const location of (result.locations ?? []) as Json[]) assertLocation(location);
    const ids = new Set<number>();
    for (const related of (result.relatedLocations ?? []) as Json[]) {
      assertLocation(related);
      assert.ok(Number.isInteger(related.id) && (related.id as number) >= 0 && !ids.has(related.id as number), 'relatedLocations ids: unique integers ≥ 0');
      ids.add(related.id as number);
    }
  }
}

function assertLocation(location: Json): void {
  const physical = object(location.physicalLocation, 'physicalLocation');
  assert.equal(typeof object(physical.artifactLocation, 'artifactLocation').uri, 'string');
  const region = object(physical.region, 'region');
  assert.ok(Number.isInteger(region.startLine) && (region.startLine as number) >= 1, 'startLine ≥ 1');
  assert.ok(Number.isInteger(region.startColumn) && (region.startColumn as number) >= 1, 'startColumn ≥ 1');
  if (region.endColumn !== undefined) assert.ok(Number.isInteger(region.endColumn) && (region.endColumn as number) > (region.startColumn as number), 'endColumn after startColumn');
}

function assertMessage(message: unknown): void {
  assert.equal(typeof object(message, 'message').text, 'string');
}

function object(value: unknown, name: string): Json {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${name}: an object`);
  return value as Json;
}
