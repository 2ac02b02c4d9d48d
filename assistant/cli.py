"""The `assistant` command: the core's jobs from the shell, JSON out for scripts.

Each command is a thin face over `Assistant` (core.py): it parses, calls one method, prints.
Exit codes follow linters: 0 success, 1 error-level findings, 2 bad input (in a batch the good
files are still processed and written; every bad or skipped file is listed on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .atomic import write_atomically
from .core import Assistant
from .errors import AssistantError
from .ingest import Batch
from .models import Project

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def project_record(project: Project) -> dict:
    """One JSON Lines record: the documented keys scripts rely on, plus the parsed extras."""
    return project.model_dump(mode="json")


def _report(errors: Sequence[AssistantError | str]) -> None:
    for error in errors:
        print(f"错误：{error}", file=sys.stderr)


def _notices(notices: Sequence[str]) -> None:
    for notice in notices:
        print(f"注意：{notice}", file=sys.stderr)


def _emit(text: str, out: str | None) -> None:
    if out:
        write_atomically(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)


def _read(helper: Assistant, paths: Sequence[str | Path]) -> Batch:
    """Import a batch: every good file is read; bad and skipped files are listed on stderr."""
    batch = helper.read(paths)
    _report(batch.errors)
    for skipped in batch.skipped:
        print(f"跳过：{skipped}", file=sys.stderr)
    return batch


def _synced(helper: Assistant) -> Assistant:
    """The core with its index brought up to date; notices and unreadable files on stderr (a file
    known to be unreadable is not read again until it changes; `assistant index` lists them all)."""
    report = helper.sync()
    _report(report.errors)
    _notices(report.notices)
    return helper


# --- commands -------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, helper: Assistant) -> int:
    filings, errors, _ = _read(helper, args.paths or [helper.settings.corpus_dir])
    if not filings:
        return EXIT_BAD_INPUT
    _emit(
        "".join(json.dumps(project_record(p), ensure_ascii=False) + "\n" for f in filings for p in f.projects), args.out
    )
    print(f"已导入 {len(filings)} 个文件，{sum(len(f.projects) for f in filings)} 个项目", file=sys.stderr)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_export(args: argparse.Namespace, helper: Assistant) -> int:
    filings, errors, _ = _read(helper, args.paths)
    if not filings:
        return EXIT_BAD_INPUT
    helper.export([p for f in filings for p in f.projects], args.out)
    print(f"已写入 {args.out}（{len(filings)} 个文件）", file=sys.stderr)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_review(args: argparse.Namespace, helper: Assistant) -> int:
    from .review import report
    from .review.config import load_config

    if args.format == "xlsx" and not args.out:
        print("错误：--format xlsx 需要 --out 文件名", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = helper.review(args.paths, config=load_config(args.config))
    _report(result.errors)
    for skipped in result.skipped:
        print(f"跳过：{skipped}", file=sys.stderr)
    if not result.projects:
        return EXIT_BAD_INPUT
    if args.format == "xlsx":
        report.write_xlsx(result.projects, result.findings, Path(args.out))
        print(result.summary(), file=sys.stderr)
    elif args.format == "json":
        _emit(report.to_json(result.findings) + "\n", args.out)
    else:
        batch = len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)
        _emit(report.to_text(result.projects, result.findings, batch) + "\n", args.out)
    if result.errors:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if result.returned() else EXIT_OK


def cmd_rule(args: argparse.Namespace, helper: Assistant) -> int:
    from .review.docs import rule_markdown
    from .review.registry import all_rules

    rules = {r.code: r for r in all_rules()} | {r.name: r for r in all_rules()}
    rule = rules.get(args.code.upper()) or rules.get(args.code)
    if rule is None:
        print(f"错误：没有规则 {args.code}；`assistant rules` 列出全部规则", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(rule_markdown(rule, level="#"))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, helper: Assistant) -> int:
    from .review.docs import rules_markdown
    from .review.registry import all_rules

    if args.markdown:
        _emit(rules_markdown(), args.out)
    else:
        for rule in all_rules():
            print(f"{rule.code}  {rule.severity.value:<8}{rule.name:<34}{rule.summary}")
    return EXIT_OK


def cmd_score(args: argparse.Namespace, helper: Assistant) -> int:
    from .review.selfscore import check_scores

    filings, errors, _ = _read(helper, args.paths)
    if not filings:
        return EXIT_BAD_INPUT
    checks = check_scores([p for f in filings for p in f.projects])
    if args.format == "json":
        _emit(json.dumps([c.model_dump() for c in checks], ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        marks = {"agrees": "一致", "disagrees": "不一致", "unverifiable": "无法核验"}
        lines = [f"[{marks[c.verdict]}] {c.project} / {c.indicator}：{c.message}" for c in checks]
        counts = {v: sum(1 for c in checks if c.verdict == v) for v in marks}
        lines.append(
            f"共 {len(checks)} 条：一致 {counts['agrees']}，不一致 {counts['disagrees']}，"
            f"无法核验 {counts['unverifiable']}"
        )
        _emit("\n".join(lines) + "\n", args.out)
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if any(c.verdict == "disagrees" for c in checks) else EXIT_OK


def cmd_index(args: argparse.Namespace, helper: Assistant) -> int:
    if args.corpus:
        helper = Assistant(helper.settings.model_copy(update={"corpus_dir": Path(args.corpus)}), one_shot=True)
    if not helper.settings.corpus_dir.is_dir():
        print(f"错误：语料文件夹不存在：{helper.settings.corpus_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.rebuild:
        for key in helper.index.indexed_files():
            helper.index.remove(key)
        helper.index.documents.forget_files()  # the unreadable files are tried again too

    def progress(done: int, total: int, name: str) -> None:
        print(f"\r[{done}/{total}] {name[:60]:<60}", end="", file=sys.stderr, flush=True)

    report = helper.sync(progress)
    print(file=sys.stderr)
    _notices(report.notices)
    _report([*report.errors, *report.unread])
    index = helper.index
    print(
        f"索引完成：新增 {len(report.added)}，更新 {len(report.updated)}，移除 {len(report.removed)}，"
        f"未变 {report.unchanged}；项目 {index.count('projects')} 个，三级指标 {index.count('indicators')} 条"
        f"（向量：{index.embedder.id}）",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if report.errors or report.unread else EXIT_OK


def cmd_similar(args: argparse.Namespace, helper: Assistant) -> int:
    from .index.fusion import NOTHING_FITS
    from .normalize import level2_of

    level2 = None
    if args.level2:
        level = level2_of(args.level2)
        if level is None:
            print(f"错误：不认识的二级指标“{args.level2}”", file=sys.stderr)
            return EXIT_BAD_INPUT
        level2 = level.value
    hits = _synced(helper).similar(
        args.query, args.k, kind=args.kind, level2=level2, year=args.year, unit=args.unit, text_only=args.all
    )
    if args.format == "json":
        records = [
            {
                "name": h.name,
                "unit_name": h.unit_name,
                "year": h.year,
                "score": h.score,
                "source": h.source,
                "kind": h.kind,
                "id": h.id,
                "metadata": h.metadata,
                "explanation": h.explanation.model_dump(),
            }
            for h in hits
        ]
        _emit(json.dumps(records, ensure_ascii=False, indent=2) + "\n", None)
        return EXIT_OK
    if not hits:
        print(f"{NOTHING_FITS}加 --all 可看仅文字相近的项目。")
    for n, h in enumerate(hits, start=1):
        why = h.explanation
        parent = f" ← {h.indicator.project_name}" if h.kind == "indicators" else ""
        target = f" | {h.indicator.target or ''}" if h.kind == "indicators" else ""
        print(
            f"{n}. {h.name}{target}{parent} · {h.unit_name or '单位不详'} · {h.year or '年度不详'}"
            f" · 相似程度 {h.explanation.level()} · 来源 {h.source}"
        )
        print(f"   命中方式：{why.sides()}；共同词：{'、'.join(why.shared_terms) or '无共同词'}")
        if h.kind == "projects" and why.found_by != ["project"]:
            print(f"   相似之处：{why.reasons()}")
    return EXIT_OK


def cmd_draft(args: argparse.Namespace, helper: Assistant) -> int:
    from .draft import Brief

    brief = Brief(
        name=args.name,
        unit_name=args.unit,
        amount=args.amount,
        year=args.year,
        goal=args.goal or "",
        description=args.description,
    )
    result = _synced(helper).draft(brief, offline=args.offline)
    if args.format == "json":
        _emit(json.dumps(result.record(), ensure_ascii=False, indent=2) + "\n", args.out)
        return EXIT_OK
    lines = [f"模式：{'大模型 ' + (result.model or '') if result.mode == 'llm' else '离线'}"]
    lines += [f"注意：{n}" for n in result.notices]
    for n, row in enumerate(result.indicators, start=1):
        lines.append(
            f"{n}. [{row.level2.value if row.level2 else ''}] {row.name} | {row.target} | {row.unit or ''} | "
            f"{row.comparator_raw or ''} | {row.weight:g}分 | {row.scoring or ''}"
        )
        lines.append(f"   来源：{row.origin_note or row.origin_label}")
        lines.append(f"   依据：{row.rationale}")
    for f in result.findings:
        lines.append(f"[{f.severity.label}] {f.code} {f.indicator or '整表'}：{f.message}")
    _emit("\n".join(lines) + "\n", args.out)
    return EXIT_OK


def cmd_library(args: argparse.Namespace, helper: Assistant) -> int:
    from .library import SOURCE_LABELS
    from .normalize import level2_of

    level2 = level2_of(args.level2) if args.level2 else None
    if args.level2 and level2 is None:
        print(f"错误：不认识的二级指标“{args.level2}”", file=sys.stderr)
        return EXIT_BAD_INPUT
    entries = _synced(helper).library(class_=args.class_, kind=args.kind, level2=level2)
    if args.format == "json":
        _emit(json.dumps([e.model_dump(mode="json") for e in entries], ensure_ascii=False, indent=2) + "\n", args.out)
        return EXIT_OK
    if not entries:
        _emit("指标库中没有这一类项目的指标。\n", args.out)
        return EXIT_OK
    lines = []
    for e in entries:
        value = " ".join(x for x in (e.comparator or "", e.target or "", e.unit or "") if x)
        lines.append(f"[{e.level2.value}] {e.name} | {value or '—'} · {SOURCE_LABELS[e.source]}：{e.basis}")
        if e.where:
            lines.append(f"   见于：{'；'.join(e.where[:3])}{' 等' if len(e.where) > 3 else ''}")
    _emit("\n".join(lines) + "\n", args.out)
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, helper: Assistant) -> int:
    corpus = Path(args.corpus) if args.corpus else helper.settings.corpus_dir
    if args.what == "retrieval":
        return _eval_retrieval(args, corpus)
    if args.what == "draft":
        return _eval_draft(args, helper)
    if args.what == "review":
        from .evaluation.seed_review import dump, evaluate, format_evaluation

        labels = Path(args.labels) if args.labels else corpus / "labels" / "seeds" / "review.jsonl"
        result = evaluate(labels, corpus)
        _emit((dump(result) if args.format == "json" else format_evaluation(result)) + "\n", args.out)
        return EXIT_OK
    from .evaluation.report import format_rules, format_table, run_all, unread_lines
    from .index.embeddings import embedder_from_env

    embedder = embedder_from_env({**os.environ, "ASSISTANT_EMBEDDING": args.embedding} if args.embedding else None)
    report = run_all(corpus, embedder)
    if args.format == "json":
        _emit(report.model_dump_json(indent=2) + "\n", args.out)
        return EXIT_OK
    text, unread = format_table(report), unread_lines(report)
    if args.format == "markdown":
        import datetime as dt

        text = (
            f"# Evaluation\n\n{dt.date.today():%Y-%m-%d}, commit {args.commit or '(not given)'}, "
            f"corpus `{corpus.name}/`, `assistant eval`. Counts beside every ratio: the test split is small.\n\n"
            f"{text}\n\nUnread projects:\n" + ("\n".join(unread) or "- none") + "\n\n"
            "## Review per rule\n\nThe labelled rows (and complete projects) each rule flags as an error or "
            "a warning; it is right when the labeller returns the row for that rule's family.\n\n"
            f"{format_rules(report)}\n"
        )
    else:
        text += "\n\n未能完整读取的项目：\n" + ("\n".join(unread) or "（无）")
    _emit(text + "\n", args.out)
    return EXIT_OK


def _eval_retrieval(args: argparse.Namespace, corpus: Path) -> int:
    from .evaluation.seed_retrieval import evaluate_retrieval, format_retrieval
    from .index.embeddings import embedder_from_env

    labels = Path(args.labels) if args.labels else corpus / "labels" / "seeds" / "pairs.json"
    seeds = sorted(corpus.glob("*.txt")) or None
    results = [
        evaluate_retrieval(
            labels, corpus, embedder_from_env({**os.environ, "ASSISTANT_EMBEDDING": k} if k else None), files=seeds
        )
        for k in (args.embedding.split(",") if args.embedding else [None])
    ]
    if args.format == "json":
        _emit(json.dumps([r.model_dump() for r in results], ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        _emit(format_retrieval(results) + "\n", args.out)
    return EXIT_OK


def _eval_draft(args: argparse.Namespace, helper: Assistant) -> int:
    """Drafts judged specific / generic / foreign, and coverage of the real filings (see
    evaluation/drafts.py): offline, and with the configured LLM too."""
    from .draft.service import draft
    from .evaluation.drafts import evaluate_fit, format_fit
    from .evaluation.labels import load_labels
    from .llm import LLMClient

    corpus = Path(args.corpus) if args.corpus else helper.settings.corpus_dir
    index, labels = _synced(helper).index, load_labels(corpus)
    runs = {
        "offline": evaluate_fit(corpus, labels, index, lambda b, ex: draft(index, b, exclude_ids=ex, corpus_dir=corpus))
    }
    if helper.llm is not None:
        client = LLMClient(helper.llm)
        runs["llm"] = evaluate_fit(
            corpus, labels, index, lambda b, ex: draft(index, b, exclude_ids=ex, client=client, corpus_dir=corpus)
        )
    if args.format == "json":
        _emit(json.dumps({k: v.model_dump() for k, v in runs.items()}, ensure_ascii=False, indent=2) + "\n", args.out)
        return EXIT_OK
    text = "\n\n".join(f"## {mode}\n\n{format_fit(result)}" for mode, result in runs.items())
    if helper.llm is None:
        text += "\n\n（未配置大模型：只评估离线起草）"
    _emit(text + "\n", args.out)
    return EXIT_OK


# --- the parser -----------------------------------------------------------------------------


class _ChineseHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix or "用法：")


# argparse's own error messages, as a clerk should read them.
_ERRORS = (
    (re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.*)\)"), r"参数 \1 不能取“\2”，可选：\3"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '(.*)'"), r"参数 \1 的值“\3”格式不对（应为 \2）"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面缺少值"),
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ERRORS:
            message = pattern.sub(chinese, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}：错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="assistant", description="绩效指标起草与审核助手", formatter_class=_ChineseHelp, add_help=False
    )
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser._optionals.title = "选项"
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令", parser_class=_Parser)

    def command(name: str, help: str, run) -> argparse.ArgumentParser:
        cmd = sub.add_parser(
            name, help=help, description=help, formatter_class=_ChineseHelp, add_help=False, prog=f"assistant {name}"
        )
        cmd.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        cmd._positionals.title, cmd._optionals.title = "参数", "选项"
        cmd.set_defaults(run=run)
        return cmd

    ingest = command("ingest", "导入填报文件，输出 JSON Lines（每行一个项目）", cmd_ingest)
    ingest.add_argument("paths", nargs="*", help="文件或文件夹（默认：语料文件夹）")
    ingest.add_argument("--out", help="写入此文件，而不是标准输出")

    export = command("export", "导入后导出为标准格式 .xlsx", cmd_export)
    export.add_argument("paths", nargs="+", help="要导入的文件或文件夹")
    export.add_argument("--out", required=True, help="要写入的 .xlsx 或 .docx")

    review = command("review", "审核填报文件，列出问题和退回意见", cmd_review)
    review.add_argument("paths", nargs="+", help="填报文件（.txt .docx .xlsx .json）、ingest 输出的 JSONL 或文件夹")
    review.add_argument("--format", choices=("text", "json", "xlsx"), default="text", help="输出格式")
    review.add_argument("--out", help="写入此文件（xlsx 时必填）")
    review.add_argument("--config", help="含 [tool.assistant.review] 的 toml（默认：最近的 pyproject.toml）")

    rule = command("rule", "显示一条审核规则的说明", cmd_rule)
    rule.add_argument("code", help="规则代码（V102）或名称（vague-value）")

    rules = command("rules", "列出全部审核规则", cmd_rules)
    rules.add_argument("--markdown", action="store_true", help="输出完整文档（docs/rules.md）")
    rules.add_argument("--out", help="写入此文件，而不是标准输出")

    score = command("score", "按评分标准重新计算自评表得分", cmd_score)
    score.add_argument("paths", nargs="+", help="自评表文件或文件夹")
    score.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    score.add_argument("--out", help="写入此文件，而不是标准输出")

    index = command("index", "为语料文件夹建立或更新检索索引", cmd_index)
    index.add_argument("--corpus", help="语料文件夹（默认：ASSISTANT_CORPUS_DIR）")
    index.add_argument("--rebuild", action="store_true", help="清空后重新建立")

    similar = command("similar", "查找相似的往年项目或指标", cmd_similar)
    similar.add_argument("query", help="项目名称、项目简介或关键词")
    similar.add_argument("--k", type=int, default=5, help="返回几条（默认 5）")
    similar.add_argument("--level2", help="只看相似项目中这一类二级指标（如 质量指标）")
    similar.add_argument("--kind", choices=("projects", "indicators"), default="projects", help="查项目或查三级指标")
    similar.add_argument("--year", type=int, help="只看这一年度")
    similar.add_argument("--unit", help="只看这个单位")
    similar.add_argument("--all", action="store_true", help="也列出仅文字相近的项目（不同类、没有共同衡量对象）")
    similar.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")

    drafting = command("draft", "为新项目起草绩效指标", cmd_draft)
    drafting.add_argument("--name", required=True, help="项目名称")
    drafting.add_argument("--unit", help="预算单位")
    drafting.add_argument("--amount", type=float, help="资金总额（万元）")
    drafting.add_argument("--year", type=int, required=True, help="预算年度")
    drafting.add_argument("--goal", help="实施期绩效目标")
    drafting.add_argument("--description", help="补充说明")
    drafting.add_argument("--offline", action="store_true", help="即使配置了大模型也离线起草")
    drafting.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    drafting.add_argument("--out", help="写入此文件，而不是标准输出")

    lib = command("library", "浏览指标库：按功能分类、支出类型和二级指标", cmd_library)
    lib.add_argument("--class", dest="class_", help="支出功能分类，如 农林水、卫生健康")
    lib.add_argument("--kind", help="支出类型，如 建设工程、设备购置、补助补贴")
    lib.add_argument("--level2", help="只看这一类二级指标（如 质量指标）")
    lib.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    lib.add_argument("--out", help="写入此文件，而不是标准输出")

    evaluation = command("eval", "评估：默认在 dev/test 与种子上运行全部评估并输出一张表", cmd_eval)
    evaluation.add_argument(
        "what",
        nargs="?",
        choices=("all", "review", "retrieval", "draft"),
        default="all",
        help="all（默认）；review、retrieval、draft：种子上的样本内评估",
    )
    evaluation.add_argument("--embedding", help="向量模型，如 e5、hashing；retrieval 可用逗号比较多个")
    evaluation.add_argument("--labels", help="种子评估的标注文件（默认 corpus/labels/seeds/ 下）")
    evaluation.add_argument("--corpus", help="语料文件夹（默认 ASSISTANT_CORPUS_DIR）")
    evaluation.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="输出格式")
    evaluation.add_argument("--commit", help="写入 markdown 报告的提交号")
    evaluation.add_argument("--out", help="写入此文件，而不是标准输出")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, Assistant(one_shot=True))
    except AssistantError as exc:
        _report([exc])
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
