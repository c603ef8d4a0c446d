"""The ``juesuan`` command.  Every message a user reads is Chinese; problems with the input are
one sentence, never a traceback (``--debug`` shows the traceback for developers)."""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table as RichTable

from juesuan import __version__, cli_zh
from juesuan.errors import JuesuanError

cli_zh.install()

console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class JuesuanGroup(click.Group):
    """Turns any error into one Chinese sentence and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except JuesuanError as exc:
            err_console.print(f"[bold red]错误：[/]{exc}")
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            err_console.print("已中止。")
            sys.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the details for developers
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            err_console.print(f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}\n"
                              "这是 juesuan 的缺陷，不是您的文件的问题。请加 --debug 重新运行，"
                              "并把输出报告给维护者。")
            sys.exit(3)


@click.group(cls=JuesuanGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="juesuan %(version)s")
@click.option("--debug", is_flag=True, hidden=True, help="出错时显示完整的调用栈（开发者用）。")
@click.pass_context
def app(ctx: click.Context, debug: bool) -> None:
    """juesuan（决算）：部门决算公开的编制、审核与读取工具。

    \b
    常用命令：
      juesuan template --profile shanghai-2024 -o 决算.xlsx   生成空白数据底稿
      juesuan check 决算.xlsx                                 审核，列出所有不一致
      juesuan export 决算.xlsx --format json -o 决算.json       导出结构化数据
    """
    ctx.obj = {"debug": debug}


# ------------------------------------------------------------------------------- check
FORMATS = ("text", "json", "csv", "xlsx")


def _collect(paths: tuple[Path, ...]) -> list[Path]:
    from juesuan.readers import SUPPORTED

    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file()
                                and f.suffix.lower() in SUPPORTED and not f.name.startswith("~$")))
        else:
            files.append(p)
    return files


@app.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="输出格式：text 在终端阅读；json、csv、xlsx 供程序或同事使用。")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="把结果写入文件（xlsx 格式必须指定）。")
@click.option("--profile", help="指定模板（默认取文件中记录的模板）。可选值见 juesuan profiles。")
@click.option("--no-info", is_flag=True, help="终端输出中不显示“提示”级别的条目。")
@click.option("--detail", is_flag=True, help="审核多个文件时，也逐个列出每个文件的全部结果。")
def check(files: tuple[Path, ...], fmt: str, output: Path | None, profile: str | None,
          no_info: bool, detail: bool) -> None:
    """审核一个或多个决算文件（或一个文件夹），列出所有不一致之处。

    支持数据底稿（.xlsx）、已公开的 PDF、Word（.docx）、Excel（.xls/.xlsx）、网页（.html）、
    文本（.txt/.md）和 JSON/YAML。审核多个文件时显示进度，最后列出汇总表。
    有“错误”时退出码为 1，否则为 0。
    """
    from juesuan.writers import report as rw

    targets = _collect(files)
    if not targets:
        raise JuesuanError("没有找到可以审核的文件（支持 PDF、Word、Excel、网页、文本、JSON/YAML）")
    if fmt == "xlsx" and output is None:
        raise JuesuanError("xlsx 格式需要用 -o 指定输出文件，例如 -o 审核结果.xlsx")
    reports, failed = _check_all(targets, profile)
    if fmt == "text":
        out = Console(file=output.open("w", encoding="utf-8"), width=120) if output else console
        if len(targets) == 1 or detail:
            for r in reports:
                rw.print_report(r, out, show_info=not no_info)
        if len(targets) > 1:
            rw.print_summary(reports, failed, out)
    elif fmt == "json":
        _emit(rw.reports_json(reports), output)
    elif fmt == "csv":
        _emit(rw.to_csv(reports), output, bom=True)
    else:
        rw.write_xlsx(reports, output)  # type: ignore[arg-type]
        err_console.print(f"审核结果已写入 {output}")
    sys.exit(EXIT_FINDINGS if any(r.has_errors for r in reports) else EXIT_OK)


def _check_all(targets: list[Path], profile: str | None):
    """Check every file, with a progress bar when there are several; a failed file is noted
    and the batch goes on."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from juesuan.check import check as run_check
    from juesuan.readers import read

    reports, failed = [], []
    progress = Progress(TextColumn("审核中"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), console=err_console,
                        disable=len(targets) < 2, transient=True)
    with progress:
        task = progress.add_task("", total=len(targets))
        for path in targets:
            progress.update(task, description=path.name)
            try:
                reports.append(run_check(read(path, profile), file=path.name))
            except JuesuanError as exc:
                if len(targets) == 1:
                    raise
                failed.append((path.name, exc.message))
                err_console.print(f"[red]跳过[/] {path.name}：{exc.message}")
            progress.advance(task)
    return reports, failed


