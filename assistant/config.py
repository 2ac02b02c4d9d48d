"""Where things live, from the environment; passed explicitly, never read from a global."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

REPO_ROOT = Path(__file__).resolve().parent.parent
# In a checkout the corpus and the data directory sit beside the package; an installed wheel
# keeps its data in the user's home and reads a corpus from where it is run.
_CHECKOUT = (REPO_ROOT / "pyproject.toml").is_file()
DEFAULT_CORPUS = REPO_ROOT / "corpus" if _CHECKOUT else Path("corpus")
DEFAULT_DATA = REPO_ROOT / "data" if _CHECKOUT else Path.home() / ".local" / "share" / "budget-indicator-assistant"


class InputLimits(BaseModel):
    """How big a file the tool will read, checked before parsing: a filing is a few hundred rows,
    so anything far larger is a mistake or an attack (a zip bomb, a million-row sheet) and is
    refused with the limit named, instead of eating the server's memory and time."""

    max_file_mb: float = 20  # a file as stored or uploaded (also Streamlit's upload limit)
    max_unpacked_mb: float = 200  # everything inside an .xlsx/.docx package, uncompressed
    max_ratio: float = 100  # uncompressed / compressed size of one package member
    max_sheets: int = 50
    max_rows: int = 50_000  # per sheet or table
    max_cells: int = 1_000_000  # per file

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> InputLimits:
        values = {
            field: env[f"ASSISTANT_{field.upper()}"]
            for field in cls.model_fields
            if env.get(f"ASSISTANT_{field.upper()}")
        }
        return cls.model_validate(values)


class Settings(BaseModel):
    corpus_dir: Path
    data_dir: Path
    limits: InputLimits = InputLimits()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            corpus_dir=Path(env.get("ASSISTANT_CORPUS_DIR") or DEFAULT_CORPUS),
            data_dir=Path(env.get("ASSISTANT_DATA_DIR") or DEFAULT_DATA),
            limits=InputLimits.from_env(env),
        )
