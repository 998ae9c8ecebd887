"""The desk's figures (issue 20): save -> preview in Chromium, the content-only publish's build step beside Hugo's
clean build, and the desk's first load.

    .venv/bin/python bench/desk_bench.py [--articles 10000] [--runs 5] [--media disk tmpfs]

- save -> preview: `build.py serve` on the sample site and on a generated archive; in Chromium, through the real
  desk, the title of an article is changed and saved; the time from the click on 保存 until the preview pane
  shows the new title (the preview's page is reloaded by preview.js, which polls every 300 ms). Median of runs.
- publish step: what CI runs for a push that changed one article: the cache restored from the previous run, no
  output/, one article edited, then `build.py check` and `build.py build` (search included, as `make site`);
  Hugo's clean build of the same archive in the same run, runs interleaved; medians and the ratio.
- first load: the bytes Chromium receives for /admin/ until the article list shows (no compression on
  127.0.0.1), and how many requests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import assemble_site, corpus  # noqa: E402
from hugo_site import assemble_hugo_site, clean_hugo, hugo_binary, hugo_command, hugo_version  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MEDIA = {"disk": Path(tempfile.gettempdir()), "tmpfs": Path("/dev/shm")}
CHROMIUM = "/usr/bin/chromium"
EDIT = "\n\n代表们一致表示，将继续依法履职，为全县高质量发展贡献力量。\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(site: Path):
    """`build.py serve` on the site until its first build is served; yields its port."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for line in proc.stdout:
            if re.search(rf"http://127\.0\.0\.1:{port}/", line):
                break
        else:
            raise SystemExit("serve stopped before serving")
        threading_drain(proc)
        yield port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def threading_drain(proc) -> None:
    """Keep reading serve's output so it never blocks on a full pipe."""
    import threading
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()


def browser():
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--headless", "--no-sandbox", "--disable-gpu"])
    return playwright, chromium


def save_to_preview(site: Path, article: Path, runs: int) -> list[float]:
    """Seconds from the click on 保存 until the preview shows the saved title, `runs` times."""
    rel = article.relative_to(site / "content")
    collection = rel.parent.as_posix().replace("/", "__")
    times = []
    playwright, chromium = browser()
    try:
        with serving(site) as port:
            page = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(300_000)
            page.goto(f"http://127.0.0.1:{port}/admin/#/collections/{collection}/entries/{rel.stem}")
            title = page.locator("input[id^='title-field']").first
            title.wait_for()
            preview = page.frame_locator("#preview-pane").frame_locator("iframe")
            preview.locator("h1").wait_for()
            for number in range(runs):
                new = f"基准测试标题第{number + 1}次{time.monotonic_ns() % 100000}"
                title.fill(new)
                page.get_by_role("button", name="保存", exact=True).first.click()
                menu = page.get_by_role("menuitem", name="保存", exact=True).first
                menu.wait_for()
                started = time.perf_counter()
                menu.click()
                preview.locator("h1", has_text=new).wait_for()
                times.append(time.perf_counter() - started)
                print(f"  save -> preview {number + 1}/{runs}: {times[-1]:.2f} s", file=sys.stderr, flush=True)
                page.wait_for_selector("#desk-messages [data-kind=done]")
    finally:
        chromium.close()
        playwright.stop()
    return times


def first_load() -> tuple[int, int, float]:
    """(bytes received, requests, seconds) for the desk's first load on the sample site, until the list shows."""
    site = Path(tempfile.mkdtemp(prefix="desk-bench-sample-"))
    try:
        for name in ("site.yaml", "content", "layouts", "assets", "data"):  # the whole sample site
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, site / name)
        playwright, chromium = browser()
        try:
            with serving(site) as port:
                page = chromium.new_context(locale="zh-CN").new_page()
                finished = []
                page.on("requestfinished", lambda request: finished.append(request))
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/admin/#/collections/renda-yaowen")
                page.get_by_text("人大常委会", exact=False).first.wait_for(timeout=60_000)
                page.wait_for_load_state("networkidle")
                seconds = time.perf_counter() - started
                received = sum(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
                               for request in finished)
                outside = [r.url for r in finished if not r.url.startswith(f"http://127.0.0.1:{port}/")]
                assert not outside, outside
                return received, len(finished), seconds
        finally:
            chromium.close()
            playwright.stop()
    finally:
        shutil.rmtree(site, ignore_errors=True)


def run(command: list[str]) -> float:
    os.sync()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return time.perf_counter() - started


