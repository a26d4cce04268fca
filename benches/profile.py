#!/usr/bin/env python3
"""Instructions per call of one bench function, from callgrind.

    python3 benches/profile.py BENCH FILTER SYMBOL [SECONDS]

Builds the criterion bench BENCH (release profile, as `cargo bench` does),
runs it under `valgrind --tool=callgrind` in criterion's profiling mode
(`--profile-time SECONDS`, default 1: the filtered functions run in a loop,
nothing is analysed), and reads callgrind's call graph: every call into a
function whose name contains SYMBOL, how many there were, and their
inclusive instruction count. Prints the instructions per call.

The benches call each implementation through a function pointer, so the
function is a real call target, not inlined into criterion's loop. Examples
(docs/performance.md quotes figures measured this way):

    python3 benches/profile.py tcp 'tcp_syn_parse_74B/netspec\\+csum' 'tcp::netspec_impl::parse'
    python3 benches/profile.py tcp 'tcp_syn_parse_74B/smoltcp\\+csum' 'tcp::smoltcp_impl::parse'
    python3 benches/profile.py tcp 'tcp_syn_build_74B/netspec$' 'tcp::netspec_build::build'
    python3 benches/profile.py dns 'dns_query_build_33B/netspec$' 'dns::netspec_build'

Both const-generic instances of a `parse::<CSUM>` share a demangled name;
the filter picks the one that runs in the loop, and the other adds only its
one call from the bench's equivalence check. Needs valgrind (Debian's
package).
"""

import json
import os
import re
import subprocess
import sys
import tempfile


def bench_executable(bench):
    """Build the bench and return the path of its executable."""
    out = subprocess.run(
        ["cargo", "bench", "--bench", bench, "--no-run", "--message-format=json"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == bench:
            if msg.get("executable"):
                return msg["executable"]
    sys.exit(f"profile.py: no executable for bench {bench}")


def calls_into(path, symbol):
    """(calls, inclusive Ir) of every call edge into a function whose
    demangled name contains `symbol`, from a callgrind output file."""
    names = {}
    calls = ir = 0
    callee_matches = False
    pending = False
    ref = re.compile(r"^c?fn=\((\d+)\)(?: (.*))?$")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if pending:
                # The line after `calls=` holds the call's inclusive cost:
                # a position, then the event counts (Ir first).
                fields = line.split()
                if len(fields) >= 2:
                    ir += int(fields[1])
                pending = False
                continue
            m = ref.match(line)
            if m:
                fid, name = m.group(1), m.group(2)
                if name is not None:
                    names[fid] = name
                if line.startswith("cfn="):
                    callee_matches = symbol in names.get(fid, "")
                continue
            if line.startswith("calls=") and callee_matches:
                calls += int(line[len("calls=") :].split()[0])
                pending = True
    return calls, ir


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    bench, filt, symbol = sys.argv[1:4]
    seconds = sys.argv[4] if len(sys.argv) == 5 else "1"
    exe = bench_executable(bench)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--compress-strings=yes",
                f"--callgrind-out-file={out}",
                exe,
                "--bench",
                "--profile-time",
                seconds,
                filt,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        calls, ir = calls_into(out, symbol)
    if calls == 0:
        sys.exit(f"profile.py: no call into a function named like {symbol!r}")
    print(f"{symbol}: {calls} calls, {ir / calls:.0f} instructions per call")


if __name__ == "__main__":
    main()
