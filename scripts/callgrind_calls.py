#!/usr/bin/env python3
"""Per-call instruction counts of Strata's instruction entry points.

Reads two callgrind outputs of the same workload: one collected everywhere, one
collected only inside the CPI stub (`--toggle-collect` on solana-program-test's
`sol_invoke_signed`). For every call arc into `strata::__private::__global::<ix>`
it sums the call count and the inclusive cost (Ir) on the arc; the first gives the
whole instruction (Anchor account parsing, Strata, and the SPL Token program the
CPIs run in the VM), the second the CPI share, the difference Strata's own.
Usage: callgrind_calls.py FULL.out CPI_ONLY.out ix1,ix2,..."""
import re
import sys
from collections import defaultdict

ENTRY = re.compile(r"strata::__private::__global::(\w+)$")


def parse(path):
    names = {}

    def resolve(token):
        m = re.match(r"\((\d+)\)(?: (.*))?", token.strip())
        if not m:
            return token.strip()
        ident, name = m.groups()
        if name:
            names[ident] = name
        return names.get(ident, ident)

    calls, cost = defaultdict(int), defaultdict(int)
    target, pending = None, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("cfn="):
                target = resolve(line[4:])
            elif line.startswith("fn="):
                resolve(line[3:])
            elif line.startswith("calls="):
                pending = int(line[6:].split()[0])
            elif pending is not None:
                fields = line.split()
                m = ENTRY.search(target or "")
                if m and fields:
                    calls[m.group(1)] += pending
                    cost[m.group(1)] += int(fields[-1])
                pending = None
    return calls, cost


if __name__ == "__main__":
    calls, full = parse(sys.argv[1])
    _, cpi = parse(sys.argv[2])
    print(f"{'instruction':<18} {'calls':>6} {'Ir per call':>13} {'Strata (own)':>13} {'SPL Token CPIs':>15}")
    for name in sys.argv[3].split(","):
        n = calls.get(name, 0)
        if n == 0:
            print(f"{name:<18} {'-':>6}")
            continue
        total, in_cpi = full[name] // n, cpi[name] // n
        print(f"{name:<18} {n:>6} {total:>13,} {total - in_cpi:>13,} {in_cpi:>15,}")
