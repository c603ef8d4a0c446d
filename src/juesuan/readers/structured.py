"""Read the canonical form itself: JSON, or YAML written in the same shape (fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from juesuan import yaml_io
from juesuan.errors import UnreadableDocument
from juesuan.model import Disclosure, Origin


def _explain(exc: ValidationError, name: str) -> UnreadableDocument:
    first = exc.errors()[0]
    where = "/".join(str(p) for p in first["loc"])
    return UnreadableDocument(f"内容不符合决算数据格式：{where}：{first['msg']}", where=name)


def read_structured(path: Path) -> Disclosure:
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml_io.load(text)
    except (json.JSONDecodeError, yaml_io.YAMLError) as exc:
        raise UnreadableDocument(f"无法解析文件：{exc}", where=path.name) from exc
    if not isinstance(data, dict) or data.get("format") != "juesuan/disclosure":
        raise UnreadableDocument(
            "不是 juesuan 决算数据文件（缺少 format: juesuan/disclosure）", where=path.name
        )
    try:
        d = Disclosure.model_validate(data)
    except ValidationError as exc:
        raise _explain(exc, path.name) from exc
    if d.origin is None:
        d.origin = Origin(file=path.name, format=path.suffix.lower().lstrip("."), reader="structured")
    return d
