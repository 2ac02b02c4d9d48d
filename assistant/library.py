"""The indicator library: measurable rows by 支出功能分类 class × kind of spending × 二级, from
three sources, each entry saying which.

- `corpus`: mined from the indexed filings — the rows of annual projects grouped by 二级 and
  what they measure (the nouns of their names), with how often, typical targets and units, a
  scoring rule, and where they were filed;
- `reference`: published indicator libraries kept in corpus/reference/ (not filings; the one we
  hold is a journal's example of a 共性指标库, not an official issuance, and says so);
- `team`: entries written by the team from the framework (data/library.toml) for the kinds and
  classes the corpus has too few filings of.

Entries may name the project's main object as `{object}` and the budget year as `{year}`;
`LibraryEntry.filled` puts a brief's in.
"""

from __future__ import annotations

import csv
import re
import statistics
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from .index.documents import IndicatorMeta, measured_objects
from .models import DocKind, Horizon, Level2, Project
from .normalize import indicator_label, level2_of, to_simplified
from .review.registry import Severity
from .review.text import unstutter

if TYPE_CHECKING:
    from .index import CorpusIndex

Source = Literal["corpus", "reference", "team"]
SOURCE_LABELS = {"corpus": "语料归纳", "reference": "参考指标库", "team": "团队编写"}
# reference kind labels (as the page prints them, simplified, by their start) → our kinds of spending
_REFERENCE_KINDS = {"购置类": "设备购置", "培训类": "会议培训", "会议类": "会议培训", "文字性成果": "专项业务"}


class LibraryEntry(BaseModel):
    source: Source
    class_: str | None = None  # 支出功能分类; None: any class
    kind: str | None = None  # kind of spending; None: any kind
    level2: Level2
    name: str
    target: str | None = None
    unit: str | None = None
    comparator: str | None = None
    detail: str | None = None
    scoring: str | None = None
    measures: list[str] = Field(default_factory=list)
    # words one of which the brief must use for the entry to fit (a 专项业务 entry on 案件 fits
    # an enforcement project, not a census); empty: any project of its class or kind
    when: list[str] = Field(default_factory=list)
    basis: str = ""  # team: the rules it follows; reference: the page; corpus: how often and where
    count: int = 1  # corpus: the filings' rows it groups
    where: list[str] = Field(default_factory=list)  # corpus: 单位（地点，年度）of those rows

    @property
    def needs_object(self) -> bool:
        return "{object}" in self.name

    def filled(self, object_: str | None, year: int) -> LibraryEntry | None:
        """The entry with a brief's object and year in; None when it needs an object and the
        brief names none."""
        if self.needs_object and not object_:
            return None
        values = {"object": object_ or "", "year": str(year)}

        def fill(text: str | None) -> str | None:
            if not text:
                return text
            filled = text.replace("{object}", values["object"]).replace("{year}", values["year"])
            return unstutter(filled)  # 进社区活动 + 活动参与… reads 进社区活动参与…

        return self.model_copy(
            update={"name": fill(self.name), "target": fill(self.target), "detail": fill(self.detail)}
        )

    def describe(self) -> str:
        """Where it comes from, as a person reads it: 指标库（团队编写：indicator-rules.md §3.2）."""
        return f"{SOURCE_LABELS[self.source]}：{self.basis}" if self.basis else SOURCE_LABELS[self.source]


# --- team entries ---------------------------------------------------------------------------


@cache
def team_entries() -> tuple[LibraryEntry, ...]:
    path = resources.files("assistant").joinpath("data", "library.toml")
    if not path.is_file():
        return ()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in data.get("entry", []):
        level2 = level2_of(item["level2"])
        if level2 is None:
            raise ValueError(f"data/library.toml: unknown 二级 {item['level2']!r} in {item.get('name')}")
        out.append(
            LibraryEntry(
                source="team",
                class_=item.get("class"),
                kind=item.get("kind"),
                level2=level2,
                name=item["name"],
                target=str(item.get("target", "")) or None,
                unit=item.get("unit"),
                comparator=item.get("comparator"),
                detail=item.get("detail"),
                scoring=item.get("scoring") or None,
                measures=list(item.get("measures", [])),
                when=_when(item, data.get("when", {})),
                basis=item.get("basis", ""),
            )
        )
    return tuple(out)


def _when(item: dict, named: dict[str, list[str]]) -> list[str]:
    """An entry's `when` words: its own list, or the name of a list in the file's [when] table
    (when = "facility")."""
    when = item.get("when", [])
    if isinstance(when, str):
        if when not in named:
            raise ValueError(f"data/library.toml: unknown word list when = {when!r} in {item.get('name')}")
        return list(named[when])
    return list(when)


# --- reference entries ----------------------------------------------------------------------

_PINYIN = re.compile(r"\([a-zü]+\)")  # the mirror's pinyin after some characters: 產(chǎn)
_PINYIN_TONED = re.compile(r"\([^()\u4e00-\u9fff]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][^()\u4e00-\u9fff]*\)")
_UNIT_IN_NAME = re.compile(r"[（(]([^（()）]*)[)）]$")


