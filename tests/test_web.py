"""The web application through its HTTP interface: every page and API endpoint, bad uploads,
CSRF, the access token, escaping."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from juesuan.store.uploads import Limits
from juesuan.web import Settings, create_app
from tests.conftest import EXAMPLES, SHARED, needs_shared

PUTUO_PDF = SHARED / "samples" / "2024-shanghai-putuo-czj.pdf"


def client(tmp_path: Path, **settings) -> TestClient:
    app = create_app(Settings(data_dir=tmp_path / "data", **settings))
    c = TestClient(app)
    c.get("/")  # the CSRF cookie
    return c


@pytest.fixture
def web(tmp_path) -> TestClient:
    with client(tmp_path) as c:
        yield c


def csrf(c: TestClient) -> str:
    return c.cookies.get("juesuan_csrf")


def upload(c: TestClient, path: Path, name: str | None = None, url: str = "/check", **extra):
    data = {"csrf": csrf(c), **extra}
    return c.post(url, files={"file": (name or path.name, path.read_bytes())}, data=data,
                  follow_redirects=False)


def test_home_page(web):
    r = web.get("/")
    assert r.status_code == 200 and "把决算公开文件拖到这里" in r.text
    assert 'name="csrf"' in r.text


def test_check_a_workbook_and_see_the_report(web, tmp_path):
    r = upload(web, EXAMPLES / "wuhan-2022.yaml")
    assert r.status_code == 303
    page = web.get(r.headers["location"])
    assert page.status_code == 200
    assert "武汉市江汉区企业服务中心" in page.text and "O.procurement.sme" in page.text
    assert 'data-severity="错误"' in page.text
    doc_id = r.headers["location"].rsplit("/", 1)[1]
    for fmt, kind in (("xlsx", "spreadsheet"), ("csv", "text/csv"), ("json", "json")):
        d = web.get(f"/documents/{doc_id}/report.{fmt}")
        assert d.status_code == 200 and kind in d.headers["content-type"]
    assert web.get(f"/documents/{doc_id}/original").content == (EXAMPLES / "wuhan-2022.yaml").read_bytes()
    api = web.get(f"/api/documents/{doc_id}").json()
    assert api["counts"]["错误"] >= 1 and api["report"]["findings"]
    assert web.get(f"/api/documents/{doc_id}/disclosure").json()["unit"] == "武汉市江汉区企业服务中心"


def test_table_view_highlights_the_culprit(web):
    r = upload(web, EXAMPLES / "putuo-2024.yaml")
    page = web.get(r.headers["location"]).text
    link = re.search(r'href="(/documents/\w+/tables/T1\?[^"]+)"', page)
    assert link, "a finding links into table 1"
    table = web.get(link.group(1).replace("&amp;", "&"))
    assert table.status_code == 200 and 'class="amount hl"' in table.text


@needs_shared
def test_pdf_report_links_to_the_page_image(web):
    r = upload(web, PUTUO_PDF)
    report = web.get(r.headers["location"]).text
    assert "N.share" in report and "71.73" in report
    link = re.search(r'href="(/documents/\w+/pages/21\?[^"]*)"', report).group(1).replace("&amp;", "&")
    page = web.get(link)
    assert page.status_code == 200 and 'class="box"' in page.text
    img = re.search(r'src="([^"]+image\.png)"', page.text).group(1)
    png = web.get(img)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_library_unit_compare_drill(web):
    for name in ("putuo-2024", "wuhan-2022"):
        upload(web, EXAMPLES / f"{name}.yaml")
    lib = web.get("/library", params={"unit": "普陀"})
    assert lib.status_code == 200 and "上海市普陀区财政局" in lib.text and "武汉" not in lib.text
    assert "2,995.39" in web.get("/units/上海市普陀区财政局").text
    cmp = web.get("/compare", params={"year": "2024"})
    assert cmp.status_code == 200 and "一般公共服务支出" in cmp.text
    doc_id = web.get("/api/documents", params={"unit": "普陀"}).json()["documents"][0]["id"]
    drill = web.get(f"/documents/{doc_id}/drill", params={"code": "20106"})
    assert "行政运行" in drill.text and "财政事务" in drill.text  # children and breadcrumb
    assert web.get("/api/documents", params={"year": 2022}).json()["total"] == 1


def test_build_in_the_browser(web, tmp_path):
    tpl = web.get("/templates/shanghai-2024.xlsx")
    assert tpl.status_code == 200 and tpl.content[:2] == b"PK"
    r = upload(web, EXAMPLES / "putuo-2024.yaml", url="/build")
    page = web.get(r.headers["location"]).text
    assert "已生成的公开文件" in page
    links = re.findall(r'href="(/documents/\w+/build/[^"]+)"', page)
    assert len(links) == 4
    pdf = web.get(links[1] if links[1].endswith("pdf") else next(x for x in links if x.endswith("pdf")))
    assert pdf.content.startswith(b"%PDF")
    stopped = upload(web, EXAMPLES / "wuhan-2022.yaml", url="/build")
    assert "没有生成公开文件" in web.get(stopped.headers["location"]).text


def test_build_outputs_cannot_escape_their_folder(web):
    r = upload(web, EXAMPLES / "putuo-2024.yaml", url="/build")
    doc_id = r.headers["location"].rsplit("/", 1)[1]
    for name in ("../../juesuan.sqlite3", "..%2F..%2Fjuesuan.sqlite3", "x.pdf"):
        assert web.get(f"/documents/{doc_id}/build/{name}").status_code == 404


def test_batch_with_a_zip_and_a_broken_file(web, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.write(EXAMPLES / "putuo-2024.yaml", "单位/普陀.yaml")
        z.writestr("说明.txt", "会议纪要\n今天开会。\n")
        z.writestr("../../evil.yaml", (EXAMPLES / "wuhan-2022.yaml").read_text(encoding="utf-8"))
    files = [("files", ("batch.zip", buf.getvalue())),
             ("files", ("fake.pdf", b"not a pdf at all, just text"))]
    r = web.post("/batch", files=files, data={"csrf": csrf(web)}, follow_redirects=False)
    assert r.status_code == 303
    job_id = r.headers["location"].rsplit("/", 1)[1]
    for _ in range(100):
        job = web.get(f"/api/jobs/{job_id}").json()
        if job["status"] == "done":
            break
        time.sleep(0.1)
    assert job["status"] == "done" and job["total"] == 4
    by_name = {d["filename"]: d for d in job["documents"]}
    assert by_name["普陀.yaml"]["status"] == "done" and by_name["evil.yaml"]["status"] == "done"
    assert by_name["fake.pdf"]["status"] == "failed" and "内容" in by_name["fake.pdf"]["error"]
    assert by_name["说明.txt"]["status"] == "failed"
    assert not (Path(web.app.state.store.data_dir).parent / "evil.yaml").exists()
    page = web.get(f"/jobs/{job_id}")
    assert "已完成" in page.text and "未能读取" in page.text


# ------------------------------------------------------------------------ bad uploads
def test_empty_upload(web, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    r = upload(web, empty)
    assert r.status_code == 400 and "空" in r.json()["error"]


def test_wrong_type_renamed_to_pdf(web, tmp_path):
    fake = tmp_path / "决算.pdf"
    fake.write_bytes((EXAMPLES / "putuo-2024.yaml").read_bytes().replace(b"format", b"formats"))
    r = web.post("/check", files={"file": ("决算.pdf", fake.read_bytes())},
                 data={"csrf": csrf(web)}, headers={"accept": "text/html"})
    assert r.status_code == 400 and "文件名是 .pdf，但内容是" in r.text


def test_over_the_limit(tmp_path):
    with client(tmp_path, limits=Limits(max_bytes=1000)) as c:
        r = c.post("/api/documents", files={"file": ("big.yaml", b"x" * 5000)})
        assert r.status_code == 413 and "超过大小上限" in r.json()["error"]


def test_zip_bomb_is_refused(web):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"0" * (400 * 1024 * 1024))
    r = web.post("/api/jobs", files=[("files", ("bomb.zip", buf.getvalue()))])
    job = r.json()
    assert r.status_code == 200 and job["documents"][0]["status"] == "failed"
    assert "压缩炸弹" in job["documents"][0]["error"] or "超过上限" in job["documents"][0]["error"]


def test_docx_bomb_is_refused(web):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (400 * 1024 * 1024))
    r = web.post("/api/documents", files={"file": ("决算.docx", buf.getvalue())})
    assert r.status_code == 400 and ("压缩炸弹" in r.json()["error"] or "超过上限" in r.json()["error"])


# --------------------------------------------------------------------------- security
def test_forms_need_the_csrf_token(web):
    r = web.post("/check", files={"file": ("a.yaml", b"x")}, data={"csrf": "forged"})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]


def test_cross_site_posts_are_refused(web):
    r = web.post("/api/documents", files={"file": ("a.yaml", b"x")},
                 headers={"origin": "https://evil.example"})
    assert r.status_code == 403


def test_token_protects_uploads_and_deletes(tmp_path):
    with client(tmp_path, token="s3cret") as c:
        path = EXAMPLES / "putuo-2024.yaml"
        assert c.post("/api/documents", files={"file": (path.name, path.read_bytes())}).status_code == 401
        ok = c.post("/api/documents", files={"file": (path.name, path.read_bytes())},
                    headers={"authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        doc_id = ok.json()["id"]
        assert c.get(f"/documents/{doc_id}").status_code == 200  # reading needs no token
        assert c.delete(f"/api/documents/{doc_id}").status_code == 401
        assert c.post("/login", data={"token": "wrong", "csrf": csrf(c)}).status_code == 401
        c.post("/login", data={"token": "s3cret", "csrf": csrf(c)})
        assert c.post(f"/documents/{doc_id}/delete", data={"csrf": csrf(c)},
                      follow_redirects=False).status_code == 303
        assert c.get(f"/api/documents/{doc_id}").status_code == 404


def test_text_from_documents_is_escaped(web, tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text((EXAMPLES / "putuo-2024.yaml").read_text(encoding="utf-8").replace(
        "unit: 上海市普陀区财政局", "unit: <script>alert('x')</script>上海"), encoding="utf-8")
    r = upload(web, evil)
    page = web.get(r.headers["location"]).text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<script>alert" not in web.get("/library").text


def test_unknown_ids_are_404(web):
    for url in ("/documents/abc", "/documents/" + "0" * 32, "/api/jobs/nope", "/units/nobody"):
        assert web.get(url).status_code == 404


def test_api_recheck_and_delete(web):
    data = (EXAMPLES / "putuo-2024.yaml").read_bytes()
    doc = web.post("/api/documents", files={"file": ("p.yaml", data)}).json()
    assert web.post(f"/api/documents/{doc['id']}/recheck").json()["status"] == "done"
    assert web.delete(f"/api/documents/{doc['id']}").json() == {"deleted": doc["id"]}


def test_openapi_documents_the_api(web):
    paths = web.get("/openapi.json").json()["paths"]
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/jobs", "/api/builds"} <= set(paths)


def test_unchecked_files_are_resumed_after_a_restart(tmp_path):
    from juesuan.store import Store

    store = Store(None, tmp_path / "data")
    store.migrate()
    job = store.create_job(1)
    doc = store.add_file(EXAMPLES / "putuo-2024.yaml", "普陀.yaml", job_id=job.id)  # never checked
    with client(tmp_path) as c:  # the "restarted" server
        for _ in range(100):
            if c.get(f"/api/jobs/{job.id}").json()["status"] == "done":
                break
            time.sleep(0.1)
        assert c.get(f"/api/documents/{doc.id}").json()["status"] == "done"
