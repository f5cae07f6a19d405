/**
 * The firewall oracles of ./firewalls.ts on hand-written cases from
 * ORACLES.md and issue 9, each asserting the real tool's exact answers, so
 * that a differential test built on them stands on oracles known to work
 * (and to fail loudly when their controls come out wrong).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  apacheDecisions,
  iptablesCheck,
  iptablesPacketDecisions,
  ipsetDecisions,
  nftCheck,
  nftElementDecisions,
  nginxDecisions,
  nginxServerDecisions,
  requireOracle,
  tcpdDecisions,
  type NginxQuery,
} from './firewalls';

/** The answers keyed by query, so a failure shows which query differs. */
function byQuery<Q>(queries: Q[], answers: boolean[], key: (query: Q) => string): Record<string, boolean> {
  return Object.fromEntries(queries.map((query, index) => [key(query), answers[index]]));
}

/** Asks `expected`'s keys and compares the answers, key by key. */
async function expectAnswers(expected: Record<string, boolean>, ask: (addresses: string[]) => Promise<boolean[]>): Promise<void> {
  const addresses = Object.keys(expected);
  assert.deepEqual(
    byQuery(addresses, await ask(addresses), (address) => address),
    expected,
  );
}

describe('ipset', () => {
  const sets = (expected: Record<string, boolean>) => Object.keys(expected).map((key) => ({ set: key.split(' ')[0], address: key.split(' ')[1] }));

  test('hash:net: the most specific entry decides, nomatch excepts', async () => {
    requireOracle('ipset');
    const file = 'create bad hash:net\nadd bad 1.2.3.0/24\nadd bad 1.2.3.0/28 nomatch\nadd bad 1.2.3.4\n';
    const expected = { 'bad 1.2.3.4': true, 'bad 1.2.3.3': false, 'bad 1.2.3.8': false, 'bad 1.2.3.16': true };
    const answers = await ipsetDecisions(file, sets(expected), { member: { set: 'bad', address: '1.2.3.200' }, nonMember: { set: 'bad', address: '9.9.9.9' } });
    assert.deepEqual(
      byQuery(sets(expected), answers, (query) => `${query.set} ${query.address}`),
      expected,
    );
  });

  test('two sets are answered separately; a CIDR added to hash:ip adds every address', async () => {
    requireOracle('ipset');
    const file = 'create blocklist hash:net\nadd blocklist 10.0.0.0/8\ncreate allowlist hash:ip\nadd allowlist 10.1.2.3\nadd allowlist 192.168.0.0/30\n';
    const expected = {
      'blocklist 10.1.2.3': true,
      'allowlist 10.1.2.3': true,
      'blocklist 10.1.2.4': true,
      'allowlist 10.1.2.4': false,
      'blocklist 192.168.0.2': false,
      'allowlist 192.168.0.2': true,
      'allowlist 192.168.0.4': false,
    };
    const answers = await ipsetDecisions(file, sets(expected), { member: { set: 'blocklist', address: '10.9.9.9' }, nonMember: { set: 'blocklist', address: '11.0.0.1' } });
    assert.deepEqual(
      byQuery(sets(expected), answers, (query) => `${query.set} ${query.address}`),
      expected,
    );
  });

  test('an IPv6 set (family inet6) with a nomatch entry', async () => {
    requireOracle('ipset');
    const file = 'create bad6 hash:net family inet6\nadd bad6 2001:db8::/32\nadd bad6 2001:db8:1::/48 nomatch\n';
    const expected = { 'bad6 2001:db8::1': true, 'bad6 2001:db8:1::1': false, 'bad6 2001:db8:2::1': true, 'bad6 2001:db9::1': false };
    const answers = await ipsetDecisions(file, sets(expected), { member: { set: 'bad6', address: '2001:db8:ffff::1' }, nonMember: { set: 'bad6', address: '2001:db7::1' } });
    assert.deepEqual(
      byQuery(sets(expected), answers, (query) => `${query.set} ${query.address}`),
      expected,
    );
  });

  test('a file ipset restore rejects, and controls that come out wrong, throw', async () => {
    requireOracle('ipset');
    const controls = { member: { set: 'bad', address: '1.2.3.4' }, nonMember: { set: 'bad', address: '9.9.9.9' } };
    await assert.rejects(
      ipsetDecisions('create bad hash:net\nadd bad 1.2.3.4/33\n', [], controls),
      /^Error: ipset restore rejected the file: ipset v[\d.]+: Error in line 2: Syntax error: '33' is out of range 0-32$/,
    );
    const wrong = { member: { set: 'bad', address: '9.9.9.9' }, nonMember: { set: 'bad', address: '1.2.3.4' } };
    await assert.rejects(
      ipsetDecisions('create bad hash:net\nadd bad 1.2.3.4\n', [], wrong),
      /^Error: the oracle is broken: ipset answered false for 9\.9\.9\.9 in set bad, the control that must come out true, and true for 1\.2\.3\.4 in set bad, the control that must come out false$/,
    );
  });
});

