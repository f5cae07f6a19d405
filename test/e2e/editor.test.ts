/**
 * The extension in a real VS Code: code-server (the VS Code workbench with
 * a real extension host) driven by Debian's chromium through playwright-core.
 * First the extension test suite (suite/index.ts) runs inside the extension
 * host with the real `vscode` API; then a person's path through the UI on the
 * installed .vsix, with screenshots in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startCodeServer, waitFor, type RunningCodeServer } from './codeServer';

const root = resolve(__dirname, '..', '..', '..');
const artifacts = join(root, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';

function workspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'blocklist-ws-'));
  for (const example of ['telegram-2018.txt', 'sets.ipset']) copyFileSync(join(root, 'examples', example), join(folder, example));
  return folder;
}

async function browser(profile: string): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is missing: run scripts/e2e/install-code-server.sh (scripts/setup.sh does).');
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, XDG_CONFIG_HOME: profile },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs `body` with code-server, a browser page and a workspace, and cleans all three up (by their own handles) even on failure. */
async function withEditor(
  options: { vsix?: string; smokeDriver?: boolean; settings?: Record<string, unknown>; prepare?: (folder: string) => void },
  body: (server: RunningCodeServer, page: Page, folder: string) => Promise<void>,
): Promise<void> {
  const folder = workspace();
  options.prepare?.(folder);
  const server = await startCodeServer(options);
  const context = await browser(join(server.directory, 'chromium'));
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await body(server, page, folder);
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, `failure-${Date.now()}.png`) }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Opens the workbench on `folder` and `file` in it by Quick Open, as a person would. */
async function openFile(page: Page, server: RunningCodeServer, folder: string, file: string): Promise<void> {
  await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  await page.keyboard.press('Control+P');
  await page.fill('.quick-input-widget input', file);
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 60_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tab.active', { timeout: 20_000 });
}

/** Puts the cursor at `place` (`LINE:COLUMN`) with Go to Line, as a person would. */
async function goTo(page: Page, place: string): Promise<void> {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+G');
  await page.keyboard.type(place);
  await page.keyboard.press('Enter');
}

/** Runs `title` from the command palette, as a person would. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.fill('.quick-input-widget input', `>${title}`);
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 60_000 });
  await page.keyboard.press('Enter');
}

/** Shows the hover at `place` with Ctrl+K Ctrl+I and waits for it. */
async function hoverAt(page: Page, place: string): Promise<void> {
  await goTo(page, place);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await page.waitForSelector('.monaco-hover', { timeout: 20_000 });
}

test('the extension test suite passes inside the real extension host', { timeout: 180_000 }, async () => {
  await withEditor({ smokeDriver: true }, async (server, page, folder) => {
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(join(root, 'out/test/e2e/suite/index.js'))],
    ];
    await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const result = join(folder, 'e2e-result.json');
    await waitFor(() => existsSync(result), 150_000, 'the suite to write its result');
    const outcomes = JSON.parse(readFileSync(result, 'utf8')) as { name: string; ok: boolean; message?: string }[];
    assert.ok(outcomes.length >= 6, `only ${outcomes.length} checks ran`);
    for (const outcome of outcomes) assert.ok(outcome.ok, `${outcome.name}: ${outcome.message}`);
  });
});

/**
 * The extension hosts one .vsix runs in: VS Code's Node host by default, and the web worker host of VS Code for the Web
 * when the user setting `remote.extensionKind` gives the extension `["ui"]`. The status bar's tooltip names the host the
 * extension found itself in, so a setting that were ignored would fail the run.
 */
const HOSTS: { name: string; settings: Record<string, unknown>; screenshots: string; unavailable?: string }[] = [
  { name: 'Node extension host', settings: {}, screenshots: '' },
  {
    name: 'web worker extension host (VS Code for the Web)',
    settings: { 'remote.extensionKind': { 'blocklist-auditor.blocklist-auditor': ['ui'] } },
    screenshots: 'web-',
    // A command the host cannot run, which says so.
    unavailable: 'Update Ownership Data',
  },
];

