"""Stage 7: write the planned pages and the assets, rendering only pages whose key is new, and replace output/
in one atomic step. The cache keeps a manifest of every file of output/ and a spare copy of the site's
tree (sharing unchanged files with output/ by hard links), so a warm build writes only what changed."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import pickle
import shutil
import struct
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import Cache
from .config import Config
from .model import Page
from .output import (content_digest, copy_assets, discard, disk_errors, exchange_paths, prepare_staging,
                     remove_files, swap_in, write_text_files)
from .parallel import map_shares
from .problems import BuildFailed
from .render import Renderer, TemplateFailed

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

    files: dict  # rel -> (key digest, FILE_STAMP, digest of the bytes)
    folders: dict  # rel ('' for the root) -> FOLDER_STAMP
    search: bytes = b""  # the key of the search index it holds, b"" for none


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the cache knows of output/: the tree it holds and the spare tree beside it, and what made it: the
    build's fingerprint, the next time 'now' changes what is published, and the build's report."""

    live: Tree | None = None
    spare: Tree | None = None
    fingerprint: bytes | None = None
    next_change: dt.datetime | None = None
    report: dict | None = None


@dataclass(frozen=True, slots=True)
class Wanted:
    """Every file a build produces besides the search index: its pages with their keys, the assets with the
    digests of their bytes, and the phone-sized pictures."""

    planned: Planned
    assets: dict[str, str]
    derived: object = None  # pictures.Derivatives

    def digests(self) -> dict[str, bytes]:
        """rel -> what the file is known by: a page's key, a derived picture's digest, an asset's."""
        found = {page.out: key for page, key in zip(self.planned.pages, self.planned.keys)}
        if self.derived is not None:
            found.update(self.derived.digests())
        for rel, digest in self.assets.items():
            found[rel] = b"asset:" + digest.encode()
        return found


@dataclass(frozen=True, slots=True)
class Writer:
    """What writing a site needs: the config (where), the renderer, the cache, the workers, the stage timer."""

    config: Config
    renderer: Renderer
    cache: Cache
    jobs: int
    stages: object


# A stamp is packed in one small bytes object, not a tuple of three ints: the manifest holds one for every file
# and folder of output/ (a clean build of 100,000 articles with its search index: 676,000 files, 230,000 folders).
FILE_STAMP = struct.Struct("<QqQ")  # size, mtime_ns, inode
FOLDER_STAMP = struct.Struct("<qQ")  # mtime_ns, inode


def file_stamp(path: str) -> bytes:
    st = os.stat(path, follow_symlinks=False)
    return FILE_STAMP.pack(st.st_size, st.st_mtime_ns, st.st_ino)


def folder_stamp(path) -> bytes:
    st = os.stat(path)
    return FOLDER_STAMP.pack(st.st_mtime_ns, st.st_ino)


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
            files[rel] = (digest, file_stamp(f"{base}/{rel}"), contents[rel])
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder not in folders:
            last = old_folders.get(folder)
            if last is not None and folder not in changed:
                folders[folder] = last
            else:
                folders[folder] = folder_stamp(f"{base}/{folder}" if folder else base)
            if not folder:
                break
            folder = folder.rpartition("/")[0]
    if "" not in folders:
        folders[""] = folder_stamp(base)
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
            if folder_stamp(f"{base}/{folder}" if folder else base) != stamp:
                return False
        for rel, value in tree.files.items():
            if shared.get(rel, (None, None))[1] != value[1] and file_stamp(f"{base}/{rel}") != value[1]:
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


def load_manifest(cache: Cache, out_dir: Path) -> Manifest:
    data = cache.get("output", manifest_key(cache, out_dir))
    try:
        manifest = pickle.loads(data) if data is not None else Manifest()
    except Exception:
        return Manifest()
    if not isinstance(manifest, Manifest):
        return Manifest()
    if cache.get("output", changing_key(cache, out_dir)) is not None:
        return Manifest(live=manifest.live)
    return manifest


