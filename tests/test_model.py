"""The canonical model and its JSON form."""

import json
from decimal import Decimal

import jsonschema
import pytest
from pydantic import ValidationError

from juesuan.model import Cell, Disclosure
from juesuan.schema import json_schema


def test_json_round_trip_is_lossless(putuo, wuhan):
    for d in (putuo, wuhan):
        text = d.to_json()
        again = Disclosure.from_json(text).to_json()
        assert again == text


def test_printed_text_is_kept_beside_the_value(putuo):
    cell = putuo.table("T1").cell("inc_gpb", "C1")
    assert cell.value == Decimal("2940.05")
    assert cell.raw == "2,940.05"


def test_amounts_travel_as_strings_not_floats(wuhan):
    data = json.loads(wuhan.to_json())
    t5 = next(t for t in data["tables"] if t["key"] == "T5")
    assert t5["rows"][0]["cells"]["C1"]["value"] == "944.91"


def test_float_amounts_are_refused_in_input():
    with pytest.raises(ValidationError):
        Cell.model_validate(944.91)


def test_disclosure_json_validates_against_schema(putuo):
    jsonschema.validate(json.loads(putuo.to_json()), json_schema("disclosure"))
    jsonschema.validate(json.loads(putuo.to_json()), json_schema("all"))


def test_schema_rejects_what_is_not_a_disclosure():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "juesuan/disclosure", "unit": "x"}, json_schema("disclosure"))


def test_table_helpers(putuo):
    t = putuo.table("T5")
    assert t.value("2010601", "C3") == Decimal("8.37")
    assert t.value("nope", "C1") is None
    t.set("2010699", "C1", Decimal("1.00"), code="2010699", label="其他")
    assert t.value("2010699", "C1") == Decimal("1.00")
