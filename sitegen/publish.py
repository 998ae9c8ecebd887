"""Stage 7: write the planned pages and the assets, rendering only pages whose key is new, and replace output/
in one atomic step. The cache keeps a manifest of every file of output/ and a spare copy of the site's
tree (sharing unchanged files with output/ by hard links), so a warm build writes only what changed."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import Cache
from .config import Config
from .model import Page
from .output import (_exchange, content_digest, copy_assets, discard, disk_errors, prepare_staging, remove_files,
                     swap_in, write_text_files)
from .parallel import map_shares
from .problems import BuildFailed
from .render import Renderer, TemplateFailed

SEARCH_FOLDER = "search-index"


@dataclass(frozen=True, slots=True)
class Planned:
    pages: tuple[Page, ...]
    inputs: tuple  # None for a page whose key came from the last plan: make() gives its inputs if needed
    keys: tuple[bytes, ...]
    make: Callable | None = None

    def inputs_of(self, number: int):
        value = self.inputs[number]
        return value if value is not None else self.make(self.pages[number])


@dataclass(frozen=True, slots=True)
class Published:
    rendered: int  # pages rendered
    files: int  # files written (the rest were carried over)
    bytes: int
    search: dict


@dataclass(frozen=True, slots=True)
class Tree:
    """What the manifest knows of one folder it wrote: each file's digest and stamp, each folder's stamp."""

    files: dict  # rel -> (key digest, (size, mtime_ns, ino), digest of the bytes)
    folders: dict  # rel ('' for the root) -> (mtime_ns, ino)
    search: bytes = b""  # the key of the search index it holds, b"" for none


def desired_files(planned: Planned, assets: dict[str, str], derived=None) -> dict[str, bytes]:
    """rel -> digest of every file the build produces besides the search index."""
    wanted = {page.out: key for page, key in zip(planned.pages, planned.keys)}
    if derived is not None:  # pictures hook (issue 10): phone-sized versions of the pictures
        wanted.update(derived.digests())
    for rel, digest in assets.items():
        wanted[rel] = b"asset:" + digest.encode()
    return wanted


def _stat(path: str):
    st = os.stat(path, follow_symlinks=False)
    return st.st_size, st.st_mtime_ns, st.st_ino


def describe_tree(root: Path, digests: dict[str, bytes], contents: dict[str, bytes],
                  known: Tree | None = None, touched: frozenset = frozenset()) -> Tree:
    """Stamps of a folder just written, for the manifest. With `known` (the tree's stamps before, checked this
    build) and `touched` (the files written, linked or removed since), only those files and their folders
    are looked at again (and the root, which the swap moved)."""
    base = str(root)
    files, folders = {}, {}
    old_files, old_folders = (known.files, known.folders) if known is not None else ({}, {})
    changed = {""}
    for rel in touched:
        while rel:
            rel = rel.rpartition("/")[0]
            changed.add(rel)
    for rel, digest in digests.items():
        last = old_files.get(rel)
        if last is not None and rel not in touched and last[0] == digest:
            files[rel] = (digest, last[1], contents[rel])
        else:
            files[rel] = (digest, _stat(f"{base}/{rel}"), contents[rel])
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder not in folders:
            last = old_folders.get(folder)
            if last is not None and folder not in changed:
                folders[folder] = last
            else:
                st = os.stat(f"{base}/{folder}" if folder else base)
                folders[folder] = (st.st_mtime_ns, st.st_ino)
            if not folder:
                break
            folder = folder.rpartition("/")[0]
    if "" not in folders:
        st = os.stat(base)
        folders[""] = (st.st_mtime_ns, st.st_ino)
    return Tree(files, folders)


def intact(root: Path, tree: Tree | None, checked: Tree | None = None) -> bool:
    """Whether a folder is still exactly as the manifest says: no file changed, none added or removed.

    A folder's mtime changes whenever an entry is added or removed, and a file's size, mtime or inode
    whenever it is written, so this needs one stat per file and folder, never a read. A file recorded with
    the same stamp (inode included) as in `checked`, a tree found intact just now, is that very file: while
    its folder's entries are unchanged, it needs no stat of its own (the spare tree shares most files).
    """
    if tree is None:
        return False
    base = str(root)
    shared = checked.files if checked is not None else {}
    try:
        for folder, stamp in tree.folders.items():
            st = os.stat(f"{base}/{folder}" if folder else base)
            if (st.st_mtime_ns, st.st_ino) != stamp:
                return False
        for rel, value in tree.files.items():
            if shared.get(rel, (None, None))[1] != value[1] and _stat(f"{base}/{rel}") != value[1]:
                return False
    except OSError:
        return False
    return True


def manifest_key(cache: Cache, out_dir: Path) -> str:
    return cache.key("manifest", str(out_dir.resolve()))


def changing_key(cache: Cache, out_dir: Path) -> str:
    """A mark that a build is changing the spare tree: while it is there, the manifest's spare tree and
    fingerprint are not trusted (a build killed midway leaves it)."""
    return cache.key("manifest changing", str(out_dir.resolve()))


def load_manifest(cache: Cache, out_dir: Path) -> dict:
    data = cache.get("output", manifest_key(cache, out_dir))
    try:
        manifest = pickle.loads(data) if data is not None else {}
        if not isinstance(manifest, dict):
            return {}
    except Exception:
        return {}
    if cache.get("output", changing_key(cache, out_dir)) is not None:
        return {"live": manifest.get("live"), "spare": None}
    return manifest


def save_manifest(cache: Cache, out_dir: Path, manifest: dict) -> None:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    # no memo: it held an entry for each of the manifest's millions of objects (+128 MiB at 100,000
    # articles); the few objects the two trees share are written twice instead
    pickler.fast = True
    pickler.dump(manifest)
    cache.put("output", manifest_key(cache, out_dir), buffer.getbuffer())
    cache.remove("output", changing_key(cache, out_dir))


def spare_dir(cache: Cache, out_dir: Path) -> Path | None:
    """Where the spare tree lives: in the cache, when that is on output/'s filesystem (for hard links and
    the atomic exchange); else None, and warm builds copy."""
    if not cache.enabled:
        return None
    folder = cache.root / "trees" / hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(folder.parent).st_dev != os.stat(out_dir.parent).st_dev:
            return None
    except OSError:
        return None
    return folder


def link_tree(source: Path, target: Path, files, jobs: int = 1, shared_from: int = 5000) -> None:
    """Hard-link `files` of one folder into another (the spare tree's first fill), in `jobs` workers, each
    given one run of the sorted files (so they seldom add entries to the same folder). Plain strings and
    one mkdir per folder: a site has a folder for nearly every page, and pathlib cost twice the system calls."""
    base, into = str(source), str(target)
    os.makedirs(into, exist_ok=True)
    files = sorted(files)
    jobs = jobs if len(files) >= shared_from else 1  # forking costs more than linking a small site
    runs = [files[len(files) * n // jobs: len(files) * (n + 1) // jobs] for n in range(jobs)]

    def link_runs(share):
        made = {""}
        for run in share:
            for rel in run:
                folder = rel.rpartition("/")[0]
                if folder not in made:
                    missing = []
                    while folder not in made:  # the first of its folders not made yet, then down from there
                        missing.append(folder)
                        folder = folder.rpartition("/")[0]
                    for folder in reversed(missing):
                        try:
                            os.mkdir(f"{into}/{folder}")
                        except FileExistsError:  # made by the other worker
                            pass
                        made.add(folder)
                os.link(f"{base}/{rel}", f"{into}/{rel}")
        return [None] * len(share)

    map_shares(link_runs, runs, jobs, minimum=1)


@dataclass(frozen=True, slots=True)
class Ready:
    """The two trees as a build found them: whether output/ is still exactly the manifest's live tree, and
    how the spare tree stands ("kept": the manifest's; "filled": linked from output/ just now, so the live
    files; "recovered": `recovered`; None: there is none, a staging folder is made instead)."""

    live_ok: bool
    spare: str | None
    recovered: Tree | None = None


def ready_trees(cache: Cache, out_dir: Path, manifest: dict, jobs: int = 1) -> Ready:
    """Check output/ and the spare tree against the manifest and make the spare ready for this build: kept,
    recovered, removed or filled by hard links from output/. It touches only the spare tree and reads only
    output/, so it runs beside the parse and the plan (a background worker, see pipeline): the stats and
    links of the whole tree cost a warm build most of its time. The caller holds the build lock."""
    live, spare_tree = manifest.get("live"), manifest.get("spare")
    live_ok = out_dir.is_dir() and intact(out_dir, live)
    spare = spare_dir(cache, out_dir)
    if spare is None:
        return Ready(live_ok, None)
    with disk_errors(out_dir):
        if spare.exists():
            if spare_tree is not None and intact(spare, spare_tree, live if live_ok else None):
                return Ready(live_ok, "kept")
            recovered = recover(spare, spare_tree) if spare_tree is not None and not live_ok else None
            if recovered is not None:
                return Ready(live_ok, "recovered", recovered)
            cache.put("output", changing_key(cache, out_dir), b"")  # the spare is no longer what the manifest says
            shutil.rmtree(spare, ignore_errors=True)
        if not live_ok:
            return Ready(live_ok, None)
        cache.put("output", changing_key(cache, out_dir), b"")
        # in workers of its own: once the build's process has planned, it only waits for this
        link_tree(out_dir, spare, live.files, jobs)
    return Ready(live_ok, "filled")


def spare_of(ready: Ready, manifest: dict) -> Tree | None:
    """The spare tree's Tree once ready_trees is done."""
    live = manifest.get("live")
    if ready.spare == "kept":
        return manifest.get("spare")
    if ready.spare == "filled":
        return Tree(live.files, {}, live.search)  # the same files (hard links), in folders of its own
    return ready.recovered


def publish(config: Config, renderer: Renderer, planned: Planned, assets: dict[str, str], cache: Cache,
            jobs: int, stages, search, derived, remembered: dict, manifest: dict | None = None,
            ready: Callable[[], Ready] | None = None) -> Published:
    """Make output/ hold exactly the planned site, writing as little as possible; atomic. `remembered` goes
    into the manifest with the new output's stamps (the build's fingerprint and report); `manifest` is the
    one the build read already (read here if None). `ready`, when given, gives ready_trees' answer (begun
    earlier by a caller that holds the build lock)."""
    out_dir = config.out_dir
    wanted = desired_files(planned, assets, derived)
    literal = None  # files made by the build itself (the search index), read when they must be written
    report = {}
    if search:
        literal, report = search()
        stages.done("search index")
        wanted.update({rel: b"file:" + digest for rel, digest in literal.digests.items()})
    if manifest is None:
        manifest = load_manifest(cache, out_dir) if cache.enabled else {}
    with contextlib.ExitStack() as held:
        if ready is None:  # checked here, and only now
            if cache.enabled:
                held.enter_context(build_lock(cache))
            ready = lambda: ready_trees(cache, out_dir, manifest, jobs)  # noqa: E731
        state = ready()
        live = manifest.get("live") if state.live_ok else None
        spare_tree = spare_of(state, manifest)
        if live is not None and {rel: v[0] for rel, v in live.files.items()} == wanted:
            stages.done("render+write")
            if cache.enabled:
                save_manifest(cache, out_dir, {**manifest, "spare": spare_tree, **remembered})
            return Published(0, 0, 0, report)
        with disk_errors(out_dir):  # a full or read-only disk is a problem, not a traceback
            return _publish(config, renderer, planned, cache, jobs, stages, literal, report, out_dir, wanted,
                            live, remembered, derived, spare_tree)


def _publish(config, renderer, planned, cache, jobs, stages, literal, report, out_dir, wanted,
             live: Tree | None, remembered: dict, derived=None, spare_tree: Tree | None = None) -> Published:
    spare = spare_dir(cache, out_dir) if spare_tree is not None else None
    if spare is not None:
        target, have = spare, spare_tree.files
    else:
        target, have = prepare_staging(out_dir), {}
    if cache.enabled:  # the spare is being changed: until the end neither it nor the fingerprint is trusted
        # (a mark beside the manifest, which lists every file of both trees and so is written only once)
        cache.put("output", changing_key(cache, out_dir), b"")
    try:
        rendered, files, total, contents, touched = sync(config, renderer, planned, wanted, target, have,
                                                live.files if live is not None else {}, out_dir, jobs, stages,
                                                derived, literal)
    except BaseException:
        if target != spare:
            discard(target)
        raise
    old_live = live
    spare = spare_dir(cache, out_dir)
    if target == spare:
        if not out_dir.exists():
            os.rename(target, out_dir)
            old_live = None
        elif not _exchange(target, out_dir):  # no atomic exchange on this filesystem: two renames
            swap_in(target, out_dir)
            old_live = None
    elif out_dir.exists() and spare is not None and not spare.exists() and _exchange(target, out_dir):
        os.rename(target, spare)  # the old site becomes the spare tree of the next build
    else:
        swap_in(target, out_dir)
        old_live = None
    if cache.enabled:
        new_live = describe_tree(out_dir, wanted, contents, spare_tree if target == spare else None, touched)
        if old_live is not None:  # the same files, moved whole: only the root folder's stamp is new
            st = os.stat(spare)
            old_live = Tree(old_live.files, {**old_live.folders, "": (st.st_mtime_ns, st.st_ino)}, old_live.search)
        save_manifest(cache, out_dir, {"live": new_live, "spare": old_live, **remembered})
    return Published(rendered, files, total, report)


def recover(root: Path, tree: Tree) -> Tree | None:
    """A spare tree whose stamps no longer match (the cache was restored from an archive, as CI does):
    keep each file whose bytes still have the recorded digest, remove every other file. None if unusable."""
    files = {}
    try:
        for path in sorted(root.rglob("*"), reverse=True):
            rel = path.relative_to(root).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
                continue
            value = tree.files.get(rel)
            if value is not None and content_digest(path.read_bytes()) == value[2]:
                files[rel] = value
            else:
                path.unlink()
        fresh = describe_tree(root, {rel: v[0] for rel, v in files.items()}, {rel: v[2] for rel, v in files.items()})
    except OSError:
        return None
    return Tree(fresh.files, fresh.folders, tree.search)


@contextlib.contextmanager
def build_lock(cache: Cache):
    """One publishing build at a time per cache (the spare tree and the manifest are shared)."""
    if not cache.enabled:
        yield
        return
    try:
        cache.root.mkdir(parents=True, exist_ok=True)
        handle = open(cache.root / "lock", "a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_bytes(root: Path, rel: str, data: bytes) -> None:
    path = root / rel
    try:
        handle = open(path, "wb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "wb")
    with handle:
        handle.write(data)


def sync(config: Config, renderer: Renderer, planned: Planned, wanted: dict[str, bytes], target: Path,
         have: dict, live: dict, out_dir: Path, jobs: int, stages, derived=None,
         literal=None) -> tuple[int, int, int, dict, frozenset]:
    """Bring `target` (a spare tree or an empty staging folder) to exactly the wanted files.

    Files already right stay; files right in output/ are hard-linked from there; pages are rendered and
    assets copied only when neither has them. A shared (hard-linked) file is never written in place:
    it is unlinked first, so output/ is never touched.
    """
    extra = [rel for rel in have if rel not in wanted]
    remove_files(target, extra)
    kept = set()
    todo_pages, todo_assets, todo_pictures, linked, contents, total_literal = [], [], [], 0, {}, 0
    out_index = {page.out: number for number, page in enumerate(planned.pages)}
    sources = derived.sources() if derived is not None else {}  # pictures hook (issue 10): derived file -> source
    for rel, digest in wanted.items():
        if have.get(rel, (None,))[0] == digest:
            contents[rel] = have[rel][2]
            kept.add(rel)
            continue
        if rel in have:
            os.unlink(target / rel)
        if live.get(rel, (None,))[0] == digest:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(out_dir / rel, target / rel)
            contents[rel] = live[rel][2]
            linked += 1
        elif rel in out_index:
            todo_pages.append(out_index[rel])
        elif rel in sources:
            todo_pictures.append(rel)
        elif literal is not None and rel in literal.digests:
            data = literal.read(rel)
            write_bytes(target, rel, data)
            contents[rel] = digest.removeprefix(b"file:")
            total_literal += len(data)
            linked += 1  # counted with the files written
        else:
            todo_assets.append(rel)

    # Pages, assets and pictures are written by the same workers, so copying is shared out like rendering.
    groups = derived.by_picture(todo_pictures, sources) if todo_pictures else {}
    tasks = [("page", n) for n in todo_pages] + [("asset", rel) for rel in todo_assets] + \
        [("pictures", (source, tuple(outs))) for source, outs in groups.items()]

    def write_share(share):
        written = []
        for kind, what in share:
            if kind == "asset":
                written.append((copy_assets(config.assets_dir, [what], target), None))
            elif kind == "pictures":
                source, outs = what
                size = derived.write_picture(target, source, outs)
                written.append((size, {rel: content_digest((target / rel).read_bytes()) for rel in outs}))
            else:
                page = planned.pages[what]
                try:
                    data = renderer.render(page, planned.inputs_of(what)).encode("utf-8")
                except TemplateFailed as err:
                    written.append(err.problem)
                    continue
                write_bytes(target, page.out, data)
                written.append((len(data), content_digest(data)))
        return written

    written = map_shares(write_share, tasks, jobs, minimum=500)
    failures = [w for w in written if not isinstance(w, tuple)]
    if failures:
        raise BuildFailed(failures)
    for (kind, what), (_, digest) in zip(tasks, written):
        if kind == "page":
            contents[planned.pages[what].out] = digest
        elif kind == "asset":  # an asset's digest is of its bytes
            contents[what] = bytes.fromhex(wanted[what].removeprefix(b"asset:").decode())
        else:
            contents.update(digest)
    total = sum(size for size, _ in written) + total_literal
    stages.done("render+write")
    touched = frozenset(extra).union(rel for rel in wanted if rel not in kept)
    return len(todo_pages), len(todo_pages) + len(todo_assets) + len(todo_pictures) + linked, total, contents, touched


@dataclass(frozen=True, slots=True)
class Updated:
    rendered: int
    files: int
    bytes: int


def update_in_place(config: Config, renderer: Renderer, planned: Planned, assets: dict[str, str], memory,
                    jobs: int, derived=None) -> Updated:
    """The preview's write: render pages whose key changed, replace each changed file atomically in its
    folder (readers never see half a file), copy assets whose bytes changed (`assets`: path -> digest), remove
    files no longer produced."""
    out = config.out_dir
    last = memory.keys
    same_pages = memory.outs and memory.outs[0] is planned.pages  # then their files are the last ones
    outs = memory.outs[1] if same_pages else tuple(page.out for page in planned.pages)
    keys = dict(zip(outs, planned.keys))
    todo = [number for number, (out, key) in enumerate(zip(outs, planned.keys)) if last.get(out) != key]

    texts, failures = render_all(renderer, planned, todo, jobs)
    if failures:
        raise BuildFailed(failures)
    total = write_text_files(out, [(planned.pages[n].out, text) for n, text in zip(todo, texts)], replace=True)
    changed_assets = [rel for rel, digest in assets.items() if memory.assets.get(rel) != digest]
    total += copy_assets(config.assets_dir, changed_assets, out, replace=True)
    changed_pictures = []
    if derived is not None:  # pictures hook (issue 10): their digests sit beside the page keys
        digests = derived.digests()
        changed_pictures = [rel for rel, digest in digests.items() if memory.keys.get(rel) != digest]
        total += derived.write(out, changed_pictures)
        keys.update(digests)
    gone = (last.keys() | memory.assets.keys()) - keys.keys() - assets.keys()
    remove_files(out, gone)
    memory.keys, memory.assets, memory.outs = keys, assets, (planned.pages, outs)
    return Updated(len(todo), len(todo) + len(changed_assets) + len(changed_pictures), total)


def render_all(renderer: Renderer, planned: Planned, numbers, jobs: int) -> tuple[list, tuple]:
    """The texts of the pages at `numbers`, in worker processes, and the template problems met."""
    def render_share(share):
        texts = []
        for number in share:
            try:
                texts.append(renderer.render(planned.pages[number], planned.inputs_of(number)))
            except TemplateFailed as err:
                texts.append(err.problem)
        return texts

    texts = map_shares(render_share, list(numbers), jobs, minimum=500)
    return texts, tuple(sorted({t for t in texts if not isinstance(t, str)}))
