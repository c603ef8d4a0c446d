"""Benchmark of `juesuan check`: throughput, latency, memory, and mutation detection.

Prints, in one run:
  1. checks per second on 1,000 generated disclosures (three profiles, with and without fund
     money), with p50/p95 latency — against the baseline "touch every cell once" (the floor
     of any checker that looks at every amount);
  2. workbook disclosures: write N workbooks, then time read + check per workbook, against
     the baseline "calamine reads every value of the file" (the floor of reading the file);
  3. peak memory of one check (tracemalloc);
  4. the mutation detection rate per table: change one amount, is a finding reported at that
     cell or at an identity containing it?  (any severity, and as an error)

Goal (issue #2): ≤ 50 ms per workbook disclosure, ≥ 99 % of single-cell changes > 0.01 found.
Usage: python bench/check_bench.py [--n 1000] [--workbooks 50] [--mutations 3000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from juesuan.check import check
from juesuan.mutation import detect, sites
from juesuan.readers import read
from juesuan.synth import generate
from juesuan.tables import load_profile
from juesuan.writers.workbook import write_workbook

PROFILES = ("hubei-2022", "shanghai-2024", "legacy-8")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def touch_every_cell(d) -> Decimal:
    total = Decimal(0)
    for t in d.tables:
        for r in t.rows:
            for c in r.cells.values():
                if c.value is not None:
                    total += c.value
    return total


def bench_checks(n: int) -> None:
    docs = [generate(PROFILES[i % 3], seed=i, funds=bool(i % 2)) for i in range(n)]
    cells = sum(1 for d in docs for t in d.tables for r in t.rows for _ in r.cells)
    t0 = time.perf_counter()
    for d in docs:
        touch_every_cell(d)
    floor = time.perf_counter() - t0
    lat = []
    findings = 0
    for d in docs:
        t = time.perf_counter()
        findings += len(check(d).findings)
        lat.append(time.perf_counter() - t)
    total = sum(lat)
    print(f"1. check on {n} generated disclosures ({cells / n:.0f} amount cells each)")
    print(f"   juesuan check        {n / total:8.1f} checks/s   p50 {pct(lat, .5) * 1000:6.1f} ms"
          f"   p95 {pct(lat, .95) * 1000:6.1f} ms   findings on clean data: {findings}")
    print(f"   baseline: touch every cell once  {n / floor:8.1f} docs/s"
          f"   ({total / floor:.0f}× the floor)")


def bench_workbooks(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(n):
            d = generate(PROFILES[i % 3], seed=1000 + i, funds=bool(i % 2))
            paths.append(write_workbook(load_profile(d.profile), Path(tmp) / f"{i}.xlsx", d))
        from python_calamine import CalamineWorkbook

        floor = []
        for p in paths:
            t = time.perf_counter()
            wb = CalamineWorkbook.from_path(str(p))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
            floor.append(time.perf_counter() - t)
        lat, read_t = [], []
        for p in paths:
            t = time.perf_counter()
            d = read(p)
            t1 = time.perf_counter()
            check(d)
            t2 = time.perf_counter()
            read_t.append(t1 - t)
            lat.append(t2 - t)
    print(f"2. workbook disclosures ({n} .xlsx files, 21 sheets each): read + check")
    print(f"   juesuan read+check   p50 {pct(lat, .5) * 1000:6.1f} ms   p95 {pct(lat, .95) * 1000:6.1f} ms"
          f"   (read alone p50 {pct(read_t, .5) * 1000:.1f} ms)   goal ≤ 50 ms")
    print(f"   baseline: calamine reads all values   p50 {pct(floor, .5) * 1000:6.1f} ms")


def bench_memory() -> None:
    d = generate("hubei-2022", seed=1, funds=True)
    check(d)
    tracemalloc.start()
    check(d)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"3. peak memory of one check: {peak / 1024:.0f} KiB (tracemalloc)")


def bench_mutations(n: int) -> None:
    rng = random.Random(2)
    bases = [generate(p, seed=50 + i, funds=f) for i, p in enumerate(PROFILES) for f in (False, True)]
    per_table = defaultdict(lambda: [0, 0, 0])
    misses = []
    t0 = time.perf_counter()
    for k in range(n):
        d = bases[k % len(bases)]
        site = rng.choice(sites(d))
        cents = rng.choice([2, 3, 5, 10, 50, 100, 1000, 12345, 10_000_000])
        delta = Decimal(cents * rng.choice([1, -1])) / 100
        anywhere, as_error = detect(d, site, delta)
        stats = per_table[site.table]
        stats[0] += 1
        stats[1] += anywhere
        stats[2] += as_error
        if not anywhere:
            misses.append((d.profile, site.ref, delta))
    elapsed = time.perf_counter() - t0
    print(f"4. mutation detection: {n} single-cell changes (|Δ| from 0.02 to 100,000.00), "
          f"{elapsed:.1f} s")
    print("   table   changes   found   rate     as error")
    total = [0, 0, 0]
    for table in sorted(per_table):
        c, a, e = per_table[table]
        total = [x + y for x, y in zip(total, (c, a, e), strict=True)]
        print(f"   {table:6} {c:8} {a:7} {a / c:8.2%} {e / c:9.2%}")
    c, a, e = total
    print(f"   all    {c:8} {a:7} {a / c:8.2%} {e / c:9.2%}   goal ≥ 99 %")
    for m in misses[:10]:
        print("   missed:", *m)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--workbooks", type=int, default=50)
    ap.add_argument("--mutations", type=int, default=3000)
    args = ap.parse_args()
    bench_checks(args.n)
    bench_workbooks(args.workbooks)
    bench_memory()
    bench_mutations(args.mutations)


if __name__ == "__main__":
    main()
