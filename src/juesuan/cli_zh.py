"""Chinese for Click's own words (usage, options, error messages).

Click looks its messages up through ``gettext``; rather than ship compiled catalogs we replace
the lookup function in Click's modules with one that knows the few dozen strings a user of
``juesuan`` can meet.  Anything not listed passes through unchanged.
"""

from __future__ import annotations

import importlib

ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error": "错误",
    "Error:": "错误：",
    "Aborted!": "已中止。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing argument {name}.": "缺少参数 {name}。",
    "Missing option {name}.": "缺少选项 {name}。",
    "Missing parameter {name}.": "缺少参数 {name}。",
    "No such option: {name}": "没有这个选项：{name}",
    "No such option: {name}.": "没有这个选项：{name}。",
    "Did you mean {possibility}?": "您是不是想输入 {possibility}？",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "No such command '{name}'.": "没有这个命令：'{name}'。",
    "Try {command!r} for help.": "运行 {command!r} 查看帮助。",
    "Try '{command}' for help.": "运行 '{command}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多了一个无法识别的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多了几个无法识别的参数（{args}）",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选的值，可选：{choices}。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid integer.": "{value!r} 不是有效的整数。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} '{filename}' does not exist.": "{name} '{filename}' 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，不是文件。",
    "File": "文件",
    "Directory": "文件夹",
    "Path": "路径",
    "[required]": "[必填]",
    "default": "默认",
    "required": "必填",
    "(DEPRECATED)": "（已弃用）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option '{name}' requires an argument.": "选项 '{name}' 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def _gettext(message: str) -> str:
    return ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return ZH.get(singular if n == 1 else plural, singular if n == 1 else plural)


def install() -> None:
    for name in _MODULES:
        try:
            mod = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a future Click without that module
            continue
        if hasattr(mod, "_"):
            mod._ = _gettext  # type: ignore[attr-defined]
        if hasattr(mod, "ngettext"):
            mod.ngettext = _ngettext  # type: ignore[attr-defined]
