"""Benchmark of reading a published PDF: `juesuan check` on the 25-page 普陀区财政局 sample.

Prints, in one run, the whole-process seconds (interpreter start and imports included) of
  * `juesuan check FILE --format json`,
  * plain text extraction of the same file with pdfplumber (the floor the issue names),
  * plain text extraction with pypdfium2 (the fastest floor),
and the same three in-process (after imports), as the median of --runs runs.
Must: ≤ 2× the pdfplumber floor.  Goal: ≤ 0.6 s whole process.
Usage: python bench/read_bench.py [PDF] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "samples" / "2024-shanghai-putuo-czj.pdf"

PDFPLUMBER = ("import pdfplumber,sys\nwith pdfplumber.open(sys.argv[1]) as p:\n"
              " [x.extract_text() for x in p.pages]")
PDFIUM = ("import pypdfium2 as p,sys\nd=p.PdfDocument(sys.argv[1])\n"
          "[d[i].get_textpage().get_text_range() for i in range(len(d))]")


def whole(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def inproc(fn, runs: int) -> float:
    fn()  # warm caches and imports
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not args.pdf.exists():
        sys.exit(f"找不到 {args.pdf}（需要 ../shared/samples）")
    py = sys.executable
    pdf = str(args.pdf)
    print(f"file: {args.pdf.name} ({args.pdf.stat().st_size / 1e6:.1f} MB), median of {args.runs} runs")
    w_check = whole([py, "-m", "juesuan", "check", pdf, "--format", "json"], args.runs)
    w_plumber = whole([py, "-c", PDFPLUMBER, pdf], args.runs)
    w_pdfium = whole([py, "-c", PDFIUM, pdf], args.runs)
    print("whole process (start, import, work):")
    print(f"  juesuan check              {w_check:6.2f} s   ({w_check / w_plumber:.2f}× pdfplumber)"
          f"   goal ≤ 0.60 s, must ≤ {2 * w_plumber:.2f} s")
    print(f"  floor: pdfplumber text     {w_plumber:6.2f} s")
    print(f"  floor: pypdfium2 text      {w_pdfium:6.2f} s")

    import pdfplumber
    import pypdfium2

    from juesuan.check import check
    from juesuan.readers import read

    def plumber():
        with pdfplumber.open(pdf) as p:
            [x.extract_text() for x in p.pages]

    def pdfium():
        d = pypdfium2.PdfDocument(pdf)
        [d[i].get_textpage().get_text_range() for i in range(len(d))]

    t_read = inproc(lambda: read(args.pdf), args.runs)
    t_all = inproc(lambda: check(read(args.pdf)), args.runs)
    print("in process (after imports):")
    print(f"  juesuan read               {t_read:6.2f} s")
    print(f"  juesuan read + check       {t_all:6.2f} s")
    print(f"  floor: pdfplumber text     {inproc(plumber, args.runs):6.2f} s")
    print(f"  floor: pypdfium2 text      {inproc(pdfium, args.runs):6.2f} s")


if __name__ == "__main__":
    main()
