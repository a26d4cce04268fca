#!/usr/bin/env bash
# Build netspec's fuzz targets and run each for a bounded time.
#
#   fuzz/run.sh [-t SECONDS] [TARGET ...]
#
# Builds exactly as `cargo fuzz build -s none` does (the same RUSTFLAGS:
# SanitizerCoverage instrumentation, `--cfg fuzzing`, debug assertions and
# overflow checks in an optimised build), but needs neither cargo-fuzz nor a
# nightly toolchain, so CI can run it on stable. The sanitizer is left out:
# netspec forbids `unsafe`, so ASan would only slow the search down.
#
# Each target runs for SECONDS (default 20) over its corpus in
# fuzz/corpus/<target>/ (seeded by fuzz/seed.py when empty). Its log goes to
# fuzz/logs/<target>.log; a crash input lands in fuzz/artifacts/<target>/.
# Prints one line per target (executions, edges covered, features, corpus
# size, exec/s) and exits non-zero if any target crashed.
set -euo pipefail
cd "$(dirname "$0")"

seconds=20
while getopts "t:" opt; do
    case $opt in
        t) seconds=$OPTARG ;;
        *) echo "usage: $0 [-t SECONDS] [TARGET ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

triple=$(rustc -vV | sed -n 's/^host: //p')
# The flags `cargo fuzz build -s none` (cargo-fuzz 0.13) passes: coverage level 4,
# inline 8-bit counters, PC table, compare tracing, stack depth (Linux),
# `--cfg fuzzing`, debug assertions (and with them overflow checks).
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cdebug-assertions -Ccodegen-units=1"
# --target keeps the instrumentation off build scripts and proc macros.
cargo build --release --target "$triple" --bins
bin=${CARGO_TARGET_DIR:-target}/$triple/release

if [ $# -eq 0 ]; then
    # Every [[bin]] in Cargo.toml, in file order.
    set -- $(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^netspec-fuzz$')
fi
if [ ! -d corpus ] || [ -z "$(ls -A corpus)" ]; then
    ./seed.py
fi

mkdir -p logs
status=0
printf '%-12s %12s %8s %8s %8s %10s\n' target execs cov ft corpus exec/s
for t in "$@"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    # -timeout: one input taking 10 s is a hang, and fails the run.
    if "$bin/$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" "corpus/$t" >"logs/$t.log" 2>&1; then
        result=ok
    else
        result=CRASH
        status=1
    fi
    log=logs/$t.log
    last=$(grep -E '#[0-9]+\s+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
    execs=$(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo "?")
    ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo "?")
    corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo "?")
    rate=$(grep -o 'exec/s: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo "?")
    printf '%-12s %12s %8s %8s %8s %10s %s\n' "$t" "$execs" "$cov" "$ft" "$corp" "$rate" "$result"
    if [ "$result" = CRASH ]; then
        grep -E 'panicked|ERROR|Test unit written' "$log" | head -5 | sed 's/^/    /'
    fi
done
exit $status
