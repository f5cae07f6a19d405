/**
 * iptables as the kernel evaluates it (issue 9), one table row a case:
 * chains followed through jumps, RETURN and goto, a built-in chain's policy
 * as its last decision (a DROP policy counted, on its word), the rules in
 * the order iptables-restore leaves them (`-I`, `-D`, `-R`), a chain several
 * built-in chains jump to as a scope of its own, what only conditional
 * jumps reach as conditional, ip6tables files the same way, and what
 * iptables-restore refuses as a loader-rejects error in its words, with
 * the lines it involves.
 * test/oracle/iptablesChains.test.ts holds the same reading to the kernel.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../server/src/core/analysis/audit';
import { EntryIndex } from '../../server/src/core/analysis/entryIndex';
import { parseDocument } from '../../server/src/core/document/document';
import { fixAll, fixesForEntry } from '../../server/src/core/fixes/fixes';
import { applyEdits, rewriteEntries } from '../../server/src/core/fixes/rewrite';
import { iptables } from '../../server/src/core/formats/iptables';

function read(text: string) {
  const document = parseDocument(text, iptables);
  return { document, result: audit(document) };
}

/** Each scope holding a decisive entry: `<name>: <addresses it blocks>`. */
function scopeCounts(text: string): string[] {
  const { document, result } = read(text);
  return result.facts.scopeSets.map(({ scope, blocked4, blocked6 }) => `${document.scopes[scope].name}: ${blocked4.size() + blocked6.size()}`);
}

/** Entries, findings (no special-purpose, overbroad or protected: the policies would bring them everywhere) and problems as `L<line> <code>`. */
function findings(text: string): string[] {
  const { result } = read(text);
  const skipped = ['special-purpose', 'overbroad', 'protected'];
  return result.findings.filter((f) => !skipped.includes(f.code)).map((f) => `L${f.line + 1} ${f.code}`);
}

/** A filter table: the chains' declarations, then the rules. */
const filter = (declarations: string, rules: string) => `*filter\n${declarations}${rules}COMMIT\n`;
const ACCEPTING = ':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n';
const DROPPING = ':INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n';

