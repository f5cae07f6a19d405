/**
 * `merge`, `ranges`, `count`, `common` and `except` against FireHOL iprange
 * on every plain IPv4 list of the corpus, and against Python netaddr on the
 * IPv6 and mixed lists: byte-identical output, equal counts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseDocument } from '../../server/src/core/document/document';
import { aggregate } from '../../server/src/core/fixes/fixes';
import { applyEdits } from '../../server/src/core/fixes/rewrite';
import { detectFormat } from '../../server/src/core/formats/registry';
import { corpus, iprange, ipv4Lists, ipv6Lists, netaddr, root, withPrefixes } from './oracles';

function cli(args: string[]): string {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function count(files: string[]): { ipv4: { entries: number; addresses: string }; ipv6: { entries: number; addresses: string } } {
  return JSON.parse(cli(['count', '--json', ...files]));
}

const scratch = mkdtempSync(join(tmpdir(), 'blocklist-oracle-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('IPv4 lists against iprange', () => {
  const lists = ipv4Lists();
  test('the corpus has the IPv4 lists ORACLES.md describes', () => {
    assert.ok(lists.length >= 30, `found ${lists.length} lists`);
    assert.ok(lists.includes(join(corpus, 'firehol/firehol_level1.netset')));
  });

  test('the oracle wiring reproduces ORACLES.md for firehol_level1', () => {
    assert.equal(iprange(['-C', join(corpus, 'firehol/firehol_level1.netset')]).trim(), '2511,618830080');
  });

  for (const file of lists) {
    test(`${basename(file)}: merge, ranges and count equal iprange`, () => {
      assert.equal(cli(['merge', file]), withPrefixes(iprange([file])));
      assert.equal(cli(['ranges', file]), iprange(['-j', file]).replace(/^([^-\n]+)$/gm, '$1-$1'));
      const [entries, addresses] = iprange(['-C', file]).trim().split(',');
      assert.deepEqual(count([file]).ipv4, { entries: Number(entries), addresses });
    });
  }

  test('all IPv4 lists concatenated (about 1.3 million entries)', () => {
    const all = join(scratch, 'all-ipv4.txt');
    writeFileSync(all, lists.map((file) => spawnSync('cat', [file], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout.replace(/\n?$/, '\n')).join(''));
    assert.equal(cli(['merge', all]), withPrefixes(iprange([all])));
    assert.equal(count([all]).ipv4.addresses, iprange(['-C', all]).trim().split(',')[1]);
  });

  const pairs: [string, string][] = [
    ['firehol/firehol_level1.netset', 'firehol/firehol_level2.netset'],
    ['rkn/alexeys85_ip_all.lst', 'cloud/lordalfred_all_ipv4.txt'],
    ['firehol/spamhaus_drop.netset', 'misc/spamhaus_drop_onezero.txt'],
  ];
  for (const [a, b] of pairs) {
    test(`common and except of ${basename(a)} and ${basename(b)} equal iprange's`, () => {
      const [fileA, fileB] = [join(corpus, a), join(corpus, b)];
      assert.equal(cli(['common', fileA, fileB]), withPrefixes(iprange([fileA, '--common', fileB])));
      assert.equal(cli(['except', fileA, fileB]), withPrefixes(iprange([fileA, '--except', fileB])));
    });
  }
});

describe('aggregating a real list in place equals the oracles merge', () => {
  for (const name of ['firehol/firehol_level1.netset', 'rkn/antifilter_subnet.lst', 'misc/spamhaus_drop_secops_2024.txt']) {
    test(`aggregate ${basename(name)}`, () => {
      const file = join(corpus, name);
      const text = readFileSync(file, 'utf8');
      const aggregated = applyEdits(text, aggregate(parseDocument(text, detectFormat(basename(file), text))));
      const written = join(scratch, `aggregated-${basename(file)}`);
      writeFileSync(written, aggregated);
      // The rewritten file holds the minimal CIDR list (in the places of the first entries), so iprange finds nothing to merge.
      assert.equal(withPrefixes(iprange([written])), withPrefixes(iprange([file])));
      const entries = aggregated.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).length;
      assert.equal(entries, iprange([file]).trim().split('\n').length);
      // Comments stay.
      assert.equal(aggregated.split('\n').filter((line) => line.startsWith('#')).length, text.split('\n').filter((line) => line.startsWith('#')).length);
    });
  }
});

describe('IPv6 and mixed lists against netaddr', () => {
  test('the oracle wiring reproduces ORACLES.md for lordalfred_all_ipv6_merged', () => {
    assert.equal(netaddr([join(corpus, 'cloud/lordalfred_all_ipv6_merged.txt')]).size, 5224831395368705450819895695507552n);
  });

  for (const file of ipv6Lists()) {
    test(`${basename(file)}: merge, ranges and count equal netaddr`, () => {
      const oracle = netaddr([file]);
      assert.equal(cli(['merge', file]), oracle.lines);
      assert.equal(cli(['ranges', file]), netaddr([file], true).lines);
      const counted = count([file]);
      assert.equal(BigInt(counted.ipv4.addresses) + BigInt(counted.ipv6.addresses), oracle.size);
    });
  }
});
