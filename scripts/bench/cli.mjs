// `blocklist-audit check` as a whole process (issue 12): the 200 K real list,
// and the 5 M generated list with its peak memory (GNU time's %M, the largest
// resident set of the process and what it waited for).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { entries, megabytes, ms, row, timeProcess } from './measure.mjs';

const cli = join(resolve(import.meta.dirname, '..', '..'), 'dist/cli.js');
/** Past this, the 5 M check is stopped (by `timeout`, so that GNU time still reports its memory) and reported as at least this long. */
const GIVE_UP_S = 120;

const check = (file) => [cli, 'check', '--fail-on', 'never', file];

export function benchCli(real, huge, { runs = 5, hugeRuns = 1 } = {}) {
  if (!existsSync('/usr/bin/time')) throw new Error('The CLI part measures peak memory with GNU time: apt-get install -y time.');
  const realTimes = [];
  for (let run = 0; run < runs; run++) realTimes.push(timeProcess(process.execPath, check(real.file)).elapsed);
  const hugeTimes = [];
  const peaks = [];
  let gaveUp = false;
  for (let run = 0; run < hugeRuns; run++) {
    const args = ['-f', '%M %x', 'timeout', String(GIVE_UP_S), process.execPath, ...check(huge.file)];
    // timeout exits 124 when it stopped the check: GNU time then exits with that status too.
    const { elapsed, stderr } = timeProcess('/usr/bin/time', args, { allowedStatus: [0, 124] });
    const [peak, status] = stderr.trim().split('\n').at(-1).split(' ').map(Number);
    gaveUp ||= status === 124;
    hugeTimes.push(elapsed);
    peaks.push(peak);
  }
  return [
    row(`CLI: check ${entries(real)} real list, whole process`, realTimes, 400, ms),
    row(`CLI: check ${entries(huge)} generated list, whole process${gaveUp ? ` (stopped after ${GIVE_UP_S} s)` : ''}`, hugeTimes, 8000, ms, gaveUp),
    row(`CLI: check ${entries(huge)}, peak RSS`, peaks, 600 * 1024, megabytes, gaveUp),
  ];
}
