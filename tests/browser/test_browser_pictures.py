"""Pictures on a phone: an article with three 4000 x 3000 camera photos transfers at most 400 KB before the
reader scrolls; the browser picks a phone-sized WebP, the first picture loads at once and the others lazily."""

from __future__ import annotations

import pytest
from conftest import Server
from helpers import article, run_cli, write_site
from photos import photo

pytestmark = pytest.mark.browser

BUDGET = 400 * 1024
PHONES = {  # viewport, device pixel ratio
    "iPhone 13": ({"width": 390, "height": 844}, 3),
    "Pixel 7": ({"width": 412, "height": 839}, 2.625),
    "small Android": ({"width": 360, "height": 740}, 2),
}
PARAGRAPH = "县人大常委会组织部分代表视察重点项目建设情况，听取了有关部门的汇报，并就项目推进提出意见建议。"


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("pictures")
    body = "\n\n".join([PARAGRAPH,
                        '![代表在项目工地听取介绍](/images/2024/shicha-1.jpg "代表们在项目工地听取介绍")',
                        PARAGRAPH * 2,
                        "![代表查看施工现场](/images/2024/shicha-2.jpg)",
                        PARAGRAPH,
                        "![座谈会现场](/images/2024/shicha-3.jpg)",
                        PARAGRAPH])
    site = write_site(root / "site", {
        "content/news/_index.md": "---\ntitle: 要闻\n---\n",
        "content/news/shicha.md": article(title="县人大代表视察重点项目", body=body),
        **{f"assets/images/2024/shicha-{n}.jpg": photo(n) for n in (1, 2, 3)},
    })
    result = run_cli("build", "--no-search", "--site", str(site), "--output", str(root / "out"))
    assert result.returncode == 0, result.stderr
    server = Server(root / "out").start()
    yield server.origin
    server.stop()


@pytest.mark.parametrize("phone", list(PHONES))
def test_three_camera_photos_stay_within_400_kb_on_a_phone(browser, photo_site, phone, record_property):
    viewport, ratio = PHONES[phone]
    context = browser.new_context(locale="zh-CN", viewport=viewport, device_scale_factor=ratio, is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        transferred: dict[str, int] = {}

        def finished(request):
            sizes = request.sizes()
            transferred[request.url.removeprefix(photo_site)] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

        page.on("requestfinished", finished)
        page.goto(photo_site + "/news/shicha/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        total = sum(transferred.values())
        record_property("transferred_bytes", total)
        print(f"\n{phone}: {total / 1024:.0f} KB before scrolling: {sorted(transferred.items())}")
        assert total <= BUDGET, f"{phone}: {total / 1024:.0f} KB transferred: {transferred}"
        images = [url for url in transferred if url.startswith("/pictures/") or url.startswith("/images/2024/")]
        assert images and all(url.endswith(".webp") for url in images), f"not phone-sized WebP: {images}"
        assert not any(url.startswith("/images/2024/") for url in transferred), "an original was downloaded"
        loading = page.eval_on_selector_all(".article-body img", "is => is.map(i => [i.loading, i.decoding, "
                                            "i.getAttribute('width'), i.getAttribute('height'), i.complete && i.currentSrc])")
        assert [row[:4] for row in loading] == [["auto", "async", "4000", "3000"]] + [["lazy", "async", "4000", "3000"]] * 2
        assert loading[0][4].endswith(("-480.webp", "-800.webp", "-1200.webp")), f"first picture: {loading[0][4]}"
        # The space for each picture is kept before it loads: its box already has the photo's proportions.
        boxes = page.eval_on_selector_all(".article-body img", "is => is.map(i => i.getBoundingClientRect().height /"
                                          " i.getBoundingClientRect().width)")
        assert all(abs(b - 0.75) < 0.01 for b in boxes), boxes
    finally:
        context.close()


def test_the_original_is_linked_and_served(page, photo_site):
    page.goto(photo_site + "/news/shicha/")
    links = page.eval_on_selector_all(".article-body a.original", "as => as.map(a => a.getAttribute('href'))")
    assert links == [f"/images/2024/shicha-{n}.jpg" for n in (1, 2, 3)]
    response = page.request.get(photo_site + links[0])
    assert response.status == 200 and response.body()[:2] == b"\xff\xd8"
    assert page.locator("figure figcaption").inner_text() == "代表们在项目工地听取介绍"
