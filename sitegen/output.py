"""Stage 7: write pages and assets into a staging folder beside output/, then swap it in atomically."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from .messages import say
from .problems import BuildFailed, Problem


def content_digest(data: bytes) -> bytes:
    """What a written file is known by: the manifest compares these to tell unchanged files."""
    return hashlib.blake2b(data, digest_size=20).digest()


RENAME_EXCHANGE = 2
AT_FDCWD = -100
ELSEWHERE = say("or build elsewhere with --output DIR")


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"


def previous_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.previous"


def prepare_staging(out_dir: Path) -> Path:
    """A fresh staging folder; first restore output/ if a swap was cut short, and clear old stagings.

    Raises BuildFailed naming the folder when the disk does not let it be made (see `disk_problem`).
    """
    _make_parent(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildFailed([Problem(str(out_dir), 0, 0, say("is a file, not a folder: remove or rename it, {elsewhere}",
                                                              elsewhere=ELSEWHERE))])
    with disk_errors(out_dir, out_dir.parent):
        previous = previous_dir(out_dir)
        if previous.exists():
            if out_dir.exists():
                shutil.rmtree(previous)
            else:
                os.rename(previous, out_dir)
        for stale in out_dir.parent.glob(f".{out_dir.name}.staging-*"):
            if not _running(stale.name.rpartition("-")[2]):  # another build may still be writing its own
                _remove(stale)
        stage = staging_dir(out_dir)
        stage.mkdir()
    return stage


def _make_parent(out_dir: Path) -> None:
    """The folder that holds output/ (and the staging folder beside it), made if missing."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        existing = next((folder for folder in out_dir.parents if os.path.lexists(folder)), out_dir.parent)
        if not existing.is_dir():
            raise BuildFailed([Problem(str(existing), 0, 0, say("is a file, so the output folder {folder} cannot be "
                                                                "made inside it: remove or rename the file, {elsewhere}",
                                                                folder=str(out_dir), elsewhere=ELSEWHERE))]) from None
        raise BuildFailed([disk_problem(err, out_dir, existing)]) from None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def disk_errors(out_dir: Path, folder: Path | None = None):
    """Turn an OSError from writing the site into a BuildFailed problem naming `folder` (default out_dir)."""
    try:
        yield
    except OSError as err:
        raise BuildFailed([disk_problem(err, out_dir, folder or out_dir)]) from None


def disk_problem(err: OSError, out_dir: Path, folder: Path) -> Problem:
    """What went wrong with the disk under `folder`, and what to do, for the site being built into `out_dir`."""
    code = err.errno
    fields = dict(elsewhere=ELSEWHERE, reason=err.strerror, output=out_dir.name)
    if code == errno.ENOSPC:
        message = say("no space left on the disk for the new site (it is written beside the old one and then "
                      "swapped in, so both must fit): free some space, {elsewhere}", **fields)
    elif code == errno.EDQUOT:
        message = say("disk quota exceeded while writing the new site: free some space, {elsewhere}", **fields)
    elif code == errno.EROFS:
        message = say("the folder is on a read-only file system: remount it read-write, {elsewhere}", **fields)
    elif code in (errno.EACCES, errno.EPERM):
        message = say("permission denied: the new site is written into a staging folder beside {output}/ and then "
                      "swapped in, so this folder must be writable: change its permissions, {elsewhere}", **fields)
    elif code == errno.EBUSY:
        message = say("cannot be replaced: it is a mount point or in use ({reason}): build into a folder inside it, "
                      "{elsewhere}", **fields)
    elif code == errno.EXDEV:  # the staging folder sits beside output/, so output/ is on another disk
        message = say("cannot be replaced: it is a mount point, on another disk than the folder holding it "
                      "({reason}): build into a folder inside it, {elsewhere}", **fields)
    else:
        message = say("cannot write the new site ({reason}): check the disk, {elsewhere}", **fields)
    return Problem(str(folder), 0, 0, message)


def site_folder(folder: Path) -> Path:
    """output/ for its staging folder (`.output.staging-PID`); any other folder is itself the site."""
    found = re.fullmatch(r"\.(.+)\.staging-\d+", folder.name)
    return folder.with_name(found[1]) if found else folder


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


def copy_assets(assets_dir: Path, files, stage: Path, replace: bool = False) -> int:
    """Copy assets into the staging folder (or over a live one, file by file); returns bytes copied.

    A disk error raises BuildFailed naming the site's folder.
    """
    total = 0
    with disk_errors(site_folder(stage)):
        for rel in files:
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if replace:
                temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
                try:
                    shutil.copyfile(assets_dir / rel, temporary)
                    os.replace(temporary, target)
                except OSError:
                    temporary.unlink(missing_ok=True)  # no half-copied temporary left in a live folder
                    raise
            else:
                shutil.copyfile(assets_dir / rel, target)
            total += target.stat().st_size
    return total


def write_text_files(stage: Path, files, replace: bool = False) -> int:
    """Write (relative path, text) pairs as UTF-8; returns the number of bytes written.

    With replace=True each file is written beside its target and renamed over it, so a reader of a
    live folder (the preview server) never sees half a file; unchanged files are not touched.
    A disk error raises BuildFailed naming the site's folder.
    """
    total = 0
    made: set[str] = set()
    try:
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
                _replace_with(target, data)
            else:
                with open(target, "wb") as handle:
                    handle.write(data)
            total += len(data)
    except OSError as err:  # disk_errors() by hand: this runs once per page, so no site_folder() before a failure
        raise BuildFailed([disk_problem(err, site_folder(stage), site_folder(stage))]) from None
    return total


def _replace_with(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)  # no half-written temporary left in a live folder
        raise


def remove_files(root: Path, files) -> None:
    """Remove files no longer produced, and the folders they leave empty.

    The folders are tried once each, deepest first, after every file has gone: asking after each file whether
    its folder is empty lists the folder each time, which made removing a search index of 38,000 files (2,000 to
    a folder) take 27 s instead of 1.4 s."""
    folders: set[Path] = set()
    for rel in files:
        path = root / rel
        path.unlink(missing_ok=True)
        folders.update(parent for parent in path.parents if parent != root and root in parent.parents)
    for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError as err:
            if err.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOENT):
                raise


def swap_in(stage: Path, out_dir: Path) -> None:
    """Make the staging folder the live output/ in one step; the old site is then removed.

    Until the step itself succeeds output/ is untouched; a failure removes the staging folder and raises
    BuildFailed naming output/.
    """
    with _discarding(stage), disk_errors(out_dir):
        if not out_dir.exists():
            os.rename(stage, out_dir)
            return
        exchanged = exchange_paths(stage, out_dir)
        if not exchanged:
            # No atomic exchange here (not Linux, or a filesystem without it): two renames, and
            # prepare_staging() restores output/ from .previous if a build dies between them.
            previous = previous_dir(out_dir)
            os.rename(out_dir, previous)
            try:
                os.rename(stage, out_dir)
            except OSError:
                os.rename(previous, out_dir)
                raise
    # The new site is live: what is left is the old one, and the next build clears it if this cannot.
    shutil.rmtree(stage if exchanged else previous, ignore_errors=True)


@contextmanager
def _discarding(stage: Path):
    try:
        yield
    except BaseException:
        discard(stage)
        raise


def exchange_paths(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths atomically, so output/ is never missing, not even between
    two renames (a server publishing it never answers "not found" during a build). False where unsupported: the
    callers then swap with two renames."""
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
