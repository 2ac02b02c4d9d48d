"""Files the tool writes: inside their folder, under a safe name, complete or not at all.

A name typed by a person (a project name, an uploaded file's name) never becomes a path as it is:
`safe_filename` keeps it to one plain file name. `write_atomically` writes a temporary file beside
the target and renames it, with the permissions any new file of this process would get (mkstemp
alone leaves 0600), and never replaces an existing file unless asked to.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .errors import ExportError

MAX_NAME_CHARS = 80
_UNSAFE_RE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED_WINDOWS = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class FileExists(ExportError):
    """The target exists and the caller did not ask to replace it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"文件 {path.name} 已存在，未覆盖；请确认后再替换，或换一个名称")


def safe_filename(text: str, suffix: str = "", default: str = "未命名") -> str:
    """One plain file name from free text: no separators, no `..`, no control characters,
    no leading dot, at most MAX_NAME_CHARS characters before the suffix."""
    name = unicodedata.normalize("NFC", text or "")
    name = _UNSAFE_RE.sub("_", name)
    name = re.sub(r"\.{2,}", "_", name).strip(" ._")
    if name.upper().split(".")[0] in _RESERVED_WINDOWS:
        name = f"_{name}"
    name = name[:MAX_NAME_CHARS].rstrip(" .") or default
    return f"{name}{suffix}"


def path_inside(folder: Path | str, name: str) -> Path:
    """`folder/name` for a name made by safe_filename; refuses anything that would leave it."""
    folder = Path(folder).resolve()
    path = (folder / name).resolve()
    if path.parent != folder:
        raise ExportError(f"文件名不合法：{name}")
    return path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path | str, write: Callable[[Path], object], overwrite: bool = True) -> Path:
    """Call `write(temporary_path)`, then move the result onto `path`; clean up on any failure.

    The folder must exist: a path made from user text must not create folders on its way. With
    `overwrite=False` an existing file is left alone and FileExists is raised (the check and the
    move are one step, so two writers cannot both win)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"无法写入 {path.name}：文件夹 {path.parent} 不存在")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:40]}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    temporary = Path(tmp)
    try:
        write(temporary)
        os.chmod(temporary, _default_mode())
        if overwrite:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if the target exists, atomically
            except FileExistsError:
                raise FileExists(path) from None
            temporary.unlink()
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"无法写入 {path.name}：{exc.strerror or exc}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