def save_manifest(cache: Cache, out_dir: Path, manifest: Manifest) -> None:
    def write(out) -> None:
        pickler = pickle.Pickler(out, protocol=5)
        # no memo: it held an entry for each of the manifest's millions of objects (+128 MiB at 100,000
        # articles); the few objects the two trees share are written twice instead
        pickler.fast = True
        pickler.dump(manifest)

    # written as it is pickled, never whole in memory
    cache.put_written("output", manifest_key(cache, out_dir), write)
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


def ready_trees(cache: Cache, out_dir: Path, manifest: Manifest, jobs: int = 1) -> Ready:
    """Check output/ and the spare tree against the manifest and make the spare ready for this build: kept,
    recovered, removed or filled by hard links from output/. It touches only the spare tree and reads only
    output/, so it runs beside the parse and the plan (a background worker, see pipeline): the stats and
    links of the whole tree cost a warm build most of its time. The caller holds the build lock."""
    live, spare_tree = manifest.live, manifest.spare
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


def spare_of(ready: Ready, manifest: Manifest) -> Tree | None:
    """The spare tree's Tree once ready_trees is done."""
    live = manifest.live
    if ready.spare == "kept":
        return manifest.spare
    if ready.spare == "filled":
        return Tree(live.files, {}, live.search)  # the same files (hard links), in folders of its own
    return ready.recovered


@dataclass(frozen=True, slots=True)
class IndexFiles:
    """The search index's files, made by the build itself: their digests, read only when they must be written."""

    files: object  # .digests: name -> digest, .read(name) -> bytes
    report: dict


def publish(writer: Writer, wanted: Wanted, search: Callable | None, facts: Manifest, manifest: Manifest | None = None,
            ready: Callable[[], Ready] | None = None) -> Published:
    """Make output/ hold exactly the wanted site (and the search index `search()` makes), writing as little as
    possible; atomic. `facts` (the build's fingerprint, next change and report) go into the manifest with the new
    output's stamps; `manifest` is the one the build read already (read here if None). `ready`, when given,
    gives ready_trees' answer (begun earlier by a caller that holds the build lock)."""
    cache, out_dir = writer.cache, writer.config.out_dir
    files = wanted.digests()
    index = None
    if search:
        index = IndexFiles(*search())
        writer.stages.done("search index")
        # known by the digest of their bytes itself (a page's key or an asset's never equals one): no copy of
        # it for each of a large archive's hundreds of thousands of index files
        files.update(index.files.digests)
    if manifest is None:
        manifest = load_manifest(cache, out_dir) if cache.enabled else Manifest()
    with contextlib.ExitStack() as held:
        if ready is None:  # checked here, and only now
            if cache.enabled:
                held.enter_context(build_lock(cache))
            ready = lambda: ready_trees(cache, out_dir, manifest, writer.jobs)  # noqa: E731
        state = ready()
        trees = Trees(manifest.live if state.live_ok else None, spare_of(state, manifest))
        if trees.live is not None and {rel: v[0] for rel, v in trees.live.files.items()} == files:
            writer.stages.done("render+write")
            if cache.enabled:
                save_manifest(cache, out_dir, dataclasses.replace(facts, live=manifest.live, spare=trees.spare))
            return Published(0, 0, 0, index.report if index else {})
        with disk_errors(out_dir):  # a full or read-only disk is a problem, not a traceback
            return _publish(writer, wanted, files, index, trees, facts)


@dataclass(frozen=True, slots=True)
class Trees:
    """output/'s tree as the manifest has it (None: not to be trusted) and the spare tree's (None: none)."""

    live: Tree | None
    spare: Tree | None


def _publish(writer: Writer, wanted: Wanted, files: dict[str, bytes], index: IndexFiles | None, trees: Trees,
             facts: Manifest) -> Published:
    cache, out_dir = writer.cache, writer.config.out_dir
    spare = spare_dir(cache, out_dir) if trees.spare is not None else None
    target = spare if spare is not None else prepare_staging(out_dir)
    if cache.enabled:  # the spare is being changed: until the end neither it nor the fingerprint is trusted
        # (a mark beside the manifest, which lists every file of both trees and so is written only once)
        cache.put("output", changing_key(cache, out_dir), b"")
    try:
        synced = sync(writer, wanted, files, index, target, trees if target == spare else Trees(trees.live, None))
    except BaseException:
        if target != spare:
            discard(target)
        raise
    old_live = swap(target, out_dir, spare_dir(cache, out_dir), trees.live)
    if cache.enabled:
        new_live = describe_tree(out_dir, files, synced.contents, trees.spare if target == spare else None,
                                 synced.touched)
        if old_live is not None:  # the same files, moved whole: only the root folder's stamp is new
            root = folder_stamp(spare_dir(cache, out_dir))
            old_live = Tree(old_live.files, {**old_live.folders, "": root}, old_live.search)
        save_manifest(cache, out_dir, dataclasses.replace(facts, live=new_live, spare=old_live))
    return Published(synced.rendered, synced.files, synced.bytes, index.report if index else {})