describe('nftables', () => {
  const ruleset = (flags: string) => `table inet filter {\n  set blocklist {\n    type ipv4_addr\n    ${flags}\n    elements = { 1.2.3.0/24, 1.2.3.4 }\n  }\n}\n`;

  test('an interval set holding 1.2.3.0/24 and 1.2.3.4 without auto-merge is rejected', async () => {
    requireOracle('nft');
    const { ok, message } = await nftCheck(ruleset('flags interval'));
    assert.equal(ok, false);
    assert.match(message, /^file:5:30-36: Error: conflicting intervals specified\n/);
  });

  test('with auto-merge it loads and 1.2.3.4 is a member', async () => {
    requireOracle('nft');
    assert.deepEqual(await nftCheck(ruleset('flags interval; auto-merge;')), { ok: true, message: '' });
    const at = (address: string) => ({ family: 'inet', table: 'filter', set: 'blocklist', address });
    await expectAnswers({ '1.2.3.4': true, '1.2.3.0': true, '1.2.3.255': true, '1.2.4.0': false, '1.2.2.255': false }, async (addresses) =>
      nftElementDecisions(ruleset('flags interval; auto-merge;'), addresses.map(at), { member: at('1.2.3.77'), nonMember: at('9.9.9.9') }),
    );
  });

  test('sets of two tables and families, one without intervals', async () => {
    requireOracle('nft');
    const file =
      'table ip v4 {\n  set hosts {\n    type ipv4_addr\n    elements = { 5.6.7.8 }\n  }\n}\ntable ip6 v6 {\n  set nets {\n    type ipv6_addr\n    flags interval\n    elements = { 2001:db8::/32 }\n  }\n}\n';
    const queries = [
      { family: 'ip', table: 'v4', set: 'hosts', address: '5.6.7.8' },
      { family: 'ip', table: 'v4', set: 'hosts', address: '5.6.7.9' },
      { family: 'ip6', table: 'v6', set: 'nets', address: '2001:db8:ffff::1' },
      { family: 'ip6', table: 'v6', set: 'nets', address: '2001:db9::1' },
    ];
    const answers = await nftElementDecisions(file, queries, { member: queries[0], nonMember: queries[3] });
    assert.deepEqual(answers, [true, false, true, false]);
  });
});

