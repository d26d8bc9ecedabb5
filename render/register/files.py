"""Writing the register to a folder all at once: made in a temporary folder beside it,
then moved into place, so a reader sees the old register or the new one, never half of
one; a folder is replaced only when it holds a register written here and nothing else
(never a file of the user's)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

#: The file that marks a folder as a register written here, listing its files.
MARK = ".ragw-register.json"


class RegisterRefused(ValueError):
    """The folder cannot take the register: said in one sentence, nothing written."""


def written_here(out: Path) -> list[str]:
    """The files of the register at ``out``, when ``out`` holds one written here and
    nothing else; otherwise :class:`RegisterRefused`."""
    if out.is_symlink() or not out.is_dir():
        raise RegisterRefused(f"{out} exists and is not a folder; give a new folder's name")
    try:
        listed = json.loads((out / MARK).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise RegisterRefused(
            f"{out} exists and is not a register written by publish; give a new folder's name"
        ) from None
    held = {
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_symlink() or not path.is_dir()
    }
    others = sorted(held - set(listed) - {MARK})
    if others:
        raise RegisterRefused(
            f"{out} holds {others[0]}, which publish did not write; move it away or give "
            "a new folder's name"
        )
    return list(listed)


def write_site(files: Mapping[str, bytes], out: Path) -> None:
    """Put ``files`` (by their path in the site) at ``out``, replacing the register
    written there before, all at once."""
    parent = out.parent
    if not parent.is_dir():
        raise RegisterRefused(f"folder {parent} does not exist; create it first")
    replaced = os.path.lexists(out)
    if replaced:
        written_here(out)
    made = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    try:
        for name, content in files.items():
            path = made / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        (made / MARK).write_text(json.dumps({"files": sorted(files)}, indent=1) + "\n")
        made.chmod(0o755)  # a temporary folder is its owner's alone; a site is read by all
        if not replaced:
            made.rename(out)
            return
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
        old.rmdir()
        out.rename(old)
        made.rename(out)
        shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(made, ignore_errors=True)
        raise
