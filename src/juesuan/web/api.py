"""The JSON API: the same operations as the pages, for other systems (schema at ``/docs``)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from juesuan.web import security
from juesuan.web.work import (
    build_upload,
    check_upload,
    document_or_404,
    document_view,
    job_view,
    receive,
    store_of,
)

router = APIRouter(prefix="/api", tags=["API"])


_store = store_of
_doc = document_or_404


@router.post("/documents", summary="上传一份文件并审核", dependencies=[Depends(security.require_token)])
async def post_document(request: Request,
                        file: UploadFile = File(..., description="PDF/DOCX/XLS(X)/HTML/TXT/JSON/YAML")):
    store = _store(request)
    tmp = await receive(store, file)
    doc = await run_in_threadpool(check_upload, store, tmp, file.filename or "未命名",
                                  request.app.state.pool)
    return {**document_view(doc), "report": json.loads(doc.report) if doc.report else None}


@router.get("/documents", summary="检索文件库")
def list_documents(request: Request, unit: str | None = None, year: int | None = None,
                   region: str | None = None, kind: str | None = None,
                   limit: int = Query(50, le=500), offset: int = 0):
    rows, total = _store(request).search(unit, year, region, kind, limit=limit, offset=offset)
    return {"total": total, "documents": [document_view(d) for d in rows]}


@router.get("/documents/{doc_id}", summary="一份文件的审核结果")
def get_document(request: Request, doc_id: str):
    doc = _doc(request, doc_id)
    return {**document_view(doc), "report": json.loads(doc.report) if doc.report else None,
            "summary": json.loads(doc.summary) if doc.summary else None}


@router.get("/documents/{doc_id}/disclosure", summary="读出的结构化数据（juesuan/disclosure JSON）")
def get_disclosure(request: Request, doc_id: str):
    doc = _doc(request, doc_id)
    if not doc.disclosure:
        raise HTTPException(404, "这份文件没有读出数据。")
    return Response(doc.disclosure, media_type="application/json")


@router.post("/documents/{doc_id}/recheck", summary="按当前规则重新审核",
             dependencies=[Depends(security.require_token)])
async def recheck(request: Request, doc_id: str):
    _doc(request, doc_id)
    doc = await run_in_threadpool(_store(request).analyze, doc_id, request.app.state.pool)
    return document_view(doc)


@router.delete("/documents/{doc_id}", summary="删除", dependencies=[Depends(security.require_token)])
def delete(request: Request, doc_id: str):
    if not _store(request).delete(doc_id):
        raise HTTPException(404, "没有这份文件。")
    return {"deleted": doc_id}


@router.post("/builds", summary="上传填好的数据底稿，生成公开文件",
             dependencies=[Depends(security.require_token)])
async def post_build(request: Request, file: UploadFile = File(...), force: bool = Form(False)):
    store = _store(request)
    tmp = await receive(store, file)
    doc, files = await run_in_threadpool(build_upload, store, tmp, file.filename or "底稿.xlsx", force,
                                          request.app.state.pool)
    return {**document_view(doc), "built": bool(files),
            "downloads": [f"/documents/{doc.id}/build/{f.name}" for f in files],
            "report": json.loads(doc.report) if doc.report else None}


@router.post("/jobs", summary="批量审核（多个文件或 ZIP），后台进行",
             dependencies=[Depends(security.require_token)])
async def post_job(request: Request, files: list[UploadFile] = File(...)):
    store = _store(request)
    received = [(await receive(store, f), f.filename or "未命名") for f in files]
    job_id = request.app.state.batches.start(received)
    return job_view(store, job_id)


@router.get("/jobs/{job_id}", summary="批量任务的进度和结果")
def get_job(request: Request, job_id: str):
    return job_view(_store(request), job_id)
