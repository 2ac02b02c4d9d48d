"""Projects and indicators as index documents: an id, the text to match, filterable metadata.

Ids are stable for a file's content position (file key + project + row), so re-indexing a
changed file replaces exactly its documents.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from ..models import Filing, Indicator, Project


class IndexDoc(BaseModel):
    id: str
    kind: str  # "projects" | "indicators"
    file: str  # the key of the file (or draft) it came from
    text: str  # embedded, shown, and matched by BM25
    keywords: str = ""  # matched by BM25 only: a project's 三级 names say what kind of spending it is
    metadata: dict[str, str | int | float]


def file_key(path_or_name: str) -> str:
    return hashlib.sha1(path_or_name.encode("utf-8")).hexdigest()[:12]


def _clean(meta: dict) -> dict[str, str | int | float]:
    """chromadb metadata holds str, int, float or bool, never None."""
    return {k: v for k, v in meta.items() if v is not None and v != ""}


def project_text(project: Project) -> str:
    return " ".join(x for x in (project.name, project.unit_name, project.goal) if x)


def indicator_text(ind: Indicator) -> str:
    level = ind.level2.value if ind.level2 else (ind.level2_raw or "")
    return " ".join(x for x in (level, ind.name, ind.target, ind.target_detail) if x)


def project_docs(project: Project, key: str, position: int) -> list[IndexDoc]:
    pid = f"{key}-p{position}"
    common = {
        "file": key,
        "source": project.source.file if project.source else None,
        "unit_name": project.unit_name,
        "year": project.year,
        "doc_kind": project.doc_kind.value,
        "horizon": project.horizon.value,
        "scope": project.scope.value,
    }
    docs = [
        IndexDoc(
            id=pid,
            kind="projects",
            file=key,
            text=project_text(project),
            keywords=" ".join(i.name for i in project.indicators),
            metadata=_clean(
                {
                    **common,
                    "name": project.name,
                    "amount": project.amount,
                    "goal": project.goal,
                    "indicator_count": len(project.indicators),
                }
            ),
        )
    ]
    for i, ind in enumerate(project.indicators):
        docs.append(
            IndexDoc(
                id=f"{pid}-i{i}",
                kind="indicators",
                file=key,
                text=indicator_text(ind),
                metadata=_clean(
                    {
                        **common,
                        "project_id": pid,
                        "project_name": project.name,
                        "index": i,
                        "level2": ind.level2.value if ind.level2 else None,
                        "name": ind.name,
                        "target": ind.target,
                        "target_detail": ind.target_detail,
                        "scoring": ind.scoring,
                        "unit": ind.unit,
                        "comparator": ind.comparator.value if ind.comparator else None,
                        "weight": ind.weight,
                        "actual": ind.actual,
                    }
                ),
            )
        )
    return docs


def filing_docs(filing: Filing, key: str) -> list[IndexDoc]:
    return [doc for n, project in enumerate(filing.projects) for doc in project_docs(project, key, n)]
