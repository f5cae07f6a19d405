/**
 * The hover's Markdown quotes names from the ASN data as the text they are:
 * real organisations whose names hold `|`, `*`, `[` or a backtick, hovered
 * over the language server with the real data.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

// oxfmt-ignore
const HOLDERS: readonly [entry: string, row: string][] = [
  ['45.229.100.0/22', '| BRASIL TECPAR \\| AMIGO \\| AVATO | AS267147 | 1,024 | 100 % |'],
  ['8.41.80.0/23', '| E\\*TRADE Financial Corporation | AS6352 | 512 | 100 % |'],
  ['91.228.243.0/24', '| regio\\[.NET\\] Holding GmbH | AS8804 | 256 | 100 % |'],
  ['185.25.88.0/22', '| O\\`KEY, Limited Liability Company | AS60832 | 1,024 | 100 % |'],
];

let client: LspClient;

before(async () => {
  ({ client } = await LspClient.start({ pull: true }));
  await client.open('file:///holders.txt', HOLDERS.map(([entry]) => entry).join('\n'));
});

after(async () => {
  await client.stop();
});

HOLDERS.forEach(([entry, row], line) => {
  test(`the hover on ${entry} escapes its holder's name in the owner table`, async () => {
    const hover = await client.hover('file:///holders.txt', line, 1);
    assert.ok(hover, 'no hover');
    const markdown = (hover.contents as MarkupContent).value;
    assert.ok(markdown.split('\n').includes(row), markdown);
    // Every row of the table has its four cells: no name splits one.
    for (const tableRow of markdown.split('\n').filter((text) => text.startsWith('|'))) {
      assert.equal(tableRow.split(/(?<!\\)\|/).length - 2, 4, tableRow);
    }
  });
});
