"""Drafts that fit the project: the brief read first (quantities, people served, results,
deadline, class and kind), rows from it, then gated rows of similar projects and the library,
generic forms last; never a row foreign to the brief; every row with its origin."""

from __future__ import annotations

import json

import pytest

from assistant.classify import classify
from assistant.cli import main
from assistant.draft.brief_rows import rows_from_brief, satisfaction_row
from assistant.draft.facts import name_object, read_brief
from assistant.draft.judge import brief_terms, judge
from assistant.draft.models import Brief, DraftIndicator
from assistant.draft.offline import (
    _same_row,
    draft_offline,
    entry_is_standard,
    entry_row,
    gate,
    library_candidates,
    retrieve,
)
from assistant.library import library, team_entries
from assistant.models import Level2
from assistant.review.engine import review_project
from assistant.review.registry import Severity

from .conftest import CORPUS

WATER = Brief(
    name="2025年农村饮水安全巩固提升工程",
    unit_name="某县水利局",
    amount=1860,
    year=2025,
    goal="新建供水站三座、铺设管网12公里，受益人口一万二千人，年底前完工，农村自来水普及率达到95%。",
)
TRAINING = Brief(
    name="设施农业技术培训项目",
    unit_name="某县农业农村局",
    amount=30,
    year=2025,
    goal="提高种植人员实施蔬菜科学种植技术和管理水平，促进村集体及种植户增收。",
)
ELDERLY = Brief(
    name="高龄津贴发放",
    unit_name="某县民政局",
    amount=1350,
    year=2025,
    goal="为全县1200名80周岁以上老人按月发放高龄津贴，每人每月100元，6月底前完成资格认定。",
)
TESTING = Brief(
    name="农产品质量安全检测经费",
    unit_name="某县农业农村局",
    amount=30,
    year=2025,
    goal="全年完成蔬菜、水果等农产品定量检测800批次，快速检测5000批次。",
)


def test_the_brief_is_read_numerals_units_deadline_and_class():
    facts = read_brief(WATER)
    stated = {(q.action, q.object, q.value, q.unit) for q in facts.quantities}
    assert ("新建", "供水站", "3", "座") in stated and ("铺设", "管网", "12", "公里") in stated
    assert ("", "受益人口", "12000", "人") in stated  # 一万二千人, a Chinese numeral
    assert [(r.object, r.number) for r in facts.results] == [("农村自来水普及率", 95.0)]
    assert facts.deadline == "2025年12月31日" and facts.deadline_text == "年底"
    about = facts.classification
    assert (about.class_, about.kind) == ("农林水", "建设工程") and "饮水" in about.class_reason
    assert facts.main_object == "供水站"


def test_a_word_inside_a_longer_word_of_another_kind_does_not_count():
    """建设 in 信息平台建设 is 平台建设's (信息化), not 建设工程's; 建设 alone still is."""
    platform = classify("县域医共体信息平台建设", "建设县域医共体一体化信息平台，年底前上线运行。", "永春县卫生健康局")
    assert platform.kind == "信息化" and "平台建设" in platform.kind_reason
    assert classify("村级文化广场建设", "新建村级文化广场3处").kind == "建设工程"


def test_a_time_limit_in_the_goal_leaves_the_units_name_to_the_classifier():
    """接警到场时间缩短至20分钟内 has a unit, 分钟; the class is still read from 某县公安局."""
    brief = Brief(name="城区巡逻防控", unit_name="某县公安局", goal="接警到场时间缩短至20分钟内", year=2025)
    assert read_brief(brief).classification.class_ == "公共安全"


def test_standards_people_and_month_deadlines():
    facts = read_brief(ELDERLY)
    standards = [q for q in facts.quantities if q.standard]
    assert [(q.object, q.value, q.unit) for q in standards] == [("津贴标准", "100", "元/人·月")]
    assert any(q.people and q.value == "1200" and q.object == "老人" for q in facts.quantities)
    assert facts.deadline == "2025年6月30日"
    assert (
        read_brief(Brief(name="救护车购置", year=2025, goal="购置救护车2辆，第三季度完成")).deadline == "2025年9月30日"
    )
    assert read_brief(Brief(name="保洁", year=2025, goal="保洁面积约320万平方米")).quantities[0].unit == "万平方米"


