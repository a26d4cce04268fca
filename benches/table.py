#!/usr/bin/env python3
"""Print the docs/performance.md tables from criterion's results.

Run after `cargo bench` (see docs/performance.md for the command). Reads
`target/criterion/<group>/<function>[/<len>]/new/estimates.json` and prints,
per group, the median time of every function and its ratio to the fastest
*peer* doing the same work: a `+csum` / `+names` function is compared with
the fastest peer function with the same suffix, a plain one with the fastest
plain peer. netspec and the references (`u64-add`, `memcpy`, `sse2+adc`,
`netspec-copy+sum`, `fused-copy+sum`) are not peers.
For `checksum` the comparison is per input length, and GB/s is added.
"""

import json
import os
import sys

NOT_PEERS = {"netspec", "netspec-copy", "u64-add", "memcpy", "sse2", "fused-copy"}
ORDER = [
    "tcp_syn_parse_74B",
    "tcp_data_parse_1514B",
    "tcp_syn_build_74B",
    "tcp_data_build_1514B",
    "ipv6_udp_parse_1280B",
    "checksum",
    "dns_parse_150B",
    "dns_query_build_33B",
    "tcp_transfer_10MB",
]


def medians(root):
    """{group: {function_id: median_ns}} from criterion's JSON files."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        group = bench["group_id"]
        func = bench["function_id"]
        if bench.get("value_str"):
            func = f"{func}/{bench['value_str']}"
        out.setdefault(group, {})[func] = est["median"]["point_estimate"]
    return out


def split(func):
    """(crate, suffix, length) of a function id like `smoltcp+csum` or `netspec/1500`."""
    name, _, length = func.partition("/")
    crate, plus, suffix = name.partition("+")
    return crate, plus + suffix, length


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
    data = medians(root)
    # Only the groups of the performance issue (other benches, such as
    # `packet`, have their own reports).
    for group in ORDER:
        if group not in data:
            continue
        funcs = data[group]
        print(f"\n### `{group}`\n")
        gbs = group == "checksum" or group == "tcp_transfer_10MB"
        print("| function | median | " + ("throughput | " if gbs else "") + "ratio to fastest peer |")
        print("|---|---:|" + ("---:|" if gbs else "") + "---:|")

        def key(f):
            crate, suffix, length = split(f)
            return (int(length) if length else 0, suffix, crate != "netspec", funcs[f])

        for func in sorted(funcs, key=key):
            crate, suffix, length = split(func)
            peers = [
                ns
                for f, ns in funcs.items()
                if split(f)[0] not in NOT_PEERS and split(f)[1] == suffix and split(f)[2] == length
            ]
            ratio = f"{funcs[func] / min(peers):.2f}×" if peers else "–"
            cells = [f"`{func}`", fmt_ns(funcs[func])]
            if gbs:
                size = int(length) if length else 10_000_000
                cells.append(f"{size / funcs[func]:.1f} GB/s")
            cells.append(ratio)
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
