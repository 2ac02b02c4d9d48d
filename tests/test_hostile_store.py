"""Several processes deciding on one row at once, on a real SQLite file and a real PostgreSQL
server: every decision counted exactly once, every stale write refused, positions unique."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from assistant.store import Store, open_store
from tests.stress_workers import add_rows, blind_decisions, optimistic_decisions
from tests.test_store import sample_draft

pytestmark = pytest.mark.slow

PROCESSES = 4
EACH = 50


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stress.sqlite3'}"
    return request.getfixturevalue("postgres")


def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn"))


def test_every_blind_decision_is_counted_once(url):
    store = Store(url)
    draft_id = store.create_draft(sample_draft(), "张会计")
    row = store.load_draft(draft_id).rows[0]
    with _pool() as pool:
        done = sum(
            pool.map(blind_decisions, *zip(*[(url, draft_id, row.id, f"审核{n}", EACH) for n in range(PROCESSES)]))
        )
    log = [d for d in store.decisions(draft_id) if d.row_id == row.id]
    final = next(r for r in store.load_draft(draft_id).rows if r.id == row.id)
    assert done == len(log) == PROCESSES * EACH
    assert final.version == 1 + PROCESSES * EACH


def test_every_stale_write_is_refused(url):
    store = Store(url)
    draft_id = store.create_draft(sample_draft(), "张会计")
    row = store.load_draft(draft_id).rows[1]
    with multiprocessing.get_context("spawn").Manager() as manager, _pool() as pool:
        barrier = manager.Barrier(PROCESSES)
        jobs = [(url, draft_id, row.id, f"审核{n}", EACH, barrier) for n in range(PROCESSES)]
        outcomes = list(pool.map(optimistic_decisions, *zip(*jobs)))
    applied = sum(a for a, _ in outcomes)
    refused = sum(r for _, r in outcomes)
    log = [d for d in store.decisions(draft_id) if d.row_id == row.id]
    final = next(r for r in store.load_draft(draft_id).rows if r.id == row.id)
    assert applied + refused == PROCESSES * EACH
    assert applied == EACH and refused == (PROCESSES - 1) * EACH  # one winner a round, every stale write refused
    assert len(log) == applied and final.version == 1 + applied
    # each applied write was made on the version it read: the log is one unbroken chain
    targets = [d.after["target"] for d in log]
    assert [int(t.rsplit("-", 1)[1]) for t in targets] == list(range(1, applied + 1))


def test_rows_added_at_once_get_distinct_positions(url):
    store = Store(url)
    draft_id = store.create_draft(sample_draft(), "张会计")
    template = store.load_draft(draft_id).rows[0].indicator.model_dump_json()
    with _pool() as pool:
        list(pool.map(add_rows, *zip(*[(url, draft_id, f"填报{n}", 10, template) for n in range(PROCESSES)])))
    positions = [r.position for r in store.load_draft(draft_id).rows]
    assert sorted(positions) == list(range(3 + PROCESSES * 10))


def test_an_old_database_with_duplicate_positions_is_repaired(tmp_path):
    store = open_store(tmp_path, environ={})
    draft_id = store.create_draft(sample_draft(), "张会计")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX draft_rows_position")
        conn.exec_driver_sql(f"UPDATE draft_rows SET position = 0 WHERE draft_id = {draft_id}")
    reopened = open_store(tmp_path, environ={})
    assert [r.position for r in reopened.load_draft(draft_id).rows] == [0, 1, 2]
