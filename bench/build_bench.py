"""Benchmark of `juesuan build`: all four formats of the 普陀区财政局 fixture.

Prints, in one run:
  * whole-process seconds of `juesuan build examples/putuo-2024.yaml` (interpreter start and
    imports included — what the officer waits for), median of --runs runs;
  * in-process seconds per step (check, text, DOCX, PDF, HTML, XLSX) after warm-up;
  * the baseline: the same build with the PDF laid out in the same process
    (`parallel=False`), so the gain of the forked PDF writer is measured, not assumed;
  * peak memory (max RSS) of the whole-process build;
  * the same for the 武汉 fixture (36 pages with four charts; built with --force).
Goal: ≤ 3 s whole process for 普陀.
Usage: python bench/build_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUESUAN = [sys.executable, "-m", "juesuan"]


def whole(args: list[str], runs: int) -> tuple[float, float]:
    times = []
    rss = 0.0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as out:
            t = time.perf_counter()
            subprocess.run([*JUESUAN, "build", *args, "-o", out], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t)
        rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return statistics.median(times), rss


def steps(name: str, force: bool) -> dict[str, float]:
    from juesuan.build import build, prepare, publication
    from juesuan.catalog import Catalog
    from juesuan.readers import read
    from juesuan.tables import load_profile
    from juesuan.writers.docx import write_docx
    from juesuan.writers.html import write_html
    from juesuan.writers.pdf import write_pdf
    from juesuan.writers.tables_xlsx import write_tables_xlsx

    d = read(ROOT / "examples" / f"{name}.yaml")
    profile, catalog = load_profile(d.profile), Catalog(d.year)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        build(d, tmpdir / "warm", force=force)  # imports, fonts, caches
        t = time.perf_counter()
        prepare(d, profile, catalog)
        out["审核底稿"] = time.perf_counter() - t
        t = time.perf_counter()
        pub = publication(d, profile, catalog)
        out["生成文字"] = time.perf_counter() - t
        if any(b.kind == "chart" for b in pub.blocks):
            t = time.perf_counter()
            _ = pub.charts
            out["图表"] = time.perf_counter() - t
        for label, writer, ext in (("DOCX", write_docx, "docx"), ("PDF", write_pdf, "pdf"),
                                   ("HTML", write_html, "html"), ("XLSX", write_tables_xlsx, "xlsx")):
            t = time.perf_counter()
            writer(pub, tmpdir / f"x.{ext}")
            out[label] = time.perf_counter() - t
        for parallel, label in ((True, "四种格式（PDF 另起进程）"), (False, "四种格式（基线：单进程）")):
            t = time.perf_counter()
            build(d, tmpdir / label, force=force, parallel=parallel)
            out[label] = time.perf_counter() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for name, force in (("putuo-2024", False), ("wuhan-2022", True)):
        extra = ["--force"] if force else []
        secs, rss = whole([str(ROOT / "examples" / f"{name}.yaml"), *extra], args.runs)
        print(f"\n== {name}{'（--force）' if force else ''}")
        print(f"整个进程 juesuan build（含启动和导入）：{secs:.2f} s（{args.runs} 次中位数），"
              f"峰值内存 {rss:.0f} MB")
        for label, s in steps(name, force).items():
            print(f"  {label:<24} {s:6.2f} s")
    print("\n目标：普陀四种格式整个进程 ≤ 3 s。")


if __name__ == "__main__":
    main()
