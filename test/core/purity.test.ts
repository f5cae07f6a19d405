/** The core stays pure: no editor, protocol or Node.js imports, so the CLI, the server and a browser can all run it. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const core = resolve(__dirname, '..', '..', '..', 'server/src/core');

test('server/src/core imports only itself', () => {
  const files = readdirSync(core, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts'));
  assert.ok(files.length > 10);
  const outside = files.flatMap((file) =>
    [...readFileSync(join(core, file), 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)]
      .map((match) => match[1])
      .filter((source) => !source.startsWith('.'))
      .map((source) => `${file}: ${source}`),
  );
  assert.deepEqual(outside, []);
});
