"""The `assistant` command: the pipeline's jobs from the shell, JSON out for scripts.

Exit codes follow linters: 0 success, 2 bad input (nothing half-written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .atomic import write_atomically
from .config import Settings
from .errors import AssistantError
from .export.xlsx import write_xlsx
from .ingest import Batch, read_batch, read_many
from .models import DocKind, Project

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def project_record(project: Project) -> dict:
    """One JSON Lines record: the documented keys scripts rely on, plus the parsed extras."""
    return project.model_dump(mode="json")


def _report(errors: Sequence[AssistantError]) -> None:
    for error in errors:
        print(f"错误：{error}", file=sys.stderr)


def _read(paths: Sequence[str | Path], settings: Settings) -> Batch:
    """Import a batch: every good file is read; bad and skipped files are listed on stderr."""
    batch = read_batch(paths, settings.limits)
    _report(batch.errors)
    for skipped in batch.skipped:
        print(f"跳过：{skipped}", file=sys.stderr)
    return batch


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [settings.corpus_dir]
    filings, errors, _ = _read(paths, settings)
    if not filings:
        return EXIT_BAD_INPUT
    lines = [json.dumps(project_record(p), ensure_ascii=False) for f in filings for p in f.projects]
    text = "\n".join(lines) + "\n"
    if args.out:
        write_atomically(Path(args.out), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)
    count = sum(len(f.projects) for f in filings)
    print(f"已导入 {len(filings)} 个文件，{count} 个项目 (imported)", file=sys.stderr)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    filings, errors, _ = _read(args.paths, settings)
    if not filings:
        return EXIT_BAD_INPUT
    write_xlsx([p for f in filings for p in f.projects], args.out)
    print(f"已写入 {args.out}（{len(filings)} 个文件）", file=sys.stderr)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def _history(settings: Settings) -> list[Project]:
    """Earlier self-evaluations in the corpus, for the cross-year check (P707)."""
    if not settings.corpus_dir.is_dir():
        return []
    filings, _ = read_many([settings.corpus_dir])
    return [p for f in filings for p in f.projects if p.doc_kind is DocKind.SELF_EVALUATION]


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from .review import report
    from .review.config import load_config
    from .review.engine import review_projects

    config = load_config(args.config)
    filings, errors, _ = _read(args.paths, settings)
    if not filings:
        return EXIT_BAD_INPUT
    projects = [p for f in filings for p in f.projects]
    findings = review_projects(projects, config=config, history=_history(settings))
    batch = len(filings) > 1 or any(Path(p).is_dir() for p in args.paths)
    if args.format == "xlsx":
        if not args.out:
            print("错误 error: --format xlsx 需要 --out 文件名", file=sys.stderr)
            return EXIT_BAD_INPUT
        report.write_xlsx(projects, findings, Path(args.out))
        print(report.summary_line(projects, findings), file=sys.stderr)
    else:
        text = report.to_json(findings) if args.format == "json" else report.to_text(projects, findings, batch)
        _emit(text + "\n", args.out)
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if any(f.severity.value == "error" for f in findings) else EXIT_OK


def _emit(text: str, out: str | None) -> None:
    if out:
        write_atomically(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text)


def cmd_rule(args: argparse.Namespace, settings: Settings) -> int:
    from .review.docs import rule_markdown
    from .review.registry import all_rules

    rules = {r.code: r for r in all_rules()} | {r.name: r for r in all_rules()}
    rule = rules.get(args.code.upper()) or rules.get(args.code)
    if rule is None:
        print(f"错误 error: 没有规则 {args.code}；`assistant rules` 列出全部规则", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(rule_markdown(rule, level="#"))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, settings: Settings) -> int:
    from .review.docs import rules_markdown
    from .review.registry import all_rules

    if args.markdown:
        _emit(rules_markdown(), args.out)
    else:
        for rule in all_rules():
            print(f"{rule.code}  {rule.severity.value:<8}{rule.name:<34}{rule.summary}")
    return EXIT_OK


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    from .review.selfscore import check_scores

    filings, errors, _ = _read(args.paths, settings)
    if not filings:
        return EXIT_BAD_INPUT
    checks = check_scores([p for f in filings for p in f.projects])
    if args.format == "json":
        _emit(json.dumps([c.model_dump() for c in checks], ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        lines = []
        for c in checks:
            mark = {"agrees": "一致", "disagrees": "不一致", "unverifiable": "无法核验"}[c.verdict]
            lines.append(f"[{mark}] {c.project} / {c.indicator}：{c.message}")
        counts = {v: sum(1 for c in checks if c.verdict == v) for v in ("agrees", "disagrees", "unverifiable")}
        lines.append(
            f"共 {len(checks)} 条：一致 {counts['agrees']}，不一致 {counts['disagrees']}，"
            f"无法核验 {counts['unverifiable']}"
        )
        _emit("\n".join(lines) + "\n", args.out)
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if any(c.verdict == "disagrees" for c in checks) else EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    corpus = Path(args.corpus) if args.corpus else settings.corpus_dir
    if args.what == "retrieval":
        return _eval_retrieval(args, corpus)
    if args.what == "draft":
        return _eval_draft(args, settings)
    if args.what == "review":
        from .evaluation.seed_review import dump, evaluate, format_evaluation

        labels = Path(args.labels) if args.labels else corpus / "labels" / "seeds" / "review.jsonl"
        result = evaluate(labels, corpus)
        _emit((dump(result) if args.format == "json" else format_evaluation(result)) + "\n", args.out)
        return EXIT_OK
    from .evaluation.report import format_table, run_all, unread_lines
    from .index.embeddings import embedder_from_env

    embedder = embedder_from_env({**os.environ, "ASSISTANT_EMBEDDING": args.embedding} if args.embedding else None)
    report = run_all(corpus, embedder)
    if args.format == "json":
        _emit(report.model_dump_json(indent=2) + "\n", args.out)
        return EXIT_OK
    text = format_table(report)
    unread = unread_lines(report)
    if args.format == "markdown":
        import datetime as dt

        text = (
            f"# Evaluation\n\n{dt.date.today():%Y-%m-%d}, commit {args.commit or '(not given)'}, "
            f"corpus `{corpus.name}/`, `assistant eval`. Counts beside every ratio: the test split is small.\n\n"
            f"{text}\n\nUnread projects:\n" + ("\n".join(unread) or "- none") + "\n"
        )
    else:
        text += "\n\n未能完整读取的项目：\n" + ("\n".join(unread) or "（无）")
    _emit(text + "\n", args.out)
    return EXIT_OK


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from .index import open_index

    corpus = Path(args.corpus) if args.corpus else settings.corpus_dir
    if not corpus.is_dir():
        print(f"错误 error: 语料文件夹不存在：{corpus}", file=sys.stderr)
        return EXIT_BAD_INPUT
    index = open_index(settings.data_dir)
    if args.rebuild:
        for key in index.indexed_files():
            index.remove(key)

    def progress(done: int, total: int, name: str) -> None:
        print(f"\r[{done}/{total}] {name[:60]:<60}", end="", file=sys.stderr, flush=True)

    report = index.sync(corpus, progress=progress)
    print(file=sys.stderr)
    for notice in report.notices:
        print(f"注意 notice: {notice}", file=sys.stderr)
    _report_text(report.errors)
    print(
        f"索引完成：新增 {len(report.added)}，更新 {len(report.updated)}，移除 {len(report.removed)}，"
        f"未变 {report.unchanged}；项目 {index.count('projects')} 个，三级指标 {index.count('indicators')} 条"
        f"（向量：{index.embedder.id}）",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if report.errors else EXIT_OK


def _report_text(messages: Sequence[str]) -> None:
    for message in messages:
        print(f"错误 error: {message}", file=sys.stderr)


def ensure_index(settings: Settings):
    """The index of the configured corpus, built or brought up to date on first use."""
    from .index import open_index

    index = open_index(settings.data_dir)
    if settings.corpus_dir.is_dir():
        report = index.sync(settings.corpus_dir)
        _report_text(report.errors)
        for notice in report.notices:
            print(f"注意 notice: {notice}", file=sys.stderr)
    return index


def cmd_similar(args: argparse.Namespace, settings: Settings) -> int:
    from .index import Filters
    from .normalize import level2_of

    level2 = None
    if args.level2:
        level = level2_of(args.level2)
        if level is None:
            print(f"错误 error: 不认识的二级指标“{args.level2}”", file=sys.stderr)
            return EXIT_BAD_INPUT
        level2 = level.value
    index = ensure_index(settings)
    if level2 and args.kind == "projects":
        hits = index.indicators_like(args.query, level2=level2, k_projects=args.k, k=args.k * 3)
    else:
        hits = index.search(args.query, args.kind, args.k, Filters(level2=level2, year=args.year, unit_name=args.unit))
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
    else:
        for n, h in enumerate(hits, start=1):
            why = h.explanation
            terms = "、".join(why.shared_terms) or "无共同词"
            parent = f" ← {h.indicator.project_name}" if h.kind == "indicators" else ""
            target = f" | {h.indicator.target or ''}" if h.kind == "indicators" else ""
            print(
                f"{n}. {h.name}{target}{parent} · {h.unit_name or '单位不详'} · {h.year or '年度不详'}"
                f" · {h.score:.4f} · 来源 {h.source}"
            )
            sides = "+".join(
                {"lexical": "关键词", "vector": "语义", "project": "相似项目"}.get(s, s) for s in why.found_by
            )
            print(f"   命中方式：{sides}；共同词：{terms}")
    return EXIT_OK


def _eval_retrieval(args: argparse.Namespace, corpus: Path) -> int:
    from .evaluation.seed_retrieval import evaluate_retrieval, format_retrieval
    from .index.embeddings import embedder_from_env

    labels = Path(args.labels) if args.labels else corpus / "labels" / "seeds" / "pairs.json"
    kinds = args.embedding.split(",") if args.embedding else [None]
    seeds = sorted(corpus.glob("*.txt"))
    results = [
        evaluate_retrieval(
            labels,
            corpus,
            embedder_from_env({**os.environ, "ASSISTANT_EMBEDDING": k} if k else None),
            files=seeds or None,
        )
        for k in kinds
    ]
    if args.format == "json":
        _emit(json.dumps([r.model_dump() for r in results], ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        _emit(format_retrieval(results) + "\n", args.out)
    return EXIT_OK


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    from .draft import Brief
    from .draft.service import draft
    from .llm import LLMSettings

    brief = Brief(
        name=args.name,
        unit_name=args.unit,
        amount=args.amount,
        year=args.year,
        goal=args.goal or "",
        description=args.description,
    )
    result = draft(ensure_index(settings), brief, llm=None if args.offline else LLMSettings.from_env())
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
        lines.append(f"   依据：{row.rationale}" + ("" if row.sources else "（无往年来源）"))
    for f in result.findings:
        lines.append(f"[{f.severity.label}] {f.code} {f.indicator or '整表'}：{f.message}")
    _emit("\n".join(lines) + "\n", args.out)
    return EXIT_OK


def _eval_draft(args: argparse.Namespace, settings: Settings) -> int:
    from .draft.service import draft
    from .evaluation.seed_draft import evaluate_drafts
    from .llm import LLMClient, LLMSettings

    index = ensure_index(settings)
    results = [evaluate_drafts(index, lambda b, ex: draft(index, b, exclude_ids=ex))]
    llm = LLMSettings.from_env()
    if llm is not None:
        client = LLMClient(llm)
        results.append(evaluate_drafts(index, lambda b, ex: draft(index, b, exclude_ids=ex, client=client)))
    if args.format == "json":
        _emit(json.dumps([r.model_dump() for r in results], ensure_ascii=False, indent=2) + "\n", args.out)
    else:
        lines = [
            f"{'mode':<9}{'projects':>9}{'二级覆盖':>9}{'无错误行':>9}{'无警告行':>9}{'名称F1':>8}{'回退':>6}{'秒/稿':>8}"
        ]
        for r in results:
            lines.append(
                f"{r.mode:<9}{r.projects:>9}{r.coverage:>10.3f}{r.clean_rows:>10.3f}{r.quiet_rows:>10.3f}"
                f"{r.name_f1:>9.3f}"
                f"{r.fallbacks:>7}{r.seconds_per_draft:>9.3f}"
            )
        if llm is None:
            lines.append("（未配置大模型：只评估离线起草）")
        _emit("\n".join(lines) + "\n", args.out)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="绩效指标起草与审核助手 (budget performance indicator assistant)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="导入填报文件，输出 JSON Lines（每行一个项目）")
    ingest.add_argument("paths", nargs="*", help="files or folders (default: the corpus folder)")
    ingest.add_argument("--out", help="write JSON Lines here instead of standard output")
    ingest.set_defaults(run=cmd_ingest)

    export = sub.add_parser("export", help="导入后导出为标准格式 .xlsx")
    export.add_argument("paths", nargs="+", help="files or folders to import")
    export.add_argument("--out", required=True, help="the .xlsx to write")
    export.set_defaults(run=cmd_export)

    review = sub.add_parser("review", help="审核填报文件，列出问题和退回意见")
    review.add_argument("paths", nargs="+", help="filings (.txt .docx .xlsx), a JSONL from ingest, or folders")
    review.add_argument("--format", choices=("text", "json", "xlsx"), default="text")
    review.add_argument("--out", help="write here instead of standard output (required for xlsx)")
    review.add_argument("--config", help="a toml with [tool.assistant.review] (default: nearest pyproject.toml)")
    review.set_defaults(run=cmd_review)

    rule = sub.add_parser("rule", help="显示一条审核规则的说明")
    rule.add_argument("code", help="rule code (V102) or name (vague-value)")
    rule.set_defaults(run=cmd_rule)

    rules = sub.add_parser("rules", help="列出全部审核规则")
    rules.add_argument("--markdown", action="store_true", help="the full documentation (docs/rules.md)")
    rules.add_argument("--out", help="write here instead of standard output")
    rules.set_defaults(run=cmd_rules)

    score = sub.add_parser("score", help="按评分标准重新计算自评表得分")
    score.add_argument("paths", nargs="+")
    score.add_argument("--format", choices=("text", "json"), default="text")
    score.add_argument("--out")
    score.set_defaults(run=cmd_score)

    index = sub.add_parser("index", help="为语料文件夹建立或更新检索索引")
    index.add_argument("--corpus", help="folder of filings (default: ASSISTANT_CORPUS_DIR)")
    index.add_argument("--rebuild", action="store_true", help="drop everything and index again")
    index.set_defaults(run=cmd_index)

    similar = sub.add_parser("similar", help="查找相似的往年项目或指标")
    similar.add_argument("query", help="a project name, a brief, or words")
    similar.add_argument("--k", type=int, default=5)
    similar.add_argument("--level2", help="only indicators under this 二级 (e.g. 质量指标), of similar projects")
    similar.add_argument("--kind", choices=("projects", "indicators"), default="projects")
    similar.add_argument("--year", type=int)
    similar.add_argument("--unit", help="only this unit")
    similar.add_argument("--format", choices=("text", "json"), default="text")
    similar.set_defaults(run=cmd_similar)

    drafting = sub.add_parser("draft", help="为新项目起草绩效指标")
    drafting.add_argument("--name", required=True, help="项目名称")
    drafting.add_argument("--unit", help="预算单位")
    drafting.add_argument("--amount", type=float, help="资金总额（万元）")
    drafting.add_argument("--year", type=int, required=True, help="预算年度")
    drafting.add_argument("--goal", help="实施期绩效目标")
    drafting.add_argument("--description", help="补充说明")
    drafting.add_argument("--offline", action="store_true", help="do not call the LLM even if one is configured")
    drafting.add_argument("--format", choices=("text", "json"), default="text")
    drafting.add_argument("--out")
    drafting.set_defaults(run=cmd_draft)

    evaluation = sub.add_parser("eval", help="评估：默认在 dev/test 与种子上运行全部评估并输出一张表")
    evaluation.add_argument(
        "what",
        nargs="?",
        choices=("all", "review", "retrieval", "draft"),
        default="all",
        help="all（默认）；review/retrieval/draft：种子上的样本内评估",
    )
    evaluation.add_argument("--embedding", help="向量模型，如 e5、hashing；retrieval 可用逗号比较多个")
    evaluation.add_argument("--labels", help="种子评估的标注文件（默认 corpus/labels/seeds/ 下）")
    evaluation.add_argument("--corpus", help="语料文件夹（默认 ASSISTANT_CORPUS_DIR）")
    evaluation.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    evaluation.add_argument("--commit", help="写入 markdown 报告的提交号")
    evaluation.add_argument("--out")
    evaluation.set_defaults(run=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return args.run(args, settings)
    except AssistantError as exc:
        _report([exc])
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