def publish_step(site: Path, article: Path, original: bytes, number: int) -> dict[str, float]:
    """CI after a push of one edited article: the cache of the last run, no output/; check, then build."""
    article.write_bytes(original)
    build = [sys.executable, str(ROOT / "build.py"), "build", "--site", str(site), "--base-url",
             "https://example.github.io/repo/"]
    run(build)  # the previous publish: its .cache/ is what actions/cache restores (untimed)
    shutil.rmtree(site / "output")  # a fresh runner has no output/
    for leftover in site.glob(".output.*"):
        shutil.rmtree(leftover, ignore_errors=True)
    article.write_bytes(original + (EDIT * number).encode())
    check = run([sys.executable, str(ROOT / "build.py"), "check", "--site", str(site)])
    built = run(build)
    return {"check": check, "build": built, "check+build": check + built}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--media", nargs="+", default=["disk", "tmpfs"], choices=list(MEDIA))
    parser.add_argument("--skip", nargs="*", default=[], choices=["load", "preview", "publish"])
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; {time.strftime('%Y-%m-%d %H:%M UTC')}")
    if "load" not in args.skip:
        received, requests, seconds = first_load()
        print(f"desk first load (sample site, /admin/ until the article list shows): {received / 1024:.0f} KB in "
              f"{requests} requests, {seconds:.2f} s; none left 127.0.0.1")
    if "preview" not in args.skip:
        sample = Path(tempfile.mkdtemp(prefix="desk-bench-preview-"))
        try:
            for name in ("site.yaml", "content", "layouts", "assets", "data"):  # the whole sample site
                (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, sample / name)
            article = sample / "content/daibiao-gongzuo/lvzhi-dongtai/liangge-jiguan.md"
            times = save_to_preview(sample, article, args.runs)
            print(f"save -> preview, sample site ({len(list((sample / 'content').rglob('*.md')))} files): median "
                  f"{statistics.median(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)})")
        finally:
            shutil.rmtree(sample, ignore_errors=True)
        for medium in args.media:
            root = Path(tempfile.mkdtemp(prefix="desk-bench-archive-", dir=MEDIA[medium]))
            try:
                site = assemble_site(corpus(args.articles), root / "site")
                articles = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
                times = save_to_preview(site, articles[len(articles) // 2], args.runs)
                print(f"save -> preview, {args.articles} articles, {medium}: median {statistics.median(times):.2f} s "
                      f"(runs {', '.join(f'{t:.2f}' for t in times)})")
            finally:
                shutil.rmtree(root, ignore_errors=True)
    if "publish" not in args.skip:
        binary = hugo_binary()
        for medium in args.media:
            root = Path(tempfile.mkdtemp(prefix="desk-bench-publish-", dir=MEDIA[medium]))
            try:
                ours = assemble_site(corpus(args.articles), root / "ours")
                hugo = assemble_hugo_site(corpus(args.articles, "hugo"), root / "hugo")
                articles = sorted(p for p in (ours / "content").rglob("*.md") if p.name != "_index.md")
                article = articles[len(articles) // 2]
                original = article.read_bytes()
                rows: dict[str, list[float]] = {"check": [], "build": [], "check+build": [], "hugo": []}
                clean_hugo(hugo)
                run(hugo_command(binary, hugo))  # warm-up: both read their files from the page cache alike
                for number in range(1, args.runs + 1):
                    steps = [("ours", lambda: publish_step(ours, article, original, number)),
                             ("hugo", lambda: (clean_hugo(hugo), {"hugo": run(hugo_command(binary, hugo))})[1])]
                    for _, step in steps if number % 2 else reversed(steps):
                        for key, value in step().items():
                            rows[key].append(value)
                    print(f"  publish run {number}/{args.runs} ({medium}): " +
                          ", ".join(f"{k} {v[-1]:.2f} s" for k, v in rows.items()), file=sys.stderr, flush=True)
                article.write_bytes(original)
                median = {key: statistics.median(values) for key, values in rows.items()}
                print(f"content-only publish, {args.articles} articles, one article edited, cache restored, {medium}: "
                      f"check {median['check']:.2f} s, build {median['build']:.2f} s (with search), together "
                      f"{median['check+build']:.2f} s; Hugo {hugo_version(binary)} clean build {median['hugo']:.2f} s; "
                      f"build / Hugo = {median['build'] / median['hugo']:.2f}, check+build / Hugo = "
                      f"{median['check+build'] / median['hugo']:.2f} (medians of {args.runs})")
            finally:
                shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
