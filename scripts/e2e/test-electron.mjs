// Runs the extension test suite (test/e2e/suite) in desktop VS Code through
// @vscode/test-electron, on machines that can download VS Code. Where the
// download is impossible it says so and exits with status 3: the suite has
// not run there, which is not a pass. `npm run test:electron` (after `npm test`
// has built and compiled everything).
import { runTests } from '@vscode/test-electron';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'blocklist-electron-'));
copyFileSync(join(root, 'examples/telegram-2018.txt'), join(workspace, 'telegram-2018.txt'));
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/e2e/suite/index.js'),
    launchArgs: [workspace, '--disable-extensions'],
  });
  const outcomes = JSON.parse(readFileSync(join(workspace, 'e2e-result.json'), 'utf8'));
  console.log(`${outcomes.filter((o) => o.ok).length} passed, ${outcomes.filter((o) => !o.ok).length} failed`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (/download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|fetch failed/i.test(message)) {
    console.error(`Desktop VS Code could not be downloaded here (${message}): the suite did NOT run under @vscode/test-electron. It runs in code-server in "npm test".`);
    process.exit(3);
  }
  console.error(message);
  process.exit(1);
}
