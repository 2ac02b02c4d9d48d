"""Every review rule, one module per family; importing this package registers them all."""

from __future__ import annotations


def quote(text: str | None, limit: int = 30) -> str:
    """The offending text as a reviewer quotes it: “…”, shortened when long."""
    text = (text or "").replace("\n", " ").strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


from . import classification, cost_time_satisfaction, name, project, scoring, type_unit, value  # noqa: E402,F401
