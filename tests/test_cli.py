"""The command line, end to end: what a user types and reads."""

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal

import jsonschema
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from juesuan.cli import app

from .conftest import EXAMPLES


def run(*args, ok=(0, 1)):
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in ok, result.output
    return result


def test_help_is_chinese():
    out = run("--help").output
    assert "用法：" in out and "审核" in out and "选项" in out
    assert "Usage" not in out and "Show this message" not in out


def test_check_prints_grouped_findings_and_exits_1_on_errors():
    r = run("check", EXAMPLES / "wuhan-2022.yaml")
    assert r.exit_code == 1
    assert "错误（1 条）" in r.output and "表3《支出决算表》" in r.output
    assert "共 8 条：错误 1，警告 5，提示 2。" in r.output


def test_check_exits_0_without_errors():
    r = run("check", EXAMPLES / "putuo-2024.yaml", "--no-info")
    assert r.exit_code == 0 and "错误 0" in r.output


def test_json_output_validates_against_the_schema(tmp_path):
    out = tmp_path / "r.json"
    run("check", EXAMPLES / "putuo-2024.yaml", "--format", "json", "-o", out)
    schema = json.loads(run("schema").output)
    report = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    jsonschema.validate(report, json.loads(run("schema", "report").output))
    assert report["counts"] == {"错误": 0, "警告": 0, "提示": 12}


def test_csv_and_xlsx_for_a_colleague(tmp_path):
    r = run("check", EXAMPLES / "wuhan-2022.yaml", "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.output)))
    assert rows[0][:5] == ["文件", "单位", "年度", "级别", "规则"] and len(rows) == 9
    out = tmp_path / "审核结果.xlsx"
    run("check", EXAMPLES / "wuhan-2022.yaml", EXAMPLES / "putuo-2024.yaml", "-f", "xlsx", "-o", out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["审核结果", "汇总"]
    assert wb["汇总"].max_row == 3


def test_template_then_check(tmp_path):
    out = tmp_path / "决算.xlsx"
    r = run("template", "--profile", "shanghai-2024", "-o", out)
    assert out.exists() and "已生成" in r.output
    r = run("check", out)
    assert "「单位信息」中没有填写单位名称" in r.output


def test_export_json_round_trips(tmp_path):
    out = tmp_path / "d.json"
    run("export", EXAMPLES / "putuo-2024.yaml", "-f", "json", "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(run("schema", "disclosure").output))
    again = tmp_path / "again.json"
    run("export", out, "-f", "json", "-o", again)
    assert json.loads(again.read_text(encoding="utf-8"))["tables"] == data["tables"]


def test_export_xlsx_and_check_it(tmp_path):
    out = tmp_path / "普陀.xlsx"
    run("export", EXAMPLES / "putuo-2024.yaml", "-f", "xlsx", "-o", out)
    r = run("check", out, "-f", "json")
    assert json.loads(r.output)["counts"]["提示"] == 12


def test_check_a_folder(tmp_path):
    for name in ("wuhan-2022", "putuo-2024"):
        (tmp_path / f"{name}.yaml").write_bytes((EXAMPLES / f"{name}.yaml").read_bytes())
    (tmp_path / "notes.txt").write_text("not a disclosure", encoding="utf-8")
    r = run("check", tmp_path, "-f", "json")
    reports = json.loads(r.stdout)
    assert [x["unit"] for x in reports] == ["上海市普陀区财政局", "武汉市江汉区企业服务中心"]
    assert "跳过 notes.txt" in r.stderr and "不是部门决算" in r.stderr


@pytest.mark.parametrize("args, message", [
    (["check", "nope.xlsx"], "不存在"),
    (["template", "--profile", "mars", "-o", "x.xlsx"], "没有名为「mars」的模板"),
    (["check", "--format", "xlsx", "EXAMPLE"], "需要用 -o 指定输出文件"),
])
def test_bad_input_gets_one_chinese_sentence(args, message, tmp_path):
    args = [str(EXAMPLES / "putuo-2024.yaml") if a == "EXAMPLE" else a for a in args]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreadable_file_is_explained(tmp_path):
    bad = tmp_path / "决算.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    result = CliRunner().invoke(app, ["check", str(bad)])
    assert result.exit_code == 2 and "决算.xlsx" in result.output and "Traceback" not in result.output
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = CliRunner().invoke(app, ["check", str(empty)])
    assert result.exit_code == 2 and "文件是空的" in result.output


def test_catalog_import_and_show(tmp_path):
    f = tmp_path / "2024.csv"
    f.write_text("科目编码,科目名称\n2010699,其他财政事务支出\n", encoding="utf-8")
    assert "已导入 1 个科目" in run("catalog", "import", f, "--year", "2024").output
    assert "其他财政事务支出" in run("catalog", "show", "2010699", "--year", "2024").output
    assert "未能核对" in run("catalog", "show", "2010699", "--year", "2023").output


def test_profiles_and_rules_are_listed():
    assert "shanghai-2024" in run("profiles").output
    out = run("rules", "--profile", "hubei-2022").output
    assert "T1.R27" in out and "X.T5-T6.basic" in out and "P.exec_score" in out


def test_installed_command_runs():
    r = subprocess.run([sys.executable, "-m", "juesuan", "check", str(EXAMPLES / "putuo-2024.yaml"),
                        "--format", "json"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and json.loads(r.stdout)["unit"] == "上海市普陀区财政局"


def test_extract_to_json_and_workbook(tmp_path):
    src = tmp_path / "决算.txt"
    src.write_text((EXAMPLES.parent / "tests" / "data" / "mini.txt").read_text(encoding="utf-8"),
                   encoding="utf-8")
    out = tmp_path / "out.json"
    r = run("extract", src, "-o", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["unit"] == "测试街道办事处" and data["year"] == 2023
    assert "读出 1 张决算表" in r.stderr
    wb = tmp_path / "out.xlsx"
    run("extract", src, "-o", wb)
    again = json.loads(run("export", wb, "-f", "json").stdout)

    def t5(d):
        t = next(t for t in d["tables"] if t["key"] == "T5")
        return {(r["key"], c): Decimal(v["value"]) for r in t["rows"] for c, v in r["cells"].items()}

    assert t5(again) == t5(data) and again["unit"] == data["unit"]


def test_folder_summary_in_the_terminal(tmp_path):
    for name in ("wuhan-2022", "putuo-2024"):
        (tmp_path / f"{name}.yaml").write_bytes((EXAMPLES / f"{name}.yaml").read_bytes())
    r = run("check", tmp_path)
    assert "审核汇总（2 个文件）" in r.stdout and "1 个文件有错误" in r.stdout
