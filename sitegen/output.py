"""Stage 7: write pages and assets into a staging folder beside output/, then swap it in atomically."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"


def previous_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.previous"


def prepare_staging(out_dir: Path) -> Path:
    """A fresh staging folder; first restore output/ if a swap was cut short, and clear old stagings."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = previous_dir(out_dir)
    if previous.exists():
        if out_dir.exists():
            shutil.rmtree(previous)
        else:
            os.rename(previous, out_dir)
    for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
        if not _running(stale.name.rpartition("-")[2]):  # another build may still be writing its own
            shutil.rmtree(stale, ignore_errors=True)
    stage = staging_dir(out_dir)
    stage.mkdir()
    return stage


def _running(pid: str) -> bool:
    """Whether the process that named a staging folder is still alive (and is not this one)."""
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_assets(assets_dir: Path) -> tuple[str, ...]:
    """Every file under assets/, as paths relative to it (they are served at the site root)."""
    if not assets_dir.is_dir():
        return ()
    found = []
    for dirpath, dirnames, filenames in os.walk(assets_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                found.append((Path(dirpath) / name).relative_to(assets_dir).as_posix())
    return tuple(found)


def copy_assets(assets_dir: Path, files, stage: Path, replace: bool = False) -> int:
    """Copy assets into the staging folder (or over a live one, file by file); returns bytes copied."""
    total = 0
    for rel in files:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if replace:
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            shutil.copyfile(assets_dir / rel, temporary)
            os.replace(temporary, target)
        else:
            shutil.copyfile(assets_dir / rel, target)
        total += target.stat().st_size
    return total


def stamps(folder: Path, files) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of each file, to notice changes without reading them."""
    found = {}
    for rel in files:
        stat = (folder / rel).stat()
        found[rel] = (stat.st_mtime_ns, stat.st_size)
    return found


def write_text_files(stage: Path, files, replace: bool = False) -> int:
    """Write (relative path, text) pairs as UTF-8; returns the number of bytes written.

    With replace=True each file is written beside its target and renamed over it, so a reader of a
    live folder (the preview server) never sees half a file; unchanged files are not touched.
    """
    total = 0
    made: set[str] = set()
    for rel, text in files:
        folder = rel.rpartition("/")[0]
        if folder and folder not in made:
            os.makedirs(stage / folder, exist_ok=True)
            made.add(folder)
        data = text.encode("utf-8")
        target = stage / rel
        if replace:
            try:
                if target.read_bytes() == data:
                    continue
            except OSError:
                pass
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        else:
            with open(target, "wb") as handle:
                handle.write(data)
        total += len(data)
    return total


def remove_files(root: Path, files) -> None:
    """Remove files no longer produced, and the folders they leave empty."""
    for rel in sorted(files, reverse=True):
        path = root / rel
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def swap_in(stage: Path, out_dir: Path) -> None:
    """Make the staging folder the live output/ in one step; the old site is then removed."""
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    if _exchange(stage, out_dir):
        shutil.rmtree(stage)  # now holds the old site
        return
    # No atomic exchange here (not Linux, or a filesystem without it): two renames, and
    # prepare_staging() restores output/ from .previous if a build dies between them.
    previous = previous_dir(out_dir)
    os.rename(out_dir, previous)
    os.rename(stage, out_dir)
    shutil.rmtree(previous)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths atomically. False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def discard(stage: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)