def test_numerals_in_words_are_left_alone_and_deadlines_are_real_dates():
    facts = read_brief(Brief(name="一次性生活补助", year=2025, goal="统一发放一次性补助，每人每年1000元，3年内完成"))
    assert [(q.object, q.value, q.unit) for q in facts.quantities] == [("补助标准", "1000", "元/人·年")]
    assert facts.deadline is None  # 3年内 is not the budget year's end
    assert read_brief(Brief(name="x", year=2025, goal="6月31日前完成")).deadline is None
    counted = {(q.value, q.unit) for q in read_brief(Brief(name="x", year=2025, goal="分两期培训三百人次")).quantities}
    assert counted == {("2", "期"), ("300", "人次")}


def test_a_measure_without_an_object_measures_the_thing_stated_before_it():
    """ "新建保鲜库2座，总面积1200平方米": the 1200 平方米 are the 保鲜库's; a width is not a rate."""
    rows = {}
    for goal in ("新建果蔬保鲜库2座，总面积1200平方米", "硬化村道2条，总长度3.5公里", "拓宽村道，路面宽度6米"):
        brief = Brief(name="乡村基础设施建设", year=2025, goal=goal)
        rows |= {r.name: (r.target, r.unit) for r in rows_from_brief(brief, read_brief(brief))}
    assert rows["果蔬保鲜库面积"] == ("1200", "平方米")
    assert rows["村道长度"] == ("3.5", "公里")
    assert rows["路面宽度"] == ("6", "米")


def test_what_a_number_counts_is_read_as_a_clerk_reads_it():
    """How exact (150家左右), how often (每半年1次), which one (第四次) and how big (8吨…车) are
    not counts of objects; 合计 and 对 lead to the object; a 污水处理站 is built, not a verb's
    object; a duration is not a count."""

    def stated(goal: str) -> set[tuple[str, str, str, str]]:
        return {
            (q.action, q.object, q.value, q.unit) for q in read_brief(Brief(name="x", year=2025, goal=goal)).quantities
        }

    assert stated("预计支持企业150家左右") == {("支持", "企业", "150", "家")}
    assert stated("废水每季度1次、废气每半年1次，出具监测报告不少于190份") == {("出具", "监测报告", "190", "份")}
    built = read_brief(Brief(name="x", year=2025, goal="新建5个乡镇污水处理站，日处理规模合计2500吨，10月底前通水"))
    assert [(q.object, q.value) for q in built.quantities] == [("乡镇污水处理站", "5"), ("日处理规模", "2500")]
    assert built.main_object == "乡镇污水处理站"
    assert stated("委托专业养护企业对县乡道及村道1280公里开展日常养护") == {("", "县乡道及村道", "1280", "公里")}
    assert stated("第四次全国文物普查，登录文物点约一千一百处") == {("登录", "文物点", "1100", "处")}
    assert stated("购置8吨压缩式垃圾转运车6辆") == {("", "压缩式垃圾转运车", "6", "辆")}
    assert ("更换", "可调节高度课桌椅", "4000", "套") in stated("为全县23所农村小学更换可调节高度课桌椅四千套")
    assert stated("委托专业除治队伍清理疫区枯死松树约4.2万株") == {("清理", "疫区枯死松树", "42000", "株")}
    assert stated("改造2000年前建成的老旧小区11个") == {("", "老旧小区", "11", "个")}
    passed = read_brief(Brief(name="x", year=2025, goal="数据库质检一次通过率达到95%")).results
    assert [(r.object, r.number) for r in passed] == [("数据库质检一次通过率", 95.0)]
    assert stated("购置64排螺旋CT 1台，年检查能力提高到2万人次") == {
        ("购置", "64排螺旋CT", "1", "台"),
        ("", "年检查能力", "20000", "人次"),
    }
    assert stated("2025年新建供水站3座") == {("新建", "供水站", "3", "座")}
    ct = Brief(name="CT购置", year=2025, goal="购置64排螺旋CT 1台，年检查能力提高到2万人次")
    assert read_brief(ct).main_object == "螺旋CT"
    assert satisfaction_row(read_brief(ct)) is None  # 2万人次 counts examinations, not whom to ask
    brief = Brief(name="x", year=2025, goal="存储扩容至30天")
    assert [r.name for r in rows_from_brief(brief, read_brief(brief))] == ["存储扩容时长"]
    brief = Brief(name="公益林管护补助", year=2025, goal="对1.2万亩公益林发放管护补助，12月底前兑付到户")
    assert "公益林管护补助兑付完成时间" in [r.name for r in rows_from_brief(brief, read_brief(brief))]  # it is due
    brief = Brief(name="公益林管护补助", year=2025, goal="发放公益林管护补助，十二月底前兑付到户")
    assert "公益林管护补助兑付完成时间" in [r.name for r in rows_from_brief(brief, read_brief(brief))]
    brief = Brief(name="公益林管护补助", year=2025, goal="发放公益林管护补助，年底前兑付到户")
    assert "公益林管护补助兑付完成时间" in [r.name for r in rows_from_brief(brief, read_brief(brief))]
    brief = Brief(name="x", year=2025, goal="落实规模5000吨")
    assert [r.name for r in rows_from_brief(brief, read_brief(brief))] == ["落实规模"]  # 规模 alone names nothing
    # the goal and the description are two sentences
    ambulance = Brief(name="x", year=2025, goal="购置救护车2台", description="用于乡镇卫生院")
    stated_ambulance = {(q.action, q.object, q.value, q.unit) for q in read_brief(ambulance).quantities}
    assert ("购置", "救护车", "2", "台") in stated_ambulance
    brief = Brief(name="x", year=2025, goal="受益农户120户")
    assert rows_from_brief(brief, read_brief(brief))[0].name == "受益农户数"  # a count of 户
    # a threshold, a modifier and "a batch of" count nothing
    assert stated("对实际减免租金超出3个月的部分予以适当补助") == set()
    assert stated("实施一批以工代赈中央预算内投资项目") == set()
    # a word a PDF broke with a space is one word; a word the pattern's length limit cut is left out whole
    assert stated("新建供水 站3座") == {("新建", "供水站", "3", "座")}
    assert stated("建设1个以工代赈中央预算内投资项目") == {("建设", "以工代赈中央预算内", "1", "个")}


