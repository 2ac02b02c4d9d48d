"""The `assistant` command: the pipeline's jobs from the shell, JSON out for scripts.

Exit codes follow linters: 0 success, 2 bad input (nothing half-written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .config import REPO_ROOT, Settings
from .errors import AssistantError
from .export.xlsx import write_xlsx
from .ingest import read_many
from .models import DocKind, Project

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def project_record(project: Project) -> dict:
    """One JSON Lines record: the documented keys scripts rely on, plus the parsed extras."""
    return project.model_dump(mode="json")


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _report(errors: Sequence[AssistantError]) -> None:
    for error in errors:
        print(f"错误 error: {error}", file=sys.stderr)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [settings.corpus_dir]
    filings, errors = read_many(paths)
    _report(errors)
    if not filings:
        return EXIT_BAD_INPUT
    lines = [
        json.dumps(project_record(p), ensure_ascii=False) for f in filings for p in f.projects
    ]
    text = "\n".join(lines) + "\n"
    if args.out:
        write_atomically(Path(args.out), text)
    else:
        sys.stdout.write(text)
    count = sum(len(f.projects) for f in filings)
    print(f"已导入 {len(filings)} 个文件，{count} 个项目 (imported)", file=sys.stderr)
    return EXIT_BAD_INPUT if errors else EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    filings, errors = read_many(args.paths)
    _report(errors)
    if errors or not filings:
        return EXIT_BAD_INPUT
    write_xlsx([p for f in filings for p in f.projects], args.out)
    print(f"已写入 {args.out} (written)", file=sys.stderr)
    return EXIT_OK


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
    filings, errors = read_many(args.paths)
    _report(errors)
    if errors or not filings:
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
    return EXIT_FINDINGS if any(f.severity.value == "error" for f in findings) else EXIT_OK


def _emit(text: str, out: str | None) -> None:
    if out:
        write_atomically(Path(out), text)
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

    filings, errors = read_many(args.paths)
    _report(errors)
    if errors or not filings:
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
    return EXIT_FINDINGS if any(c.verdict == "disagrees" for c in checks) else EXIT_OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .review.evaluate import dump, evaluate, format_evaluation

    labels = Path(args.labels) if args.labels else REPO_ROOT / "tests" / "data" / "review_labels.jsonl"
    result = evaluate(labels, Path(args.corpus) if args.corpus else settings.corpus_dir)
    _emit((dump(result) if args.format == "json" else format_evaluation(result)) + "\n", args.out)
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

    evaluation = sub.add_parser("eval", help="在标注集上评估（review）")
    evaluation.add_argument("what", choices=("review",))
    evaluation.add_argument("--labels", help="labelled JSONL (default: tests/data/review_labels.jsonl)")
    evaluation.add_argument("--corpus", help="folder of the labelled filings (default: the corpus)")
    evaluation.add_argument("--format", choices=("text", "json"), default="text")
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
