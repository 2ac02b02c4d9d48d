"""Benchmark: drafting. Time per offline draft, and LLM calls and prompt tokens per LLM draft
against the local fake OpenAI-compatible server (the real client code over real sockets).

Baseline in the same run: retrieval alone (the similar-project lookup every draft starts with),
so the ratio shows what choosing and reviewing rows costs on top.

    python bench/draft.py [--drafts 45]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.draft.llm_drafter import draft_with_llm  # noqa: E402
from assistant.draft.offline import draft_offline, retrieve  # noqa: E402
from assistant.evaluation.drafts import dev_briefs  # noqa: E402
from assistant.index import HashingEmbedder, open_index  # noqa: E402
from assistant.llm import LLMClient, LLMSettings  # noqa: E402
from assistant.models import Level2  # noqa: E402
from tests.fake_llm import FakeLLM, Reply  # noqa: E402
from tests.test_llm_draft import BRIEF as LLM_BRIEF  # noqa: E402  (the brief the scripted rows answer)
from tests.test_llm_draft import good_rows  # noqa: E402

# the dev briefs (corpus/labels/briefs.csv): 45 projects across classes and kinds of spending
BRIEFS = [brief for _, brief in dev_briefs(REPO / "corpus")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drafts", type=int, default=45)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-draft-") as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(REPO / "corpus", corpus)
        for embedder_name, embedder in (("hashing", HashingEmbedder()), ("e5", None)):
            if embedder is None:
                from assistant.index import E5Embedder

                embedder = E5Embedder()
            index = open_index(Path(tmp) / f"data-{embedder_name}", embedder=embedder)
            index.sync(corpus)
            briefs = [BRIEFS[i % len(BRIEFS)] for i in range(args.drafts)]
            start = time.perf_counter()
            for brief in briefs:
                retrieve(index, brief)
            base = (time.perf_counter() - start) / len(briefs)
            times = []
            for brief in briefs:
                t = time.perf_counter()
                draft_offline(index, brief, corpus_dir=corpus)
                times.append(time.perf_counter() - t)
            print(
                f"[{embedder_name}] retrieval alone {base * 1000:.0f} ms/draft; offline draft "
                f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
                f"(x{statistics.median(times) / base:.1f} retrieval)"
            )

        fake = FakeLLM()
        try:
            clean = json.dumps(good_rows(), ensure_ascii=False)
            missing = json.dumps(good_rows(skip=Level2.QUALITY), ensure_ascii=False)
            for label, replies in (
                ("clean answer", [clean]),
                ("answer missing a 二级 (+revision)", [missing, clean]),
                ("malformed then valid", ["{not json", clean]),
            ):
                calls, tokens, seconds = [], [], []
                for brief in [LLM_BRIEF] * 4:
                    fake.replies = [Reply(content=r) for r in replies]
                    client = LLMClient(LLMSettings(base_url=fake.base_url, model="fake", timeout=10))
                    t = time.perf_counter()
                    result = draft_with_llm(index, brief, client)
                    seconds.append(time.perf_counter() - t)
                    assert result.mode == "llm", result.notices
                    calls.append(len(result.usage))
                    tokens.append(sum(u.prompt_tokens for u in result.usage))
                print(
                    f"LLM draft, {label}: {statistics.mean(calls):.1f} calls, "
                    f"{statistics.mean(tokens):.0f} prompt tokens (chars), {statistics.median(seconds) * 1000:.0f} ms"
                )
        finally:
            fake.close()


if __name__ == "__main__":
    main()
