"""The kernel's answers for many iptables (or nftables) files in one run (iptablesOracle.ts).

Run as root inside fresh network and PID namespaces (`unshare --net --pid
--fork --kill-child --mount-proc`), in a folder holding `cases.json`:
{"family": 4 or 6, "port": N, "check": FILE or null, "loader": "iptables"
or "nft" (iptables when absent), "cases": [{"rules": FILE, "sources":
[...]}]}. First, when asked, `iptables-restore --test` of
the check file (ip6tables-restore for family 6), one JSON line: {"check":
ok, "message": what it said}. Every source is added to `lo`, and an nft table of our own records each
probe's TCP SYN, by source and port, as it arrives (prerouting, priority
-500) and again if it got through the input path (input, priority 500).
Then, file by file: `iptables-restore FILE` (ip6tables-restore for family
6; it replaces the tables it names; with the nft loader, every table but
the observer's is deleted and the file loaded with `nft -f`), a SYN from each source to the loopback
address at a port of the file's own (N, N + 1…), and a wait until every
SYN has arrived. One JSON line a file: {"loads": ok, "message": what the
loader said, "blocked": [per source, whether its SYN was dropped]}; a file
that does not load asks nothing (the kernel keeps the tables before it).
"""

import json
import socket
import subprocess
import sys
import time

OBSERVER = """
table inet oracle_observe {{
  set seen {{
    type {type} . inet_service
    flags dynamic
  }}
  set passed {{
    type {type} . inet_service
    flags dynamic
  }}
  chain before {{
    type filter hook prerouting priority -500; policy accept;
    tcp flags & (syn | ack) == syn add @seen {{ {selector} . tcp dport }}
  }}
  chain after {{
    type filter hook input priority 500; policy accept;
    tcp flags & (syn | ack) == syn add @passed {{ {selector} . tcp dport }}
  }}
}}
"""
# How long a file's probes may take to reach the firewall, in seconds.
WAIT = 10
# Emptied every so many files, so that a listing stays short.
FLUSH_EVERY = 20


def run(args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True)


def must(args, stdin=None):
    done = run(args, stdin)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def canonical(address):
    """An address as the kernel prints it."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return socket.inet_ntop(family, socket.inet_pton(family, address))


def observed(port):
    """The sources seen and passed so far at `port`."""
    listing = json.loads(must(["nft", "-j", "list", "table", "inet", "oracle_observe"]))
    sets = {"seen": set(), "passed": set()}
    for item in listing["nftables"]:
        found = item.get("set")
        for element in [] if found is None else found.get("elem", []):
            value = element["elem"]["val"] if "elem" in element else element
            address, at = value["concat"]
            if at == port:
                sets[found["name"]].add(canonical(address))
    return sets["seen"], sets["passed"]


def nft_load(rules):
    """Deletes the tables of the file before (all but the observer's), then `nft -f` the file."""
    listing = json.loads(must(["nft", "-j", "list", "tables"]))
    tables = [item["table"] for item in listing["nftables"] if "table" in item]
    gone = [f"delete table {t['family']} {t['name']}\n" for t in tables if t["name"] != "oracle_observe"]
    if gone:
        must(["nft", "-f", "-"], "".join(gone))
    return run(["nft", "-f", rules])


def main():
    manifest = json.load(open("cases.json"))
    six = manifest["family"] == 6
    restore = "ip6tables-restore" if six else "iptables-restore"
    nft = manifest.get("loader") == "nft"
    target = "::1" if six else "127.0.0.1"
    sources = sorted({canonical(s) for case in manifest["cases"] for s in case["sources"]})
    must(["ip", "link", "set", "lo", "up"])
    suffix = "/128 dev lo nodad" if six else "/32 dev lo"
    must(["ip", "-batch", "-"], "".join(f"address add {s}{suffix}\n" for s in sources))
    must(["nft", "-f", "-"], OBSERVER.format(type="ipv6_addr" if six else "ipv4_addr", selector="ip6 saddr" if six else "ip saddr"))
    if manifest["check"] is not None:
        checked = run([restore, "--test", manifest["check"]])
        print(json.dumps({"check": checked.returncode == 0, "message": checked.stderr.strip()}), flush=True)
    for n, case in enumerate(manifest["cases"]):
        port = manifest["port"] + n
        loaded = nft_load(case["rules"]) if nft else run([restore, case["rules"]])
        answer = {"loads": loaded.returncode == 0, "message": loaded.stderr.strip(), "blocked": []}
        if loaded.returncode == 0:
            wanted = {canonical(s) for s in case["sources"]}
            probes = []
            for source in wanted:
                probe = socket.socket(socket.AF_INET6 if six else socket.AF_INET, socket.SOCK_STREAM)
                probe.setblocking(False)
                probe.bind((source, 0))
                probe.connect_ex((target, port))
                probes.append(probe)
            # On the loopback a SYN goes through every hook before connect returns: the first listing almost always holds them all.
            deadline = time.monotonic() + WAIT
            seen, passed = observed(port)
            while not wanted <= seen:
                if time.monotonic() > deadline:
                    sys.exit(f"only {len(wanted & seen)} of {len(wanted)} probes reached the firewall in {WAIT} s")
                time.sleep(0.005)
                seen, passed = observed(port)
            for probe in probes:
                probe.close()
            answer["blocked"] = [canonical(s) not in passed for s in case["sources"]]
            if n % FLUSH_EVERY == FLUSH_EVERY - 1:
                must(["nft", "-f", "-"], "flush set inet oracle_observe seen\nflush set inet oracle_observe passed\n")
        print(json.dumps(answer), flush=True)


main()
