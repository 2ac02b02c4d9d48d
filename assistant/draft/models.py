"""What drafting takes and gives: a brief in, suggested rows with their sources out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..llm import Usage
from ..models import DraftIndicator, DraftRow
from ..review.engine import Finding

__all__ = ["Brief", "Draft", "DraftIndicator", "DraftRow", "DraftTable", "SourceRow"]


class Brief(BaseModel):
    """What a drafter types: the project's name, unit, amount (万元), year and goal."""

    name: str
    unit_name: str | None = None
    amount: float | None = None
    year: int
    goal: str = ""
    description: str | None = None

    def text(self) -> str:
        return " ".join(x for x in (self.name, self.unit_name, self.goal, self.description) if x)


class DraftTable(BaseModel):
    rows: list[DraftRow] = Field(min_length=1)


class SourceRow(BaseModel):
    """A past indicator a suggestion drew on, as the UI shows it."""

    id: str
    project: str
    unit_name: str | None = None
    year: int | None = None
    level2: str | None = None
    name: str
    target: str | None = None
    scoring: str | None = None


class Draft(BaseModel):
    brief: Brief
    mode: Literal["llm", "offline"]
    model: str | None = None
    indicators: list[DraftIndicator]
    findings: list[Finding]
    notices: list[str] = Field(default_factory=list)
    usage: list[Usage] = Field(default_factory=list)
    retrieved: dict[str, SourceRow] = Field(default_factory=dict)

    def record(self) -> dict:
        """The CLI's JSON: mode, indicators (with sources and rationale), findings, notices."""
        return {
            "mode": self.mode,
            "model": self.model,
            "brief": self.brief.model_dump(),
            "indicators": [i.model_dump(mode="json", exclude={"source"}) for i in self.indicators],
            "findings": [f.to_json() for f in self.findings],
            "notices": self.notices,
            "usage": [u.model_dump() for u in self.usage],
            "sources": {k: v.model_dump() for k, v in self.retrieved.items()},
        }
