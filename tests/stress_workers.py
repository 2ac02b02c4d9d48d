"""Worker processes for the store stress test (importable by a spawned interpreter)."""

from __future__ import annotations

from assistant.store import ConflictError, Store


def blind_decisions(url: str, draft_id: int, row_id: int, who: str, count: int) -> int:
    """Decide `count` times without naming a version: each must be applied exactly once."""
    store = Store(url)
    for n in range(count):
        store.decide(draft_id, row_id, "accepted" if n % 2 else "rejected", who)
    store.engine.dispose()
    return count


def optimistic_decisions(url: str, draft_id: int, row_id: int, who: str, count: int, barrier) -> tuple[int, int]:
    """Read the row, wait until every writer has read it too, then write naming the version read,
    as the UI does: (applied, refused)."""
    store = Store(url)
    applied = refused = 0
    for _ in range(count):
        row = next(r for r in store.load_draft(draft_id).rows if r.id == row_id)
        barrier.wait()  # every writer now holds the same version: exactly one write can win
        edited = row.indicator.model_copy(update={"target": f"{who}-{row.version}"})
        try:
            store.decide(draft_id, row_id, "edited", who, after=edited, expected_version=row.version)
            applied += 1
        except ConflictError:
            refused += 1
        barrier.wait()  # the round is over before anyone reads again
    store.engine.dispose()
    return applied, refused


def add_rows(url: str, draft_id: int, who: str, count: int, row_json: str) -> int:
    from assistant.draft import DraftIndicator

    store = Store(url)
    row = DraftIndicator.model_validate_json(row_json)
    for _ in range(count):
        store.add_row(draft_id, row, who)
    store.engine.dispose()
    return count
