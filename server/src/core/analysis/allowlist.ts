/** The entries of an allowlist as protected networks, each named and placed by its file and line, for the other lists' audits. */
import { AddressSet } from '../addresses/addressSet';
import { IPV4, IPV6 } from '../addresses/family';
import type { BlocklistDocument } from '../document/document';
import { columnOf } from '../formats/format';
import type { NamedNetworks } from '../ownership/addressSpec';

/** Every entry of `document` (an allowlist; `file` names it, a path or a URI): `customers.txt:2 203.0.113.0/26`. */
export function listedNetworks(file: string, document: BlocklistDocument): NamedNetworks[] {
  const table = document.entries;
  const name = file.slice(file.lastIndexOf('/') + 1);
  const listed: NamedNetworks[] = [];
  for (let k = 0; k < table.count; k++) {
    if (table.conditional[k]) continue;
    const [start, end, line] = [table.start[k], table.end[k], table.line[k]];
    const v4 = table.version[k] === 4;
    listed.push({
      label: `${name}:${line + 1} ${document.text.slice(start, end)}`,
      ipv4: v4 ? AddressSet.range(IPV4, table.lo4[k], table.hi4[k]) : AddressSet.empty(IPV4),
      ipv6: v4 ? AddressSet.empty(IPV6) : AddressSet.range(IPV6, table.lo6[k], table.hi6[k]),
      origin: { file, line, start, end, column: columnOf(document.text, start) },
    });
  }
  return listed;
}

/** Whether a document is an allowlist by its own word: `# blocklist-role: allow` with no scope named. */
export function saysAllowlist(document: BlocklistDocument): boolean {
  return document.scopes[0].role === 'allow';
}
