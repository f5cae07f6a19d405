/** Names and file text in exports: CSV fields a spreadsheet never runs as formulas, Markdown that renders as the text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, csvRecord } from '../../server/src/core/primitives/csv';
import { markdownText } from '../../server/src/core/primitives/markdown';

// oxfmt-ignore
const CSV: readonly [value: string | number | bigint, field: string][] = [
  ['Google LLC', 'Google LLC'],
  ['@SONET COLOMBIA SAS', "'@SONET COLOMBIA SAS"],
  ['+Net & Telecom', "'+Net & Telecom"],
  ['-Reserved AS-', "'-Reserved AS-"],
  ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ['=1+2', "'=1+2"],
  ['\tindented', "'\tindented"],
  ['\rcarriage', `"'\rcarriage"`],
  ['-12', '-12'], // numbers stay numbers
  ['+3.5', '+3.5'],
  [-7, '-7'],
  [2n ** 80n, '1208925819614629174706176'],
  ['-1+2', "'-1+2"],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['', ''],
];

for (const [value, field] of CSV) {
  test(`CSV field ${JSON.stringify(String(value))} is ${JSON.stringify(field)}`, () => {
    assert.equal(csvField(value), field);
  });
}

test('a CSV record is its fields, comma-separated, and a line break', () => {
  assert.equal(csvRecord(['organisation', '@Works Srl (AS197290)', 1024n]), "organisation,'@Works Srl (AS197290),1024\n");
});

// oxfmt-ignore
const MARKDOWN: readonly [text: string, markdown: string][] = [
  ['Google LLC', 'Google LLC'],
  ['BRASIL TECPAR | AMIGO | AVATO', 'BRASIL TECPAR \\| AMIGO \\| AVATO'],
  ['E*TRADE Financial Corporation', 'E\\*TRADE Financial Corporation'],
  ['regio[.NET] Holding GmbH', 'regio\\[.NET\\] Holding GmbH'],
  ['O`KEY, Limited Liability Company', 'O\\`KEY, Limited Liability Company'],
  ['Tehran_Electric_Energy_Distribution', 'Tehran\\_Electric\\_Energy\\_Distribution'],
  ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
  ['AT&amp;T', 'AT\\&amp;T'],
  ['back\\slash', 'back\\\\slash'],
  ['~~struck~~', '\\~\\~struck\\~\\~'],
  ['two\r\nlines', 'two lines'],
  ['10.1.2.*', '10.1.2.\\*'],
];

for (const [text, markdown] of MARKDOWN) {
  test(`Markdown of ${JSON.stringify(text)} is ${JSON.stringify(markdown)}`, () => {
    assert.equal(markdownText(text), markdown);
  });
}