def test_a_brief_without_counts_is_about_what_its_works_verb_acts_on():
    """安全隐患维修 names nothing a row could measure; its goal's 维修 says what: the building's
    glass curtain wall, not 审判 (the first noun)."""
    facts = read_brief(Brief(name="安全隐患维修", year=2023, goal="1.维修审判大楼玻璃幕墙等，消除外延脱落安全隐患。"))
    assert facts.main_object == "审判大楼玻璃幕墙"
    for goal, works in (("更新改造办公楼电梯", "办公楼电梯"), ("购置设备一批", "设备")):
        assert read_brief(Brief(name="安全隐患维修", year=2025, goal=goal)).main_object == works
    assert read_brief(Brief(name="x", year=2025, goal="改造面积3000平方米")).main_object == "改造面积"
    # a count of people says what is done to them: 体检 (体检服务覆盖率, not 体检人数服务覆盖率)
    exams = read_brief(Brief(name="65岁以上老年人免费健康体检服务", year=2025, goal="体检人数不少于8.5万人"))
    assert exams.main_object == "体检"


def test_each_ceilings_and_times_in_a_brief():
    """ "为8个乡镇消防队配备消防车各1辆" buys 8; a rate 控制在1%以内 and a time 缩短至20分钟内 are
    ceilings; a 下降5% is a floor on the fall; a pollutant's name keeps its letters."""

    def rows(goal: str) -> dict[str, tuple[str | None, str | None, str | None]]:
        brief = Brief(name="x", year=2025, goal=goal)
        return {r.name: (r.target, r.unit, r.comparator_raw) for r in rows_from_brief(brief, read_brief(brief))}

    fire = rows("为8个乡镇专职消防队配备水罐消防车各1辆，农村火灾接警到场时间缩短至20分钟内。")
    assert fire["配备水罐消防车数量"] == ("8", "辆", "≥")
    assert fire["农村火灾接警到场时间"] == ("20", "分钟", "≤")
    assert rows("人口漏登率控制在1%以内")["人口漏登率"] == ("1", "%", "≤")
    assert rows("PM10年均浓度同比下降5%")["PM10年均浓度同比下降率"] == ("5", "%", "≥")
    assert rows("完成馆藏档案数字化扫描120万页")["馆藏档案数字化扫描数量"] == ("1200000", "页", "≥")
    insurance = rows("城乡居民医保参保率≥95%；按人均不低于670元标准落实财政补助")
    assert insurance["城乡居民医保参保率"] == ("95", "%", "≥")
    assert insurance["补助标准"] == ("670", "元/人", "=")
    forest = rows("完成人工造林5000亩，4月底前完成栽植")
    assert forest["人工造林面积"] == ("5000", "亩", "≥") and "人工造林完成时间" in forest
    assert rows("账实相符率100%")  # a 质量 rate (see result_row)
    screening = rows("为35-64岁农村适龄妇女免费开展宫颈癌筛查8000人，筛查任务完成率不低于95%")
    assert screening["开展宫颈癌筛查人数"] == ("8000", "人", "≥")
    assert "筛查任务完成率" in screening  # an output's completion rate: 数量, not 效益 (C302)
    assert rows("安置就业困难人员350人")["安置就业困难人员数"] == ("350", "人", "≥")
    assert rows("车位周转率提高15%")["车位周转率增幅"] == ("15", "%", "≥")
    relief = rows("购置储备帐篷300顶、棉被1000床，灾后12小时内物资调运到位")
    assert relief["棉被数量"] == ("1000", "床", "≥") and relief["物资调运时限"] == ("12", "小时", "≤")
    assert rows("全年因地质灾害死亡人数为0")["因地质灾害死亡人数"] == ("0", "人", "=")
    listed = rows("一是配备心电图机24台；二是设备安装验收合格率100%；三是覆盖全县16个乡镇所有行政村")
    assert {"配备心电图机数量", "设备安装验收合格率", "乡镇数量"} <= set(listed), listed
    library = read_brief(Brief(name="x", year=2025, goal="图书馆全年免费开放不少于300天，新增图书8000册"))
    assert library.main_object == "图书"  # 300天 is how long it opens, not what it buys