def swap(target: Path, out_dir: Path, spare: Path | None, live: Tree | None) -> Tree | None:
    """Put the tree written at `target` in output/'s place; the old live tree, when it is kept as the next
    build's spare tree (None when it was not kept)."""
    if target == spare:
        if not out_dir.exists():
            os.rename(target, out_dir)
            return None
        if not exchange_paths(target, out_dir):  # no atomic exchange on this filesystem: two renames
            swap_in(target, out_dir)
            return None
        return live
    if out_dir.exists() and spare is not None and not spare.exists() and exchange_paths(target, out_dir):
        os.rename(target, spare)  # the old site becomes the spare tree of the next build
        return live
    swap_in(target, out_dir)
    return None


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


@dataclass(frozen=True, slots=True)
class Synced:
    rendered: int  # pages rendered
    files: int  # files written or linked
    bytes: int
    contents: dict  # rel -> digest of the bytes of every file
    touched: frozenset  # files written, linked or removed


@dataclass(slots=True)
class Todo:
    """How each wanted file comes to be in the target tree: already there, linked from output/, or written."""

    contents: dict
    kept: set
    linked: int = 0
    literal_bytes: int = 0
    tasks: list = dataclasses.field(default_factory=list)  # ("page", number) | ("asset", rel) | ("pictures", ...)


def sync(writer: Writer, wanted: Wanted, files: dict[str, bytes], index: IndexFiles | None, target: Path,
         trees: Trees) -> Synced:
    """Bring `target` (a spare tree or an empty staging folder) to exactly the wanted `files`.

    Files already right stay; files right in output/ are hard-linked from there; pages are rendered and
    assets copied only when neither has them. A shared (hard-linked) file is never written in place:
    it is unlinked first, so output/ is never touched.
    """
    have = trees.spare.files if trees.spare is not None else {}  # what the target holds already
    extra = [rel for rel in have if rel not in files]
    remove_files(target, extra)
    todo = sort_out(wanted, files, index, target, trees, writer.config.out_dir)
    written = write_tasks(writer, wanted, target, todo.tasks)
    for (kind, what), (_, digest) in zip(todo.tasks, written):
        if kind == "page":
            todo.contents[wanted.planned.pages[what].out] = digest
        elif kind == "asset":  # an asset's digest is of its bytes
            todo.contents[what] = bytes.fromhex(files[what].removeprefix(b"asset:").decode())
        else:
            todo.contents.update(digest)
    total = sum(size for size, _ in written) + todo.literal_bytes
    writer.stages.done("render+write")
    # a new staging folder is described whole (describe_tree without `known`): no file needs naming there
    touched = (frozenset(extra).union(rel for rel in files if rel not in todo.kept) if trees.spare is not None
               else frozenset())
    pages = sum(1 for kind, _ in todo.tasks if kind == "page")
    return Synced(pages, len(todo.tasks) + todo.linked, total, todo.contents, touched)