for (const host of HOSTS) {
  test(`a person opens the 2018 example, sees squiggles, problems, hovers, applies a quick fix and opens the report (${host.name})`, { timeout: 180_000 }, async () => {
    const vsix = join(root, 'blocklist-auditor.vsix');
    assert.ok(existsSync(vsix), 'blocklist-auditor.vsix is missing: "npm test" packages it first');
    mkdirSync(artifacts, { recursive: true });
    await withEditor({ vsix, settings: host.settings }, async (server, page, folder) => {
      await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
      await page.keyboard.press('Control+P');
      await page.fill('.quick-input-widget input', 'telegram-2018.txt');
      await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 60_000 });
      await page.keyboard.press('Enter');
      await page.waitForSelector('.tab.active', { timeout: 20_000 });

      // Squiggles and the Problems panel.
      await page.waitForSelector('.monaco-editor .squiggly-warning', { timeout: 60_000 });
      await page.keyboard.press('Control+Shift+M');
      await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: 20_000 });
      await waitFor(async () => (await page.locator('.markers-panel').innerText()).includes('901,120 addresses of Google Cloud'), 20_000, 'the Google Cloud problem');
      // The status bar counts the list.
      await waitFor(async () => /1,844,224 IPv4 .* Google Cloud 901.1K/.test(await page.locator('.statusbar').innerText()), 20_000, 'the status bar');
      await page.screenshot({ path: join(artifacts, `${host.screenshots}1-diagnostics.png`) });
      // Its tooltip says which ownership data named the providers, and that the shipped data is months old, past the 90 days allowed.
      await page.locator('.statusbar-item', { hasText: '1,844,224 IPv4' }).hover();
      const tooltip = async () => (await page.locator('.monaco-hover, .workbench-hover').allInnerTexts()).join('\n');
      await waitFor(async () => (await tooltip()).includes('Ownership data: @ip-location-db/asn'), 20_000, 'the status bar tooltip');
      assert.match(await tooltip(), /Ownership data is \d+ days old \(older than 90\)/);
      // The host the extension runs in, as it found itself.
      assert.ok((await tooltip()).includes(`Runs in the ${host.name}.`), await tooltip());
      if (host.unavailable) {
        await page.mouse.move(700, 300);
        await runCommand(page, `Blocklist: ${host.unavailable}`);
        const said = `Blocklist: ${host.unavailable} is not available in VS Code for the Web`;
        // The toast, once it has slid in.
        await page.locator('.notification-toast.notification-fade-in-done', { hasText: said }).waitFor({ timeout: 20_000 });
        await page.screenshot({ path: join(artifacts, `${host.screenshots}1c-not-available.png`) });
        await page.keyboard.press('Escape');
      }
      await page.screenshot({ path: join(artifacts, `${host.screenshots}1b-status-tooltip.png`) });

      // Hover on 35.192.0.0/12 (line 20).
      await hoverAt(page, '20:3');
      const hoverText = async () => (await page.locator('.monaco-hover').allInnerTexts()).join('\n');
      // The owner table comes with the hover's Markdown, which may arrive after the diagnostics.
      const hover = page.locator('.monaco-hover', { has: page.locator('table') }).first();
      await hover.waitFor({ timeout: 20_000 });
      assert.match(await hoverText(), /35\.192\.0\.0\/12 blocks 1,048,576 addresses · Google Cloud 901,120 \(85\.9 %\), .* · none in the target telegram/);
      assert.match(await hoverText(), /Ownership data: @ip-location-db\/asn \S+ of \d{4}-\d{2}-\d{2} \(\d+ days old\)/);
      await page.screenshot({ path: join(artifacts, `${host.screenshots}2-hover.png`) });
      // The owner table's first row comes right under the diagnostics VS Code puts above the hover's Markdown.
      const placement = await hover.evaluate((widget) => {
        const box = widget.querySelector('.monaco-scrollable-element')!.getBoundingClientRect();
        const row = widget.querySelector('table tbody tr')!.getBoundingClientRect();
        const diagnostics = [...widget.querySelectorAll('.marker')].map((marker) => marker.getBoundingClientRect().bottom);
        return { top: box.top, bottom: box.bottom, rowTop: row.top, rowBottom: row.bottom, diagnostics: diagnostics.length, below: Math.max(...diagnostics) };
      });
      assert.ok(
        placement.rowTop >= placement.top && placement.rowBottom <= placement.bottom,
        `the owner table's first row is outside the hover's visible box: ${JSON.stringify(placement)}`,
      );
      assert.ok(placement.diagnostics > 0 && placement.rowTop >= placement.below, `the owner table's first row is not under the diagnostics: ${JSON.stringify(placement)}`);
      await page.keyboard.press('Escape');

      // The quick fix.
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget').first();
      await menu.waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(artifacts, `${host.screenshots}3-quick-fixes.png`) });
      await menu.locator('.monaco-list-row', { hasText: 'Exclude Google Cloud from 35.192.0.0/12' }).first().click();
      await waitFor(async () => !(await page.locator('.view-lines').innerText()).includes('35.192.0.0/12'), 20_000, 'the entry to be replaced');

      // The report, from the command palette.
      await runCommand(page, 'Blocklist: Show Audit Report');
      await waitFor(async () => (await page.locator('.tab').allInnerTexts()).some((t) => t.includes('Blocklist report')), 30_000, 'the report tab');
      const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await report.locator('text=IPv4 addresses by provider').waitFor({ timeout: 30_000 });
      // The status bar keeps the list's counts while its report is in front.
      await waitFor(async () => /\d IPv4/.test(await page.locator('.statusbar').innerText()), 20_000, 'the status bar with the report in front');
      assert.ok(await page.locator('.statusbar-item', { hasText: 'IPv4' }).isVisible(), 'the status bar item is hidden with the report in front');
      // A long provider name reads whole.
      assert.equal(await report.locator('table.bars th', { hasText: 'Amazon Web Services' }).first().innerText(), 'Amazon Web Services (cloud)');
      await page.screenshot({ path: join(artifacts, `${host.screenshots}4-report.png`) });
      // Under the organisations: which ownership data, of what day, and that it is out of date.
      const stale = report.locator('p.warning', { hasText: /Ownership data is \d+ days old \(older than 90\)/ });
      await stale.scrollIntoViewIfNeeded({ timeout: 30_000 });
      assert.match(await report.locator('p.muted', { hasText: 'Ownership data: @ip-location-db/asn' }).innerText(), /Its publisher warns/);
      await page.screenshot({ path: join(artifacts, `${host.screenshots}4b-report-ownership-data.png`) });
      // Every name and number of the provider tables shows whole in the narrow panel: none is cut short.
      const cut = await report
        .locator('table.bars th, table.bars td.num')
        .evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.textContent));
      assert.deepEqual(cut, [], 'cells of the report cut short');
    });
  });
}