def test_every_stated_fact_becomes_a_row_that_passes_review():
    rows = rows_from_brief(WATER, read_brief(WATER))
    by_name = {r.name: r for r in rows}
    assert (by_name["新建供水站数量"].target, by_name["新建供水站数量"].unit) == ("3", "座")
    assert by_name["新建供水站数量"].level2 is Level2.QUANTITY
    assert by_name["农村自来水普及率"].level2 is Level2.SOCIAL_BENEFIT
    assert by_name["新建供水站完成时间"].target == "2025年12月31日"
    assert by_name["2025年农村饮水安全巩固提升工程支出".removeprefix("2025年")].target == "1860"
    assert all(r.origin == "brief" and r.origin_note.startswith("从申报内容提取") for r in rows)


def test_the_judge_on_the_issues_examples():
    testing = brief_terms(read_brief(TESTING), TESTING.name, TESTING.goal)
    assert judge("预计转辅警人数", testing)[0] == "foreign"
    assert judge("每轮排班值班时间", testing)[0] == "foreign"
    assert judge("政府机关大院安全事故数", testing)[0] == "foreign"
    assert judge("年度计划任务完成率", testing)[0] == "generic"
    assert judge("服务对象满意度", testing)[0] == "generic"
    assert judge("农产品定量检测批次", testing)[0] == "specific"
    generic = ("资金支付及时率", "项目按计划完成率", "预算资金当年下达率", "成本控制率", "维护及时性", "工程验收合格率")
    for how_money_and_plans_move in generic:  # 工程验收: two generic words jieba keeps whole
        assert judge(how_money_and_plans_move, testing)[0] == "generic"
    water = brief_terms(read_brief(WATER), WATER.name, WATER.goal)
    assert judge("供水站建设完成时间", water)[0] == "specific"
    assert judge("参训学员就业率", water)[0] == "foreign"


