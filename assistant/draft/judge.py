"""Whether a drafted row fits its project: specific, generic or foreign.

- **specific**: it measures an object, quantity or result of this brief (or of the project's real
  filing, when there is one): the brief names it, or at least half of what it measures is what
  the brief speaks of —
  供水站建设完成时间 for a brief that builds 供水站 (补贴民办园租用面积 shares only 补贴 with a
  耕地地力补贴 brief: foreign);
- **generic**: it fits any project — its name measures nothing but the work, the money or the
  people in general (年度计划任务完成率, 服务对象满意度, 项目支出). A row named after the project
  (高龄津贴发放支出, 高龄津贴发放服务对象满意度) is this project's, as the team's guide has it
  (docs/labeling.md §5): specific;
- **foreign**: it measures something this project does not deal in — 预计转辅警人数 offered to a
  farm-produce testing project.

The same test gates the rows the drafters offer (`objects_shared`) and judges drafts in
`assistant eval draft`; docs/eval.md reports its agreement with rows judged by the team.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..index.documents import measured_objects
from ..index.lexical import synonym_map
from ..normalize import indicator_label
from ..tokens import words as words_of
from .facts import WORDS, BriefFacts

Verdict = Literal["specific", "generic", "foreign"]
# what a kind of spending deals in, whatever the brief says: a training measures its trainees
KIND_WORDS = {
    "会议培训": ("参训", "学员", "培训", "参会", "学时"),
    "补助补贴": ("补助", "补贴", "发放", "兑付"),
    "设备购置": ("设备", "采购", "验收", "到货", "安装"),
    "建设工程": ("工程", "施工", "竣工", "建设"),
    "信息化": ("系统", "平台", "数据", "上线"),
    "宣传活动": ("宣传", "活动", "受众"),
}

# Words that measure the work, money or people of any project: a row measuring only these is
# generic. (measured_objects already drops the commonest: 资金, 项目, 工作, 满意度…)
GENERIC_WORDS = frozenset(WORDS["judge"]["generic"])


@lru_cache(maxsize=1 << 14)
def objects_of(name: str) -> frozenset[str]:
    """What a row measures: the nouns and other content words of its name, less the words
    every project measures (每轮排班值班时间 → 排班, 值班). Cached: the gate, the ranking of
    library rows and the evaluation's matching ask it of the same names again and again."""
    text = re.sub(r"20\d{2}年度?|\d+", "", indicator_label(name))
    found = set(measured_objects([text])) | {w for w in words_of(text) if len(w) >= 2}
    return frozenset(o for o in found if not _generic(o))


def _generic(word: str) -> bool:
    """A generic word, or two run together (工程验收, 资金支付: jieba keeps some pairs whole), unless
    the second names a thing (办公设备 is what an equipment purchase buys)."""
    return word in GENERIC_WORDS or any(
        word[:i] in GENERIC_WORDS and word[i:] in GENERIC_WORDS and word[i:] not in _THINGS
        for i in range(2, len(word) - 1)
    )


_THINGS = frozenset(("设备", "设施", "系统", "平台", "工程", "活动", "会议", "培训"))


@dataclass(frozen=True)
class Terms:
    """What a brief speaks of: its words (nouns, the objects of its quantities and results, the
    words its kind of spending deals in) and its text (name and goal)."""

    words: frozenset[str]
    text: str


def brief_terms(facts: BriefFacts, name: str, goal: str = "") -> Terms:
    words = set(facts.objects) | set(measured_objects([name, goal])) | set(words_of(name)) | set(words_of(goal))
    words |= {q.object for q in facts.quantities} | {r.object for r in facts.results}
    words |= set(KIND_WORDS.get(facts.classification.kind or "", ()))
    return Terms(frozenset(w for w in words if w not in GENERIC_WORDS and len(w) >= 2), f"{name} {goal}")


def objects_shared(row_objects: Iterable[str], words: Iterable[str]) -> list[str]:
    """Row objects that the brief's words name too (供水站 ~ 供水; 上访 ~ 信访, one synonym group
    of data/synonyms.txt)."""
    synonyms = synonym_map()
    words = list(words)
    canon = {synonyms.get(w, w) for w in words}
    shared = []
    for obj in row_objects:
        forms = {synonyms.get(obj, obj), synonyms.get(obj[:-1], obj[:-1]) if len(obj) == 3 else obj}
        if forms & canon or any(_overlap(obj, w) for w in words):
            shared.append(obj)
    return sorted(shared)


def _overlap(a: str, b: str) -> bool:
    """Row object `a` is in brief word `b` (供水 ~ 供水站), or `b`, three characters or more, is
    in `a`, or they share three characters in a row (集中供水站 ~ 供水站点). A two-character brief
    word inside a longer object (养老 in 基础养老金, 环境 in 环境卫生) is not enough."""
    if a in b:
        return len(a) >= 2
    if b in a:
        return len(b) >= 3 or (len(a) == 3 and a.startswith(b))  # 信访件, 供水站: a stem and one character
    return any(a[i : i + 3] in b for i in range(len(a) - 2))


_MEASURE_TAIL = re.compile(r"(数量|人数|户数|个数|次数|完成时间|时间|面积|长度)$")
_GENERIC_NAME = re.compile(
    r"^(?:本项目|项目|年度|工作|服务对象|群众|社会公众|受益群众|服务对象有效)?"
    r"(?:计划任务|任务|工作|资金|经费|项目)?(?:完成率|完成时间|完成时限|支出|满意度|投诉数|有效投诉数|验收合格率|"
    r"成果验收合格率|按期完成率|执行率)$"
)


def named_share(name: str, terms: Terms) -> float | None:
    """How much of what a row measures the brief names: 公厕服务质量考核合格率 is all a 公厕
    brief's, 道路保洁质量考核达标率 half; None for a row of nothing specific (培训考核合格率)."""
    row = objects_of(name)
    return len(objects_shared(row, terms.words)) / len(row) if row else None


def judge(name: str, terms: Terms, real_words: Set[str] = frozenset()) -> tuple[Verdict, str]:
    """(verdict, reason) for a row named `name`, given what the brief speaks of (`brief_terms`:
    a row the brief names outright — 补助标准, 发放准确率 — is its own) and, when known, the
    objects of the project's real filing."""
    core = _MEASURE_TAIL.sub("", name)
    if len(core) >= 3 and core in terms.text:
        return "specific", f"申报内容写明“{core}”"
    row = objects_of(name)
    shared = objects_shared(row, set(terms.words) | set(real_words))
    if shared and len(shared) * 2 >= len(row):
        return "specific", f"衡量本项目的{'、'.join(shared[:3])}"
    if not row or _GENERIC_NAME.match(re.sub(r"20\d{2}年度?", "", name)):
        return "generic", "只衡量一般的任务、资金或服务对象"
    others = sorted(row - set(shared))
    return "foreign", f"衡量的{'、'.join(others[:3])}与本项目无关"
