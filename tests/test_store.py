"""Drafts and decisions in a real SQLite file (WAL) and a real PostgreSQL server started by the
test on 127.0.0.1, including two writers at once."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.draft import Brief, Draft
from assistant.draft.templates import template_row
from assistant.export.docx import write_docx
from assistant.ingest import read_filing
from assistant.models import Indicator, Level2
from assistant.store import ConflictError, Store, open_store

BRIEF = Brief(name="干部教育培训经费", unit_name="衡阳市测试局", amount=40, year=2025, goal="开展干部培训")


def sample_draft() -> Draft:
    rows = [template_row(level, BRIEF, 15) for level in (Level2.ECONOMIC_COST, Level2.QUANTITY, Level2.QUALITY)]
    return Draft(brief=BRIEF, mode="offline", indicators=rows, findings=[], notices=["离线模式"])


def exercise(store: Store) -> None:
    draft_id = store.create_draft(sample_draft(), "张会计")
    record = store.load_draft(draft_id)
    first, second, third = record.rows
    store.decide(draft_id, first.id, "accepted", "张会计")
    edited = second.indicator.model_copy(update={"name": "参训干部人数", "target": "300", "unit": "人"})
    store.decide(draft_id, second.id, "edited", "李科长", after=edited)
    store.decide(draft_id, third.id, "rejected", "李科长")
    again = store.load_draft(draft_id)
    assert [r.status for r in again.rows] == ["accepted", "edited", "rejected"]
    assert again.rows[1].indicator.name == "参训干部人数" and again.rows[1].updated_by == "李科长"
    assert [r.name for r in store.accepted(draft_id)] == [first.indicator.name, "参训干部人数"]
    log = store.decisions(draft_id)
    assert [d.action for d in log] == ["created", "accepted", "edited", "rejected"]
    assert log[2].before["name"] == second.indicator.name and log[2].after["name"] == "参训干部人数"
    assert all(d.at is not None for d in log)
    with pytest.raises(ConflictError):
        store.decide(draft_id, first.id, "rejected", "王审核", expected_version=first.version)


def test_sqlite_store_in_wal_mode_survives_a_restart(tmp_path):
    store = open_store(tmp_path, environ={})
    exercise(store)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    restarted = open_store(tmp_path, environ={})
    assert restarted.list_drafts()[0][1] == "干部教育培训经费"
    assert (tmp_path / "assistant.sqlite3").exists()


def test_accepted_rows_export_to_docx_and_import_back_unchanged(tmp_path):
    store = open_store(tmp_path, environ={})
    draft_id = store.create_draft(sample_draft(), "张会计")
    for row in store.load_draft(draft_id).rows:
        store.decide(draft_id, row.id, "accepted", "张会计")
    from assistant.draft.offline import brief_project

    project = brief_project(BRIEF, store.accepted(draft_id))
    back = read_filing(write_docx([project], tmp_path / "table.docx")).projects
    written = [Indicator.model_validate(i.model_dump(exclude={"sources", "rationale"})) for i in project.indicators]
    assert len(back) == 1
    assert [i.shown() for i in back[0].indicators] == [i.shown() for i in written]
    assert back[0].year == 2025 and back[0].unit_name == "衡阳市测试局" and back[0].amount == 40


@pytest.mark.slow
def test_postgresql_through_the_same_code(postgres, tmp_path):
    store = open_store(tmp_path, environ={"ASSISTANT_DB_URL": postgres})
    assert store.engine.dialect.name == "postgresql"
    exercise(store)


@pytest.mark.slow
def test_two_writers_at_once_on_postgresql(postgres, tmp_path):
    first_app = open_store(tmp_path, environ={"ASSISTANT_DB_URL": postgres})
    second_app = open_store(tmp_path, environ={"ASSISTANT_DB_URL": postgres})  # another server process's engine
    draft_id = first_app.create_draft(sample_draft(), "张会计")
    rows = first_app.load_draft(draft_id).rows
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def write(store: Store, who: str, row_index: int) -> None:
        barrier.wait()
        for _ in range(20):  # both reviewers keep deciding at the same time
            store.decide(draft_id, rows[row_index].id, "accepted", who)
            store.decide(
                draft_id, rows[2].id, "edited", who, after=rows[2].indicator.model_copy(update={"target": who})
            )
        outcomes[who] = "done"

    threads = [
        threading.Thread(target=write, args=(first_app, "张会计", 0)),
        threading.Thread(target=write, args=(second_app, "李科长", 1)),
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes == {"张会计": "done", "李科长": "done"} and time.perf_counter() - start < 60
    log = first_app.decisions(draft_id)
    assert sum(d.who == "张会计" for d in log) == 40 + 1 and sum(d.who == "李科长" for d in log) == 40
    final = second_app.load_draft(draft_id).rows
    assert final[2].version == 1 + 40  # every write to the shared row counted, none lost
    assert final[2].indicator.target in ("张会计", "李科长")


@pytest.mark.slow
def test_optimistic_lock_stops_an_overwrite_between_two_servers(postgres, tmp_path):
    a = open_store(tmp_path, environ={"ASSISTANT_DB_URL": postgres})
    b = open_store(tmp_path, environ={"ASSISTANT_DB_URL": postgres})
    draft_id = a.create_draft(sample_draft(), "张会计")
    row = a.load_draft(draft_id).rows[0]
    a.decide(
        draft_id,
        row.id,
        "edited",
        "张会计",
        after=row.indicator.model_copy(update={"target": "41"}),
        expected_version=row.version,
    )
    with pytest.raises(ConflictError, match="张会计"):
        b.decide(
            draft_id,
            row.id,
            "edited",
            "李科长",
            after=row.indicator.model_copy(update={"target": "39"}),
            expected_version=row.version,
        )
    assert b.load_draft(draft_id).rows[0].indicator.target == "41"