def test_an_offline_draft_fits_its_brief(national_index):
    draft = draft_offline(national_index, WATER, corpus_dir=CORPUS)
    terms = brief_terms(read_brief(WATER), WATER.name, WATER.goal)
    verdicts = [judge(r.name, terms)[0] for r in draft.indicators]
    assert "foreign" not in verdicts and verdicts.count("specific") >= 0.6 * len(verdicts)
    levels = {r.level2 for r in draft.indicators}
    required = {Level2.ECONOMIC_COST, Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS, Level2.SATISFACTION}
    assert required <= levels and levels & {Level2.SOCIAL_BENEFIT, Level2.ECONOMIC_BENEFIT}
    assert not [f for f in draft.findings if f.severity is Severity.ERROR]
    assert sum(r.weight or 0 for r in draft.indicators) == 90
    assert {r.origin for r in draft.indicators} <= {"brief", "similar", "library", "generic"}
    assert draft.indicators[0].origin == "brief"  # what the brief states comes first
    assert any("项目归类：农林水" in n for n in draft.notices)


def test_past_rows_pass_the_gate_only_when_they_fit(national_index):
    """No row of the 衡阳 信访 or 公车 projects reaches a farm-produce testing brief; the rows
    that do pass say why."""
    facts = read_brief(TESTING)
    terms = brief_terms(facts, TESTING.name, TESTING.goal)
    hits = retrieve(national_index, TESTING)
    passed = [(h, gate(h, facts, terms)) for h in hits]
    assert all(judge(h.indicator.name, terms)[0] != "foreign" for h, why in passed if why)
    draft = draft_offline(national_index, TESTING, corpus_dir=CORPUS)
    names = " ".join(r.name for r in draft.indicators)
    assert not any(word in names for word in ("辅警", "值班", "机关大院", "公务用车", "信访"))
    assert all(r.origin_note for r in draft.indicators)


def test_rows_of_another_kind_of_spending_must_measure_only_what_the_brief_names(national_index):
    """A planting-skills training speaks of 蔬菜 and 种植; a planting subsidy's 桃树种植面积 and
    露天蔬菜 rows measure things it does not deal in and are not offered."""
    training = TRAINING
    exclude = [i for i, _, m in national_index.project_docs() if (m.source or "").startswith("ningxia-tongxin")]
    draft = draft_offline(national_index, training, exclude, corpus_dir=CORPUS)
    names = " ".join(r.name for r in draft.indicators)
    assert not any(word in names for word in ("桃树", "苹果", "露天", "瓜果", "养殖")), names
    facts = read_brief(training)
    terms = brief_terms(facts, training.name, training.goal)
    subsidy_rows = [h for h in retrieve(national_index, training, exclude) if h.indicator.kind == "补助补贴"]
    assert all(gate(h, facts, terms) is None for h in subsidy_rows if "桃树" in h.indicator.name)


def test_from_another_class_a_row_must_measure_the_briefs_own_things(national_index):
    """A deputies' training shares 参训 and 学员 with a nurses' training, words every training
    uses; the nurses' 就业率 and 结业考核通过率 are not offered to it."""
    deputies = Brief(
        name="人大代表履职培训",
        unit_name="榆树市人大常委会办公室",
        amount=38,
        year=2025,
        goal="年内组织市镇两级人大代表集中履职培训2期，参训代表580人次，提升代表依法履职能力。",
    )
    facts = read_brief(deputies)
    terms = brief_terms(facts, deputies.name, deputies.goal)
    training = next(p for p in national_index.search("吕梁山护工培训", "projects", 5) if "护工" in p.name)
    nurses = [h for h in national_index.rows_of([training]) if "参训学员" in h.indicator.name]
    assert {h.indicator.name for h in nurses} >= {"参训学员就业率", "参训学员结业考核通过率"}
    assert training.meta.class_ != facts.classification.class_
    assert all(gate(h, facts, terms) is None for h in nurses)
    names = " ".join(r.name for r in draft_offline(national_index, deputies, corpus_dir=CORPUS).indicators)
    assert "就业" not in names, names


