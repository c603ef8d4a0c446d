"""The library's tables: every checked or built document, and batch jobs.

A document row keeps the original file (by generated name, never the uploaded one), the extracted
disclosure and the findings as the canonical JSON forms (``Disclosure.to_json``, ``CheckReport``),
and the few columns the library searches and sorts by.  Migrations: ``store/migrations``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(8), default="check")  # check | build
    filename: Mapped[str] = mapped_column(String(255))  # as uploaded, for display only
    stored_name: Mapped[str] = mapped_column(String(64))  # <id>.<ext> under the data folder
    format: Mapped[str] = mapped_column(String(8))  # sniffed from the content
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column()
    checked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    status: Mapped[str] = mapped_column(String(8), default="pending")  # pending | done | failed
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    region: Mapped[str | None] = mapped_column(String(255), nullable=True)
    kind: Mapped[str | None] = mapped_column(String(8), nullable=True)  # 决算 | 预算
    profile: Mapped[str | None] = mapped_column(String(32), nullable=True)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rules_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    disclosure: Mapped[str | None] = mapped_column(Text, nullable=True)  # Disclosure JSON
    report: Mapped[str | None] = mapped_column(Text, nullable=True)  # CheckReport JSON
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)  # figures for the library
    outputs: Mapped[str | None] = mapped_column(Text, nullable=True)  # built files (JSON list)
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id"), nullable=True, index=True)

    __table_args__ = (Index("ix_documents_unit_year", "unit", "year"),)


class Job(Base):
    """A batch: many files checked in the background; survives page reloads."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column()
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8), default="running")  # running | done