test('a person opens an ipset save file: each set decides on its own, by its most specific entry', { timeout: 180_000 }, async () => {
  const vsix = join(root, 'blocklist-auditor.vsix');
  mkdirSync(artifacts, { recursive: true });
  await withEditor({ vsix }, async (server, page, folder) => {
    await openFile(page, server, folder, 'sets.ipset');
    // 256 - 16 + 1 in 203.0.113.0/24 (the /28 nomatch excepts, the /32 inside it blocks again), and 198.51.100.0/24; the allowlist is not counted.
    await waitFor(async () => /497 IPv4/.test(await page.locator('.statusbar').innerText()), 60_000, 'the status bar to count 497 IPv4 addresses');
    await page.keyboard.press('Control+Shift+M');
    await waitFor(async () => (await page.locator('.markers-panel').innerText()).includes('Already blocked by line 9'), 30_000, 'the covered 198.51.100.7');
    const problems = await page.locator('.markers-panel').innerText();
    assert.doesNotMatch(problems, /203\.0\.113\.4\)?: this entry|Already blocked by line 6/, '203.0.113.4 must not be called covered: the /28 exception lies between');

    await hoverAt(page, '8:10');
    const hoverText = async () => (await page.locator('.monaco-hover').allInnerTexts()).join('\n');
    await waitFor(async () => (await hoverText()).includes('In set bad'), 20_000, 'the hover to name the set');
    assert.match(await hoverText(), /the most specific entry decides/);
    await page.screenshot({ path: join(artifacts, '5-ipset-scopes.png') });
  });
});

