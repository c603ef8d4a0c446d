"""Shared fixtures: the two transcribed real disclosures, synthetic ones, and ../shared."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from juesuan.check import check
from juesuan.model import Disclosure
from juesuan.readers.structured import read_structured
from juesuan.synth import generate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("JUESUAN_SHARED", ROOT.parent / "shared")).resolve()

needs_shared = pytest.mark.skipif(
    not (SHARED / "samples").is_dir(),
    reason=f"../shared (real sample documents) is not available at {SHARED}; "
           "the project's own fixtures still cover the code",
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Imported catalogs go to a throw-away directory, never the user's."""
    monkeypatch.setenv("JUESUAN_HOME", str(tmp_path_factory.mktemp("home")))


_CACHE: dict[str, Disclosure] = {}


def load_example(name: str) -> Disclosure:
    if name not in _CACHE:
        _CACHE[name] = read_structured(EXAMPLES / f"{name}.yaml")
    return _CACHE[name].model_copy(deep=True)


@pytest.fixture
def wuhan() -> Disclosure:
    return load_example("wuhan-2022")


@pytest.fixture
def putuo() -> Disclosure:
    return load_example("putuo-2024")


@pytest.fixture
def clean() -> Disclosure:
    """A synthetic disclosure in which every identity holds (hubei-2022 layout)."""
    return generate("hubei-2022", seed=7)


def rules_of(d: Disclosure, severity: str | None = None) -> list[str]:
    return [f.rule for f in check(d).findings if severity is None or f.severity.value == severity]


def deep(d: Disclosure) -> Disclosure:
    return copy.deepcopy(d)
