"""The website's output folder: which folder a build may replace, the staging folder beside
it, the swap of the new site for the old, and what a dead build left behind. No MkDocs here."""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from symmle.data import token
from symmle.errors import BuildError, OptionError
from symmle.resources import PACKAGE

ROOT = Path(__file__).resolve().parents[2]

MARKER = ".symmle-site"
"""Written into every site symmle builds, with the list of the files it wrote: only an empty
folder, or one holding the marker and no other file, is replaced."""
FILES = "files:"
"""The marker's line before its list of files (a marker without it trusts the whole folder)."""
STAGING = "symmle-build"
"""Staging folders are named .SITE.symmle-build-PID-…: the next build clears a dead build's."""


def refuse(message: str) -> NoReturn:
    raise OptionError(message)


def protected() -> list[Path]:
    """Folders a site must never replace, nor any folder that holds them."""
    return [Path.cwd(), ROOT, ROOT / "templates", PACKAGE, Path.home()]


def files_in(folder: Path) -> set[str]:
    """Every file below ``folder`` (links included) but the marker, as relative paths."""
    found = (p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink())
    return {p.relative_to(folder).as_posix() for p in found} - {MARKER}


def foreign(folder: Path) -> str | None:
    """Why ``folder`` may not be replaced: it holds a file symmle did not write; None when it
    may (missing, empty, or a site symmle built and nobody added to)."""
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return None
    if not folder.is_dir():
        return "it is a file, not a folder"
    marker = folder / MARKER
    if marker.is_file():
        lines = marker.read_text(encoding="utf-8").splitlines()
        if FILES not in lines:
            return None  # a marker of an earlier version: the folder is a site symmle built
        added = sorted(files_in(folder) - set(lines[lines.index(FILES) + 1 :]))
    else:  # empty folders count too
        added = sorted(files_in(folder)) or sorted(p.name for p in folder.iterdir())
    if not added:
        return None
    more = f" and {len(added) - 1} more" if len(added) > 1 else ""
    return f"it holds {token(added[0], 40)!r}{more}, files that symmle did not write"


def site_target(site_dir: str | Path) -> Path:
    """The folder to build into, refused when replacing it could destroy anything else."""
    if not str(site_dir).strip():
        refuse("--site-dir is empty: give the folder for the website, e.g. --site-dir site.")
    target = Path(site_dir).expanduser().resolve()
    for keep in protected():
        keep = keep.resolve()
        if target == keep or target in keep.parents:
            refuse(f"will not build into {target}: it holds {keep}; choose a new folder.")
    reason = foreign(target)
    if reason is not None:
        refuse(
            f"will not build into {target}: {reason} (symmle replaces only an empty folder or "
            "a site it built); choose a new folder."
        )
    return target


def staging_folder(target: Path) -> Path:
    """A new empty folder beside the target, named for this process, readable by others
    (mkdtemp makes it 0700)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{target.name}.{STAGING}-{os.getpid()}-"
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    except OSError as error:
        refuse(f"cannot write the website to {target}: {error.strerror or error}.")
    staging.chmod(0o755)
    return staging


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (on POSIX; elsewhere every process is taken as running)."""
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # another user's process
    return True


def clear_leftovers(target: Path) -> None:
    """Remove the staging folders of builds that died (kill -9, a power cut); an old site that
    a dead build had moved aside goes back in place if the target is missing."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.{STAGING}-(\d+)-\w+(-old)?")
    for folder in target.parent.glob(f".{glob.escape(target.name)}.{STAGING}-*"):
        found = pattern.fullmatch(folder.name)
        if found is None or not folder.is_dir() or alive(int(found[1])):
            continue
        if found[2] and not target.exists():
            folder.rename(target)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def mark(site: Path) -> None:
    """Write the marker: this folder is a site symmle built, holding these files."""
    listed = "\n".join(sorted(files_in(site)))
    (site / MARKER).write_text(
        f"Built by symmle: `symmle build` may replace this folder.\n{FILES}\n{listed}\n",
        encoding="utf-8",
    )


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system or its file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        return False
    path, folder = ctypes.c_char_p, ctypes.c_int
    function.argtypes = [folder, path, folder, path, ctypes.c_uint]
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


AT_FDCWD, EXCHANGE = -100, 2
"""renameat2's "relative to the working folder" and RENAME_EXCHANGE, from <fcntl.h>."""


def swap(target: Path, staging: Path) -> Path:
    """The new site (``staging``) into the target's place; returns where the old site now is.
    Without an atomic exchange: two renames, the old site put back if the second fails."""
    if exchange(staging, target):
        return staging
    old = staging.with_name(f"{staging.name}-old")
    target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        old.rename(target)
        raise
    return old


def put_back(target: Path, old: Path, staging: Path) -> None:
    """Undo ``swap``: the old site at the target again, the new one removed."""
    if old == staging:
        exchange(staging, target)
    else:
        target.rename(staging)
        old.rename(target)
    shutil.rmtree(staging, ignore_errors=True)


def replace(target: Path, staging: Path) -> None:
    """Put the new site in place and remove the old one. The old folder is judged again once
    it has left the target's place, so a file saved into it during the build is never lost: if
    it holds a file symmle did not write, it goes back and the build fails."""
    if not target.exists():
        staging.rename(target)  # one step; fails if a non-empty folder appeared meanwhile
        return
    old = swap(target, staging)
    reason = foreign(old)
    if reason is not None:
        put_back(target, old, staging)
        raise BuildError(f"{target} changed during the build: {reason}; it was left as it was.")
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a job stopped, a terminal closed) interrupts the build as Ctrl-C does, so that
    it cleans up: its staging folder removed, its workers stopped. Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
