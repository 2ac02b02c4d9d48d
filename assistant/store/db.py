"""Persistence through SQLAlchemy, so one server's reviewers can share a PostgreSQL database.

Three tables: drafts (a brief and how it was drafted), draft_rows (the current text of each
suggested row, its status and a version for optimistic locking), decisions (an append-only
audit log: who accepted, edited or rejected what, before and after, and when).

Decisions are linearizable on both databases: every row change is an UPDATE conditional on the
version it was read at, so a change that lost a race is retried (or refused as a conflict when
the caller named the version it saw), never applied over another. SQLite write transactions
start with BEGIN IMMEDIATE, so they queue for the write lock instead of failing to upgrade a read;
PostgreSQL locks the row read for update. A row's position is unique per draft by constraint.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from ..draft.models import Brief, Draft, DraftIndicator
from ..errors import AssistantError

Status = Literal["pending", "accepted", "edited", "rejected"]


class ConflictError(AssistantError):
    """Someone else changed the row since it was read."""


class Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class DraftTableRow(Base):
    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brief: Mapped[dict] = mapped_column(JSON)
    mode: Mapped[str] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    notices: Mapped[list] = mapped_column(JSON, default=list)
    sources: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | finished | in_corpus
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class RowTable(Base):
    __tablename__ = "draft_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)

    __table_args__ = (Index("draft_rows_position", "draft_id", "position", unique=True),)


class DecisionTable(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    row_id: Mapped[int | None] = mapped_column(ForeignKey("draft_rows.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(16))  # created | accepted | edited | rejected | added | finished
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    who: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class RowRecord(BaseModel):
    id: int
    position: int
    indicator: DraftIndicator
    status: Status
    version: int
    updated_by: str | None


class DraftRecord(BaseModel):
    id: int
    brief: Brief
    mode: str
    model: str | None
    notices: list[str]
    sources: dict
    status: str
    created_by: str
    created_at: dt.datetime
    rows: list[RowRecord]

    def accepted(self) -> list[DraftIndicator]:
        """Rows a person accepted or edited (an edit is an acceptance of the new text)."""
        return [r.indicator for r in self.rows if r.status in ("accepted", "edited")]


class DecisionRecord(BaseModel):
    row_id: int | None
    action: str
    before: dict | None
    after: dict | None
    who: str
    at: dt.datetime


def default_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'assistant.sqlite3'}"


RACE_RETRIES = 20  # a decision that lost a race to another writer is re-read and re-applied


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin_immediate)
        _unique_positions(self.engine)
        Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._session()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self.session() as s, s.begin():
            yield s

    # --- drafts --------------------------------------------------------------------------

    def create_draft(self, draft: Draft, who: str) -> int:
        with self._write() as s:
            record = DraftTableRow(
                brief=draft.brief.model_dump(mode="json"),
                mode=draft.mode,
                model=draft.model,
                notices=draft.notices,
                sources={k: v.model_dump(mode="json") for k, v in draft.retrieved.items()},
                created_by=who,
            )
            s.add(record)
            s.flush()
            for n, row in enumerate(draft.indicators):
                s.add(RowTable(draft_id=record.id, position=n, data=row.model_dump(mode="json"), updated_by=who))
            s.add(DecisionTable(draft_id=record.id, action="created", who=who, note=draft.mode))
            return record.id

    def list_drafts(self) -> list[tuple[int, str, str, dt.datetime, str]]:
        """(id, project name, created by, created at, status), newest first."""
        with self.session() as s:
            rows = s.execute(select(DraftTableRow).order_by(DraftTableRow.id.desc())).scalars().all()
            return [(r.id, r.brief.get("name", ""), r.created_by, r.created_at, r.status) for r in rows]

    def load_draft(self, draft_id: int) -> DraftRecord:
        with self.session() as s:
            record = s.get(DraftTableRow, draft_id)
            if record is None:
                raise AssistantError(f"草稿 {draft_id} 不存在")
            rows = (
                s.execute(select(RowTable).where(RowTable.draft_id == draft_id).order_by(RowTable.position))
                .scalars()
                .all()
            )
            return DraftRecord(
                id=record.id,
                brief=Brief.model_validate(record.brief),
                mode=record.mode,
                model=record.model,
                notices=record.notices or [],
                sources=record.sources or {},
                status=record.status,
                created_by=record.created_by,
                created_at=record.created_at,
                rows=[
                    RowRecord(
                        id=r.id,
                        position=r.position,
                        indicator=DraftIndicator.model_validate(r.data),
                        status=r.status,
                        version=r.version,
                        updated_by=r.updated_by,
                    )
                    for r in rows
                ],
            )

    def decide(
        self,
        draft_id: int,
        row_id: int,
        action: Status,
        who: str,
        after: DraftIndicator | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Record a decision and apply it; returns the row's new version.

        With `expected_version`, a row changed by someone else in the meantime raises
        ConflictError instead of silently overwriting their work. Without it, the decision
        applies to the row as it is when the write lock is held."""
        for _ in range(RACE_RETRIES):
            with self._write() as s:
                row = s.execute(
                    select(RowTable).where(RowTable.id == row_id, RowTable.draft_id == draft_id).with_for_update()
                ).scalar_one_or_none()
                if row is None:
                    raise AssistantError(f"草稿 {draft_id} 中没有第 {row_id} 号行")
                seen = row.version
                if expected_version is not None and seen != expected_version:
                    raise ConflictError(f"该行已被 {row.updated_by} 修改（版本 {seen}），请刷新后再操作")
                before = row.data
                new_data = after.model_dump(mode="json") if after is not None else row.data
                changed: int = s.execute(  # type: ignore[attr-defined]  # an UPDATE's CursorResult
                    update(RowTable)
                    .where(RowTable.id == row_id, RowTable.version == seen)
                    .values(data=new_data, status=action, version=seen + 1, updated_by=who, updated_at=_now())
                    .execution_options(synchronize_session=False)
                ).rowcount
                if changed == 1:
                    s.add(
                        DecisionTable(
                            draft_id=draft_id,
                            row_id=row_id,
                            action=action,
                            before=before,
                            after=new_data if after is not None else None,
                            who=who,
                        )
                    )
                    return seen + 1
            if expected_version is not None:
                raise ConflictError("该行刚被其他人修改，请刷新后再操作")
        raise ConflictError("该行正被频繁修改，请稍后再试")

    def add_row(self, draft_id: int, indicator: DraftIndicator, who: str) -> int:
        """Append a row. Appends to one draft queue on its draft's row lock (PostgreSQL), so the next
        position is read by one writer at a time; the position is also unique by constraint, and a
        writer that still loses the race (SQLite reads before it writes) retries."""
        for _ in range(RACE_RETRIES):
            try:
                with self._write() as s:
                    s.execute(select(DraftTableRow.id).where(DraftTableRow.id == draft_id).with_for_update())
                    position = (
                        s.execute(
                            select(func.coalesce(func.max(RowTable.position), -1)).where(RowTable.draft_id == draft_id)
                        ).scalar_one()
                        + 1
                    )
                    row = RowTable(
                        draft_id=draft_id,
                        position=position,
                        data=indicator.model_dump(mode="json"),
                        status="edited",
                        updated_by=who,
                    )
                    s.add(row)
                    s.flush()
                    s.add(DecisionTable(draft_id=draft_id, row_id=row.id, action="added", after=row.data, who=who))
                    return row.id
            except IntegrityError:
                continue
        raise ConflictError("新增行时与其他人冲突，请稍后再试")

    def set_status(self, draft_id: int, status: str, who: str) -> None:
        with self._write() as s:
            s.execute(update(DraftTableRow).where(DraftTableRow.id == draft_id).values(status=status))
            s.add(DecisionTable(draft_id=draft_id, action=status, who=who))

    def decisions(self, draft_id: int) -> list[DecisionRecord]:
        with self.session() as s:
            rows = (
                s.execute(select(DecisionTable).where(DecisionTable.draft_id == draft_id).order_by(DecisionTable.id))
                .scalars()
                .all()
            )
            return [
                DecisionRecord(row_id=r.row_id, action=r.action, before=r.before, after=r.after, who=r.who, at=r.at)
                for r in rows
            ]

    def accepted(self, draft_id: int) -> list[DraftIndicator]:
        """Rows a person accepted or edited (an edit is an acceptance of the new text)."""
        return self.load_draft(draft_id).accepted()