test('a person opens a hosts.deny whose last line has no line break: libwrap denies every client, and the problems say so', { timeout: 180_000 }, async () => {
  const vsix = join(root, 'blocklist-auditor.vsix');
  mkdirSync(artifacts, { recursive: true });
  const prepare = (folder: string) => writeFileSync(join(folder, 'hosts.deny'), 'sshd: 192.0.2.4\nftpd: 198.51.100.0/24');
  await withEditor({ vsix, prepare }, async (server, page, folder) => {
    await openFile(page, server, folder, 'hosts.deny');
    await waitFor(async () => /4,294,967,296 IPv4/.test(await page.locator('.statusbar').innerText()), 60_000, 'the status bar to count every IPv4 address');
    await page.keyboard.press('Control+Shift+M');
    await waitFor(async () => (await page.locator('.markers-panel').innerText()).includes('libwrap cannot read this line'), 30_000, 'the error on line 2');
    await page.screenshot({ path: join(artifacts, '15-hosts-deny-no-line-break.png') });
  });
});

test('a person opens the 2018 example and reads, at the end of each large entry, its count and largest owner', { timeout: 180_000 }, async () => {
  const vsix = join(root, 'blocklist-auditor.vsix');
  mkdirSync(artifacts, { recursive: true });
  await withEditor({ vsix }, async (server, page, folder) => {
    await openFile(page, server, folder, 'telegram-2018.txt');
    // Monaco renders each hint as a span of its own in the line, after the entry's text (its class is a generated dyn-rule-N), spaces as no-break spaces.
    const hints = () =>
      page
        .locator('.monaco-editor .view-line > span > span')
        .evaluateAll((spans) => spans.map((span) => span.textContent?.replaceAll('\u00a0', ' ') ?? '').filter((text) => text.includes(' · ')));
    await waitFor(async () => (await hints()).includes('1,048,576 · Google Cloud 85.9 %'), 60_000, 'the inlay hint of 35.192.0.0/12');
    // One for each of the 15 entries, all larger than 256 addresses; none on the comments.
    assert.equal((await hints()).length, 15);
    const line = await page.locator('.monaco-editor .view-line', { hasText: '35.192.0.0/12' }).innerText();
    assert.equal(line.replaceAll('\u00a0', ' '), '35.192.0.0/121,048,576 · Google Cloud 85.9 %');
    await page.screenshot({ path: join(artifacts, '6-inlay-hints.png') });
    // The breadcrumbs follow the outline: the section the cursor is in, then its entry.
    await goTo(page, '21:3');
    const crumbs = async () => (await page.locator('.breadcrumbs-control').innerText()).replaceAll('\n', ' ');
    // The click that focuses the editor puts the cursor in the same section first: wait for the entry of line 21 itself.
    const expected = /Cloud subnets reported blocked on 16-17 April 2018.*35\.156\.0\.0\/14/;
    await waitFor(async () => expected.test(await crumbs()), 30_000, 'the breadcrumbs to name the section and the entry of line 21');
    await page.screenshot({ path: join(artifacts, '6b-breadcrumbs.png') });
  });
});

/** The 2018 story as a repository: Telegram's networks committed, the cloud subnets added since, not committed yet. */
function storyRepository(folder: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
  const example = readFileSync(join(folder, 'telegram-2018.txt'), 'utf8');
  writeFileSync(join(folder, 'telegram-2018.txt'), example.slice(0, example.indexOf('#\n# Cloud subnets')));
  git('init', '-q');
  git('config', 'user.name', 'Blocklist Test');
  git('config', 'user.email', 'test@blocklist.invalid');
  git('add', 'telegram-2018.txt');
  git('commit', '-q', '-m', "Telegram's networks");
  writeFileSync(join(folder, 'telegram-2018.txt'), example);
}