def _emit(text: str, output: Path | None, bom: bool = False) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8-sig" if bom else "utf-8")
    err_console.print(f"已写入 {output}")


# ---------------------------------------------------------------------------- template
@app.command(context_settings=CONTEXT)
@click.option("--profile", required=True, help="模板，例如 shanghai-2024、hubei-2022、legacy-8。")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="要生成的工作簿，例如 决算.xlsx。")
def template(profile: str, output: Path) -> None:
    """生成空白的数据底稿（Excel 工作簿），供财务人员填写。"""
    from juesuan.tables import load_profile
    from juesuan.writers.workbook import write_workbook

    p = load_profile(profile)
    if output.suffix.lower() != ".xlsx":
        raise JuesuanError("数据底稿应保存为 .xlsx 文件", where=str(output))
    write_workbook(p, output)
    console.print(f"已生成 {output}（{p.name}，{len(p.tables)} 张表）。填好后运行：juesuan check {output}")


# ------------------------------------------------------------------------------ export
@app.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(("json", "yaml", "xlsx")), default="json",
              show_default=True, help="导出格式。xlsx 为可再次填写、审核的数据底稿。")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="输出文件（json 默认输出到屏幕）。")
@click.option("--profile", help="指定模板（默认取文件中记录的模板）。")
def export(file: Path, fmt: str, output: Path | None, profile: str | None) -> None:
    """把决算文件导出为结构化数据（JSON / YAML）或数据底稿（xlsx）。"""
    from juesuan.readers import read

    d = read(file, profile)
    if fmt == "json":
        _emit(d.to_json(), output)
    elif fmt == "yaml":
        import yaml

        _emit(yaml.safe_dump(d.to_data(), allow_unicode=True, sort_keys=False), output)
    else:
        if output is None:
            raise JuesuanError("xlsx 格式需要用 -o 指定输出文件")
        from juesuan.tables import load_profile
        from juesuan.writers.workbook import write_workbook

        write_workbook(load_profile(d.profile), output, d)
        err_console.print(f"已写入 {output}")


# ----------------------------------------------------------------------------- extract
@app.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="输出文件：.json 为结构化数据，.xlsx 为可再次审核、编制的数据底稿。")
@click.option("--profile", help="指定模板（默认自动识别）。")
def extract(file: Path, output: Path, profile: str | None) -> None:
    """从已公开的决算文件（PDF、Word、Excel、网页、文本）中提取表格、说明和数字。

    \b
    例：juesuan extract 决算.pdf -o 决算.json
        juesuan extract 决算.pdf -o 决算.xlsx     （可用 juesuan check 再审核）
    """
    from juesuan.readers import read

    d = read(file, profile)
    suffix = output.suffix.lower()
    if suffix == ".json":
        _emit(d.to_json(), output)
    elif suffix in (".xlsx",):
        from juesuan.tables import load_profile
        from juesuan.writers.workbook import write_workbook

        write_workbook(load_profile(d.profile), output, d)
        err_console.print(f"已写入 {output}")
    else:
        raise JuesuanError("输出文件应为 .json 或 .xlsx", where=str(output))
    tables = [t for t in d.tables if not t.key.startswith("X")]
    cells = sum(1 for t in tables for r in t.rows for c in r.cells.values() if c.value is not None)
    err_console.print(f"{d.unit} {d.year} 年度：识别为“{d.profile}”，读出 {len(tables)} 张决算表、"
                      f"{cells} 个金额、{len(d.narrative)} 段说明、{len(d.performance)} 张绩效自评表。")
    for issue in d.origin.issues if d.origin else []:
        err_console.print(f"[yellow]注意：[/]{issue.message}")


