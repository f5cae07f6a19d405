import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIPv4, formatIPv6, ParsedEntry, parseEntry, type Problem } from '../../server/src/core';

/** Parses one entry and describes it as `first-last /prefix form`, or the problems found. */
function read(text: string): { result: string; problems: string[] } {
  const problems: Problem[] = [];
  const entry = new ParsedEntry();
  const ok = parseEntry(text, 0, text.length, problems, entry);
  const described = problems.map((p) => `${p.code}@${p.start}-${p.end}`);
  if (!ok) return { result: 'invalid', problems: described };
  const [lo, hi] = entry.version === 4 ? [formatIPv4(entry.lo4), formatIPv4(entry.hi4)] : [formatIPv6(entry.lo6), formatIPv6(entry.hi6)];
  return { result: `${lo}-${hi} /${entry.prefix} ${entry.form}`, problems: described };
}

const accepted: [input: string, expected: string, problems?: string[]][] = [
  ['1.2.3.4', '1.2.3.4-1.2.3.4 /32 address'],
  ['0.0.0.0/0', '0.0.0.0-255.255.255.255 /0 cidr'],
  ['255.255.255.255', '255.255.255.255-255.255.255.255 /32 address'],
  ['10.0.0.0/8', '10.0.0.0-10.255.255.255 /8 cidr'],
  ['35.192.0.0/12', '35.192.0.0-35.207.255.255 /12 cidr'],
  ['1.2.3.4/24', '1.2.3.0-1.2.3.255 /24 cidr', ['host-bits-set@0-10']],
  ['9.9.9.9/0', '0.0.0.0-255.255.255.255 /0 cidr', ['host-bits-set@0-9']],
  ['5.5.5.5/255.255.255.0', '5.5.5.0-5.5.5.255 /24 netmask', ['host-bits-set@0-21']],
  ['1.2.3.0/255.255.255.255', '1.2.3.0-1.2.3.0 /32 netmask'],
  ['10.1.2.*', '10.1.2.0-10.1.2.255 /24 glob'],
  ['10.1.*.*', '10.1.0.0-10.1.255.255 /16 glob'],
  ['010.1.1.1', '10.1.1.1-10.1.1.1 /32 address', ['leading-zeros@0-3']],
  ['192.168.1.10-192.168.1.20', '192.168.1.10-192.168.1.20 /-1 range'],
  ['192.168.1.10 - 192.168.1.20', '192.168.1.10-192.168.1.20 /-1 range'],
  ['10.0.0.0 - 10.0.0.255', '10.0.0.0-10.0.0.255 /24 range'],
  ['10.0.0.0/30 - 10.0.0.8/30', '10.0.0.0-10.0.0.11 /-1 range'],
  ['1.1.1.1-1.1.1.1', '1.1.1.1-1.1.1.1 /32 range'],
  ['::', '::-:: /128 address'],
  ['::1', '::1-::1 /128 address'],
  ['2001:DB8::/32', '2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff /32 cidr'],
  ['2001:db8::1/64', '2001:db8::-2001:db8::ffff:ffff:ffff:ffff /64 cidr', ['host-bits-set@0-14']],
  ['::ffff:1.2.3.4', '::ffff:1.2.3.4-::ffff:1.2.3.4 /128 address'],
  ['64:ff9b::192.0.2.1', '64:ff9b::c000:201-64:ff9b::c000:201 /128 address'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1-2001:db8::1:0:0:1 /128 address'],
  ['::/0', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff /0 cidr'],
  ['2001:db8::1 - 2001:db8::ff', '2001:db8::1-2001:db8::ff /-1 range'],
];

for (const [input, expected, problems = []] of accepted) {
  test(`reads ${JSON.stringify(input)}`, () => {
    assert.deepEqual(read(input), { result: expected, problems });
  });
}

const rejected: [input: string, problem: string][] = [
  ['256.1.1.1', 'invalid-entry@0-3'],
  ['1.2.3.4/33', 'invalid-entry@7-10'],
  ['2001:db8::/129', 'invalid-entry@10-14'],
  ['1.2.3', 'invalid-entry@0-5'],
  ['1.2.3.4.5', 'invalid-entry@0-9'],
  ['1.2.3.', 'invalid-entry@5-6'],
  ['1.2.x.4', 'invalid-entry@4-5'],
  ['5.5.5.5-5.5.5.1', 'invalid-entry@0-15'],
  ['1.2.3.4-::1', 'invalid-entry@0-11'],
  ['10.0.0.0/255.0.255.0', 'invalid-entry@9-20'],
  ['1.2.3.4/', 'invalid-entry@7-8'],
  ['1.2.3.4/2x', 'invalid-entry@7-10'],
  ['1.*.3.*', 'invalid-entry@0-7'],
  ['1:2:3:4:5:6:7:8:9', 'invalid-entry@16-17'],
  ['1::2::3', 'invalid-entry@4-6'],
  ['12345::', 'invalid-entry@0-5'],
  ['fe80::1%eth0', 'invalid-entry@7-12'],
  [':1', 'invalid-entry@0-1'],
  ['1:', 'invalid-entry@1-2'],
  ['hello', 'invalid-entry@0-5'],
  ['not-an-address', 'invalid-entry@0-14'],
  ['-', 'invalid-entry@0-1'],
  ['1.2.3.4-', 'invalid-entry@0-8'],
];

for (const [input, problem] of rejected) {
  test(`rejects ${JSON.stringify(input)} with a positioned problem`, () => {
    assert.deepEqual(read(input), { result: 'invalid', problems: [problem] });
  });
}

test('messages say what to write instead', () => {
  const problems: Problem[] = [];
  parseEntry('1.2.3.4/24', 0, 10, problems, new ParsedEntry());
  assert.match(problems[0].message, /Write 1\.2\.3\.0\/24/);
  problems.length = 0;
  parseEntry('010.1.1.1', 0, 9, problems, new ParsedEntry());
  assert.match(problems[0].message, /octal/);
});
