"""What a brief states, read before anything is drafted: the quantities it will buy, build or
serve (with their units), the people it serves, the results it promises, its deadline, and the
class and kind of spending it belongs to.

"新建供水站3座、受益人口1.2万人、年底前完工" → 新建 供水站 3 座; 受益人口 12000 人; deadline
the year's 12月31日. Chinese numerals that count something are converted first (cn2an: 三座 →
3座). Offline rules and jieba only; the LLM drafter is given these facts, not asked for them.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, Field

from ..classify import Classification, classify
from ..index.documents import measured_objects
from ..normalize import rejoin
from ..tokens import tagged
from .models import Brief


def _words() -> dict:
    """data/drafting.toml: the units and verbs briefs use, the words any project measures."""
    text = resources.files("assistant").joinpath("data", "drafting.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


WORDS = _words()

# Counting and measuring units a brief states quantities in, longest first (人次 before 人).
UNITS = sorted(
    WORDS["brief"]["units"],
    key=len,
    reverse=True,
)
PEOPLE = {"人", "人次", "名", "户"}
PLACES = {"所", "村", "家", "处", "个"}  # units that count the places served rather than what is bought
DURATIONS = {"天", "日", "小时", "分钟", "工作日", "个月", "周"}  # how long, not how many
# verbs of handing something to people: "为120名老人发放补贴" counts the people served
DELIVERY = {
    "发放",
    "补助",
    "资助",
    "救助",
    "慰问",
    "补贴",
    "奖补",
    "培训",
    "接种",
    "筛查",
    "体检",
    "帮扶",
    "覆盖",
    "惠及",
    "服务",
}
_PAREN = re.compile(r"[（(][^（）()]*[）)]")
MONEY = {"元", "万元"}
_SCALE = {"万": 10_000, "千": 1_000, "亿": 100_000_000}
# Verbs that say what is done to the object (the action of a 数量 row).
ACTIONS = WORDS["brief"]["actions"]
_ACTION_RE = "|".join(sorted(set(ACTIONS), key=len, reverse=True))
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_NUM = r"\d+(?:\.\d+)?"
# 新建供水站3座 / 受益人口12000人 / 培训乡村医生300人次
_OBJECT_FIRST = re.compile(
    rf"(?P<action>{_ACTION_RE})?(?P<object>|[\u4e00-\u9fffA-Za-z（）()][\u4e00-\u9fffA-Za-z0-9（）() ]{{0,15}}?)"
    rf"(?:约|合计|总计|共计|共|达|计|超过|不少于|不低于)?\s?(?<![0-9.])"
    rf"(?P<number>{_NUM})(?P<scale>[万千亿])?(?P<unit>{_UNIT_RE})(?![\u4e00-\u9fff]*率)"
)
_OBJECT_AFTER_MAX = 10  # characters of an object read after its number
# 为120名高龄老人 / 覆盖3个乡镇 / 购置2台救护车 / 1200名80周岁以上老人
_NUMBER_FIRST = re.compile(
    rf"(?P<action>{_ACTION_RE})?(?:为|向|对|给)?(?P<number>{_NUM})(?P<scale>[万千亿])?(?P<unit>{_UNIT_RE})"
    rf"(?:\d+周?岁(?:以上|以下)?(?:的)?)?(?P<object>[\u4e00-\u9fff]{{2,{_OBJECT_AFTER_MAX}}})"
)
# 每人每月100元 / 每亩补贴200元: a standard, not an amount
_STANDARD = re.compile(
    r"(?:每(?P<per>人|户|名|亩|头|平方米|公里|所|村)?|(?P<avg>人均|户均|亩均))(?:每)?(?P<period>月|年|天|次|学期)?"
    rf"(?P<verb>补助|补贴|发放|资助|奖励|奖补)?(?:不低于|不少于|达到)?(?P<number>{_NUM})(?P<unit>元|万元)"
)
# 自来水普及率达到95% / 满意度不低于90%
_RATE = re.compile(
    r"(?P<object>[\u4e00-\u9fff]{2,16}?(?:率|度|比例|占比))(?:达到|达|提高到|提升到|保持在|不低于|不少于|稳定在|超过|为|≥|>=|＞|>|≧)?"
    rf"(?P<number>{_NUM})\s*%"
)
# 人口漏登率控制在1%以内 / 不合格率不高于2%
_CEILING = re.compile(
    r"(?P<object>[\u4e00-\u9fff]{2,16}?(?:率|比例|占比))(?:控制在|低于|不高于|不超过|小于|≤|<=|＜|<|≦)"
    rf"(?P<number>{_NUM})\s*%"
)
# 接警到场时间缩短至20分钟内 / 办结时限压缩到5个工作日
_WITHIN = re.compile(
    r"(?P<object>[\u4e00-\u9fff]{2,16}?(?:时间|时限|时长|周期))(?:缩短|压缩|控制|减少)?(?:至|到|在)"
    rf"(?P<number>{_NUM})\s*(?P<unit>分钟|小时|个工作日|工作日|天)"
)
# 灾后12小时内物资调运到位: a time limit written before what it limits
_LIMIT_FIRST = re.compile(
    rf"(?P<number>{_NUM})\s*(?P<unit>分钟|小时|个工作日|工作日|天)(?:以内|之内|内)(?P<object>[\u4e00-\u9fff]{{2,12}})"
)
# 全年因地质灾害死亡人数为0 / 安全事故控制在零起
_NONE = re.compile(
    r"(?P<object>[\u4e00-\u9fff]{2,16}?(?:人数|起数|次数|事故|事件|案件))(?:为|控制在|保持|实现)?(?:0|零)(?P<unit>人|起|次|件)?"
)
# 接待游客人次同比增长8% / 能耗下降5% / PM10年均浓度同比下降5%
_CHANGE = re.compile(
    rf"(?P<object>[\u4e00-\u9fffA-Za-z0-9.]{{2,12}}?)(?P<base>同比|较上年|比上年)?(?P<verb>增长|提高|提升|增加|下降|降低|减少)"
    rf"(?P<number>{_NUM})\s*%"
)
_LEADS = (
    "为",
    "向",
    "对",
    "给",
    "全年",
    "年内",
    "累计",
    "共",
    "计划",
    "预计",
    "拟",
    "约",
    "完成",
    "实现",
    "确保",
    "和",
    "及",
    "其中",
    "全县",
    "全市",
    "全区",
    "全镇",
    "全乡",
    "全省",
    "我县",
    "我市",
    "本县",
    "本市",
    "城区",
    "辖区",
    "全部",
)
# what ends an object read after its number; a verb that heads a noun (污水处理站, 垃圾收集点)
# does not
_VERB = rf"(?:{_ACTION_RE})(?![站厂点池场所室中设车器机箱桶])"
_OBJECT_STOP = re.compile(rf"(?:{_VERB}|按|并|每|的|用于|进行|实行|给予|为|向|所有|全部)")
# how a goal numbers its points: 一是…二是…, 其一…
_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十])")
_INNER_VERB = re.compile(_VERB)
# "委托养护企业对县乡道1280公里": the object is what follows 对 (not 对象, 对口…)
_TARGETED = re.compile(r"对(?![象口接照比外应称策])")
_CLAUSES = re.compile(r"[，,。；;、\n]|以及|并且|同时")


class Quantity(BaseModel):
    """A stated amount of something: 新建 供水站 3 座."""

    text: str  # the words as written (after numeral conversion)
    action: str = ""
    object: str
    number: float
    unit: str

    @property
    def people(self) -> bool:
        return self.unit in PEOPLE

    @property
    def money(self) -> bool:
        return self.unit.split("/")[0] in MONEY

    @property
    def place(self) -> bool:
        """A place the project serves (6所卫生院), not one it builds (5个污水处理站)."""
        return self.unit in PLACES and not _FACILITY.search(self.object)

    @property
    def duration(self) -> bool:
        return self.unit in DURATIONS

    @property
    def standard(self) -> bool:
        """A rate per person, per month… (补助标准 100 元/人·月), not an amount."""
        return "/" in self.unit

    @property
    def value(self) -> str:
        """The number as a filing writes it: 3, 1.5, 18000 (never 1.8e+04)."""
        return f"{self.number:.4f}".rstrip("0").rstrip(".")


class Result(BaseModel):
    """A stated result: 自来水普及率 ≥ 95%; 人口漏登率 ≤ 1%; 接警到场时间 ≤ 20 分钟."""

    text: str
    object: str
    number: float
    unit: str = "%"
    at_most: bool = False  # the brief sets a ceiling (控制在1%以内, 缩短至20分钟内)


# measure words a count or size is named with (培训人数, 保洁面积)
MEASURES = ("人数", "数量", "人次", "面积", "户数", "长度", "里程", "规模")
# a place that is built or bought, not served: 5个污水处理站, 30个垃圾收集点
_FACILITY = re.compile(r"(?:[站厂点池馆室库棚]|基地)$")


class BriefFacts(BaseModel):
    quantities: list[Quantity] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    deadline: str | None = None  # 2025年12月31日
    deadline_text: str | None = None  # 年底前完工, as written
    deadline_due: str = ""  # the words after it, what is due by then (兑付到户)
    objects: list[str] = Field(default_factory=list)  # what the brief speaks of (nouns)
    named: str | None = None  # what the project's name says it is about (name_object)
    works_object: str | None = None  # what the goal's first works verbs act on (维修审判大楼玻璃幕墙)
    classification: Classification = Field(default_factory=Classification)

    @property
    def served(self) -> list[Quantity]:
        """People the project serves or benefits (120名高龄老人, 受益人口12000人)."""
        return [q for q in self.quantities if q.people]

    @property
    def bought(self) -> list[Quantity]:
        """What the project buys or builds, in the order stated: not money, people or standards,
        nor the places it serves (6所卫生院), unless a place is what it builds (5个污水处理站)."""
        return [
            q for q in self.quantities if q.object and not (q.money or q.people or q.standard or q.duration or q.place)
        ]

    @property
    def main_object(self) -> str | None:
        """What the project mostly buys, builds or serves: the first stated quantity's object
        (not money, a duration or a standard), else what the name names, else what the goal's
        first works verb acts on, else the first noun of the brief."""
        things = [q for q in self.quantities if q.object and not (q.money or q.duration or q.standard)]
        bought = self.bought
        if bought or things:
            first = (bought or things)[0]
            if first.object in MEASURES:  # 培训人数, 改造面积: the action says what
                alone = first.people and len(first.action) >= 2  # 体检人数 → 体检 (体检服务覆盖率)
                return _short(first.action if alone else f"{first.action}{first.object}")
            thing = first.object.removesuffix(next((m for m in MEASURES if first.object.endswith(m)), ""))
            thing = re.sub(r"^\d+(?:\.\d+)?[\u4e00-\u9fff]", "", thing)  # 64排螺旋CT → 螺旋CT
            return _short(thing if len(thing) >= 2 else first.object)  # 保洁面积 → 保洁
        return self.named or self.works_object or (self.objects[0] if self.objects else None)

    def lines(self) -> list[str]:
        """The facts as a person reads them (the 起草 page, the LLM prompt)."""
        out = [f"{q.action}{q.object} {q.value}{q.unit}" for q in self.quantities]
        out += [f"{r.object} {'≤' if r.at_most else ''}{r.number:g}{r.unit}" for r in self.results]
        if self.deadline:
            out.append(f"完成时限 {self.deadline}（{self.deadline_text}）")
        return out


# a numeral that counts (三座, 一万二千人), not one in a word (一次性, 一次通过率, 一次办结)
_CN_NUMBER = re.compile(
    rf"[零〇一二两三四五六七八九十百千万亿]+(?=(?:{_UNIT_RE}|季度|个月|月底|月末|月份)(?!性|通过|办结|办好|成功|合格|验收))"
)


def _numerals(text: str) -> str:
    """Chinese numerals as digits where they count something (三座 → 3座, 一万二千人 →
    12000人, 第三季度 → 第3季度); words that merely contain one (统一, 一次性) are left alone,
    as is anything cn2an cannot read. cn2an is imported only when a numeral is there to convert:
    its import reads a YAML file through pkg_resources (0.2–0.3 s of a cold command)."""
    if not _CN_NUMBER.search(text):
        return text
    import cn2an

    def digits(match: re.Match) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return f"{cn2an.cn2an(match.group(0), 'smart'):g}"
            except (ValueError, KeyError, IndexError):
                return match.group(0)

    return _CN_NUMBER.sub(digits, text)


_APPROXIMATE = ("左右", "以上", "以下", "以内", "余", "多")
_FREQUENCY = re.compile(r"每(?:个)?(?:季度|半年|年|月|周|天|日|学期)")


def _clean_object(text: str, cut: bool = False) -> str:
    """The object without the words before it (为, 全县…) and, for an object read after its
    number (120名高龄老人按月发放…), without what follows it."""
    text = _ENUMERATION.sub("", text.strip())  # 三是设备安装验收合格率
    if cut:
        stop = _OBJECT_STOP.search(text, 2)
        text = text[: stop.start()] if stop else text
    changed = True
    while changed:
        changed = False
        for lead in _LEADS:
            if text.startswith(lead) and len(text) > len(lead) + 1:
                text, changed = text[len(lead) :], True
    return text


def _quantity(match: re.Match, clause: str, after: bool) -> Quantity | None:
    """The quantity a match states, or None when its number counts nothing (an ordinal, a size,
    a frequency, a phase); `after`: the object follows the number (120名高龄老人)."""
    number, unit = float(match.group("number")), match.group("unit")
    scale = match.group("scale") or ""
    if scale == "万" and unit not in PEOPLE and f"万{unit}" in UNITS:
        unit = f"万{unit}"  # 320万平方米 stays in 万平方米, as filings write it
    else:
        number *= _SCALE.get(scale, 1)
    action, obj, text = _counted(match, clause, after)
    if not _counts(match, clause, after, obj, unit):
        return None
    if obj in ACTIONS:  # 培训1200人次: the verb is the thing counted
        action, obj = obj, ""
    if after and re.match(_ACTION_RE, obj):
        return None  # 分3期组织…: the number counts the verb's rounds, not an object
    rate = obj.endswith(("率", "度")) and not obj.endswith(("长度", "宽度", "高度", "厚度", "深度"))
    if re.search(r"(?:超出|超过)$", obj):
        return None  # 减免租金超出3个月: a threshold, not a count
    if after and obj.startswith("的"):
        return None  # 超出3个月的部分予以补助: the number qualifies what follows, it counts nothing
    if (obj and len(obj) < 2) or rate or not (obj or action):
        return None
    if not action and not after:  # the verb may sit earlier in the clause: 为全县120名高龄老人发放补贴
        found = re.search(_ACTION_RE, clause[: match.start()])
        action = found.group(0) if found and found.group(0) in DELIVERY else ""
    return Quantity(text=text, action=action, object=obj, number=number, unit=unit)


def _counted(match: re.Match, clause: str, after: bool) -> tuple[str, str, str]:
    """(action, object, the words as written) of a match, as a clerk reads what is counted."""
    action = match.group("action") or ""
    obj = _whole_words(match, clause) if after else match.group("object")
    obj = _PAREN.sub("", _clean_object(obj, cut=after)).rstrip("各等的至到达")
    obj = re.sub(r"(?:提高|提升|增加|增长|扩大|达到)$", "", obj)  # 年检查能力提高到2万人次
    if after:  # the words end with the object: 56座公厕, not 56座公厕开展日常保洁和设
        return action, obj, clause[match.start() : match.start("object") + len(obj)]
    text = match.group(0)
    if len(parts := _TARGETED.split(obj)) > 1 and len(parts[-1]) >= 2:
        obj = _clean_object(parts[-1])  # 委托养护企业对县乡道1280公里
    if "的" in obj and len(head := obj.rsplit("的", 1)[1]) >= 2:
        obj = head  # 2000年前建成的老旧小区11个: the noun after 的 is what is counted
    if obj.startswith("年") and re.search(r"\d$", clause[: match.start("object")]):
        obj = obj[1:]  # 2025年新建供水站3座: the year's 年 is not the object's
    if not action and (lead := re.match(_VERB, obj)) and len(obj) - lead.end() >= 2:
        action, obj = lead.group(0), obj[lead.end() :]  # 购置64排螺旋CT 1台
    obj = re.sub(r"^周?岁(?:以上|以下|及以上)?的?", "", obj)  # 35-64岁农村适龄妇女: the ages are not the object
    # the last verb that still leaves an object after it (免费开展宫颈癌筛查: 开展, not 筛查)
    inner = next((v for v in reversed(list(_INNER_VERB.finditer(obj, 2))) if len(obj) - v.end() >= 2), None)
    if inner is not None:
        # 农村小学更换可调节高度课桌椅4000套: the verb inside says what is done to what follows it
        action, obj = inner.group(0), obj[inner.end() :]
        text = text[text.rindex(action + obj) :]
    return action, obj, text


def _whole_words(match: re.Match, clause: str) -> str:
    """An object read after its number, less a word the pattern's length limit cut in two (建设1个
    以工代赈中央预算内投|资项目 → 以工代赈中央预算内)."""
    obj = match.group("object")
    rest = clause[match.end("object") : match.end("object") + 1]
    if len(obj) < _OBJECT_AFTER_MAX or not re.match(r"[\u4e00-\u9fff]", rest):
        return obj
    kept = ""
    for word, _ in tagged(clause[match.start("object") : match.end("object") + 8]):
        if len(kept) + len(word) > len(obj):
            break
        kept += word
    return kept or obj


def _counts(match: re.Match, clause: str, after: bool, obj: str, unit: str) -> bool:
    """Whether the number counts the object: not an ordinal, a phase, a size, how exact or how
    often."""
    if unit == "批" and match.group("number") == "1":
        return False  # 实施一批项目: "a batch of", not a count
    if clause[: match.start("number")].endswith("第"):
        return False  # 第四次全国文物普查
    if unit == "期" and re.match(r"(?:项目|工程|建设|续建)", clause[match.end("unit") :]):
        return False  # 推进学校二期项目建设
    # 8吨压缩式垃圾转运车6辆, read either way: the first number is the thing's size (but in
    # 分2期培训300人次 the 2期 are of 培训, a verb)
    measured = rf"\s*{_NUM}\s*[万千]?(?:{_UNIT_RE})"
    if after and obj and obj not in ACTIONS and re.match(measured, clause[match.start("object") + len(obj) :]):
        return False
    if not after and not obj and re.match(rf"[\u4e00-\u9fff]{{2,16}}{measured}", clause[match.end() :]):
        return False
    if after and obj.startswith(_APPROXIMATE):
        return False  # 支持企业150家左右
    return not (_FREQUENCY.search(obj) or obj.startswith("每"))  # 废气每半年1次, 每期5天


def _standard(match: re.Match, clause: str, text: str) -> Quantity:
    """每人每月100元 → 补助标准 100 元/人·月 (津贴标准 when the brief pays a 津贴)."""
    kinds = ("津贴", "补助", "补贴", "资助", "奖补", "奖励")
    verb = match.group("verb") or next((v for v in kinds if v in clause), None)
    verb = verb or next((v for v in kinds if v in text), "补助")
    averaged = {"人均": "人", "户均": "户", "亩均": "亩"}.get(match.group("avg") or "")
    per = "·".join(x for x in (match.group("per") or averaged, match.group("period")) if x)
    unit = f"{match.group('unit')}/{per}" if per else match.group("unit")
    return Quantity(
        text=match.group(0), action="", object=f"{verb}标准", number=float(match.group("number")), unit=unit
    )


def _quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for clause in _CLAUSES.split(text):
        clause = clause.strip()
        if not clause:
            continue
        spans: list[tuple[int, int]] = []
        placed: list[tuple[Quantity, int]] = []  # the places a clause counts, where they end
        for match in _STANDARD.finditer(clause):
            found.append(_standard(match, clause, text))
            spans.append(match.span())
        for pattern in (_NUMBER_FIRST, _OBJECT_FIRST):
            after = pattern is _NUMBER_FIRST
            for match in pattern.finditer(clause):
                quantity = _quantity(match, clause, after=after)
                # a number-first match ends where its object was cut (6所卫生院各配置…1台 leaves 1台);
                # an object-first one starts where its text does (农村小学更换课桌椅4000套: at 更换)
                end = match.start("object") + len(quantity.object) if quantity and after else match.end()
                start = match.end() - len(quantity.text) if quantity and not after else match.start()
                if any(a < end and start < b for a, b in spans):
                    continue
                if quantity is not None:
                    quantity = _each(quantity, clause, start, placed)
                    found.append(quantity)
                    spans.append((start, end))
                    if quantity.place:
                        placed.append((quantity, end))
    unique: dict[tuple[str, str], Quantity] = {}
    for q in _of_what(found):
        unique.setdefault((q.object, q.unit), q)
    return list(unique.values())


def _each(quantity: Quantity, clause: str, start: int, placed: list[tuple[Quantity, int]]) -> Quantity:
    """为8个乡镇消防队配备消防车各1辆: 8 vehicles in all, one for each of the places before it."""
    for place, end in reversed(placed):
        if end <= start and "各" in clause[end : start + len(quantity.text)] and quantity.unit not in PLACES:
            return quantity.model_copy(update={"number": quantity.number * place.number})
    return quantity


# A measure with no object of its own: "新建保鲜库2座，总面积1200平方米" measures the 保鲜库.
_BARE_MEASURES = frozenset(
    {
        "面积",
        "总面积",
        "建筑面积",
        "占地面积",
        "长度",
        "总长度",
        "总长",
        "里程",
        "总里程",
        "规模",
        "总规模",
        "容量",
        "总容量",
    }
)


def _of_what(found: list[Quantity]) -> list[Quantity]:
    """Quantities in order, a bare measure (总面积) given the object of the thing stated before it."""
    out, last = [], ""
    for q in found:
        if q.object.removeprefix("总") in _BARE_MEASURES and not q.action and last:
            q = q.model_copy(update={"object": f"{last}{q.object.removeprefix('总')}"})
        elif q.object and not (q.money or q.people or q.standard) and q.object.removeprefix("总") not in _BARE_MEASURES:
            last = q.object
        out.append(q)
    return out


_MONTH_END = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
_DEADLINES: tuple[tuple[re.Pattern, object], ...] = (
    (re.compile(r"(?:(20\d{2})年)?(\d{1,2})月(\d{1,2})日(?:前|以前|之前)"), "date"),
    (re.compile(r"(?:(20\d{2})年)?(\d{1,2})月(?:底|末)(?:前|以前|之前)?"), "month"),
    (re.compile(r"(?:年底|年末|(?<![\d一二三四五六七八九十两])年内|本年度内|当年)"), 12),
    (re.compile(r"上半年"), 6),
    (re.compile(r"下半年"), 12),
    (re.compile(r"第(\d)季度"), "quarter"),
)


def _deadline(text: str, year: int) -> tuple[str, str, str] | None:
    """(the deadline as a date in the budget year, the words that said it, the words after them:
    what is due, 年底前兑付到户 → 兑付到户)."""
    for pattern, kind in _DEADLINES:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "date":
            y, m, d = int(match.group(1) or year), int(match.group(2)), int(match.group(3))
        elif kind == "month":
            y, m = int(match.group(1) or year), int(match.group(2))
            d = _MONTH_END.get(m, 30)
        elif kind == "quarter":
            y, m = year, min(12, 3 * int(match.group(1)))
            d = _MONTH_END[m]
        else:
            y, m = year, int(kind)  # type: ignore[call-overload]
            d = _MONTH_END[m]
        if 1 <= m <= 12 and 1 <= d <= _MONTH_END[m] + (m == 2):
            due = re.sub(r"^(?:前|以前|之前)", "", text[match.end() : match.end() + 8])
            return f"{y}年{m}月{d}日", match.group(0), due
    return None


_NOT_OBJECTS = {"工程", "项目", "资格", "人口", "服务水平", "运转", "全县", "全市", "城区", "乡镇", "年度"}


def _ceilings(text: str) -> list[Result]:
    """The limits a brief sets: 人口漏登率控制在1%以内, 接警到场时间缩短至20分钟内, 灾后12小时内物资
    调运到位 (a 调运时限), 死亡人数为0."""

    def at_most(m: re.Match, obj: str, unit: str = "%", number: float | None = None) -> Result:
        value = float(m.group("number")) if number is None else number
        return Result(text=m.group(0), object=obj, number=value, unit=unit, at_most=True)

    found = [at_most(m, _clean_object(m.group("object"))) for m in _CEILING.finditer(text)]
    found += [
        at_most(m, _clean_object(m.group("object")), m.group("unit").removeprefix("个")) for m in _WITHIN.finditer(text)
    ]
    found += [
        at_most(m, f"{re.sub(r'(?:到位|完成|办结)$', '', m.group('object'))}时限", m.group("unit").removeprefix("个"))
        for m in _LIMIT_FIRST.finditer(text)
    ]
    found += [
        at_most(
            m, _clean_object(m.group("object")), m.group("unit") or _NONE_UNITS.get(m.group("object")[-2:], "起"), 0
        )
        for m in _NONE.finditer(text)
    ]
    return found


_NONE_UNITS = {"人数": "人", "起数": "起", "次数": "次"}


@lru_cache(maxsize=256)
def _read(name: str, goal: str, unit_name: str, year: int) -> BriefFacts:
    name, goal = rejoin(name), rejoin(goal)
    text = _numerals(f"{name}。{goal}")
    results = [
        Result(text=m.group(0), object=_clean_object(m.group("object")), number=float(m.group("number")))
        for m in _RATE.finditer(text)
    ]
    results += _ceilings(text)
    for m in _CHANGE.finditer(text):
        if not any(m.group(0) in r.text or r.text in m.group(0) for r in results):
            up = m.group("verb") in ("增长", "提高", "提升", "增加")
            thing = re.sub(r"^(?:20\d{2}年度?|\d+(?:\.\d+)?[%]?)", "", _clean_object(m.group("object")))
            # 车位周转率提高15%: a rate's rise is its 增幅, not a 周转率增长率
            rate = ("增幅" if up else "降幅") if thing.endswith("率") else ("增长率" if up else "下降率")
            rated_as = f"{thing}{m.group('base') or ''}{rate}"
            results.append(Result(text=m.group(0), object=rated_as, number=float(m.group("number"))))
    rated = {r.text for r in results}
    quantities = [q for q in _quantities(text) if not any(q.text in r for r in rated)]
    deadline = _deadline(text, year)
    return BriefFacts(
        quantities=quantities,
        results=results,
        deadline=deadline[0] if deadline else None,
        deadline_text=deadline[1] if deadline else None,
        deadline_due=deadline[2] if deadline else "",
        objects=[o for o in measured_objects([name, goal]) if o not in _NOT_OBJECTS and o not in ACTIONS],
        named=name_object(name),
        works_object=_works_object(goal),
        classification=classify(name, goal, unit_name),
    )


_WORKS = re.compile(rf"(?:(?:{'|'.join(WORDS['brief']['works'])})[和及与]?)+(?P<object>[\u4e00-\u9fffA-Za-z]{{2,16}})")
# where the thing worked on ends: a count (一批, 若干, 3台), 等
_WORKS_END = re.compile(r"[一二三四五六七八九十两\d]+[\u4e00-\u9fff]?$|若干$|等$|一批$")


def _works_object(goal: str) -> str | None:
    """What the goal's first works verbs act on: 维修审判大楼玻璃幕墙等 → 审判大楼玻璃幕墙;
    更新改造办公楼 → 办公楼; 购置设备一批 → 设备."""
    for match in _WORKS.finditer(goal):
        obj = _clean_object(match.group("object"), cut=True)
        while (trimmed := _WORKS_END.sub("", obj).rstrip("等的")) != obj:
            obj = trimmed
        if len(obj) >= 2 and obj not in ACTIONS and obj not in _NOT_OBJECTS:
            return _short(obj)
    return None


# Words of a project's name that say who pays, where or how much, not what it is about.
_NAME_NOISE = {
    *("国家", "中央", "省级", "市级", "县级", "区级", "乡级", "镇级", "本级", "基本", "全县", "全市", "年度"),
    *("资金", "经费", "专项", "专项资金", "专项经费", "补助", "补助资金", "补贴", "奖励", "奖补", "费用"),
    *("项目", "建设项目", "工程", "工作", "业务", "期间", "整区", "示范", "配套", "提升", "质量"),
    *("精准", "发展", "利用", "推进", "改革", "综合", "资源化", "能力", "水平", "地区", "区域"),
}
_NAME_NOUN_TAGS = ("n", "vn", "nz", "l", "j")


def name_object(name: str) -> str | None:
    """What a project's name says it is about, as a drafter would put it in a row's name:
    the longest run of nouns once places, years, levels of government and money words are set
    aside, shortened to its last nouns when long (市民中心运行维护费 → 市民中心; 市级文物保护专项经费
    → 文物保护; 巩固脱贫攻坚…特色产业基地气调保鲜库建设项目 → 气调保鲜库)."""
    text = re.sub(r"[（(][^）)]*[）)]|\d{2,4}年度?", " ", name)
    runs: list[str] = []
    run = ""
    for word, flag in tagged(text):
        noun = flag.startswith(_NAME_NOUN_TAGS) and not flag.startswith(("ns", "nr"))
        money = len(word) >= 3 and word.endswith("费")  # 业务费, 保管费: what it costs, not what it is
        if noun and not money and word not in _NAME_NOISE and word not in ACTIONS and word not in _NOT_OBJECTS:
            run += word
            continue
        if run:
            runs.append(run)
        run = ""
    runs = [r for r in [*runs, run] if len(r) >= 2]
    if not runs:
        return None
    longest = max(runs, key=len)  # the head of a long name (…特色产业基地气调保鲜库), not a word of its preamble (攻坚)
    return longest if len(longest) <= 8 else _short(longest)


def read_brief(brief: Brief) -> BriefFacts:
    """The facts a brief states (see the module docstring)."""
    return _read(
        brief.name, "。".join(t for t in (brief.goal, brief.description) if t), brief.unit_name or "", brief.year
    )


def _short(obj: str) -> str:
    """An object short enough to lead a row's name, its last nouns: 油菜花乡村旅游节及外地专场
    推介会 → 专场推介会; 数字化X射线摄影系统 → 摄影系统 (one noun alone, 系统, says too little)."""
    if len(obj) <= 8:
        return obj
    nouns_ = [n for n in measured_objects([obj]) if len(n) >= 2]
    if not nouns_:
        return obj[-6:]
    pair = "".join(nouns_[-2:])
    return pair if len(pair) <= 8 and pair in obj else nouns_[-1]
