// Compiles the ASN data of the npm package @ip-location-db/asn (RouteViews,
// NRO and DB-IP data, CC BY 4.0) into dist/asn.bin: what the data is (source,
// date, credit, caveat), then typed arrays plus a string table, loaded without
// parsing by server/src/core/ownership/asnIndex.ts, which documents the
// layout. Called by scripts/build.mjs.
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const MAGIC = 'BLASN002';
const PACKAGE = '@ip-location-db/asn';
const source = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));

/** The publisher's notice, in its README, that the data published to npm is wrong. */
const NPM_NOTICE = 'contains bugs resulting in incorrect data';
const CAVEAT =
  "Its publisher warns that the data it published to npm contains bugs resulting in incorrect data, that npm updates are deprecated and will stop, and that corrected data is in the project's GitHub Releases.";

/**
 * Which data the index holds (server/src/core/ownership/dataAbout.ts). The
 * package has no date field: the publisher's daily job versions each build
 * MAJOR.MINOR.YYYYMMDDHH, the hour it made the data, so the version's last
 * part is the day the data describes. The caveat is the package README's
 * own, while the README still gives it.
 */
function dataAbout() {
  const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const stamp = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  if (!stamp) throw new Error(`${PACKAGE} ${version}: the version does not end in the data's date (YYYYMMDDHH); say in scripts/build-asn-index.mjs where its date is.`);
  const warned = readFileSync(join(source, 'README.md'), 'utf8').includes(NPM_NOTICE);
  return {
    source: PACKAGE,
    version,
    date: `${stamp[1]}-${stamp[2]}-${stamp[3]}`,
    credit: 'RouteViews, NRO and DB-IP (IP Geolocation by DB-IP), CC BY 4.0',
    ...(warned ? { caveat: CAVEAT } : {}),
  };
}

/** Splits one CSV line: numbers, numbers, ASN, organisation (possibly quoted with "" escapes). */
function splitRow(line) {
  const [start, end, asn] = line.split(',', 3);
  let name = line.slice(start.length + end.length + asn.length + 3);
  if (name.startsWith('"')) name = name.slice(1, -1).replaceAll('""', '"');
  return [start, end, Number(asn), name];
}

const target = 'dist/asn.bin';
const script = new URL(import.meta.url).pathname;
const newest = Math.max(statSync(join(source, 'package.json')).mtimeMs, statSync(script).mtimeMs);

async function readRows(file) {
  const rows = [];
  for await (const line of createInterface({ input: createReadStream(join(source, file)) })) {
    if (line.length > 0) rows.push(splitRow(line));
  }
  return rows;
}

/**
 * The package's rows are sorted by start, but a few overlap (its README warns
 * of data bugs). Resolve as routing does: the narrower range wins, and the
 * part of the wider one past the narrower's end goes back in, in order.
 */
function resolveOverlaps(rows, family) {
  const out = [];
  const queue = rows.map(([start, end, asn, name]) => ({ start: BigInt(start), end: BigInt(end), asn, name }));
  let resolved = 0;
  for (let k = 0; k < queue.length; k++) {
    const row = queue[k];
    const last = out.at(-1);
    if (last && row.start <= last.end) {
      resolved++;
      if (last.end - last.start <= row.end - row.start) {
        row.start = last.end + 1n;
        if (row.start <= row.end) insertSorted(queue, k + 1, row);
        continue;
      }
      if (last.end > row.end) insertSorted(queue, k + 1, { ...last, start: row.end + 1n });
      last.end = row.start - 1n;
      if (last.end < last.start) out.pop();
    }
    out.push(row);
  }
  if (resolved > 0) console.log(`${family}: ${resolved} overlapping ranges resolved (the narrower range wins)`);
  return out;
}

function insertSorted(queue, from, row) {
  let k = from;
  while (k < queue.length && queue[k].start < row.start) k++;
  queue.splice(k, 0, row);
}

/** Writes dist/asn.bin unless it is newer than the data package and this script. */
export async function buildAsnIndex() {
  if (existsSync(target) && statSync(target).mtimeMs > newest) return;
  const [v4, v6] = await Promise.all([readRows('asn-ipv4-num.csv'), readRows('asn-ipv6-num.csv')]);

  // One holder per (ASN, organisation) pair; names in one UTF-8 table.
  const holders = new Map();
  const holderOf = (asn, name) => {
    const key = `${asn}\u0000${name}`;
    if (!holders.has(key)) holders.set(key, { index: holders.size, asn, name });
    return holders.get(key).index;
  };

  const ipv4 = resolveOverlaps(v4, 'IPv4');
  const ipv6 = resolveOverlaps(v6, 'IPv6');

  const v4Start = new Uint32Array(ipv4.length);
  const v4End = new Uint32Array(ipv4.length);
  const v4Holder = new Uint32Array(ipv4.length);
  ipv4.forEach(({ start, end, asn, name }, k) => {
    v4Start[k] = Number(start);
    v4End[k] = Number(end);
    v4Holder[k] = holderOf(asn, name);
  });

  /** 128-bit numbers as four 32-bit words, most significant first. */
  const v6Start = new Uint32Array(ipv6.length * 4);
  const v6End = new Uint32Array(ipv6.length * 4);
  const v6Holder = new Uint32Array(ipv6.length);
  const putWords = (target, k, value) => {
    for (let w = 0; w < 4; w++) target[k * 4 + w] = Number((value >> BigInt(96 - 32 * w)) & 0xffffffffn);
  };
  ipv6.forEach(({ start, end, asn, name }, k) => {
    putWords(v6Start, k, start);
    putWords(v6End, k, end);
    v6Holder[k] = holderOf(asn, name);
  });

  const encoder = new TextEncoder();
  const holderList = [...holders.values()];
  const holderAsn = Uint32Array.from(holderList, (h) => h.asn);
  const encodedNames = holderList.map((h) => encoder.encode(h.name));
  const nameOffsets = new Uint32Array(holderList.length + 1);
  encodedNames.forEach((bytes, k) => (nameOffsets[k + 1] = nameOffsets[k] + bytes.length));
  const names = new Uint8Array(nameOffsets[holderList.length]);
  encodedNames.forEach((bytes, k) => names.set(bytes, nameOffsets[k]));

  // Padded with spaces, which JSON ignores, to keep the sections after it 4-byte aligned.
  const aboutJson = encoder.encode(JSON.stringify(dataAbout()));
  const about = new Uint8Array(Math.ceil(aboutJson.length / 4) * 4).fill(0x20);
  about.set(aboutJson);
  const header = new Uint32Array([ipv4.length, ipv6.length, holderList.length, names.length]);
  const sections = [encoder.encode(MAGIC), new Uint32Array([about.length]), about, header, v4Start, v4End, v4Holder, v6Start, v6End, v6Holder, holderAsn, nameOffsets, names];
  const chunks = sections.map((s) => new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
  mkdirSync('dist', { recursive: true });
  writeFileSync(target, Buffer.concat(chunks));
  console.log(`${target}: ${ipv4.length} IPv4 and ${ipv6.length} IPv6 ranges, ${holderList.length} holders, ${(Buffer.concat(chunks).length / 1e6).toFixed(1)} MB`);
}
