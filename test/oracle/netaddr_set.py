"""Reference oracle: the union of blocklist files as Python netaddr computes it.

Reads the first token of each non-comment line (comments start with # or ;),
masks host bits (IPNetwork(...).cidr, as iprange does), and prints the set's
size on the first line, then its CIDRs (or, with --ranges, its ranges).
Run with Debian's /usr/bin/python3 and python3-netaddr.
"""
import sys

import netaddr

ranges = "--ranges" in sys.argv
files = [a for a in sys.argv[1:] if a != "--ranges"]
networks = []
for name in files:
    with open(name, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            stripped = line.strip()
            if not stripped or stripped[0] in "#;":
                continue
            networks.append(netaddr.IPNetwork(stripped.split()[0]).cidr)
union = netaddr.IPSet(networks)
print(union.size)
if ranges:
    for r in union.iter_ipranges():
        print(f"{r[0]}-{r[-1]}")
else:
    for cidr in union.iter_cidrs():
        print(cidr)
