"""Alembic environment: juesuan runs migrations itself (``Store.migrate``), passing the
connection in ``config.attributes``; ``alembic`` on the command line works too with
``-x url=…``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from juesuan.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
