"""Benchmark of the web application under a bounded load, on loopback.

Starts `juesuan serve` (one process, SQLite library in a temporary folder), then in one run:
  * baseline: N uploads of the 25-page 普陀 PDF to POST /api/documents one after another;
  * load: the same N uploads all at once (N concurrent clients);
and prints throughput (checks/s), p50/p95/max latency, what was dropped (requests that failed or
documents missing from the library afterwards: must be 0) and the server's peak memory.
Usage: python bench/web_bench.py [--n 20] [PDF]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "samples" / "2024-shanghai-putuo-czj.pdf"


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def built_pdf(tmp: Path) -> Path:
    """The 普陀 PDF juesuan builds from its fixture (when ../shared is absent)."""
    from juesuan.build import build
    from juesuan.readers import read

    return build(read(ROOT / "examples" / "putuo-2024.yaml"), tmp, ("pdf",)).files[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


async def one(client: httpx.AsyncClient, data: bytes, name: str) -> tuple[float, int]:
    t = time.perf_counter()
    r = await client.post("/api/documents", files={"file": (name, data, "application/pdf")})
    return time.perf_counter() - t, r.status_code


async def run(base: str, data: bytes, n: int, concurrent: bool) -> tuple[float, list[float], int]:
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        t = time.perf_counter()
        if concurrent:
            results = await asyncio.gather(*(one(client, data, f"c{i}.pdf") for i in range(n)))
        else:
            results = [await one(client, data, f"s{i}.pdf") for i in range(n)]
        wall = time.perf_counter() - t
    failed = sum(1 for _, status in results if status != 200)
    return wall, [lat for lat, _ in results], failed


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = args.pdf if args.pdf.exists() else built_pdf(Path(tmp))
        data = pdf.read_bytes()
        port = free_port()
        env = {**os.environ, "JUESUAN_DATA": str(Path(tmp) / "library")}
        env.pop("JUESUAN_TOKEN", None)
        env.pop("JUESUAN_DATABASE_URL", None)
        server = subprocess.Popen([sys.executable, "-m", "juesuan", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(base + "/api/documents", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            asyncio.run(run(base, data, 1, False))  # warm-up: imports, fonts, caches
            print(f"文件：{pdf.name}（{len(data) / 1024:.0f} KB），每轮 {args.n} 次上传审核")
            for label, concurrent in (("基线：逐个上传", False), (f"负载：{args.n} 个同时上传", True)):
                wall, lat, failed = asyncio.run(run(base, data, args.n, concurrent))
                print(f"{label:<18} 总用时 {wall:6.2f} s  吞吐 {args.n / wall:5.2f} 份/s  "
                      f"p50 {statistics.median(lat):5.2f} s  p95 {pct(lat, 0.95):5.2f} s  "
                      f"最长 {max(lat):5.2f} s  失败 {failed}")
            stored = httpx.get(base + "/api/documents", params={"limit": 500}).json()
            done = sum(1 for d in stored["documents"] if d["status"] == "done")
            expected = 2 * args.n + 1
            print(f"文件库中的文件：{stored['total']}（应为 {expected}），审核完成 {done}，"
                  f"丢失 {expected - stored['total']}")
            print(f"服务进程峰值内存：{peak_rss_mb(server.pid):.0f} MB")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