def _sqlite_pragmas(connection, _record) -> None:
    # Transactions are begun by _sqlite_begin_immediate, not by the driver's deferred BEGIN.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _unique_positions(engine) -> None:
    """Databases made before positions were unique: renumber duplicates, then add the index
    (create_all adds indexes only with new tables)."""
    with engine.begin() as conn:
        if not engine.dialect.has_table(conn, "draft_rows"):
            return
        duplicates = (
            conn.execute(text("SELECT draft_id FROM draft_rows GROUP BY draft_id, position HAVING COUNT(*) > 1"))
            .scalars()
            .all()
        )
        for draft_id in set(duplicates):
            ids = (
                conn.execute(
                    text("SELECT id FROM draft_rows WHERE draft_id = :d ORDER BY position, id"), {"d": draft_id}
                )
                .scalars()
                .all()
            )
            for position, row_id in enumerate(ids):
                conn.execute(
                    text("UPDATE draft_rows SET position = :p WHERE id = :i"), {"p": -1 - position, "i": row_id}
                )
            conn.execute(text("UPDATE draft_rows SET position = -1 - position WHERE draft_id = :d"), {"d": draft_id})
        conn.execute(text("CREATE UNIQUE INDEX IF NOT EXISTS draft_rows_position ON draft_rows (draft_id, position)"))


def open_store(data_dir: Path, environ: dict[str, str] | None = None) -> Store:
    env = os.environ if environ is None else environ
    return Store(env.get("ASSISTANT_DB_URL") or default_url(Path(data_dir)))
