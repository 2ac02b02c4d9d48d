"""Where things live, from the environment; passed explicitly, never read from a global."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    corpus_dir: Path
    data_dir: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            corpus_dir=Path(env.get("ASSISTANT_CORPUS_DIR") or REPO_ROOT / "corpus"),
            data_dir=Path(env.get("ASSISTANT_DATA_DIR") or REPO_ROOT / "data"),
        )
