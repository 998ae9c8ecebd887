"""发布: check the whole site, commit the changed articles with their pictures in one commit, push it.

Only content/ and assets/ are ever committed (never output/, .cache/ or .preview/). When the push is refused
because the remote moved, the commit is rebased onto it if their changes do not overlap, checked again and
pushed; otherwise the commit stays on this computer and the answer says what happened: nothing is lost."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..messages import Language, Message, listing, say
from ..pipeline import BuildOptions, build
from ..problems import BuildFailed
from ..sources import is_scratch_file
from .entrytext import load, not_shown_yet, split

AREAS = ("content", "assets")
PUSH_TIMEOUT = 180  # seconds: a slow office line, and a remote that asks for nothing (no prompts: see git())
DESK_AUTHOR = ("编辑台", "desk@localhost")  # when the repository names no author


@dataclass(frozen=True, slots=True)
class Published:
    """What 发布 did, in the editor's words; `ok` when the articles are on the remote."""

    ok: bool
    text: str


class GitFailed(Exception):
    def __init__(self, result: subprocess.CompletedProcess):
        super().__init__(result.stderr.strip() or result.stdout.strip())
        self.result = result


def git(top: Path, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_EDITOR": "true", "GIT_ASKPASS": "true"}
    result = subprocess.run(["git", *args], cwd=top, capture_output=True, text=True, env=env, timeout=timeout)
    if check and result.returncode != 0:
        raise GitFailed(result)
    return result


def publish_site(site_yaml: Path, language: Language, now: dt.datetime | None = None) -> Published:
    """发布 the site whose site.yaml is `site_yaml`; the answer in `language`."""
    try:
        return _publish(site_yaml.parent.resolve(), site_yaml, language, now)
    except GitFailed as failed:
        return Published(False, language("Not published: {reason}", reason=git_reason(failed.result)))
    except FileNotFoundError:
        return Published(False, language("Not published: git is not installed on this computer"))


def _publish(root: Path, site_yaml: Path, _: Language, now) -> Published:
    found = git(root, "rev-parse", "--show-toplevel", check=False)
    if found.returncode != 0:
        return Published(False, _("Not published: the site's folder {folder} is not in a git repository",
                                  folder=str(root)))
    top = Path(found.stdout.strip()).resolve()
    branch = git(top, "symbolic-ref", "--quiet", "--short", "HEAD", check=False).stdout.strip()
    if not branch:
        return Published(False, _("Not published: the repository is not on a branch (ask whoever set it up)"))
    remote, remote_branch = where_to(top, branch)
    if remote is None:
        return Published(False, _("Not published: the repository has no remote to publish to (ask whoever set it "
                                  "up to add one with 'git remote add origin ...')"))
    changed = changed_files(top, root)
    waiting = unpushed(top, remote, remote_branch)
    if not changed and not waiting:
        return Published(False, _("Nothing to publish: every saved article is already published"))
    problems = check(site_yaml, now)
    if problems:
        return Published(False, _("Not published: the site has problems. Correct them and publish again:") + "\n" +
                         "\n".join(problem.said(_) for problem in problems))
    titles: list[Changed] = []
    if changed:
        titles = article_titles(top, changed, now)
        message = _.text(commit_message(titles, changed))
        git(top, "add", "-A", "--", *changed)
        author = [] if git(top, "config", "user.name", check=False).stdout.strip() else \
            ["-c", f"user.name={DESK_AUTHOR[0]}", "-c", f"user.email={DESK_AUTHOR[1]}"]
        git(top, *author, "commit", "--quiet", "--no-verify", "-m", message, "--", *changed)
    return push(Destination(top, remote, remote_branch), site_yaml, titles, _, now)


def where_to(top: Path, branch: str) -> tuple[str | None, str]:
    """The remote and branch the current branch publishes to: its upstream, else origin (or the only remote)."""
    remote = git(top, "config", f"branch.{branch}.remote", check=False).stdout.strip()
    merge = git(top, "config", f"branch.{branch}.merge", check=False).stdout.strip()
    if not remote:
        remotes = git(top, "remote").stdout.split()
        remote = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else ""
    return remote or None, merge.removeprefix("refs/heads/") or branch


def changed_files(top: Path, root: Path) -> list[str]:
    """Files changed, added or removed under the site's content/ and assets/, as paths from the repository's top."""
    site = root.relative_to(top).as_posix()
    areas = [f"{site}/{area}" if site != "." else area for area in AREAS]
    listed = git(top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", *areas).stdout
    paths = [entry[3:] for entry in listed.split("\0") if len(entry) > 3]
    return sorted(path for path in paths if not is_scratch_file(path.rpartition("/")[2]))


def unpushed(top: Path, remote: str, remote_branch: str) -> int:
    """How many commits of HEAD the remote's branch (as last fetched) does not have."""
    known = git(top, "rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{remote_branch}", check=False)
    if known.returncode != 0:
        return int(git(top, "rev-list", "--count", "HEAD").stdout.strip() or 0)
    return int(git(top, "rev-list", "--count", f"{known.stdout.strip()}..HEAD").stdout.strip() or 0)


def check(site_yaml: Path, now) -> tuple:
    """Every problem of the site, as `build.py check` finds them."""
    try:
        build(site_yaml, BuildOptions(write=False, search=False, now=now))
    except BuildFailed as failed:
        return failed.problems
    return ()


@dataclass(frozen=True)
class Changed:
    """A changed article as 发布 names it: its title, whether it is removed, and whether readers will not see it
    (a draft, or dated later than now)."""
    title: str
    removed: bool = False
    hidden: bool = False
    moved: bool = False  # removed from one section and added, under its file name, to another

    def named(self) -> Message | str:
        if self.moved:
            return say("《{title}》 (moved to another section)", title=self.title)
        return say("the removal of 《{title}》", title=self.title) if self.removed else f"《{self.title}》"


def article_titles(top: Path, changed: list[str], now: dt.datetime | None = None) -> list[Changed]:
    """The changed articles (a removed one by its title before it was removed, else by its file name)."""
    titles, names = [], []
    for path in changed:
        if not is_article(path):
            continue
        file = top / path
        removed = not file.is_file()
        text = git(top, "show", f"HEAD:{path}", check=False).stdout if removed else \
            file.read_text(encoding="utf-8-sig", errors="replace")
        values = load(split(text.replace("\r\n", "\n"))[0] or "")
        title = values.get("title")
        titles.append(Changed(str(title).strip() if title else path.rpartition("/")[2], removed,
                              not removed and not_shown_yet(values, now)))
        names.append(path.rpartition("/")[2])
    moves = [(gone, kept) for gone in range(len(titles)) for kept in range(len(titles))
             if titles[gone].removed and not titles[kept].removed and names[gone] == names[kept]
             and titles[gone].title == titles[kept].title]
    for gone, kept in moves:  # 移到其他栏目: one article, said once
        titles[kept] = dataclasses.replace(titles[kept], moved=True)
    dropped = {gone for gone, _ in moves}
    return [item for number, item in enumerate(titles) if number not in dropped]


def is_article(path: str) -> bool:
    return path.endswith(".md") and not path.endswith("/_index.md") and "/content/" in f"/{path}"


def commit_message(titles: list[Changed], changed: list[str]) -> Message:
    """发布：标题一、标题二 (and how many other files went with them: pictures, attachments, sections)."""
    others = sum(not is_article(path) for path in changed)
    named = listing(item.named() for item in titles) if titles else ""
    if titles and others:
        return say("Publish: {titles} (with {count} pictures or files)", titles=named, count=others)
    if titles:
        return say("Publish: {titles}", titles=named)
    return say("Publish {count} pictures or files", count=others)


def git_reason(result: subprocess.CompletedProcess) -> Message:
    """Why git failed, in the editor's words where the cause is a common one; else git's own last line."""
    text = (result.stderr or result.stdout).lower()
    if any(words in text for words in ("could not resolve host", "unable to access", "timed out",
                                       "connection refused", "network is unreachable")):
        return say("this computer cannot reach the repository's server (check the network)")
    if any(words in text for words in ("authentication failed", "permission denied", "403")):
        return say("the repository's server refused the account or key (ask whoever set it up)")
    if any(words in text for words in ("not found", "does not appear to be a git repository",
                                       "could not read from remote repository", "does not exist")):
        return say("the repository was not found where the site sends it (ask whoever set it up)")
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return say("git said: {reason}", reason=(lines[-1] if lines else f"exit {result.returncode}").rstrip(".。"))


@dataclass(frozen=True)
class Destination:
    """Where 发布 sends the commits: the repository's top folder, its remote and the remote's branch."""
    top: Path
    remote: str
    remote_branch: str


def push(to: Destination, site_yaml: Path, titles: list[Changed], _: Language, now) -> Published:
    """Push HEAD; when the remote moved, rebase onto it (if the changes do not overlap), check again, push again."""
    top, remote, remote_branch = to.top, to.remote, to.remote_branch
    named = _.text(listing(item.named() for item in titles)) if titles else _("the saved changes")
    hidden = [item.title for item in titles if item.hidden]
    unseen = ("\n" + _("Not on the website yet: {titles}: a draft, or dated later than now (it appears on the "
                       "first build after its date)", titles=listing(f"《{title}》" for title in hidden))) if hidden else ""
    sha = git(top, "rev-parse", "--short", "HEAD").stdout.strip()
    for attempt in range(2):
        result = git(top, "push", "--porcelain", remote, f"HEAD:refs/heads/{remote_branch}", check=False,
                     timeout=PUSH_TIMEOUT)
        if result.returncode == 0:
            return Published(True, _("Published {titles} to {remote}: the website shows them in a few minutes "
                                     "(commit {sha})", titles=named, remote=remote, sha=sha) + unseen)
        if not rejected(result) or attempt:
            return Published(False, _("Not sent: {reason}. The articles are committed on this computer (commit {sha}) "
                                      "and nothing is lost; press 发布 again when the network works",
                                      reason=git_reason(result), sha=sha))
        git(top, "fetch", "--quiet", remote, remote_branch, timeout=PUSH_TIMEOUT)
        rebased = git(top, "rebase", "--autostash", "FETCH_HEAD", check=False)
        if rebased.returncode != 0:
            overlapping = git(top, "diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
            git(top, "rebase", "--abort", check=False)
            return Published(False, _("Not published: someone else changed the same files on {remote} in the "
                                      "meantime ({files}). Your articles are committed on this computer (commit {sha}) "
                                      "and nothing is lost; ask whoever looks after the site to combine the two",
                                      remote=remote, files=listing(overlapping) if overlapping else "?", sha=sha))
        sha = git(top, "rev-parse", "--short", "HEAD").stdout.strip()
        problems = check(site_yaml, now)
        if problems:
            return Published(False, _("Not published: with the changes someone else published in the meantime the "
                                      "site has problems. Correct them and publish again:") + "\n" +
                             "\n".join(problem.said(_) for problem in problems))
    raise AssertionError("unreachable")


def rejected(result: subprocess.CompletedProcess) -> bool:
    """Whether the push was refused because the remote has commits we lack (not for another reason)."""
    text = result.stdout + result.stderr
    return "[rejected]" in text or "non-fast-forward" in text or "fetch first" in text or "(stale info)" in text
