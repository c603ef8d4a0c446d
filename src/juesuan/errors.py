"""Errors meant for people.

A ``JuesuanError`` carries one Chinese sentence that says what went wrong and where.  The CLI and
the web layer print it as is; anything else that escapes is a bug and is reported as such.
"""

from __future__ import annotations


class JuesuanError(Exception):
    """A problem the user can fix: bad file, unknown profile, missing sheet…"""

    def __init__(self, message: str, *, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}：{message}" if where else message)

    def __str__(self) -> str:  # the sentence shown to the user
        return f"{self.where}：{self.message}" if self.where else self.message


class UnreadableDocument(JuesuanError):
    """The file cannot be read at all (wrong type, damaged, scanned without text…)."""


class ProfileError(JuesuanError):
    """A template profile file is missing or malformed."""
