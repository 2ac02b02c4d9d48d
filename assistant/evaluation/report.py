"""`assistant eval`: every evaluation on the dev and test splits, the seed figures apart, in one
table (and as docs/eval.md with the date and commit, from `make eval`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ..index import CorpusIndex
from ..index.embeddings import Embedder
from ..ingest import read_batch
from ..review.registry import FAMILIES, REGISTRY
from .classes import ClassAgreement, evaluate_classes
from .drafts import Drafter, DraftFitEvaluation, evaluate_fit
from .ingest import IngestEvaluation, evaluate_ingest
from .labels import load_labels
from .retrieval import MODES, RetrievalEvaluation, TypedScore, corpus_index, evaluate_pairs
from .review import ReviewEvaluation, Score, evaluate_review
from .seed_retrieval import evaluate_retrieval
from .seed_review import Evaluation as SeedReview
from .seed_review import evaluate as evaluate_seed_review

COLUMNS = ("dev", "test", "seed")


class EvalReport(BaseModel):
    ingest: IngestEvaluation
    seed_files: tuple[int, int]  # seed files read / seed files
    classes: dict[str, ClassAgreement]  # split → classifier agreement with the labels
    review: ReviewEvaluation
    seed_review: SeedReview
    retrieval: RetrievalEvaluation
    drafts: DraftFitEvaluation  # offline drafts judged specific / generic / foreign, and coverage
    seed_retrieval: dict[str, float]  # mode → recall@1 on the in-sample seed pairs


def run_all(corpus_dir: Path, embedder: Embedder) -> EvalReport:
    corpus_dir = Path(corpus_dir)
    labels = load_labels(corpus_dir)
    seeds = sorted(corpus_dir.glob("*.txt"))
    batch = read_batch(seeds)
    seed_labels = corpus_dir / "labels" / "seeds"
    seed_retrieval = evaluate_retrieval(seed_labels / "pairs.json", corpus_dir, embedder, files=seeds)
    with corpus_index(corpus_dir, embedder) as index:
        retrieval = evaluate_pairs(corpus_dir, labels, index)
        drafts = evaluate_fit(corpus_dir, labels, index, offline_drafter(index, corpus_dir))
    return EvalReport(
        ingest=evaluate_ingest(corpus_dir, labels),
        seed_files=(len(batch.filings), len(seeds)),
        classes=evaluate_classes(corpus_dir, labels),
        review=evaluate_review(corpus_dir, labels),
        seed_review=evaluate_seed_review(seed_labels / "review.jsonl", corpus_dir),
        retrieval=retrieval,
        drafts=drafts,
        seed_retrieval={mode: score.recall_at_1 for mode, score in seed_retrieval.projects.items()},
    )


def offline_drafter(index: CorpusIndex, corpus_dir: Path) -> Drafter:
    from ..draft.offline import draft_offline

    return lambda brief, exclude: draft_offline(index, brief, exclude, corpus_dir=corpus_dir)


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.2f}" if whole else "—"


def _pr(score: Score | None) -> tuple[str, str]:
    if score is None:
        return "—", "—"
    return _ratio(score.tp, score.tp + score.fp), _ratio(score.tp, score.tp + score.fn)


def format_table(report: EvalReport) -> str:
    """One markdown table: a measure per line, dev, test and seed (in-sample) in columns."""
    lines = ["| measure | dev | test | seed (in-sample) |", "|---|---|---|---|"]

    def row(measure: str, *cells: str) -> None:
        lines.append(f"| {measure} | " + " | ".join(cells) + " |")

    row(
        "ingest: projects read, every row aligned",
        *(_ratio(*report.ingest.rate(s)) for s in ("dev", "test")),
        f"{_ratio(*report.seed_files)} files",
    )
    for axis, field in (("功能分类 class", "same_class"), ("kind of spending", "same_kind")):
        row(
            f"classifier: {axis} as labelled",
            *(
                _ratio(getattr(report.classes[s], field), report.classes[s].projects) if s in report.classes else "—"
                for s in COLUMNS
            ),
        )
    seed = report.seed_review
    for label, index in (("precision", 0), ("recall", 1)):
        cells = [
            _pr(report.review.splits[s].overall if s in report.review.splits else None)[index] for s in ("dev", "test")
        ]
        seed_value = seed.overall.precision if index == 0 else seed.overall.recall
        row(f"review {label}, rows (error or warning)", *cells, f"{seed_value:.2f}")
    for family, name in FAMILIES.items():
        cells = []
        for s in ("dev", "test"):
            score = report.review.splits.get(s)
            p, r = _pr(score.families.get(family) if score else None)
            cells.append(f"P {p}; R {r}")
        seeded = seed.by_family.get(family)
        seed_cell = f"P {seeded.precision:.2f}; R {seeded.recall:.2f}" if seeded else "—"
        row(f"review {family} {name}", *cells, seed_cell)
    for mode in MODES:
        cells = []
        for s in ("dev", "test"):
            found = report.retrieval.splits.get(s, {}).get(mode)
            cells.append(
                f"R@1 {found.found_at_1}/{found.queries}; R@3 {found.recall_at_3:.2f}; MRR {found.mrr:.2f}"
                if found
                else "—"
            )
        row(
            f"similar projects, {mode} ({report.retrieval.embedder})",
            *cells,
            f"R@1 {report.seed_retrieval.get(mode, 0):.2f}",
        )
    if report.retrieval.typed:
        row(
            "similar projects, typed words (labels/queries.csv, hybrid top 5)",
            *(_typed_cell(report.retrieval.typed.get(s)) for s in ("dev", "test")),
            "—",
        )
    _draft_rows(report, row)
    return "\n".join(lines)


def format_rules(report: EvalReport) -> str:
    """Per rule: how often it flags a labelled row, and how often the labeller agrees."""
    lines = [
        "| rule | severity | dev: right / flags | test: right / flags |",
        "|---|---|---|---|",
    ]
    splits = report.review.splits
    fired = sorted({code for s in splits.values() for code in s.rules})
    for code in fired:
        cells = []
        for name in ("dev", "test"):
            score = splits[name].rules.get(code) if name in splits else None
            cells.append(_ratio(score.tp, score.fires) if score else "—")
        rule = REGISTRY[code]
        lines.append(f"| {code} `{rule.name}` | {rule.severity.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _typed_cell(typed: TypedScore | None) -> str:
    if typed is None:
        return "—"
    return (
        f"fitting project offered {_ratio(typed.fit_offered, typed.with_fit)}, first"
        f" {_ratio(typed.fit_first, typed.with_fit)}; nothing fits and only related offered"
        f" {_ratio(typed.nothing_said, typed.without_fit)}; an unrelated project offered"
        f" {_ratio(typed.unrelated_offered, typed.queries)}"
    )


def _draft_rows(report: EvalReport, row) -> None:
    """Draft fit per set: dev (published projects), test, seed; the dev briefs in the dev column."""
    splits = report.drafts.splits

    def cell(name: str, what: str) -> str:
        s = splits.get(name)
        if s is None or not s.rows:
            return "—"
        if what == "coverage":
            return f"{s.matched}/{s.real_rows} = {s.coverage:.2f}" if s.coverage is not None else "—"
        if what == "coverage of rows with an object":
            return _ratio(s.matched_objects, s.real_objects)
        return f"{getattr(s, what)}/{s.rows} = {s.share(what):.2f}"

    for what in ("specific", "generic", "foreign", "coverage", "coverage of rows with an object"):
        row(f"offline draft rows {what} (dev: published projects)", *(cell(n, what) for n in ("dev", "test", "seed")))
    briefs = splits.get("dev briefs")
    if briefs and briefs.rows:
        row(
            "offline draft rows, dev briefs (labels/briefs.csv)",
            f"specific {cell('dev briefs', 'specific')}; foreign {cell('dev briefs', 'foreign')}",
            "—",
            "—",
        )
    agreement = report.drafts.agreement
    if agreement.rows:
        row("draft judge vs team (dev rows)", _ratio(agreement.same, agreement.rows), "—", "—")


def unread_lines(report: EvalReport) -> list[str]:
    return [f"- {p.file} ({p.split}): {p.problem}" for p in report.ingest.unread()]
