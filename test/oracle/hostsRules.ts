/**
 * Random hosts.deny (and hosts.allow) rules as people write them, for the
 * differential tests against tcpdmatch (accessRules.test.ts,
 * hostsAllow.test.ts): each rule's text and the blocks its clients name.
 */
import fc from 'fast-check';
import { formatIPv4 } from '../../server/src/core/addresses/ipv4';
import { formatIPv6 } from '../../server/src/core/addresses/ipv6';
import { addressAt, block, commentLine, spelling, type Version } from './randomEntries';

/**
 * A client pattern of a hosts.deny list, as people write them: IPv4
 * `net/len` and `net/mask`, IPv6 `[net]/len` (host bits and all: tcpd masks
 * an IPv6 pattern's address, where it never matches an IPv4 one with host
 * bits, which the product reports instead) and `[address]`, in any spelling;
 * now and then `ALL`, an IPv4 `net/mask` or `net/len` written in octal
 * (`012.00.00.040/24`, as inet_addr reads it) or an address alone padded
 * with zeros (`010.000.000.005`, which tcpd never matches). Now and then an IPv6 length tcpd reads as C's atoi
 * does, its leading digits: inside the brackets (never matched), or
 * followed by letters.
 */
const client = fc
  .record({
    version: fc.constantFrom<Version>(4, 4, 6),
    four: block(4),
    six: block(6),
    netmask: fc.boolean(),
    hostBits: fc.nat(4),
    spelled: spelling,
    all: fc.nat(29),
    odd: fc.nat(9),
    zeros: fc.nat(7),
  })
  .map(({ version, four, six, netmask, hostBits, spelled, all, odd, zeros }) => {
    if (all === 0) return { blocks: [], text: 'ALL' };
    if (version === 4) {
      const mask = formatIPv4((0xffffffff << (32 - four.prefix)) >>> 0);
      // An address alone padded with zeros, which tcpd compares as text and so never matches.
      if (zeros === 1) return { blocks: [four], text: addressAt(4, four.lo).replace(/\d+/g, (octet) => octet.padStart(3, '0')) };
      // A net/mask written in octal, as inet_addr reads it.
      const written = (address: string) => (zeros === 0 ? address.replace(/\d+/g, (octet) => `0${Number(octet).toString(8)}`) : address);
      const text = `${written(addressAt(4, four.lo))}/${netmask ? written(mask) : four.prefix}`;
      return { blocks: [four], text: four.prefix === 32 && netmask ? addressAt(4, four.lo) : text };
    }
    const address = addressAt(6, hostBits === 0 ? six.inside : six.lo, spelled);
    if (odd === 0) return { blocks: [six], text: `[${address}/${six.prefix}]` };
    if (odd === 1) return { blocks: [six], text: `[${address}]/${six.prefix}abc` };
    return { blocks: [six], text: six.prefix === 128 && hostBits > 1 ? `[${address}]` : `[${address}]/${six.prefix}` };
  });

/**
 * An IPv6 mask written as an address, `[net]/ffff:…:ffc0`: tcpd reads its
 * leading digits, none, so /0, every IPv6 address; and its next colon ends
 * the client list, the rest of the line being options (unknown ones, which
 * deny all the same). It stands last on its line, with no EXCEPT or option.
 */
const maskClient = block(6).map((six) => {
  const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - six.prefix)) - 1n);
  return { blocks: [six], text: `[${addressAt(6, six.lo)}]/${formatIPv6(mask)}` };
});

/** Clients joined as hosts.deny takes them: commas, blanks, or both. */
const clients = (min: number, max: number) =>
  fc.tuple(fc.array(client, { minLength: min, maxLength: max }), fc.constantFrom(', ', ' ', ',', ' , ')).map(([list, separator]) => ({
    blocks: list.flatMap((c) => c.blocks),
    text: list.map((c) => c.text).join(separator),
  }));

/**
 * A hosts.deny rule for ALL, sshd or vsftpd, or several of them (in any
 * order, by commas or blanks), or all but one; with exceptions, now and then
 * on a line continued with a backslash, and sometimes granting (`: allow`);
 * a comment or a blank line before it now and then.
 */
export const hostsDenyRule = fc
  .record({
    daemons: fc.constantFrom('ALL', 'ALL', 'sshd', 'sshd', 'vsftpd', 'sshd, vsftpd', 'vsftpd sshd', 'vsftpd,sshd', 'ALL EXCEPT vsftpd', 'ALL EXCEPT sshd'),
    listed: clients(1, 2),
    excepted: clients(0, 2),
    continued: fc.nat(3),
    options: fc.constantFrom('', '', '', '', ' : allow', ': deny'),
    comment: commentLine,
    mask: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: maskClient }),
  })
  .map(({ daemons, listed, excepted, continued, options, comment, mask }) =>
    mask !== null
      ? { blocks: [...listed.blocks, ...mask.blocks], text: `${comment}${daemons}: ${listed.text} ${mask.text}\n` }
      : {
          blocks: [...listed.blocks, ...excepted.blocks],
          text: `${comment}${daemons}: ${listed.text}` + `${excepted.text === '' ? '' : `${continued === 0 ? ' \\\n  ' : ' '}EXCEPT ${excepted.text}`}${options}\n`,
        },
  );
