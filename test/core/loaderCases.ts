/**
 * Files whose loading turns on what `ipset restore` and `apache2 -t` refuse
 * (analysis/ipsetRestore.ts, formats/apache.ts), each with the lines the
 * product reports as `loader-rejects` and their severity. test/core/loaderRejects.test.ts
 * holds the product to these rows; test/oracle/loaderRejects.test.ts holds
 * the rows to the tools themselves: a file is refused exactly when a row
 * lists a line, and the line the tool names is one of them. (Not always the
 * first: ipset reads a run of adds before the kernel checks it, and Apache
 * checks a section after its contents; Apache names no line for a
 * <RequireAll> of negative directives.)
 */

/** (what it shows, the file, the `loader-rejects` lines as `L<line> <severity>`). */
export type LoaderCase = [name: string, text: string, rejected: string[]];

// oxfmt-ignore
export const IPSET_CASES: LoaderCase[] = [
  // "resolving to IPv4 address failed", and to IPv6; an IPv4-mapped address is IPv6.
  ['an IPv6 element in a set of family inet', 'create a hash:net family inet\nadd a 2001:db8::/32\n', ['L2 error']],
  ['an IPv4 element in a set of family inet6', 'create a hash:ip family inet6\nadd a 1.2.3.4\nadd a ::ffff:1.2.3.4\n', ['L2 error']],
  ['the default family is inet', 'create a hash:net\nadd a 2001:db8::1\n', ['L2 error']],
  // "The value of the CIDR parameter of the IP address is invalid": no /0 in a net type, but hash:net,iface takes it.
  ['a /0 in hash:net', 'create a hash:net\nadd a 10.0.0.0/8\nadd a 0.0.0.0/0\n', ['L3 error']],
  ['a /0 in hash:net of IPv6', 'create a hash:net family inet6\nadd a ::/0\n', ['L2 error']],
  ['a /0 in hash:net,port', 'create a hash:net,port\nadd a 0.0.0.0/0,80\n', ['L2 error']],
  ['hash:net,iface takes a /0', 'create a hash:net,iface\nadd a 0.0.0.0/0,eth0\n', []],
  ['a /0 in hash:ip', 'create a hash:ip\nadd a 1.2.3.4/0\n', ['L2 error']],
  // "Invalid range, covers the whole address space".
  ['a range of every address in hash:net', 'create a hash:net\nadd a 0.0.0.0-255.255.255.255\n', ['L2 error']],
  // "Null-valued element": the first address written, masked to the netmask, is 0.0.0.0; a CIDR written from another address loads.
  ['0.0.0.0 in hash:ip', 'create a hash:ip\nadd a 0.0.0.0/30\n', ['L2 error']],
  ['a hash:ip CIDR written from 0.0.0.1', 'create a hash:ip\nadd a 0.0.0.1/30\n', []],
  ['0.0.0.0 in hash:net', 'create a hash:net\nadd a 0.0.0.0\n', []],
  ['a netmask makes 0.0.0.5 null', 'create a hash:ip netmask 24\nadd a 0.0.0.5\n', ['L2 error']],
  // "plain IP address must be supplied", "IP address or IP/cidr must be specified".
  ['an IPv6 CIDR in hash:ip', 'create a hash:ip family inet6\nadd a 2001:db8::1/128\nadd a 2001:db8::/126\n', ['L3 error']],
  ['an IPv6 range in hash:net', 'create a hash:net family inet6\nadd a 2001:db8::1-2001:db8::5\n', ['L2 error']],
  // "Element cannot be added to the set: it's already added": the same CIDR once its host bits are cleared, nomatch or not;
  // a hash:ip CIDR holding an address already added; a hash:net range made of a CIDR already added.
  ['an element added twice', 'create a hash:net\nadd a 1.2.3.4/24\nadd a 1.2.3.0/24 nomatch\n', ['L3 error']],
  ['a hash:ip CIDR over an address added', 'create a hash:ip\nadd a 1.2.3.1\nadd a 1.2.3.0/30\n', ['L3 error']],
  ['a hash:net range made of a CIDR added', 'create a hash:net\nadd a 1.2.3.0/24\nadd a 1.2.3.0-1.2.4.255\n', ['L3 error']],
  ['a hash:net range that is one wider CIDR', 'create a hash:net\nadd a 1.2.3.0/24\nadd a 1.2.2.0-1.2.3.255\n', []],
  ['a hash:net CIDR inside another is no repeat', 'create a hash:net\nadd a 1.2.3.0/24\nadd a 1.2.3.4\n', []],
  ['two networks of a netmask', 'create a hash:ip netmask 24\nadd a 1.2.3.4\nadd a 1.2.3.5\n', ['L3 error']],
  ['the same element in two sets', 'create a hash:net\ncreate b hash:net\nadd a 1.2.3.4\nadd b 1.2.3.4\n', []],
  // -exist holds from the batch it starts on: restore sends a run of adds to one set with the flags in force at its start.
  ['-exist on the create line', 'create a hash:ip -exist\nadd a 1.2.3.4\nadd a 1.2.3.4\n', []],
  ['-exist on the first add of the run', 'create a hash:ip\nadd -exist a 1.2.3.4\nadd a 1.2.3.4\n', []],
  ['-exist in the middle of a run comes too late', 'create a hash:ip\nadd a 1.2.3.4\nadd a 1.2.3.4 -exist\n', ['L3 error']],
  ['-exist on a new run', 'create a hash:ip\nadd a 1.2.3.4\ncreate b hash:ip\nadd -! a 1.2.3.4\n', []],
  ['flush empties a set', 'create a hash:net\nadd a 1.2.3.4\nflush a\nadd a 1.2.3.4\nflush\nadd a 1.2.3.4\n', []],
  ['del leaves the set unchecked', 'create a hash:net\nadd a 1.2.3.4\ndel a 1.2.3.4\nadd a 1.2.3.4\n', []],
  // "Set cannot be created: set with the same name already exists", unless -exist and the same options (the family and hashsize aside).
  ['a set created twice', 'create a hash:net\nadd a 1.2.3.4\ncreate a hash:net\n', ['L3 error']],
  ['created again under -exist', 'create a hash:net family inet hashsize 1024\ncreate a hash:net family inet6 hashsize 4096 -exist\n', []],
  ['created again under -exist with another maxelem', 'create a hash:net\ncreate a hash:net maxelem 10 -exist\n', ['L2 error']],
  ['created again after destroy', 'create a hash:net\n-X a\n-N a hash:ip\nadd a 1.2.3.0/30\n', []],
  // "The set with the given name does not exist": information when no line creates it (it may exist where the file is restored), once per set.
  ['an add to a set never created', 'add a 1.2.3.4\nadd a 1.2.3.5\nadd b 1.2.3.4\n', ['L1 information', 'L3 information']],
  ['an add to a set destroyed', 'create a hash:net\nadd a 1.2.3.4\ndestroy\nadd a 1.2.3.4\n', ['L4 error']],
  ['a destroy of a set never created, and under -exist', 'destroy a\ncreate b hash:net -exist\ndestroy c\nadd c 1.2.3.4\n', ['L1 information', 'L4 error']],
  // "Hash is full, cannot add more elements": hash:ip counts every address (network of its netmask), hash:net the CIDRs of a range.
  ['past maxelem', 'create a hash:net maxelem 2\nadd a 1.2.3.4\nadd a 1.2.3.5\nadd a 1.2.3.6\n', ['L4 error']],
  ['a hash:ip CIDR past maxelem', 'create a hash:ip maxelem 3\nadd a 1.2.3.4/30\n', ['L2 error']],
  ['a hash:net range of three CIDRs', 'create a hash:net maxelem 3\nadd a 10.0.0.0-10.0.0.10\n', []],
  ['a hash:net range of three CIDRs past maxelem 2', 'create a hash:net maxelem 2\nadd a 10.0.0.0-10.0.0.10\n', ['L2 error']],
  ['networks of a netmask past maxelem', 'create a hash:ip maxelem 3 netmask 24\nadd a 10.0.0.0/22\n', ['L2 error']],
  ['a repeat under -exist adds nothing', 'create a hash:ip maxelem 4 -exist\nadd a 1.2.3.0/31\nadd a 1.2.3.0/30\n', []],
  // Options the set was not created for; nomatch where there is no net (ipset names no line then).
  ['timeout without timeout', 'create a hash:ip\nadd a 1.2.3.4 timeout 60\n', ['L2 error']],
  ['comment without comment', 'create a hash:ip\nadd a 1.2.3.4 comment "x"\n', ['L2 error']],
  ['counters without counters', 'create a hash:ip\nadd a 1.2.3.4 packets 5 bytes 6\n', ['L2 error']],
  ['skbmark without skbinfo', 'create a hash:ip\nadd a 1.2.3.4 skbmark 0x1\n', ['L2 error']],
  ['every option with its extension', 'create a hash:ip counters comment skbinfo timeout 0\nadd a 1.2.3.4 packets 5 bytes 6 comment "x y" skbmark 0x1 timeout 60\n', []],
  ['nomatch in hash:ip', 'create a hash:ip\nadd a 1.2.3.4 nomatch\n', ['L2 error']],
  ['nomatch in hash:net,iface', 'create a hash:net,iface\nadd a 1.2.3.0/24,eth0 nomatch\n', []],
  // Every refusal is reported, each as if the lines refused before it were not there. ipset names line 4: it reads the whole run of adds
  // (and fails to read ::1) before the kernel sees line 3.
  ['several refusals', 'create a hash:net\nadd a 1.2.3.4\nadd a 1.2.3.4\nadd a ::1\ncreate a hash:ip\nadd a 1.2.3.5\n', ['L3 error', 'L4 error', 'L5 error']],
];

