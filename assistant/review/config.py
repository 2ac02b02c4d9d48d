"""Which rules run and at what severity: `[tool.assistant.review]` in a pyproject.toml, or a
toml file given on the command line (ruff's select / ignore, plus re-grading)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..errors import AssistantError
from .registry import Severity


class ConfigError(AssistantError):
    """A review config that cannot be used, naming the file."""


class ReviewConfig(BaseModel):
    select: list[str] = Field(default_factory=lambda: ["ALL"])  # codes or prefixes ("V", "S60")
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)  # code or prefix → new severity
    lexicon: str | None = None  # a lexicon.toml replacing the shipped one

    def enabled(self, code: str, off_by_default: bool = False) -> bool:
        """Whether a rule runs; one that is off by default runs only when selected by its code."""
        if off_by_default:
            selected = code in self.select
        else:
            selected = any(s == "ALL" or code.startswith(s) for s in self.select)
        return selected and not any(code.startswith(i) for i in self.ignore)

    def severity_of(self, code: str, default: Severity) -> Severity:
        matches = [key for key in self.severity if code.startswith(key)]
        return self.severity[max(matches, key=len)] if matches else default


def load_config(path: Path | str | None = None, start: Path | None = None) -> ReviewConfig:
    """A given toml (its [tool.assistant.review] table, or its top level), else the nearest
    pyproject.toml with that table, else the defaults."""
    if path is not None:
        return _from_file(Path(path), required=True) or ReviewConfig()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            config = _from_file(candidate, required=False)
            if config is not None:
                return config
    return ReviewConfig()


def _from_file(path: Path, required: bool) -> ReviewConfig | None:
    """The file's review settings; None when it has none and they are not required (a required
    file without the table is read as the table itself)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"配置文件不存在：{path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {path} 不是有效的 TOML：{exc}") from None
    table = data.get("tool", {}).get("assistant", {}).get("review")
    if table is None:
        if not required:
            return None
        table = data
    try:
        config = ReviewConfig.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(f"配置文件 {path} 的审核设置有误：{exc.errors()[0]['msg']}") from None
    if config.lexicon and not Path(config.lexicon).is_absolute():
        config.lexicon = str((path.parent / config.lexicon).resolve())
    return config