# ------------------------------------------------------------------------------- build
@app.command(context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("决算公开"), show_default=True, help="输出文件夹。")
@click.option("-f", "--format", "formats", multiple=True,
              type=click.Choice(("docx", "pdf", "html", "xlsx")),
              help="只生成某几种格式（可重复）；默认四种都生成。")
@click.option("--force", is_flag=True, help="底稿有错误也生成（首页加“不可公开”警告）。")
@click.option("--profile", help="强制使用某个模板（默认按底稿中的“模板”）。")
def build(file: Path, outdir: Path, formats: tuple[str, ...], force: bool, profile: str | None) -> None:
    """根据数据底稿生成完整的部门决算公开文件：Word、PDF、网页和 Excel。

    所有合计、占比、增减额、增长率和完成率都由程序计算；底稿中的数字互相矛盾时，
    先列出审核发现的错误并停止（加 --force 仍然生成，但首页注明不可公开）。

    \b
    例：juesuan build 决算.xlsx -o 公开文件/
    """
    from juesuan.build import FORMATS
    from juesuan.build import build as run_build
    from juesuan.readers import read
    from juesuan.writers.report import print_report

    d = read(file, profile)
    result = run_build(d, outdir, formats or FORMATS, force=force)
    if result.stopped:
        print_report(result.report, console)
        err_console.print("[bold red]底稿中有错误，没有生成公开文件。[/]改正后重新运行；"
                          "如确需先看效果，加 --force（生成的文件首页会注明不可公开）。")
        sys.exit(EXIT_FINDINGS)
    if result.forced:
        err_console.print(f"[bold yellow]注意：[/]底稿中有 {result.report.counts.错误} 处错误，"
                          "已按 --force 生成，文件首页注明“不可公开”。")
    for path in result.files:
        console.print(f"已生成 {path}", soft_wrap=True)
    if result.todo:
        console.print(f"\n[yellow]还需填写 {len(result.todo)} 处文字[/]（文件中以“【请填写：…】”标出，"
                      "请在数据底稿的「说明文字」「年初预算」等工作表中补充后重新生成）：", soft_wrap=True)
        for item in result.todo:
            console.print(f"  · {item}", soft_wrap=True)
    v = result.verification
    if v is not None and v.has_errors:
        err_console.print(f"[bold red]生成的文字复核发现 {v.counts.错误} 处错误[/]，请报告给维护者：")
        print_report(v, err_console)
        sys.exit(EXIT_FINDINGS)


# ------------------------------------------------------------------------------- serve
@app.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；局域网内其他电脑访问用 0.0.0.0（请同时设置 JUESUAN_TOKEN）。")
@click.option("--port", default=8000, show_default=True, type=int, help="端口。")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path),
              help="数据文件夹（文件库、上传的文件）；默认为用户数据目录，或 $JUESUAN_DATA。")
def serve(host: str, port: int, data: Path | None) -> None:
    """启动网页版：在浏览器中审核、生成公开文件、批量审核、检索和比较文件库。

    \b
    默认使用内置的 SQLite 数据库；设置 JUESUAN_DATABASE_URL 可改用 PostgreSQL，
    例如 postgresql+psycopg://用户:密码@主机/库名。设置 JUESUAN_TOKEN 后，上传和删除需要令牌。
    """
    import uvicorn

    from juesuan.web import Settings, create_app

    web = create_app(Settings.from_env(data_dir=data, processes=os.cpu_count() or 1))
    store = web.state.store
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    console.print(f"juesuan 网页版：[bold]http://{shown}:{port}/[/]", soft_wrap=True)
    console.print(f"数据文件夹：{store.data_dir}", soft_wrap=True)
    console.print(f"数据库：{store.database}", soft_wrap=True)
    if web.state.settings.token:
        console.print("已设置访问令牌（JUESUAN_TOKEN）：上传和删除需要先登录。")
    console.print("按 Ctrl+C 停止。")
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command(context_settings=CONTEXT)
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), help="数据文件夹（同 serve）。")
@click.option("--all", "everything", is_flag=True, help="全部重新审核（默认只审核按旧版规则审核过的）。")
def recheck(data: Path | None, everything: bool) -> None:
    """规则更新后，按当前规则重新审核文件库中的文件。"""
    from juesuan.store import Store

    store = Store(data_dir=data)
    store.migrate()
    ids = [d.id for d in store.search(limit=10**9)[0]] if everything else store.stale()
    with console.status("正在重新审核……"):
        for doc_id in ids:
            store.analyze(doc_id)
    console.print(f"已重新审核 {len(ids)} 份文件。")


