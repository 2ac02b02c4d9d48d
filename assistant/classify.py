"""Which 支出功能分类 class a project belongs to, and which kind of spending it is, with the reason.

Two axes decide which past indicators can serve a project (design.md): the class decides the
results it is judged by, the kind of spending its outputs and their checks. Both are read from the
words of the project's name (weight 3), its unit's name (4: a unit's function mostly decides the
class) and its goal (1), against the word lists of data/classes.toml; a label's `strong` words in
the name count 9 (a 补助 project is a subsidy whatever else it names); a word found only inside
a longer word of another label does not count (建设 in 信息平台建设 is 平台建设's, 信息化). The
reason names the words that decided.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from pydantic import BaseModel

NAME, UNIT, GOAL, STRONG = 3, 4, 1, 9


class Classification(BaseModel):
    class_: str | None = None
    class_reason: str = ""
    kind: str | None = None
    kind_reason: str = ""

    def describe(self) -> str:
        """The classes as a person reads them: 农林水（名称含“供水”）· 建设工程（名称含“新建”）."""
        parts = [
            f"{self.class_}（{self.class_reason}）" if self.class_ else "功能分类不明",
            f"{self.kind}（{self.kind_reason}）" if self.kind else "支出类型不明",
        ]
        return " · ".join(parts)


@cache
def vocabulary() -> dict[str, dict[str, dict[str, list[str]]]]:
    text = resources.files("assistant").joinpath("data", "classes.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _best(table: dict[str, dict[str, list[str]]], name: str, unit: str, goal: str) -> tuple[str | None, str]:
    texts = {"名称": name, "单位": unit, "目标": goal}
    # every word of the table found in each text: a word found only inside a longer one of
    # another label does not count (建设 in 信息平台建设 is 平台建设's, 信息化, not 建设工程's)
    found_in = {
        where: {
            w
            for lists in table.values()
            for key in ("strong", "words", "unit")
            for w in lists.get(key, [])
            if w and w in text
        }
        for where, text in texts.items()
    }
    best: tuple[int, str | None, str] = (0, None, "")
    for label, lists in table.items():
        points, seen = 0, []
        strong = lists.get("strong", [])
        own = set(strong) | set(lists.get("words", [])) | set(lists.get("unit", []))
        for where, weight, words in (
            ("名称", STRONG, strong),
            ("名称", NAME, [w for w in lists.get("words", []) if w not in strong]),
            ("单位", UNIT, lists.get("unit", [])),
            ("目标", GOAL, lists.get("words", [])),
        ):
            longer = [x for x in found_in[where] if x not in own]
            found = [w for w in words if w in found_in[where] and not any(w in x and w != x for x in longer)]
            points += weight * len(found)
            if found:
                seen.append(f"{where}含“{'、'.join(found[:3])}”")
        if points > best[0]:
            best = (points, label, "，".join(seen))
    return best[1], best[2]


def classify(name: str, goal: str | None = None, unit: str | None = None) -> Classification:
    """The class and kind of spending of a project, each with the words that decided it."""
    words = vocabulary()
    class_, class_reason = _best(words["class"], name, unit or "", goal or "")
    kind, kind_reason = _best(words["kind"], name, "", goal or "")
    return Classification(class_=class_, class_reason=class_reason, kind=kind, kind_reason=kind_reason)
