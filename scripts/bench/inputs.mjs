// The bench's inputs (issue 12), built from ../shared/corpus in place and from
// a fixed seed, each written to a file in the caller's scratch folder: the
// corpus concatenation, the 200 K real list, the largest single list, and
// generated lists of any length.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import oracles from '../../out/test/oracle/oracles.js';

export const { corpus } = oracles;

/** An input: its file, its number of entries and its length in characters. */
function written(file, lines) {
  const text = lines.join('\n') + '\n';
  writeFileSync(file, text);
  return { file, entries: lines.filter((line) => !line.startsWith('#')).length, characters: text.length };
}

const linesOf = (name) => readFileSync(join(corpus, name), 'utf8').split('\n');
const namesIn = (folder, pattern) =>
  readdirSync(join(corpus, folder))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => `${folder}/${name}`);

/** Every FireHOL netset and ipset, every rkn .lst and lord-alfred's IPv4 ranges, their lines that start with a digit. */
export function corpusConcatenation(scratch) {
  const names = [...namesIn('firehol', /\.(netset|ipset)$/), ...namesIn('rkn', /\.lst$/), 'cloud/lordalfred_all_ipv4.txt'];
  return written(
    join(scratch, 'corpus-ipv4.txt'),
    names.flatMap(linesOf).filter((line) => /^\d/.test(line)),
  );
}

/** The first 200,000 non-comment lines of firehol_level4.netset followed by blocklist_de.ipset. */
export function realList(scratch) {
  const lines = ['firehol/firehol_level4.netset', 'firehol/blocklist_de.ipset'].flatMap(linesOf).filter((line) => !/^\s*(#|$)/.test(line));
  return written(join(scratch, 'real-200k.txt'), lines.slice(0, 200_000));
}

/** The largest single list of the corpus, as it is. */
export function largestList() {
  const file = join(corpus, 'firehol/ipip_continent_eu.netset');
  const text = readFileSync(file, 'utf8');
  return { file, entries: text.split('\n').filter((line) => /^\d/.test(line)).length, characters: text.length };
}

/** A deterministic list of a comment line and `lines - 1` entries: mostly single addresses, some /24 and /16, a few duplicates and overlaps. */
export function generatedList(scratch, lines) {
  let seed = 42;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = ['# generated benchmark list'];
  for (let i = 1; i < lines; i++) {
    const a = 1 + Math.floor(random() * 222);
    const address = `${a}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
    const r = random();
    out.push(r < 0.8 ? `${address}.${Math.floor(random() * 256)}` : r < 0.97 ? `${address}.0/24` : `${a}.${Math.floor(random() * 256)}.0.0/16`);
  }
  return written(join(scratch, `generated-${lines}.txt`), out);
}