/** (what it shows, text, each scope's count, findings, the text after Fix all). */
// oxfmt-ignore
const cases: [name: string, text: string, scopes: string[], findings: string[], fixedAll: string][] = [
  // The policy decides what no rule does: INPUT blocks every address but 10.0.0.0/8, counted on the policy's word.
  ['a DROP policy is the last decision', filter(DROPPING, '-A INPUT -s 10.0.0.0/8 -j ACCEPT\n'), ['filter/INPUT: 4278190080'], [], filter(DROPPING, '-A INPUT -s 10.0.0.0/8 -j ACCEPT\n')],
  ['an ACCEPT policy blocks nothing of its own', filter(ACCEPTING, '-A INPUT -s 10.0.0.0/8 -j DROP\n'), ['filter/INPUT: 16777216'], [], filter(ACCEPTING, '-A INPUT -s 10.0.0.0/8 -j DROP\n')],
  // A DROP after the policy's work is done: every address the rules leave is dropped anyway.
  ['a DROP rule under a DROP policy still decides', filter(DROPPING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n'), ['filter/INPUT: 4294967041'], [], filter(DROPPING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n')],
  // A rule without an address drops everything that reaches it: an entry of every address on its target; what comes after never fires.
  ['a rule without an address', filter(ACCEPTING, '-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 5.6.7.8 -j ACCEPT\n'), ['filter/INPUT: 4278190080'], ['L7 covered', 'L8 shadowed'], filter(ACCEPTING, '-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -j REJECT --reject-with icmp-host-prohibited\n-A INPUT -s 5.6.7.8 -j ACCEPT\n')],
  // A policy no address reaches decides nothing: shadowed by the rule that accepts everything; never removed.
  ['a policy that never decides', filter(DROPPING, '-A INPUT -j ACCEPT\n'), ['filter/INPUT: 0'], ['L2 shadowed'], filter(DROPPING, '-A INPUT -j ACCEPT\n')],
  // The user chain decides for INPUT's traffic: its entries are INPUT's scope.
  ['a jump is followed', filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -j BL\n-A BL -s 1.2.3.0/24 -j DROP\n'), ['filter/INPUT: 256'], [], filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -j BL\n-A BL -s 1.2.3.0/24 -j DROP\n')],
  // RETURN goes back after the jump, where the next rule drops 1.2.3.4 after all.
  ['RETURN goes back to the caller', filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -j BL\n-A INPUT -s 1.2.3.4 -j DROP\n-A BL -s 1.2.3.0/28 -j RETURN\n-A BL -s 1.2.3.0/24 -j DROP\n'), ['filter/INPUT: 241'], [], filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -j BL\n-A INPUT -s 1.2.3.4 -j DROP\n-A BL -s 1.2.3.0/28 -j RETURN\n-A BL -s 1.2.3.0/24 -j DROP\n')],
  // After a goto nothing of INPUT comes back: what BL returns goes to INPUT's policy, and the rule after the goto never fires.
  ['goto does not come back', filter(`${DROPPING}:BL - [0:0]\n`, '-A INPUT -g BL\n-A INPUT -s 5.6.7.8 -j DROP\n-A BL -s 1.2.3.0/24 -j ACCEPT\n'), ['filter/INPUT: 4294967040'], ['L7 covered'], filter(`${DROPPING}:BL - [0:0]\n`, '-A INPUT -g BL\n-A BL -s 1.2.3.0/24 -j ACCEPT\n')],
  // Falling off the end of a user chain returns too.
  ['the end of a user chain returns', filter(`${DROPPING}:OK - [0:0]\n`, '-A INPUT -j OK\n-A INPUT -s 5.6.7.8 -j ACCEPT\n-A OK -s 1.2.3.4 -j ACCEPT\n'), ['filter/INPUT: 4294967294'], [], filter(`${DROPPING}:OK - [0:0]\n`, '-A INPUT -j OK\n-A INPUT -s 5.6.7.8 -j ACCEPT\n-A OK -s 1.2.3.4 -j ACCEPT\n')],
  // Jumps to a chain that drops everything (LOG, then DROP) block; a jump to a chain that decides nothing is like LOG.
  ['a LOG-and-DROP chain', filter(`${ACCEPTING}:LOGDROP - [0:0]\n:COUNT - [0:0]\n`, '-A INPUT -s 1.2.3.4,5.6.7.8 -j LOGDROP\n-A INPUT -s 9.9.9.9 -j COUNT\n-A INPUT -s 1.2.3.4 -j DROP\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP\n'), ['filter/INPUT: 2'], ['L9 duplicate'], filter(`${ACCEPTING}:LOGDROP - [0:0]\n:COUNT - [0:0]\n`, '-A INPUT -s 1.2.3.4,5.6.7.8 -j LOGDROP\n-A INPUT -s 9.9.9.9 -j COUNT\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP\n')],
  // Covered across a jump: INPUT drops 1.2.3.0/24 before anything reaches BL.
  ['covered by a rule before the jump', filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 1.2.3.0/24 -j DROP\n-A INPUT -j BL\n-A BL -s 1.2.3.4 -j DROP\n-A BL -s 5.6.7.8 -j DROP\n'), ['filter/INPUT: 257'], ['L8 covered'], filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 1.2.3.0/24 -j DROP\n-A INPUT -j BL\n-A BL -s 5.6.7.8 -j DROP\n')],
  // The jump sends BL only 10.0.0.0/8: 1.2.3.4 never gets there, and INPUT's policy lets it through.
  ['a rule its chain is never sent', filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 10.0.0.0/8 -j BL\n-A BL -s 10.1.0.0/16 -j DROP\n-A BL -s 1.2.3.4 -j DROP\n'), ['filter/INPUT: 65536'], ['L8 shadowed'], filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 10.0.0.0/8 -j BL\n-A BL -s 10.1.0.0/16 -j DROP\n-A BL -s 1.2.3.4 -j DROP\n')],
  // Two built-in chains jump to BL: it is a scope of its own, what it drops of their traffic; each counts what it drops in all.
  ['a chain two built-in chains share', filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 1.2.3.4 -j ACCEPT\n-A INPUT -j BL\n-A FORWARD -j BL\n-A FORWARD -s 5.6.7.8 -j DROP\n-A BL -s 1.2.3.0/24 -j DROP\n'), ['filter/INPUT: 255', 'filter/FORWARD: 257', 'filter/BL: 256'], [], filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 1.2.3.4 -j ACCEPT\n-A INPUT -j BL\n-A FORWARD -j BL\n-A FORWARD -s 5.6.7.8 -j DROP\n-A BL -s 1.2.3.0/24 -j DROP\n')],
  // A chain no rule jumps to is a blocklist loaded for rules elsewhere: what it drops when called.
  ['a chain no rule jumps to', filter(`${ACCEPTING}:BLOCKLIST - [0:0]\n`, '-A BLOCKLIST -s 1.2.3.4 -j RETURN\n-A BLOCKLIST -s 1.2.3.0/24 -j DROP\n'), ['filter/BLOCKLIST: 255'], [], filter(`${ACCEPTING}:BLOCKLIST - [0:0]\n`, '-A BLOCKLIST -s 1.2.3.4 -j RETURN\n-A BLOCKLIST -s 1.2.3.0/24 -j DROP\n')],
  // Only a port rule jumps to f2b (fail2ban): its bans hold for ssh only.
  ['a chain only a conditional jump reaches', filter(`${ACCEPTING}:f2b-sshd - [0:0]\n`, '-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd\n-A f2b-sshd -s 1.2.3.4/32 -j REJECT --reject-with icmp-port-unreachable\n-A f2b-sshd -j RETURN\n'), [], ['L7 conditional'], filter(`${ACCEPTING}:f2b-sshd - [0:0]\n`, '-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd\n-A f2b-sshd -s 1.2.3.4/32 -j REJECT --reject-with icmp-port-unreachable\n-A f2b-sshd -j RETURN\n')],
  // -I without a number inserts at the top: 1.2.3.4 is dropped before the /24 is accepted (read in file order, it would be shadowed).
  ['-I inserts at the top', filter(ACCEPTING, '-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-I INPUT -s 1.2.3.4 -j DROP\n'), ['filter/INPUT: 1'], [], filter(ACCEPTING, '-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-I INPUT -s 1.2.3.4 -j DROP\n')],
  ['-I at a position', filter(ACCEPTING, '-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-A INPUT -s 1.2.3.4 -j DROP\n-I INPUT 2 -s 1.2.3.5 -j DROP\n'), ['filter/INPUT: 0'], ['L6 shadowed', 'L7 shadowed'], filter(ACCEPTING, '-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-A INPUT -s 1.2.3.4 -j DROP\n-I INPUT 2 -s 1.2.3.5 -j DROP\n')],
  // -D takes rules away, by number and by rule; nothing of them is left to count.
  ['-D by number and by rule', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 5.6.7.8,9.9.9.9 -j DROP\n-D INPUT 1\n-D INPUT -s 9.9.9.9/32 -j DROP\n'), ['filter/INPUT: 1'], [], filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 5.6.7.8,9.9.9.9 -j DROP\n-D INPUT 1\n-D INPUT -s 9.9.9.9/32 -j DROP\n')],
  // -R replaces a rule by its number (iptables-legacy-restore; iptables-restore 1.8.9 of nf_tables crashes on it).
  ['-R replaces a rule', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-R INPUT 2 -s 5.6.7.0/24 -j DROP\n'), ['filter/INPUT: 257'], [], filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.0/24 -j ACCEPT\n-R INPUT 2 -s 5.6.7.0/24 -j DROP\n')],
  // A rule before a numbered -I is not fixed: removing it would move where the insert lands.
  ['rules a later command counts are kept', filter(ACCEPTING, '-A INPUT -s 1.2.3.0/24 -j DROP\n-A INPUT -s 1.2.3.4 -j DROP\n-I INPUT 2 -s 5.6.7.8 -j DROP\n'), ['filter/INPUT: 257'], ['L6 covered'], filter(ACCEPTING, '-A INPUT -s 1.2.3.0/24 -j DROP\n-A INPUT -s 1.2.3.4 -j DROP\n-I INPUT 2 -s 5.6.7.8 -j DROP\n')],
  // A second *filter replaces the first.
  ['a table given twice is the second one', `${filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n')}${filter(ACCEPTING, '-A INPUT -s 5.6.7.0/24 -j DROP\n')}`, ['filter/INPUT: 256'], [], `${filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n')}${filter(ACCEPTING, '-A INPUT -s 5.6.7.0/24 -j DROP\n')}`],
  // Destinations apart, with the policy as their last decision too.
  ['destinations under a DROP policy', filter(':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n', '-A OUTPUT -d 10.0.0.0/8 -j ACCEPT\n-A OUTPUT -s 1.2.3.4 -j DROP\n'), ['filter/OUTPUT: 4294967296', 'filter/OUTPUT -d: 4278190080'], [], filter(':INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n', '-A OUTPUT -d 10.0.0.0/8 -j ACCEPT\n-A OUTPUT -s 1.2.3.4 -j DROP\n')],
  // A condition kept out of the decisions may still send traffic back (checked with packets: TCP from 10.0.0.5 returns from CHK and line 5 drops it):
  // no rule after a jump to such a chain is said to take no effect, nor any of a chain it jumps to, so Fix all keeps them.
  ['a conditional RETURN leaks: nothing after the jump is covered', filter(`${ACCEPTING}:CHK - [0:0]\n:BL - [0:0]\n`, '-A INPUT -j CHK\n-A INPUT -s 10.0.0.5/32 -j DROP\n-A INPUT -j BL\n-A CHK -p tcp -j RETURN\n-A CHK -j DROP\n-A BL -s 10.0.0.6/32 -j DROP\n'), ['filter/INPUT: 4294967296'], [], filter(`${ACCEPTING}:CHK - [0:0]\n:BL - [0:0]\n`, '-A INPUT -j CHK\n-A INPUT -s 10.0.0.5/32 -j DROP\n-A INPUT -j BL\n-A CHK -p tcp -j RETURN\n-A CHK -j DROP\n-A BL -s 10.0.0.6/32 -j DROP\n')],
  // A conditional goto to a chain that returns leaks out of its chain too (ufw's `-m addrtype --dst-type LOCAL -j RETURN` in ufw-not-local, the same).
  ['a conditional goto to a returning chain leaks', filter(`${ACCEPTING}:CHK - [0:0]\n:OK - [0:0]\n`, '-A INPUT -j CHK\n-A INPUT -s 10.0.0.5/32 -j DROP\n-A CHK -m addrtype --dst-type LOCAL -g OK\n-A CHK -j DROP\n-A OK -s 10.9.0.0/16 -j DROP\n'), ['filter/INPUT: 4294967296'], ['L11 conditional'], filter(`${ACCEPTING}:CHK - [0:0]\n:OK - [0:0]\n`, '-A INPUT -j CHK\n-A INPUT -s 10.0.0.5/32 -j DROP\n-A CHK -m addrtype --dst-type LOCAL -g OK\n-A CHK -j DROP\n-A OK -s 10.9.0.0/16 -j DROP\n')],
  // getopt reads the whole line: a match after the target is a match (the kernel drops 10.0.0.1 alone, and 10.0.0.5 by line 6); the target's own options are not.
  ['a match after the target', filter(ACCEPTING, '-A INPUT -j DROP -s 10.0.0.1\n-A INPUT -s 10.0.0.5 -j DROP\n-A INPUT -s 10.0.0.6 -j REJECT --reject-with icmp-host-prohibited\n'), ['filter/INPUT: 3'], [], filter(ACCEPTING, '-A INPUT -j DROP -s 10.0.0.1\n-A INPUT -s 10.0.0.5 -j DROP\n-A INPUT -s 10.0.0.6 -j REJECT --reject-with icmp-host-prohibited\n')],
  // A script line of several commands is several rules; a removal takes its command and a separator, and leaves the others (the kernel still drops 10.0.2.2).
  ['a script line of several commands', 'iptables -A INPUT -s 10.0.0.0/24 -j DROP\niptables -A INPUT -s 10.0.0.6 -j DROP; iptables -A INPUT -s 10.0.2.2 -j DROP\niptables -A INPUT -s 10.0.3.3 -j DROP && iptables -A INPUT -s 10.0.0.7 -j DROP\n', ['filter/INPUT: 258'], ['L2 covered', 'L3 covered'], 'iptables -A INPUT -s 10.0.0.0/24 -j DROP\niptables -A INPUT -s 10.0.2.2 -j DROP\niptables -A INPUT -s 10.0.3.3 -j DROP\n'],
  // A script names its program by a path or a variable, and may wait for the lock.
  ['a script names its program as it likes', 'IPT=/usr/sbin/iptables\nIP6T="/sbin/ip6tables"\n/sbin/iptables -A INPUT -s 10.0.0.1 -j DROP\n$IPT -w -A INPUT -s 10.0.0.2 -j DROP\n${IPT} --wait 5 -A INPUT -s 10.0.0.3 -j DROP\n$IP6T -A INPUT -s 2001:db8::1 -j DROP\n', ['filter/INPUT: 4'], [], 'IPT=/usr/sbin/iptables\nIP6T="/sbin/ip6tables"\n/sbin/iptables -A INPUT -s 10.0.0.1 -j DROP\n$IPT -w -A INPUT -s 10.0.0.2 -j DROP\n${IPT} --wait 5 -A INPUT -s 10.0.0.3 -j DROP\n$IP6T -A INPUT -s 2001:db8::1 -j DROP\n'],
  // ip6tables-save: the policy is every IPv6 address.
  ['an ip6tables-save file', `# Generated by ip6tables-save v1.8.9\n${filter(DROPPING, '-A INPUT -s 2001:db8::/32 -j ACCEPT\n')}`, [`filter/INPUT: ${2n ** 128n - 2n ** 96n}`], [], `# Generated by ip6tables-save v1.8.9\n${filter(DROPPING, '-A INPUT -s 2001:db8::/32 -j ACCEPT\n')}`],
  // -s beside --src-range: the kernel drops the addresses in both (10.9.0.5-10.9.0.255), which no entry says; conditional, so 10.9.0.0/25 after it is not covered.
  ['-s beside --src-range', filter(ACCEPTING, '-A INPUT -s 10.9.0.0/24 -m iprange --src-range 10.9.0.5-10.9.1.5 -j DROP\n-A INPUT -s 10.9.0.0/25 -j DROP\n'), ['filter/INPUT: 128'], ['L5 conditional', 'L5 conditional'], filter(ACCEPTING, '-A INPUT -s 10.9.0.0/24 -m iprange --src-range 10.9.0.5-10.9.1.5 -j DROP\n-A INPUT -s 10.9.0.0/25 -j DROP\n')],
  // A script may hold iptables and ip6tables lines: each address in its own family.
  ['a script of both programs', 'iptables -A INPUT -s 1.2.3.4 -j DROP\nip6tables -A INPUT -s 2001:db8::1 -j DROP\n', ['filter/INPUT: 2'], [], 'iptables -A INPUT -s 1.2.3.4 -j DROP\nip6tables -A INPUT -s 2001:db8::1 -j DROP\n'],
  // TCP enters A whatever its source (-p tcp -j A), and B drops 10.0.0.1 for it: B's rule takes effect, though the one rule that jumps to A for every protocol sends it only 10.0.0.32/28. Removing it as covered by the last rule (which drops only the rest) let TCP from 10.0.0.1 through A's ACCEPT.
  ['a chain a conditional rule jumps to may see every address', filter(`${ACCEPTING}:A - [0:0]\n:B - [0:0]\n`, '-A B -s 10.0.0.0/28 -j DROP\n-A A -j B\n-A A -j ACCEPT\n-A INPUT -p tcp -j A\n-A INPUT -s 10.0.0.32/28 -j A\n-A INPUT -s 10.0.0.0/27 -j DROP\n'), ['filter/INPUT: 32'], [], filter(`${ACCEPTING}:A - [0:0]\n:B - [0:0]\n`, '-A B -s 10.0.0.0/28 -j DROP\n-A A -j B\n-A A -j ACCEPT\n-A INPUT -p tcp -j A\n-A INPUT -s 10.0.0.32/28 -j A\n-A INPUT -s 10.0.0.0/27 -j DROP\n')],
  // iptables-restore 1.8.9 (iptables -S after it): a -4 rule is read, a -6 rule skipped, whatever its address; so the ACCEPT of 5.6.7.8 lets nothing through and 5.6.7.8 stays blocked.
  ['-4 is for iptables-restore, -6 for ip6tables-restore', filter(ACCEPTING, '-A INPUT -6 -s 5.6.7.8 -j ACCEPT\n-A INPUT -4 -s 5.6.7.0/24 -j DROP\n-A INPUT --ipv4 -s 5.6.7.8 -j DROP\n'), ['filter/INPUT: 256'], ['L7 covered'], filter(ACCEPTING, '-A INPUT -6 -s 5.6.7.8 -j ACCEPT\n-A INPUT -4 -s 5.6.7.0/24 -j DROP\n')],
];