describe('iptables', () => {
  const rules = (body: string, policy = 'ACCEPT') => `*filter\n:INPUT ${policy} [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${body}COMMIT\n`;

  test('a rule with -s and no address fails the syntax check', async () => {
    requireOracle('iptables');
    const { ok, message } = await iptablesCheck(rules('-A INPUT -s 1.2.3.4/32 -j DROP\n-A INPUT -s -j DROP\n'));
    assert.equal(ok, false);
    assert.match(message, /Bad argument .DROP./);
    assert.match(message, /Error occurred at line: 6/);
    assert.deepEqual(await iptablesCheck(rules('-A INPUT -s 1.2.3.4/32 -j DROP\n')), { ok: true, message: '' });
    assert.deepEqual(await iptablesCheck(rules('-A INPUT -s 2001:db8::/32 -j DROP\n')), { ok: true, message: '' }, 'an IPv6 file goes to ip6tables-restore');
  });

  const oraclesExample = rules(
    '-A INPUT -s 1.2.3.4/32 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-A INPUT -s 7.7.7.7/32 -j LOG --log-prefix "blocklist: "\n-A INPUT -s 7.7.7.7/32 -j DROP\n-A INPUT -s 9.9.9.9/32 -j LOG\n',
  );

  test('packets: the first terminating rule decides; LOG decides nothing (ORACLES.md)', async () => {
    requireOracle('iptables');
    await expectAnswers({ '1.2.3.4': true, '1.2.3.5': false, '7.7.7.7': true, '9.9.9.9': false }, async (sources) =>
      iptablesPacketDecisions(oraclesExample, sources, { blocked: '1.2.3.4', allowed: '8.8.4.4' }),
    );
  });

  test('packets: a DROP policy, and a drop in the raw table before the filter table', async () => {
    requireOracle('iptables');
    const file = `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -s 10.9.0.0/16 -j DROP\nCOMMIT\n${rules('-A INPUT -s 10.0.0.0/8 -j ACCEPT\n', 'DROP')}`;
    await expectAnswers({ '10.1.1.1': false, '10.9.1.1': true, '11.1.1.1': true }, async (sources) =>
      iptablesPacketDecisions(file, sources, { blocked: '12.0.0.1', allowed: '10.0.0.1' }),
    );
  });

  test('packets: IPv6 sources go through ip6tables-restore', async () => {
    requireOracle('iptables');
    const file = rules('-A INPUT -s 2001:db8:1::/48 -j ACCEPT\n-A INPUT -s 2001:db8::/32 -j REJECT\n');
    await expectAnswers({ '2001:db8::1': true, '2001:db8:1::1': false, '2001:db9::1': false }, async (sources) =>
      iptablesPacketDecisions(file, sources, { blocked: '2001:db8:ffff::1', allowed: '2001:db7::1' }),
    );
  });

  test('packets: 50 sources are asked in one run', async () => {
    requireOracle('iptables');
    const sources = Array.from({ length: 50 }, (_, index) => `1.2.3.${index}`);
    const answers = await iptablesPacketDecisions(oraclesExample, sources, { blocked: '7.7.7.7', allowed: '9.9.9.9' });
    assert.deepEqual(
      sources.filter((_, index) => answers[index]),
      ['1.2.3.4'],
    );
  });
});

describe('nginx', () => {
  test('deny 1.2.3.4; allow 1.2.3.0/24; deny all; (ORACLES.md)', async () => {
    requireOracle('nginx');
    await expectAnswers({ '1.2.3.4': true, '1.2.3.5': false, '9.9.9.9': true, '2001:db8::1': true }, async (addresses) =>
      nginxDecisions('deny 1.2.3.4; allow 1.2.3.0/24; deny all;', addresses, { blocked: '8.8.4.4', allowed: '1.2.3.200' }),
    );
  });

  test('the first match decides: a later deny of the allowed /24 changes nothing', async () => {
    requireOracle('nginx');
    await expectAnswers({ '1.2.3.4': true, '1.2.3.5': false, '1.2.4.1': false }, async (addresses) =>
      nginxDecisions('deny 1.2.3.4; allow 1.2.3.0/24; deny 1.2.3.0/24;', addresses, { blocked: '1.2.3.4', allowed: '9.9.9.9' }),
    );
  });

  test("a block whose rules are all unix: inherits no IP rules: the server denies 1.2.3.0/24, location / lets it through, and a block without rules takes the server's", async () => {
    requireOracle('nginx');
    const get = (address: string, path: string): NginxQuery => ({ address, path, method: 'GET' });
    const [answers] = await nginxServerDecisions(
      [{ text: 'deny 1.2.3.0/24;\nlocation / { deny unix:; }\nlocation /b/ { }\n', queries: [get('1.2.3.4', '/index.html'), get('1.2.3.4', '/b/x')] }],
      {
        blocked: get('1.2.3.5', '/b/x'),
        allowed: get('9.9.9.9', '/b/x'),
      },
    );
    assert.deepEqual(answers, [false, true]);
  });

  // What the product does not model (README, nginx row): its IPv6 counts take ::ffff:0:0/96 by the IPv6 rules alone.
  test('an IPv4-mapped IPv6 client is decided by the IPv4 rules when the block has any, and by the IPv6 rules only when it has none', async () => {
    requireOracle('nginx');
    await expectAnswers({ '::ffff:1.2.3.4': true, '::ffff:5.5.5.5': false, '2001:db8::1': true }, async (addresses) =>
      nginxDecisions('deny 1.2.3.4; deny ::/0;', addresses, { blocked: '1.2.3.4', allowed: '9.9.9.9' }),
    );
    await expectAnswers({ '::ffff:1.2.3.4': true, '::ffff:5.5.5.5': false }, async (addresses) =>
      nginxDecisions('deny ::ffff:1.2.3.0/120;', addresses, { blocked: '::ffff:1.2.3.9', allowed: '9.9.9.9' }),
    );
  });

  test('a daemon answering 403 to everything fails its control; a list nginx rejects throws', async () => {
    requireOracle('nginx');
    await assert.rejects(
      nginxDecisions('deny all;', ['1.2.3.4'], { blocked: '1.2.3.4', allowed: '9.9.9.9' }),
      /^Error: the oracle is broken: nginx answered true for client 9\.9\.9\.9, the control that must come out false$/,
    );
    await assert.rejects(nginxDecisions('deny 1.2.3.4/33;', [], { blocked: '1.2.3.4', allowed: '9.9.9.9' }), /nginx rejected the configuration: .*1\.2\.3\.4\/33/);
  });
});

