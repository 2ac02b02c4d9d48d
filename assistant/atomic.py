"""Files appear complete or not at all: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ExportError


def write_atomically(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call `write(temporary_path)`, then move the result onto `path`; clean up on any failure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"无法写入 {path.name}：{exc.strerror or exc} (cannot write file)") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
