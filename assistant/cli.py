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

from .config import Settings
from .errors import AssistantError
from .export.xlsx import write_xlsx
from .ingest import read_many
from .models import Project

EXIT_OK = 0
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