describe('Apache', () => {
  test('2.4: RequireAll with Require not ip (ORACLES.md)', async () => {
    requireOracle('apache');
    await expectAnswers({ '1.2.3.4': true, '9.9.9.9': false, '2001:db8::1': false }, async (addresses) =>
      apacheDecisions('<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>', addresses, { blocked: '1.2.3.200', allowed: '8.8.4.4' }),
    );
  });

  test('2.2: Order Deny,Allow, an Allow inside a Deny (ORACLES.md)', async () => {
    requireOracle('apache');
    await expectAnswers({ '5.6.7.8': false, '5.6.7.9': true, '9.9.9.9': false }, async (addresses) =>
      apacheDecisions('Order Deny,Allow\nDeny from 5.6.7.0/24\nAllow from 5.6.7.8', addresses, { blocked: '5.6.7.1', allowed: '8.8.4.4' }),
    );
  });

  test('2.4: Require ip with an IPv6 prefix, the client sent through X-Forwarded-For', async () => {
    requireOracle('apache');
    await expectAnswers({ '2001:db8::1': false, '2001:db9::1': true, '1.2.3.4': true }, async (addresses) =>
      apacheDecisions('Require ip 2001:db8::/32', addresses, { blocked: '9.9.9.9', allowed: '2001:db8:ffff::1' }),
    );
  });
});

describe('hosts.allow / hosts.deny', () => {
  const allow = 'ALL: 10.0.0.0/255.0.0.0 EXCEPT 10.1.2.3\n';
  // The blocked control is planted: a line for another daemon, which no sshd query can meet.
  const controls = { blocked: { daemon: 'in.telnetd', address: '10.1.2.3' }, allowed: { daemon: 'sshd', address: '10.1.2.4' } };
  const queries = [
    { daemon: 'sshd', address: '10.1.2.3' },
    { daemon: 'sshd', address: '10.1.2.4' },
    { daemon: 'ftpd', address: '10.1.2.3' },
  ];
  const key = (query: { daemon: string; address: string }) => `${query.daemon} ${query.address}`;

  test('an EXCEPT in hosts.allow falls through to hosts.deny (ORACLES.md)', async () => {
    requireOracle('tcpd');
    const answers = await tcpdDecisions(allow, 'sshd: 10.1.2.3\nin.telnetd: ALL\n', queries, controls);
    assert.deepEqual(byQuery(queries, answers, key), { 'sshd 10.1.2.3': true, 'sshd 10.1.2.4': false, 'ftpd 10.1.2.3': false });
  });

  test('without the sshd line in hosts.deny, everything is granted', async () => {
    requireOracle('tcpd');
    const answers = await tcpdDecisions(allow, 'in.telnetd: ALL\n', queries, controls);
    assert.deepEqual(byQuery(queries, answers, key), { 'sshd 10.1.2.3': false, 'sshd 10.1.2.4': false, 'ftpd 10.1.2.3': false });
  });
});