test('a person reviews a change: what an added line adds since HEAD, who committed a line, the net in the status bar, and the change report', { timeout: 180_000 }, async () => {
  const vsix = join(root, 'blocklist-auditor.vsix');
  mkdirSync(artifacts, { recursive: true });
  await withEditor({ vsix, settings: { 'git.enabled': true }, prepare: storyRepository }, async (server, page, folder) => {
    await openFile(page, server, folder, 'telegram-2018.txt');
    await waitFor(async () => /\+1\.8M −0 since HEAD/.test(await page.locator('.statusbar').innerText()), 60_000, 'the status bar to show the change since HEAD');
    const hoverText = async () => (await page.locator('.monaco-hover').allInnerTexts()).join('\n');
    await hoverAt(page, '20:3');
    await waitFor(async () => (await hoverText()).includes('Added since HEAD: +1,048,576 addresses, 901,120 of Google Cloud'), 20_000, 'the hover to say what line 20 adds');
    await page.screenshot({ path: join(artifacts, '7-added-since-head.png') });
    await page.keyboard.press('Escape');
    // A committed line names its commit, as git blame says; the file must be saved for blame to match its lines.
    await page.keyboard.press('Control+S');
    await hoverAt(page, '9:3');
    await waitFor(async () => (await hoverText()).includes('Added by commit'), 30_000, 'the hover to name the commit');
    // Text appended to a MarkdownString keeps its spaces as no-break spaces.
    assert.match((await hoverText()).replaceAll('\u00a0', ' '), /Added by commit [0-9a-f]{10} by Blocklist Test on \d{4}-\d{2}-\d{2}: Telegram's networks/);
    assert.doesNotMatch(await hoverText(), /Added since HEAD/);
    await page.screenshot({ path: join(artifacts, '8-commit-hover.png') });
    await page.keyboard.press('Escape');

    await runCommand(page, 'Blocklist: Compare with HEAD');
    await waitFor(async () => (await page.locator('.tab').allInnerTexts()).some((t) => t.includes('Blocklist change')), 30_000, 'the change report tab');
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await report.locator('text=IPv4 addresses added, by provider').waitFor({ timeout: 30_000 });
    assert.match(await report.locator('h1').innerText(), /^Blocklist change: telegram-2018\.txt since HEAD$/);
    assert.equal(await report.locator('table.bars th', { hasText: 'Google Cloud' }).first().innerText(), 'Google Cloud (cloud)');
    assert.equal(await report.locator('ul.entries li', { hasText: '35.192.0.0/12' }).first().innerText(), '+ line 20: 35.192.0.0/12 (1,048,576)');
    // By organisation: the catalog's providers go by their names, with their ASNs.
    assert.equal(await report.locator('table.bars th', { hasText: '(AS15169' }).first().innerText(), 'Google (AS15169, AS19527)');
    await page.screenshot({ path: join(artifacts, '9-change-report.png') });

    // The audit report charts the list's history: what it blocked after each commit.
    await page.locator('.tab', { hasText: 'telegram-2018.txt' }).first().click();
    await runCommand(page, 'Blocklist: Show Audit Report');
    const audit = page.frameLocator('iframe.webview.ready >> nth=-1').frameLocator('iframe#active-frame');
    const history = audit.locator('h2', { hasText: 'History: IPv4 addresses blocked after its one commit' });
    await history.scrollIntoViewIfNeeded({ timeout: 30_000 });
    assert.match(await audit.locator('table.bars tr', { hasText: "Telegram's networks" }).last().innerText(), /\d{4}-\d{2}-\d{2} [0-9a-f]{7} Telegram's networks\s+9,216/);
    await page.screenshot({ path: join(artifacts, '10-report-history.png') });
  });
});

// The workspace index reads the folder's files through the client in the web worker host.
for (const host of HOSTS) {
  test(`a person asks which lists block an address: the Blocking Entries view, each line a click away, and Ctrl+T (${host.name})`, { timeout: 180_000 }, async () => {
    const vsix = join(root, 'blocklist-auditor.vsix');
    mkdirSync(artifacts, { recursive: true });
    await withEditor({ vsix, settings: host.settings }, async (server, page, folder) => {
      await openFile(page, server, folder, 'sets.ipset');
      await runCommand(page, 'Blocklist: Find Blocking Entries');
      await page.waitForSelector('.quick-input-widget input', { timeout: 20_000 });
      await page.fill('.quick-input-widget input', '203.0.113.4');
      await page.keyboard.press('Enter');
      const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Blocking Entries' }) });
      // Room for the view: the folder's files fold away.
      await page.locator('.pane-header', { hasText: /blocklist-ws-/ }).click();
      const rows = () => view.locator('.monaco-list-row').allInnerTexts();
      await waitFor(async () => (await rows()).some((row) => row.includes('line 8: 203.0.113.4')), 60_000, 'the view to list the deciding entry');
      const listed = (await rows()).map((row) => row.replaceAll('\n', ' '));
      assert.ok(
        listed.some((row) => /sets\.ipset.*blocks 1 address/.test(row)),
        listed.join(' | '),
      );
      assert.ok(
        listed.some((row) => /line 7: 203\.0\.113\.0\/28.*set bad · excepts 0 of 1/.test(row)),
        listed.join(' | '),
      );
      assert.ok(
        listed.some((row) => /line 8: 203\.0\.113\.4.*set bad · blocks 1 of 1/.test(row)),
        listed.join(' | '),
      );
      assert.ok(
        listed.some((row) => /line 11: 203\.0\.113\.0\/24.*set trusted · allows 1 of 1/.test(row)),
        listed.join(' | '),
      );
      await page.screenshot({ path: join(artifacts, `${host.screenshots}11-blocking-entries.png`) });
      // A click opens the line.
      await view.locator('.monaco-list-row', { hasText: 'line 8: 203.0.113.4' }).click();
      await waitFor(async () => /Ln 8, Col 20 \(11 selected\)/.test(await page.locator('.statusbar').innerText()), 20_000, 'the entry on line 8 selected');

      // Ctrl+T: the symbols' names start with the address typed, so the editor's fuzzy filter keeps them.
      await page.keyboard.press('Control+T');
      await page.waitForSelector('.quick-input-widget input', { timeout: 20_000 });
      await page.keyboard.type('203.0.113.4');
      await waitFor(
        async () => (await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).some((row) => row.includes('203.0.113.4 ∈ 203.0.113.4')),
        30_000,
        'workspace symbols for the address',
      );
      await page.screenshot({ path: join(artifacts, `${host.screenshots}12-workspace-symbols.png`) });
      await page.keyboard.press('Escape');

      // The workspace report: both lists, and what they block in common (sets.ipset's 497 addresses, none in the 2018 list).
      await runCommand(page, 'Blocklist: Show Workspace Report');
      await waitFor(async () => (await page.locator('.tab').allInnerTexts()).some((t) => t.includes('Blocklist workspace report')), 30_000, 'the workspace report tab');
      const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await report.locator('table.heatmap').waitFor({ timeout: 30_000 });
      assert.match(await report.locator('h1').innerText(), /^Blocklist workspace report: 2 lists$/);
      assert.deepEqual(await report.locator('table.heatmap tr', { hasText: '1. sets.ipset' }).locator('td').allInnerTexts(), ['497', '0 (0 %)']);
      await page.screenshot({ path: join(artifacts, `${host.screenshots}13-workspace-report.png`) });
    });
  });
}

test('a person keeps a feed and a list of their own loaded into one set: the entries the feed blocks already are covered elsewhere', { timeout: 180_000 }, async () => {
  const vsix = join(root, 'blocklist-auditor.vsix');
  mkdirSync(artifacts, { recursive: true });
  const prepare = (folder: string) => {
    mkdirSync(join(folder, 'feeds'));
    writeFileSync(join(folder, 'feeds/drop.netset'), '# the feed, loaded first\n198.51.100.0/24\n');
    writeFileSync(join(folder, 'local.blocklist'), '# ours, loaded after the feed\n198.51.100.0/25\n192.0.2.1\n');
  };
  await withEditor({ vsix, prepare, settings: { 'blocklist.groups': [['feeds/*.netset', 'local.blocklist']] } }, async (server, page, folder) => {
    await openFile(page, server, folder, 'local.blocklist');
    await page.keyboard.press('Control+Shift+M');
    const said = 'Already blocked by the lists loaded before this one in its group, such as drop.netset line 2 (198.51.100.0/24): none of its 128 addresses is new to the set.';
    await waitFor(async () => (await page.locator('.markers-panel').innerText()).includes(said), 60_000, 'the covered-elsewhere problem');
    const problems = await page.locator('.markers-panel').innerText();
    assert.match(problems, /covered-elsewhere/);
    assert.doesNotMatch(problems, /192\.0\.2\.1\)?: none of/, 'an address the feed does not block is not covered elsewhere');
    await page.screenshot({ path: join(artifacts, '14-covered-elsewhere.png') });
  });
});