# ------------------------------------------------------------------------------ schema
@app.command(context_settings=CONTEXT)
@click.argument("which", type=click.Choice(("all", "disclosure", "report")), default="all")
def schema(which: str) -> None:
    """输出 JSON Schema：决算数据（disclosure）、审核报告（report），或二者皆可（all）。"""
    from juesuan.schema import json_schema

    click.echo(json.dumps(json_schema(which), ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------- profiles
@app.command(context_settings=CONTEXT)
def profiles() -> None:
    """列出可用的模板（各地、各年度的表格格式）。"""
    from juesuan.tables import list_profiles

    t = RichTable(title="可用模板")
    for col in ("模板", "名称", "适用年度", "表"):
        t.add_column(col)
    for p in list_profiles():
        years = f"{p.years[0]}–{p.years[1]}" if p.years else ""
        tables = "、".join(f"表{s.number}" + s.title.replace("财政拨款", "")[:8] for s in p.tables)
        t.add_row(p.id, p.name, years, tables)
    console.print(t)


@app.command(context_settings=CONTEXT)
@click.option("--profile", default="shanghai-2024", show_default=True, help="模板。")
def rules(profile: str) -> None:
    """列出审核规则：编号、类别、级别和内容。"""
    from juesuan.rules.registry import catalogue
    from juesuan.tables import load_profile

    t = RichTable(title=f"审核规则（{profile}）")
    for col in ("编号", "类别", "级别", "内容"):
        t.add_column(col)
    for r in catalogue(load_profile(profile)):
        t.add_row(r.id, r.family, r.severity.value, r.title)
    console.print(t)


# ----------------------------------------------------------------------------- catalog
@app.group(context_settings=CONTEXT)
def catalog() -> None:
    """科目表：导入官方科目表、查询科目。"""


@catalog.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="科目表适用的年度，例如 2024。")
def catalog_import(file: Path, year: int) -> None:
    """导入某一年度的官方科目表（CSV 或 XLSX，含“科目编码”“科目名称”两列）。"""
    from juesuan.catalog import import_catalog

    dest, n, problems = import_catalog(file, year)
    for p in problems:
        err_console.print(f"[yellow]注意：[/]{p}")
    console.print(f"已导入 {n} 个科目，适用于 {year} 年度（保存在 {dest}）。")


@catalog.command("show", context_settings=CONTEXT)
@click.argument("code")
@click.option("--year", type=int, help="年度（用于导入的官方科目表和历史名称）。")
def catalog_show(code: str, year: int | None) -> None:
    """查询一个科目编码的名称、级次和来源。"""
    from juesuan.catalog import CONFIDENCE_LABEL, Catalog

    cat = Catalog(year)
    e = cat.lookup(code)
    if e is None:
        console.print(f"科目 {code}：未能核对（随附和已导入的科目表中都没有）。")
        return
    names = "、".join(cat.accepted_names(code))
    console.print(f"科目 {e.code}：{names}（{e.level}；上级 {e.parent or '—'}；"
                  f"来源：{CONFIDENCE_LABEL[e.confidence]} {e.source}）")


def main() -> None:
    app(prog_name="juesuan")


if __name__ == "__main__":  # pragma: no cover
    main()