def sort_out(wanted: Wanted, files: dict[str, bytes], index: IndexFiles | None, target: Path, trees: Trees,
             out_dir: Path) -> Todo:
    """Keep what the target has right, link what output/ has right, write the search index's files now; and
    the tasks left for the workers: pages to render, assets to copy, pictures to write."""
    have = trees.spare.files if trees.spare is not None else {}
    live = trees.live.files if trees.live is not None else {}
    todo = Todo({}, set())
    out_index = {page.out: number for number, page in enumerate(wanted.planned.pages)}
    sources = wanted.derived.sources() if wanted.derived is not None else {}  # derived picture -> its source
    pictures = []
    for rel, digest in files.items():
        if have.get(rel, (None,))[0] == digest:
            todo.contents[rel] = have[rel][2]
            todo.kept.add(rel)
            continue
        if rel in have:
            os.unlink(target / rel)
        if live.get(rel, (None,))[0] == digest:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(out_dir / rel, target / rel)
            todo.contents[rel] = live[rel][2]
            todo.linked += 1
        elif rel in out_index:
            todo.tasks.append(("page", out_index[rel]))
        elif rel in sources:
            pictures.append(rel)
        elif index is not None and rel in index.files.digests:
            data = index.files.read(rel)
            write_bytes(target, rel, data)
            todo.contents[rel] = digest
            todo.literal_bytes += len(data)
            todo.linked += 1  # counted with the files written
        else:
            todo.tasks.append(("asset", rel))
    # Pages, assets and pictures are written by the same workers, so copying is shared out like rendering.
    groups = wanted.derived.by_picture(pictures, sources) if pictures else {}
    todo.tasks += [("pictures", (source, tuple(outs))) for source, outs in groups.items()]
    return todo


def write_tasks(writer: Writer, wanted: Wanted, target: Path, tasks: list) -> list:
    """Render, copy and write the tasks' files into `target`, in worker processes: (bytes, digest) for each."""
    config, derived, planned = writer.config, wanted.derived, wanted.planned

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
                    data = writer.renderer.render(page, planned.inputs_of(what)).encode("utf-8")
                except TemplateFailed as err:
                    written.append(err.problem)
                    continue
                write_bytes(target, page.out, data)
                written.append((len(data), content_digest(data)))
        return written

    written = map_shares(write_share, tasks, writer.jobs, minimum=500)
    failures = [w for w in written if not isinstance(w, tuple)]
    if failures:
        raise BuildFailed(failures)
    return written


@dataclass(frozen=True, slots=True)
class Updated:
    rendered: int
    files: int
    bytes: int


@dataclass(frozen=True, slots=True)
class Written:
    """What the preview's folder holds, as the last build wrote it: each file's key (a page's, a derived
    picture's digest) and each asset's digest; and the pages those keys are of, with their output files."""

    keys: dict[str, bytes]
    assets: dict[str, str]
    pages: tuple = ()
    outs: tuple = ()


def update_in_place(writer: Writer, wanted: Wanted, written: Written) -> tuple[Updated, Written]:
    """The preview's write: render pages whose key changed, replace each changed file atomically in its
    folder (readers never see half a file), copy assets whose bytes changed, remove files no longer produced;
    and what the folder holds then."""
    config, planned, assets = writer.config, wanted.planned, wanted.assets
    last = written.keys
    # the very pages of the last build: then their files are the last ones
    outs = written.outs if written.pages is planned.pages else tuple(page.out for page in planned.pages)
    keys = dict(zip(outs, planned.keys))
    todo = [number for number, (out, key) in enumerate(zip(outs, planned.keys)) if last.get(out) != key]
    texts, failures = render_all(writer.renderer, planned, todo, writer.jobs)
    if failures:
        raise BuildFailed(failures)
    total = write_text_files(config.out_dir, [(planned.pages[n].out, text) for n, text in zip(todo, texts)],
                             replace=True)
    changed_assets = [rel for rel, digest in assets.items() if written.assets.get(rel) != digest]
    total += copy_assets(config.assets_dir, changed_assets, config.out_dir, replace=True)
    changed_pictures = []
    if wanted.derived is not None:  # the phone-sized pictures: their digests sit beside the page keys
        digests = wanted.derived.digests()
        changed_pictures = [rel for rel, digest in digests.items() if last.get(rel) != digest]
        total += wanted.derived.write(config.out_dir, changed_pictures)
        keys.update(digests)
    remove_files(config.out_dir, (last.keys() | written.assets.keys()) - keys.keys() - assets.keys())
    writer.stages.done("render+write")
    return (Updated(len(todo), len(todo) + len(changed_assets) + len(changed_pictures), total),
            Written(keys, assets, planned.pages, outs))


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