def test_a_reference_on_time_rate_is_drafted_as_a_rate_not_a_date():
    """A reference list names 按时完成率 with % and no value: the target is 100, not the year's end."""
    entry = next(e for e in library(None, CORPUS, None, None, sources=("reference",)) if e.name.endswith("按时完成率"))
    assert entry_is_standard(entry)
    row = entry_row(entry, WATER)
    assert (row.target, row.unit) == ("100", "%")


@pytest.mark.parametrize(
    "name,goal,effect",
    [
        (
            "机关办公楼物业及设施维护",
            "保障机关办公楼正常运转，做好水电、电梯、消防设施日常维护。",
            "保障不到位影响工作次数",
        ),
        ("2025年高龄津贴发放", "按月向全县80周岁以上老年人发放高龄津贴，资金按时足额打卡到户。", "补助对象覆盖率"),
        ("2025年“六五”环境日宣传活动", "围绕六五环境日开展生态环境保护宣传，增强群众环保意识。", "宣传知晓率"),
    ],
)
def test_a_brief_that_states_no_result_gets_its_kinds_result_not_a_generic_one(national_index, name, goal, effect):
    """With no result in the brief, the 社会效益 row is what any project of its kind produces
    (library: 效益 by kind), not 服务对象有效投诉数."""
    brief = Brief(name=name, amount=50, year=2025, goal=goal)
    draft = draft_offline(national_index, brief, corpus_dir=CORPUS)
    effects = [r for r in draft.indicators if r.level2 is Level2.SOCIAL_BENEFIT]
    assert any(effect in r.name and r.origin == "library" for r in effects), [(r.name, r.origin) for r in effects]
    assert not [f for f in draft.findings if f.severity is Severity.ERROR]


def test_a_library_row_follows_the_payment_period_the_brief_states(national_index):
    brief = Brief(
        name="2025年困难残疾人生活补贴",
        amount=307,
        year=2025,
        goal="按每人每月80元标准向全县困难残疾人发放生活补贴，惠及约3200人，按季度足额发放到户。",
    )
    names = [r.name for r in draft_offline(national_index, brief, corpus_dir=CORPUS).indicators]
    assert any("按季发放及时率" in n for n in names) and not any("按月发放" in n for n in names), names
    assert "享受困难残疾人生活补贴人数" in names
    # a brief that says nothing of how often it pays is not assumed monthly
    once = Brief(name="农村危房改造补助资金", amount=484, year=2025, goal="支持农村低收入群体实施危房改造。")
    names = [r.name for r in draft_offline(national_index, once, corpus_dir=CORPUS).indicators]
    assert any(n.endswith("补助发放及时率") for n in names) and not any("按月" in n for n in names), names


def test_generic_rows_only_where_nothing_specific_exists(national_index):
    draft = draft_offline(national_index, WATER, corpus_dir=CORPUS)
    for row in (r for r in draft.indicators if r.origin == "generic"):
        others = [r for r in draft.indicators if r.level2 is row.level2 and r is not row]
        assert not others, f"{row.name} beside {[o.name for o in others]}"


@pytest.mark.parametrize("entry", team_entries(), ids=lambda e: e.name)
def test_every_team_library_entry_drafts_a_row_that_passes_review(entry):
    filled = entry.filled("农村公路", 2025)
    assert filled is not None
    row = entry_row(filled, WATER).model_copy(update={"weight": 10})
    brief = WATER.model_copy(update={"name": "农村公路建设"})
    from assistant.draft.offline import brief_project

    errors = [
        f
        for f in review_project(brief_project(brief, [row]))
        if f.indicator_index == 0 and f.severity is Severity.ERROR
    ]
    assert not errors, [f.message for f in errors]


def test_the_library_by_class_kind_and_level2(national_index):
    entries = library(national_index, CORPUS, class_="农林水", kind="建设工程", level2=Level2.QUALITY)
    assert {e.source for e in entries} >= {"corpus", "team"}
    assert all(e.level2 is Level2.QUALITY and e.kind in (None, "建设工程") for e in entries)
    assert all(e.class_ in (None, "农林水") for e in entries)
    mined = [e for e in entries if e.source == "corpus"]
    assert mined and all(e.where and e.count >= 1 for e in mined)
    reference = library(None, CORPUS, kind="设备购置", sources=("reference",))
    assert reference and all("clix4bitcoin" in e.basis for e in reference)