// oxfmt-ignore
export const APACHE_CASES: LoaderCase[] = [
  // "negative Require directive has no effect in <RequireAny> directive": outside <RequireAll>, in <RequireAny>, <Limit> and <If> alike; in <RequireNone> likewise.
  ['Require not in the section itself', 'Require all granted\nRequire not ip 1.2.3.4\n', ['L2 error']],
  ['Require not in <RequireAny>', '<RequireAny>\n  Require all granted\n  Require not ip 1.2.3.4\n</RequireAny>\n', ['L3 error']],
  ['Require not in <RequireAll> in <RequireAny>', '<RequireAny>\n  <RequireAll>\n    Require all granted\n    Require not ip 1.2.3.4\n  </RequireAll>\n</RequireAny>\n', []],
  ['Require not in <RequireAny> in <RequireAll>', '<RequireAll>\n  Require all granted\n  <RequireAny>\n    Require not ip 1.2.3.4\n  </RequireAny>\n</RequireAll>\n', ['L4 error']],
  ['Require not in <Limit>', '<Limit GET>\n  Require not ip 1.2.3.4\n</Limit>\n', ['L2 error']],
  ['Require not in <If>', '<If "true">\n  Require not ip 1.2.3.4\n</If>\n', ['L2 error']],
  ['Require not in <RequireNone>', '<RequireAll>\n  Require all granted\n  <RequireNone>\n    Require not ip 1.2.3.4\n  </RequireNone>\n</RequireAll>\n', ['L4 error']],
  ['not is any case', '<RequireAll>\n  require all granted\n  require NOT ip 1.2.3.4\n</RequireAll>\n<requireany>\n  require not ip 1.2.3.4\n</requireany>\n', ['L6 error']],
  // "<RequireAll> directive contains only negative authorization directives" (no line: Apache finds it after reading the file); a <RequireNone>'s directives are negative there.
  ['a <RequireAll> of negative directives', '<RequireAll>\n  Require not ip 1.2.3.4\n  Require not ip 1.2.3.5\n</RequireAll>\n', ['L1 error']],
  ['a <RequireAll> of a <RequireNone>', '<RequireAll>\n  <RequireNone>\n    Require ip 1.2.3.4\n  </RequireNone>\n</RequireAll>\n', ['L1 error']],
  // A <RequireAll> inside a <RequireAll> is merged into it: their directives count together.
  ['a <RequireAll> of a negative and a <RequireAll>', '<RequireAll>\n  Require not ip 1.2.3.4\n  <RequireAll>\n    Require all granted\n  </RequireAll>\n</RequireAll>\n', []],
  ['a <RequireAll> of negatives inside one that grants', '<RequireAll>\n  Require ip 1.2.3.0/24\n  <RequireAll>\n    Require not ip 1.2.3.4\n  </RequireAll>\n</RequireAll>\n', []],
  ['a <RequireAll> of negatives inside one of negatives', '<RequireAll>\n  <RequireAll>\n    Require not ip 1.2.3.4\n  </RequireAll>\n</RequireAll>\n', ['L1 error']],
  ['a <RequireAll> of negatives inside a <RequireAny>', '<RequireAll>\n  Require ip 1.2.3.0/24\n  <RequireAny>\n    <RequireAll>\n      Require not ip 1.2.3.4\n    </RequireAll>\n  </RequireAny>\n</RequireAll>\n', ['L4 error']],
  ['Require not all granted is negative', '<RequireAll>\n  Require all granted\n  Require not all granted\n</RequireAll>\n', []],
  // "<RequireNone> directive has no effect in <RequireAny> directive", and in <RequireNone>.
  ['<RequireNone> in the section itself', '<RequireNone>\n  Require ip 1.2.3.4\n</RequireNone>\nRequire all granted\n', ['L1 error']],
  ['<RequireNone> in <RequireNone>', '<RequireAll>\n  Require all granted\n  <RequireNone>\n    <RequireNone>\n      Require ip 1.2.3.4\n    </RequireNone>\n  </RequireNone>\n</RequireAll>\n', ['L4 error']],
  // "… directive contains no authorization directives".
  ['an empty <RequireAll>', '<RequireAll>\n  # nothing yet\n</RequireAll>\n', ['L1 error']],
  ['an empty <RequireAny> and <RequireNone>', 'Require all granted\n<RequireAny>\n</RequireAny>\n<RequireAll>\n  Require all granted\n  <RequireNone>\n  </RequireNone>\n</RequireAll>\n', ['L2 error', 'L6 error']],
  // "deny not allowed in <RequireAll> context": the 2.2 directives stand beside the Require sections; Satisfy may stand inside.
  ['Deny inside <RequireAll>', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4\n  Deny from 1.2.3.5\n</RequireAll>\n', ['L4 error']],
  ['Order and Allow inside <RequireAny>', '<RequireAny>\n  Require all granted\n  Order Deny,Allow\n  Allow from 1.2.3.4\n</RequireAny>\n', ['L3 error', 'L4 error']],
  ['Satisfy inside <RequireAll>', '<RequireAll>\n  Require all granted\n  Satisfy any\n</RequireAll>\n', []],
  // "order takes one argument, 'allow,deny', 'deny,allow', or 'mutual-failure'".
  ['an Order with a blank', 'Order Deny, Allow\nDeny from 1.2.3.4\n', ['L1 error']],
  // An argument apr_ipsubnet_create refuses: "The specified network mask is invalid", "… IP address is invalid"; in a Require, "ip address '…' appears to be invalid".
  ['a /0 in Require not ip', '<RequireAll>\n  Require all granted\n  Require not ip 0.0.0.0/0\n</RequireAll>\n', ['L3 error']],
  ['an IPv6 /0 in Require not ip', '<RequireAll>\n  Require all granted\n  Require not ip ::/0\n</RequireAll>\n', ['L3 error']],
  ['a /0 in Deny from', 'Deny from 1.2.3.4\nDeny from 1.2.3.4/0\n', ['L2 error']],
  ['a netmask of 0.0.0.0 loads', 'Deny from 1.2.3.4/0.0.0.0\n', []],
  ['a /33 and an octet of 256', 'Deny from 10.1.2.3/33\nDeny from 1.2.3.256\n', ['L1 error', 'L2 error']],
  ['an IPv4-mapped address', '<RequireAll>\n  Require all granted\n  Require not ip ::ffff:1.2.3.4\n</RequireAll>\nDeny from ::ffff:1.2.3.0/120\n', ['L3 error', 'L5 error']],
  ['an IPv6 netmask', 'Deny from 2001:db8::/ffff:ffff::\n', ['L1 error']],
  ['a Require ip word that is no address', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4,5.6.7.8\n</RequireAll>\n<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.4-1.2.3.9\n</RequireAll>\n', ['L3 error', 'L7 error']],
  ['Allow and Deny take such words for host names', 'Deny from 1.2.3.4-1.2.3.9 example.org\nAllow from all\n', []],
  // "No comments are allowed here" after Allow and Deny; a "#" is one more word of a Require.
  ['a comment after Deny and Require', 'Deny from 1.2.3.4 # spammer\n<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.5 # spammer\n</RequireAll>\n', ['L1 error', 'L4 error']],
  // "Unknown Authz provider: IP": a provider is named exactly, the directive in any case.
  ['a provider in capitals', '<RequireAll>\n  REQUIRE all granted\n  Require not IP 1.2.3.4\n</RequireAll>\nRequire ALL granted\n', ['L3 error', 'L5 error']],
  // What loads: the usual blocklist, and the lists beside it.
  ['a <RequireAll> blocklist', '<RequireAll>\n  Require all granted\n  Require not ip 1.2.3.0/24\n</RequireAll>\nRequire ip 1.2.3.4\n', []],
  ['every refusal, in a section of its own', '<Files "a">\n  Require not ip 1.2.3.4\n</Files>\n<Files "b">\n  <RequireAll>\n  </RequireAll>\n</Files>\n', ['L2 error', 'L5 error']],
];
