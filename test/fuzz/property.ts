/**
 * How the fuzz suite runs its properties: with a fixed seed by default, so
 * every run (CI's too) tries the same cases; `FUZZ_SEED=N` (or `random`)
 * explores others and `FUZZ_RUNS=K` tries K times as many. A failure names
 * the seed that reproduces it and the smallest failing case fast-check found.
 */
import fc from 'fast-check';

const DEFAULT_SEED = 20_260_110;

function seedOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", not "${value}".`);
  return seed;
}

function scaleOf(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const scale = Number(value);
  if (!(scale > 0)) throw new Error(`FUZZ_RUNS must be a positive number (a multiple of the default number of cases), not "${value}".`);
  return scale;
}

export const SEED = seedOf(process.env.FUZZ_SEED);
const SCALE = scaleOf(process.env.FUZZ_RUNS);

/** How many cases to try where the suite tries `runs` by default. */
export function runsOf(runs: number): number {
  return Math.max(1, Math.round(runs * SCALE));
}

/** Shrinking a failure stops after this long: each try of a stalling case may take seconds. */
const SHRINK_LIMIT_MS = 60_000;

/** Runs `property` on `runs` cases (times FUZZ_RUNS); shrinks a failure to its smallest case and throws with how to reproduce it. */
export async function check<T>(property: fc.IAsyncPropertyWithHooks<T> | fc.IPropertyWithHooks<T>, runs: number): Promise<void> {
  const parameters = { seed: SEED, numRuns: runsOf(runs) };
  const found = await fc.check(property, { ...parameters, endOnFailure: true });
  if (!found.failed) return;
  // The failing case again, shrunk within the time limit (a limit on the first pass would make the cases tried depend on the machine's speed).
  const shrunk = found.counterexamplePath === null ? found : await fc.check(property, { ...parameters, path: found.counterexamplePath, interruptAfterTimeLimit: SHRINK_LIMIT_MS });
  const details = shrunk.failed ? shrunk : found;
  const reproduce = `FUZZ_SEED=${SEED}${SCALE === 1 ? '' : ` FUZZ_RUNS=${SCALE}`} reproduces it.`;
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`${reproduce}\n${fc.defaultReportMessage(details)}\nThe smallest case fails with: ${error}`, { cause: details.errorInstance });
}