def test_cli_library_and_draft_origins(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDING", "hashing")
    for key in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL"):
        monkeypatch.delenv(key, raising=False)
    assert main(["library", "--class", "农林水", "--kind", "建设工程", "--level2", "质量指标", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and {"source", "name", "basis", "where"} <= entries[0].keys()
    assert main(["library", "--level2", "不存在"]) == 2
    capsys.readouterr()
    args = ["draft", "--name", WATER.name, "--year", "2025", "--amount", "1860", "--goal", WATER.goal]
    assert main([*args, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert all(r["origin"] in ("brief", "similar", "library", "generic") for r in record["indicators"])
    assert main(args) == 0
    assert "来源：从申报内容提取" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "about"),
    [
        ("市民中心运行维护费", "市民中心"),  # not 市民
        ("市级文物保护专项经费", "文物保护"),  # not 市级
        ("基础教育质量提升", "基础教育"),
        ("县级储备粮", "储备粮"),
        ("2025年高龄津贴发放", "高龄津贴"),
        ("昌宁县昌龙鸿运牧业专业合作社生猪养殖场建设项目", "生猪养殖场"),  # places and the builder set aside
        ("2025年乡村教师能力提升培训", "乡村教师"),
    ],
)
def test_the_name_says_what_a_project_is_about(name, about):
    assert name_object(name) == about
    assert read_brief(Brief(name=name, year=2025, goal="")).main_object == about  # no quantity stated


def test_a_past_projects_count_is_marked_as_theirs(national_index):
    """A similar project's 485 条 is true of that project: the row says to put this one's own."""
    cleaning = Brief(
        name="城区道路清扫保洁服务",
        amount=980,
        year=2025,
        goal="委托专业保洁公司承担城区主次干道及背街小巷清扫保洁，保洁面积约320万平方米，道路机扫率不低于85%。",
    )
    draft = draft_offline(national_index, cleaning, corpus_dir=CORPUS)
    borrowed = [r for r in draft.indicators if r.origin == "similar" and r.level2 is Level2.QUANTITY]
    assert borrowed, [r.name for r in draft.indicators]
    assert all("请按本项目实际修改" in (r.origin_note or "") for r in borrowed if r.unit not in ("%", "日期"))
    rates = [r for r in draft.indicators if r.origin == "similar" and r.unit == "%"]
    assert all("请按本项目实际修改" not in (r.origin_note or "") for r in rates)


def test_a_borrowed_row_drops_its_forms_row_number_and_blank(national_index):
    """安徽 forms number their rows ("指标1:机柜数量") and others leave the template's blank in the
    name ("…收入(≥**万元)"): a new draft takes what the row measures, not the old form's marks."""
    briefs = [
        Brief(
            name="城区公共视频监控机房租赁服务",
            amount=150,
            year=2025,
            goal="租赁机房及机柜，保障视频监控设备设施运转，视频监控在线率不低于97%。",
        ),
        Brief(
            name="2025年乡村旅游扶贫项目",
            amount=80,
            year=2025,
            goal="开发乡村旅游景点，带动贫困人口增收，接待游客5万人次。",
        ),
    ]
    borrowed = []
    for brief in briefs:
        draft = draft_offline(national_index, brief, corpus_dir=CORPUS)
        for row in draft.indicators:
            sources = [draft.retrieved[s].name for s in row.sources if s in draft.retrieved]
            borrowed += [(source, row.name) for source in sources]
    assert any(source.startswith("指标1") for source, _ in borrowed), borrowed
    assert any("**" in source for source, _ in borrowed), borrowed
    assert all(not name.startswith("指标") and "*" not in name for _, name in borrowed), borrowed


def _library_rows(name: str, goal: str, unit: str = "") -> list[str]:
    brief = Brief(name=name, goal=goal, unit_name=unit, year=2025)
    facts = read_brief(brief)
    return [r.name for r in library_candidates(CORPUS, brief, facts, brief_terms(facts, brief.name, brief.goal))]


def test_a_running_cost_gets_facility_rows_only_for_a_facility_and_a_reserve_its_own():
    """基本业务费 keeps a prison running, not a building: no 业务费设施完好率 or 故障修复时限; a
    市民中心 is a building; a grain reserve is measured by its stock, not by its uptime."""
    facility = (
        "年度运行天数",
        "巡检次数",
        "设施完好率",
        "正常运行率",
        "安全责任事故数",
        "故障修复时限",
        "报修响应时间",
    )
    for goal in ("用于水电、办公、勤杂人员工资等支出，保障食堂运行和人员稳定", "保障中心日常工作正常开展"):
        running = _library_rows("基本业务费", goal, "某县看守所")
        assert not [n for n in running if n.endswith(facility)], running
    plant = _library_rows("城区污水处理厂运行经费", "保障城区污水处理厂全年稳定运行")
    assert [n for n in plant if n.endswith(facility)], plant
    hall = _library_rows("市民中心运行维护费", "保障市民中心大楼及设施设备正常运行")
    assert "市民中心设施完好率" in hall and "市民中心故障修复时限" in hall
    grain = _library_rows("县级储备粮", "落实县级储备粮5000吨，确保储备粮数量真实、质量良好")
    assert all(any(n.endswith(m) for n in grain) for m in ("规模落实率", "质量达标率", "账实相符率")), grain
    assert not [n for n in grain if "正常运行率" in n or "故障" in n]


def test_one_result_is_not_drafted_twice_under_two_benefit_levels():
    def row(level2: Level2, name: str) -> DraftIndicator:
        return DraftIndicator(level2=level2, name=name, target="7", unit="%")

    stated = row(Level2.SOCIAL_BENEFIT, "推动规上工业增加值增长率")
    assert _same_row(stated, row(Level2.ECONOMIC_BENEFIT, "规上工业增加值同比增长率"))
    # two rates that share a word but not what they measure are two rows
    waste = row(Level2.ECOLOGICAL_BENEFIT, "生活垃圾无害化处理率")
    assert not _same_row(waste, row(Level2.SOCIAL_BENEFIT, "生活污水集中处理率"))
    assert not _same_row(stated, row(Level2.QUALITY, "规上工业增加值同比增长率"))  # 质量 is no 效益


def test_library_rows_the_brief_names_come_first():
    """A 公厕 brief gets 公厕服务质量考核合格率 before the class's 道路保洁质量考核达标率, which
    measures roads it does not mention."""
    rows = _library_rows("城区公厕保洁管护服务", "委托专业公司对城区56座公厕开展日常保洁和设施维护", "县城市管理局")
    assert rows.index("公厕服务质量考核合格率") < rows.index("道路保洁质量考核达标率")


def test_an_event_is_kept_safe_and_publicity_is_known():
    """A sports event is no publicity campaign: no 宣传品验收合格率, but its crowd kept safe; a
    campaign's message is to be known."""
    games = _library_rows(
        "2025年全民健身赛事活动", "举办县级全民健身赛事12场次，参赛群众不少于6000人次", "县文化和旅游体育局"
    )
    assert not [n for n in games if "宣传" in n] and any(n.endswith("安全事故数") for n in games), games
    campaign = _library_rows("六五环境日宣传活动", "围绕六五环境日开展生态环境保护宣传，增强群众环保意识")
    assert any(n.endswith("宣传知晓率") for n in campaign) and not any(n.endswith("安全事故数") for n in campaign)


def test_a_past_row_filed_under_timeliness_must_measure_time(national_index):
    """衡山's 县级储备粮应急保障率 sits under 时效 in its filing: a rate of supply, not of time, so
    it is not offered as one; a 落实 count is named by what it counts."""
    brief = Brief(
        name="县级储备粮油保管费",
        unit_name="县粮食和物资储备中心",
        amount=186,
        year=2025,
        goal="落实县级储备粮5000吨、食用油200吨的保管任务，确保数量真实、质量良好，按计划完成年度轮换。",
    )
    rows = draft_offline(national_index, brief, corpus_dir=CORPUS).indicators
    assert not [r.name for r in rows if "应急保障率" in r.name]
    assert [r.name for r in rows if r.level2 is Level2.TIMELINESS]
    assert "县级储备粮规模" in [r.name for r in rows]