def _plain(text: str) -> str:
    return to_simplified(_PINYIN.sub("", _PINYIN_TONED.sub("", text or ""))).strip()


def reference_entries(corpus_dir: Path) -> list[LibraryEntry]:
    out = []
    for path in sorted((Path(corpus_dir) / "reference").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                level2 = level2_of(_plain(row["level2"]))
                if level2 is None:
                    continue
                name = _UNIT_IN_NAME.sub("", _plain(row["name"])).replace("**", "{object}")
                label = _plain(row["project_kind"])
                out.append(
                    LibraryEntry(
                        source="reference",
                        kind=next((k for start, k in _REFERENCE_KINDS.items() if label.startswith(start)), None),
                        level2=level2,
                        name=name,
                        unit=_plain(row["unit"]) or None,
                        basis=f"{_plain(row['source_title'])}（{row['source_address']}）",
                    )
                )
    return out


# --- corpus entries -------------------------------------------------------------------------

_YEAR = re.compile(r"20\d{2}年度?")


def _stem(name: str) -> str:
    return _YEAR.sub("", indicator_label(name)).strip()


def _typical(items: Iterable[str | None]) -> str | None:
    """The median of the numbers, else the commonest text."""
    values = list(items)
    numbers = []
    for value in values:
        match = re.fullmatch(r"\s*[≥≤=<>]*\s*(\d+(?:\.\d+)?)\s*%?\s*", value or "")
        if match:
            numbers.append(float(match.group(1)))
    if numbers:
        return f"{statistics.median(numbers):g}"
    common = Counter(v for v in values if v).most_common(1)
    return common[0][0] if common else None


def _sound(meta: IndicatorMeta) -> bool:
    """Whether a filed row is worth copying: the review finds no error in it (a vague 保护环境 |
    有效 is in the corpus, not in the library)."""
    from .review.engine import review_project

    project = Project(doc_kind=DocKind.TARGET_TABLE, name=meta.project_name or "项目", indicators=[meta.indicator()])
    return not any(f.severity is Severity.ERROR and f.indicator_index == 0 for f in review_project(project))


def corpus_entries(metas: Sequence[IndicatorMeta]) -> list[LibraryEntry]:
    """Annual rows the review finds sound, grouped by class, kind, 二级 and what they measure."""
    groups: dict[tuple, list[IndicatorMeta]] = defaultdict(list)
    for meta in metas:
        if meta.horizon is not Horizon.ANNUAL or meta.level2 is None or not meta.name or not _sound(meta):
            continue
        measures = tuple(sorted(measured_objects([_stem(meta.name)])))
        if not measures:
            continue
        groups[(meta.class_, meta.kind, meta.level2, measures)].append(meta)
    out = []
    for (class_, kind, level2, measures), rows in groups.items():
        names = Counter(_stem(r.name) for r in rows)
        where = sorted(
            {
                f"{r.unit_name or '单位不详'}（{r.place or r.province or '地点不详'}，{r.year or '年度不详'}）"
                for r in rows
            }
        )
        out.append(
            LibraryEntry(
                source="corpus",
                class_=class_,
                kind=kind,
                level2=level2,
                name=names.most_common(1)[0][0],
                target=_typical(r.target for r in rows),
                unit=Counter(r.unit for r in rows if r.unit).most_common(1)[0][0]
                if any(r.unit for r in rows)
                else None,
                comparator=Counter(r.comparator.value for r in rows if r.comparator).most_common(1)[0][0]
                if any(r.comparator for r in rows)
                else None,
                scoring=next((r.scoring for r in rows if r.scoring), None),
                measures=list(measures),
                basis=f"{len(rows)} 行，{len(where)} 处申报",
                count=len(rows),
                where=where,
            )
        )
    return sorted(out, key=lambda e: -e.count)


# --- the library ----------------------------------------------------------------------------


def _matches(entry: LibraryEntry, class_: str | None, kind: str | None, level2: Level2 | None) -> bool:
    if level2 is not None and entry.level2 is not level2:
        return False
    if class_ and entry.class_ and entry.class_ != class_:
        return False
    if kind and entry.kind and entry.kind != kind:
        return False
    if not class_ and not kind:
        return True
    return bool((class_ and entry.class_ == class_) or (kind and entry.kind == kind))


def library(
    index: CorpusIndex | None,
    corpus_dir: Path | None,
    class_: str | None = None,
    kind: str | None = None,
    level2: Level2 | None = None,
    sources: Sequence[Source] = ("corpus", "reference", "team"),
) -> list[LibraryEntry]:
    """Entries for a class and kind of spending (either may be None), optionally one 二级: those
    of exactly this class or kind; an entry tied to another class or kind is never offered."""
    entries: list[LibraryEntry] = []
    if "corpus" in sources and index is not None:
        metas = [d.meta for d in index.documents.all("indicators") if isinstance(d.meta, IndicatorMeta)]
        entries += corpus_entries(metas)
    if "reference" in sources and corpus_dir is not None:
        entries += reference_entries(corpus_dir)
    if "team" in sources:
        entries += team_entries()
    return [e for e in entries if _matches(e, class_, kind, level2)]
