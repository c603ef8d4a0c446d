"""The library store on SQLite and on a real PostgreSQL server.

``make test`` starts Debian's PostgreSQL (``scripts/test-postgres.sh``) and passes its URL in
``JUESUAN_TEST_DATABASE_URL``; without it the PostgreSQL half is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from juesuan.store import Store, UploadRefused
from tests.conftest import EXAMPLES

PG = os.environ.get("JUESUAN_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG, reason="no PostgreSQL server (set JUESUAN_TEST_DATABASE_URL; make test starts one)"))]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    url = PG if request.param == "postgresql" else None
    s = Store(url, tmp_path / "data")
    if url:
        s.reset()
    s.migrate()
    s.migrate()  # idempotent
    yield s
    if url:
        s.reset()
    s.engine.dispose()


def test_store_check_and_search(store):
    doc = store.add_file(EXAMPLES / "putuo-2024.yaml", "普陀.yaml")
    assert doc.status == "pending" and doc.stored_name == f"{doc.id}.yaml"
    doc = store.analyze(doc.id)
    assert doc.status == "done" and doc.unit == "上海市普陀区财政局" and doc.year == 2024
    assert (doc.errors, doc.infos) == (0, 12)
    summary = json.loads(doc.summary)
    assert summary["grand_total"] == "2995.39" and summary["basic"] == "2336.91"
    assert [c["code"] for c in summary["classes"]] == ["201", "208", "210", "221"]
    rows, total = store.search(unit="普陀")
    assert total == 1 and rows[0].id == doc.id
    assert store.search(year=2023)[1] == 0
    assert store.unit_documents("上海市普陀区财政局")[0].id == doc.id
    assert store.latest_of_year(2024)[0].id == doc.id
    assert store.stale() == []


def test_store_keeps_failures_with_a_reason(store, tmp_path):
    bad = tmp_path / "x.txt"
    bad.write_text("会议纪要\n今天下午开会，讨论办公用房。\n", encoding="utf-8")
    doc = store.analyze(store.add_file(bad, "x.txt").id)
    assert doc.status == "failed" and doc.error


def test_store_refuses_disguised_files(store, tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(UploadRefused, match="内容"):
        store.add_file(fake, "决算.pdf")


def test_store_delete_and_recheck(store):
    doc = store.analyze(store.add_file(EXAMPLES / "wuhan-2022.yaml", "武汉.yaml").id)
    with store.session() as s:
        row = s.get(type(doc), doc.id)
        row.rules_version = "old"
        s.commit()
    assert store.stale() == [doc.id]
    assert store.recheck_all() == 1 and store.stale() == []
    assert store.delete(doc.id) and store.get(doc.id) is None
    assert not (store.files / doc.stored_name).exists()


def test_concurrent_writers_never_mix_documents(store):
    """Eight threads store and check at once: eight rows, each with its own file and unit."""
    names = ["putuo-2024", "wuhan-2022"] * 4
    out: list = []

    def work(name: str) -> None:
        doc = store.add_file(EXAMPLES / f"{name}.yaml", f"{name}.yaml")
        out.append((name, store.analyze(doc.id)))

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 8 and len({d.id for _, d in out}) == 8
    units = {"putuo-2024": "上海市普陀区财政局", "wuhan-2022": "武汉市江汉区企业服务中心"}
    for name, d in out:
        assert d.status == "done" and d.unit == units[name], d.error
        assert Path(store.path(d)).read_bytes() == (EXAMPLES / f"{name}.yaml").read_bytes()
    assert store.search()[1] == 8


def test_jobs_count_progress(store):
    job = store.create_job(3)
    for failed in (False, True, False):
        store.job_progress(job.id, failed)
    job = store.job(job.id)
    assert (job.done, job.failed, job.status) == (3, 1, "done")