for (const [name, text, scopes, expected, fixedAll] of cases) {
  test(`iptables: ${name}`, () => {
    assert.deepEqual(scopeCounts(text), scopes, 'what each scope blocks');
    assert.deepEqual(findings(text), expected, 'findings');
    const { document, result } = read(text);
    assert.equal(applyEdits(text, fixAll(document, result.facts)), fixedAll, 'Fix all');
  });
}

/** (what iptables-restore refuses, text, the refusal as `L<line> <message>`, then each line it involves as `L<line> <words there>: <message>`). */
// oxfmt-ignore
const refusals: [name: string, text: string, said: string[]][] = [
  ['a loop a built-in chain reaches', filter(`${ACCEPTING}:A - [0:0]\n:B - [0:0]\n`, '-A INPUT -j A\n-A A -j B\n-A B -j A\n'), ['L9 iptables-restore rejects the file here: RULE_APPEND failed (Too many links): this jump closes a loop (A → B → A). Remove one of its jumps.', 'L8 B: Jumps from A to B, in the loop.']],
  ['an insert past the end', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-I INPUT 3 -s 5.6.7.8 -j DROP\n'), ['L6 iptables-restore rejects the file here: Index of insertion too big. INPUT holds 1 rule here: insert at 2 or less, or append with -A.']],
  ['a delete past the end', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-D INPUT 2\n'), ['L6 iptables-restore rejects the file here: Index of deletion too big. The chain holds 1 rule here.']],
  ['an insert before a rule deleted later in the commit', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.5 -j ACCEPT\n-I INPUT 2 -s 5.6.7.8 -j DROP\n-D INPUT 3\n'), ['L7 iptables-restore rejects the file here: RULE_INSERT failed (No such file or directory): rule in chain INPUT. This line inserts before a rule that the deletion on line 8 takes away in the same commit. Insert after that line, or give the rules in their final order.', 'L8 INPUT 3: The deletion that takes away the rule it inserts before.']],
  ['an insert before a rule deleted by its words', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.5 -j ACCEPT\n-I INPUT 2 -s 5.6.7.8 -j DROP\n-D INPUT -s 1.2.3.5 -j ACCEPT\n'), ['L7 iptables-restore rejects the file here: RULE_INSERT failed (No such file or directory): rule in chain INPUT. This line inserts before a rule that the deletion on line 8 takes away in the same commit. Insert after that line, or give the rules in their final order.', 'L8 INPUT -s 1.2.3.5 -j ACCEPT: The deletion that takes away the rule it inserts before.']],
  ['an insert before a rule replaced later', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 1.2.3.5 -j ACCEPT\n-I INPUT 2 -s 5.6.7.8 -j DROP\n-R INPUT 3 -s 1.2.3.6 -j ACCEPT\n'), ['L7 iptables-restore rejects the file here: RULE_INSERT failed (No such file or directory): rule in chain INPUT. This line inserts before a rule that the replacement on line 8 takes away in the same commit. Insert after that line, or give the rules in their final order.', 'L8 INPUT 3: The replacement that takes away the rule it inserts before.']],
  ['a delete of no rule', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-D INPUT -s 5.6.7.8 -j DROP\n'), ['L6 iptables-restore rejects the file here: Bad rule (does a matching rule exist in that chain?). INPUT holds no such rule here.']],
  ['a jump to a chain declared below', filter(':INPUT ACCEPT [0:0]\n', '-A INPUT -j BL\n:BL - [0:0]\n'), ["L3 iptables-restore rejects the file here: Chain 'BL' does not exist. Declare it above this line.", 'L4 BL: Declared here, below the jump.']],
  ['a rule of a chain never declared', filter(':INPUT ACCEPT [0:0]\n', '-A BL -s 1.2.3.4 -j DROP\n'), ['L3 iptables-restore rejects the file here: No chain/target/match by that name. Declare BL first (":BL - [0:0]").']],
  ['a chain created again', filter(':INPUT ACCEPT [0:0]\n:BL - [0:0]\n', '-N BL\n'), ['L4 iptables-restore rejects the file here: Chain already exists. Remove this line: BL is declared on line 3.', 'L3 BL: Declared here.']],
  ['a jump to a chain deleted above', filter(':INPUT ACCEPT [0:0]\n:BL - [0:0]\n', '-X BL\n-A INPUT -j BL\n'), ["L5 iptables-restore rejects the file here: Chain 'BL' does not exist. BL is deleted on line 4: declare it again above this line, or remove the jump.", 'L4 BL: Deleted here.']],
  ['a rule of a chain deleted above', filter(':INPUT ACCEPT [0:0]\n:BL - [0:0]\n', '-X BL\n-A BL -s 1.2.3.4 -j DROP\n'), ['L5 iptables-restore rejects the file here: No chain/target/match by that name. BL is deleted on line 4: declare it again above this line (":BL - [0:0]").', 'L4 BL: Deleted here.']],
  ['a chain deleted while jumped to', filter(':INPUT ACCEPT [0:0]\n:BL - [0:0]\n', '-A INPUT -s 1.2.3.4 -j BL\n-A INPUT -s 5.6.7.8 -j BL\n-X BL\n'), ['L6 iptables-restore rejects the file here: CHAIN_DEL failed (Device or resource busy): chain BL. It is jumped to: flush it and remove the jumps first.', 'L4 BL: Jumps to BL.', 'L5 BL: Jumps to BL.']],
  ['a policy neither ACCEPT nor DROP', filter(':INPUT REJECT [0:0]\n', ''), ["L2 iptables-restore rejects the file here: Bad policy name. A built-in chain's policy is ACCEPT or DROP."]],
  ['an IPv6 address in an iptables file', filter(ACCEPTING, '-A INPUT -s 1.2.3.4 -j DROP\n-A INPUT -s 2001:db8::1 -j DROP\n'), ["L6 iptables reads IPv4 addresses only: host/network `2001:db8::1' not found. Write IPv6 rules for ip6tables."]],
  ['an IPv4 address in an ip6tables file', `# Generated by ip6tables-save v1.8.9\n${filter(ACCEPTING, '-A INPUT -s 2001:db8::1 -j DROP\n-A INPUT -d 1.2.3.4 -j DROP\n')}`, ["L7 ip6tables reads IPv6 addresses only: host/network `1.2.3.4' not found. Write IPv4 rules for iptables."]],
];

for (const [name, text, said] of refusals) {
  test(`iptables-restore refuses ${name}: a loader-rejects error, with the lines it involves`, () => {
    const { document, result } = read(text);
    assert.deepEqual(document.problems, [], 'no reading problem');
    assert.deepEqual(
      result.findings
        .filter((f) => !['special-purpose', 'overbroad', 'protected'].includes(f.code))
        .map((f) => [`L${f.line + 1} ${f.code} ${f.severity}`, f.message, ...(f.related ?? []).map((r) => `L${r.line + 1} ${text.slice(r.start, r.end)}: ${r.message}`)]),
      [[`${said[0].split(' ')[0]} loader-rejects error`, said[0].slice(said[0].indexOf(' ') + 1), ...said.slice(1)]],
    );
  });
}

test('a restore file that starts with a byte-order mark is a restore file: its refusals are told, its rules read in order', () => {
  const text = `\uFEFF${filter(DROPPING, '-A INPUT -s 1.2.3.4 -j ACCEPT\n-I INPUT 3 -s 5.6.7.8 -j DROP\n')}`;
  assert.deepEqual(findings(text), ['L6 loader-rejects']);
  assert.deepEqual(scopeCounts(text), ['filter/INPUT: 4294967295']);
});

test('what is no refusal stays a reading problem: an unreadable address, an option without its address, and every line of a script', () => {
  const problems = (text: string) => {
    const { document, result } = read(text);
    assert.deepEqual(result.facts.loader, [], `no loader-rejects in ${text}`);
    return document.problems.map((p) => `L${p.line + 1} ${p.code}: ${p.message}`);
  };
  assert.deepEqual(problems(filter(ACCEPTING, '-A INPUT -s 1.2.3.999 -j DROP\n-A INPUT -s -j DROP\n')), [
    'L5 invalid-entry: Octet 999 is out of range: each part of an IPv4 address is 0–255.',
    'L6 invalid-entry: Expected an address after "-s".',
  ]);
  // A script's commands run against the kernel's chains: only what no chain can change is told.
  assert.deepEqual(problems('iptables -A INPUT -s 2001:db8::1 -j DROP\niptables -A BL -s 1.2.3.4 -j DROP\niptables -X BL\niptables -A INPUT -j BL\n'), [
    "L1 invalid-entry: iptables reads IPv4 addresses only: host/network `2001:db8::1' not found. Write IPv6 rules for ip6tables.",
  ]);
});

test('a loop the kernel would refuse is read without end, and its chains decide nothing more', () => {
  const text = filter(`${ACCEPTING}:A - [0:0]\n`, '-A INPUT -j A\n-A A -s 1.2.3.4 -j DROP\n-A A -j A\n');
  assert.deepEqual(scopeCounts(text), ['filter/INPUT: 1']);
});

test('the policy and a rule without an address are counted on their words, and the overbroad finding says what they block', () => {
  const text = filter(DROPPING, '-A FORWARD -j DROP\n');
  const { document, result } = read(text);
  assert.deepEqual(
    result.findings.filter((f) => f.code === 'overbroad').map((f) => `L${f.line + 1} ${document.text.slice(f.start, f.end)}: ${f.message}`),
    [
      'L2 DROP: The policy of chain filter/INPUT blocks every address its rules do not decide first: up to 4,294,967,296 addresses, more than a /8. Check that all of them are meant.',
      'L5 DROP: Blocks every address that reaches this rule undecided: up to 4,294,967,296 addresses, more than a /8. Check that all of them are meant.',
    ],
  );
});

test('a finding names the rule or the policy that decides instead, in another chain', () => {
  const text = filter(`${ACCEPTING}:BL - [0:0]\n`, '-A INPUT -s 10.0.0.0/8 -j BL\n-A BL -s 1.2.3.4 -j DROP\n');
  const { result } = read(text);
  const shadowed = result.findings.find((f) => f.code === 'shadowed')!;
  assert.equal(shadowed.message, 'Never takes effect: all traffic with its addresses is decided before it gets here, some or all the other way: by line 2 (ACCEPT), among others.');
  assert.deepEqual(shadowed.related, [{ line: 1, start: 15, end: 21, message: 'Decides some of these addresses the other way.' }]);
});

test("fixes never rewrite a policy or a rule's target, and remove a rule without an address whole", () => {
  const text = filter(DROPPING, '-A INPUT -j DROP\n-A INPUT -j DROP\n');
  const { document, result } = read(text);
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  const titles = (k: number) => fixesForEntry(document, context, k, { maxEntries: 64, protected: [], target: [] }).map((fix) => fix.title);
  assert.deepEqual([0, 1, 2].map(titles), [[], [], ['Remove duplicate DROP (line 5 has it)']]);
  assert.equal(applyEdits(text, fixAll(document, result.facts)), filter(DROPPING, '-A INPUT -j DROP\n'));
});

test('a --src-range takes one range: no split is offered for it, the rewriter refuses to write it as several, and removing it removes its rule', () => {
  const text = filter(
    ACCEPTING,
    '-A INPUT -m iprange --src-range 10.0.0.0-10.0.0.255 -j DROP\n-A INPUT -s 10.0.1.0/24 -j DROP\n-A INPUT -m iprange --src-range 10.0.0.4-10.0.0.9 -j DROP\n',
  );
  const { document, result } = read(text);
  const context = { index: EntryIndex.of(document.entries), facts: result.facts };
  const titles = (k: number) => fixesForEntry(document, context, k, { maxEntries: 64, protected: [], target: [] }).map((fix) => fix.title);
  assert.deepEqual([0, 1, 2].map(titles), [[], ['Split 10.0.1.0/24 into two halves (/25)'], ['Remove 10.0.0.4-10.0.0.9, covered by line 5']]);
  assert.throws(
    () => rewriteEntries(document, new Map([[0, ['10.0.0.0/25', '10.0.0.128/25']]])),
    /^Error: 2 entries cannot stand where 10\.0\.0\.0-10\.0\.0\.255 does: it takes one\.$/,
  );
  assert.equal(
    applyEdits(text, fixAll(document, result.facts)),
    filter(ACCEPTING, '-A INPUT -m iprange --src-range 10.0.0.0-10.0.0.255 -j DROP\n-A INPUT -s 10.0.1.0/24 -j DROP\n'),
  );
});
