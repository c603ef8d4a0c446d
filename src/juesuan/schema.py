"""JSON Schemas of what juesuan reads and writes (``juesuan schema``)."""

from __future__ import annotations

from typing import Any, Union

from pydantic import TypeAdapter

from juesuan.model import Disclosure
from juesuan.rules.findings import CheckReport

SCHEMA_ID = "https://juesuan.org/schema/juesuan-1.json"


def json_schema(which: str = "all") -> dict[str, Any]:
    """``disclosure``, ``report`` (one report or a list of them), or ``all`` (any of these)."""
    if which == "disclosure":
        target: Any = Disclosure
        title = "juesuan 决算数据（disclosure）"
    elif which == "report":
        target = Union[CheckReport, list[CheckReport]]  # noqa: UP007
        title = "juesuan 审核报告（check report）"
    else:
        target = Union[Disclosure, CheckReport, list[CheckReport]]  # noqa: UP007
        title = "juesuan 数据文件：决算数据或审核报告"
    schema = TypeAdapter(target).json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID if which == "all" else SCHEMA_ID.replace("juesuan-1", f"{which}-1")
    schema["title"] = title
    return schema
