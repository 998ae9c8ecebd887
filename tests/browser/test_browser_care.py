"""Care mode (关怀模式) in the browser: the switch on every page, extra-large text, 7:1 contrast, spacing,
the large pointer, the reading line, reading aloud (observed through an injected speech recorder, since
headless Chromium has no voices), one plain column, persistence, ?care=1, and what works without JavaScript."""

from __future__ import annotations

import re

import pytest
from conftest import SEED_URL

pytestmark = pytest.mark.browser

PICTURE_ARTICLE = "/daibiao-gongzuo/lvzhi-dongtai/2024-daibiao-kepu-canguan/"

# A stand-in for the browser's speech engine that records what the page asks of it. `voices` decides
# which voices the "device" has; window.__speech.finish() ends the utterance being spoken.
RECORDER = """(voices) => {
  const log = [];
  let current = null;
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  const synth = {
    paused: false, speaking: false,
    getVoices: () => voices.map(lang => ({lang, name: 'test ' + lang, localService: true, default: false, voiceURI: lang})),
    speak(u) { log.push({call: 'speak', text: u.text, lang: u.lang, voice: u.voice && u.voice.lang, rate: u.rate});
               current = u; this.speaking = true; },
    pause() { log.push({call: 'pause'}); this.paused = true; },
    resume() { log.push({call: 'resume'}); this.paused = false; },
    cancel() { log.push({call: 'cancel'}); const u = current; current = null; this.speaking = false;
               if (u && u.onerror) u.onerror({error: 'canceled'}); },
    addEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.__speech = {log, finish() { const u = current; current = null; if (u && u.onend) u.onend({}); }};
}"""


def with_recorder(context, voices: list[str]) -> None:
    context.add_init_script(f"({RECORDER})({voices!r})")


def care_on(page) -> bool:
    return page.evaluate("document.documentElement.dataset.care") == "on"


def switch_on(page) -> None:
    page.locator("[data-care-switch]").click()
    assert care_on(page)


def px(page, selector: str, prop: str) -> float:
    return float(page.eval_on_selector(selector, f"e => parseFloat(getComputedStyle(e).{prop})"))


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(page, selector: str) -> float:
    """Contrast ratio between an element's text colour and the first opaque background behind it."""
    colours = page.eval_on_selector(selector, """e => {
      const fg = getComputedStyle(e).color;
      let node = e, bg = 'rgba(0, 0, 0, 0)';
      while (node && node.nodeType === 1) {
        const c = getComputedStyle(node).backgroundColor;
        if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') { bg = c; break; }
        node = node.parentElement;
      }
      return [fg, node ? bg : 'rgb(255, 255, 255)'];
    }""")
    fg, bg = (tuple(float(x) for x in re.findall(r"[\d.]+", c)[:3]) for c in colours)
    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("path", ["/", "/daibiao-gongzuo/", SEED_URL, "/search/", "/tags/", "/archive/2019/",
                                  "/no-such-page/"])
def test_the_switch_is_in_the_header_of_every_page_and_works_from_the_keyboard(page, site, path):
    page.goto(site.url(path))
    switch = page.locator(".site-header [data-care-switch]")
    assert switch.is_visible() and switch.inner_text() == "关怀模式"
    assert switch.get_attribute("role") == "button" and switch.get_attribute("aria-pressed") == "false"
    switch.focus()
    page.keyboard.press("Enter")
    assert care_on(page) and switch.get_attribute("aria-pressed") == "true"
    page.keyboard.press(" ")
    assert not care_on(page) and switch.get_attribute("aria-pressed") == "false"


def test_care_mode_text_contrast_and_spacing(page, site):
    page.goto(site.url(SEED_URL))
    normal = px(page, ".article-body p", "fontSize")
    switch_on(page)
    body = ".article-body p"
    size = px(page, body, "fontSize")
    assert size >= 28 and size > normal, f"care mode text is {size}px (normal {normal}px)"
    assert page.evaluate("document.documentElement.dataset.fontSize") == "xlarge"
    ratios = {sel: round(contrast(page, sel), 2) for sel in [body, ".article-head h1", ".meta", ".breadcrumb",
                                                             ".site-nav a", ".prev-next a", ".site-footer p"]}
    assert all(r >= 7 for r in ratios.values()), f"contrast below 7:1 in care mode: {ratios}"
    line = px(page, body, "lineHeight")
    assert line >= 1.3 * size, f"line height {line}px for {size}px text"
    # From the last line of one paragraph to the first line of the next: at least 1.3 x the line step.
    step = page.evaluate("""() => { const ps = [...document.querySelectorAll('.article-body > p')];
      for (let i = 0; i + 1 < ps.length; i++) {
        const a = ps[i].getClientRects(), b = ps[i + 1].getBoundingClientRect();
        const last = ps[i].getBoundingClientRect().bottom;
        if (b.top > last) return b.top - last + parseFloat(getComputedStyle(ps[i]).lineHeight);
      } return 0; }""")
    assert step >= 1.3 * line, f"paragraphs are {step}px apart for {line}px lines"


def test_the_four_sizes_still_switch_in_care_mode_and_each_mode_keeps_its_own(page, site):
    page.goto(site.url(SEED_URL))
    page.locator(".fontsize button").filter(has_text=re.compile("^大$")).click()
    assert page.evaluate("document.documentElement.dataset.fontSize") == "large"
    switch_on(page)
    sizes = {}
    for label in ["特大", "大", "中", "小"]:
        page.locator(".fontsize button").filter(has_text=re.compile(f"^{label}$")).click()
        sizes[label] = px(page, ".article-body p", "fontSize")
    assert sizes["特大"] > sizes["大"] > sizes["中"] > sizes["小"], sizes
    page.locator(".fontsize button").filter(has_text=re.compile("^特大$")).click()
    page.locator("[data-care-switch]").click()  # off again: back to the size chosen without care mode
    assert page.evaluate("document.documentElement.dataset.fontSize") == "large"


def test_care_mode_is_kept_across_pages_and_visits(context, site):
    page = context.new_page()
    page.goto(site.url(SEED_URL))
    switch_on(page)
    with page.expect_navigation():
        page.locator(".site-nav a", has_text="人大要闻").click()
    assert care_on(page) and page.locator("[data-care-switch]").get_attribute("aria-pressed") == "true"
    assert px(page, "body", "fontSize") >= 28
    assert page.locator("#care-bar").is_visible()
    again = context.new_page()  # a new tab of the same browser
    again.goto(site.url("/tags/"))
    assert care_on(again)
    again.locator("[data-care-switch]").click()
    page.reload()
    assert not care_on(page) and page.locator("#care-bar").is_hidden()


def test_care_link_sets_the_mode_and_leaves_a_clean_address(page, site):
    page.goto(site.url("/archive/?care=1#care"))
    assert care_on(page)
    assert page.url == site.url("/archive/"), "?care=1 should be dropped from the address once stored"
    page.goto(site.url("/"))
    assert care_on(page)
    page.goto(site.url("/?care=0"))
    assert not care_on(page)
    page.goto(site.url("/tags/"))
    assert not care_on(page)


def test_large_pointer_in_care_mode(page, site):
    page.goto(site.url(SEED_URL))
    assert "care-cursor" not in page.eval_on_selector("body", "e => getComputedStyle(e).cursor")
    switch_on(page)
    body = page.eval_on_selector(".article-body p", "e => getComputedStyle(e).cursor")
    link = page.eval_on_selector(".breadcrumb a", "e => getComputedStyle(e).cursor")
    assert "care-cursor.svg" in body and body.endswith("auto"), body
    assert "care-pointer.svg" in link and link.endswith("pointer"), link
    for name in ("care-cursor.svg", "care-pointer.svg"):
        response = page.request.get(site.url(f"/images/{name}"))
        assert response.status == 200 and b'width="48"' in response.body()


def test_reading_line_follows_the_pointer_and_never_appears_by_itself(page, site):
    page.goto(site.url(SEED_URL))
    switch_on(page)
    assert page.locator(".reading-line").count() == 0, "the reading line is optional: off until asked for"
    guide = page.locator("[data-guide-switch]")
    guide.click()
    assert guide.get_attribute("aria-pressed") == "true"
    assert page.locator(".reading-line").is_hidden(), "shown only where the pointer is, once it moves"
    page.mouse.move(200, 300)
    page.wait_for_function("document.querySelector('.reading-line') && !document.querySelector('.reading-line').hidden")
    top = page.eval_on_selector(".reading-line", "e => e.getBoundingClientRect().top + e.offsetHeight / 2")
    left = page.eval_on_selector(".reading-cross", "e => e.getBoundingClientRect().left")
    assert abs(top - 300) <= 3 and abs(left - 200) <= 3, (top, left)
    page.mouse.move(400, 500)
    page.wait_for_function("Math.abs(document.querySelector('.reading-line').getBoundingClientRect().top"
                           " + document.querySelector('.reading-line').offsetHeight / 2 - 500) <= 3")
    page.goto(site.url("/"))  # kept on the next page
    assert page.locator("[data-guide-switch]").get_attribute("aria-pressed") == "true"
    page.locator("[data-guide-switch]").click()
    assert page.locator(".reading-line").count() == 0


def test_reading_aloud_plays_highlights_pauses_and_stops(context, site, seed):
    with_recorder(context, ["en-US", "zh-CN", "zh-TW"])
    page = context.new_page()
    page.goto(site.url(SEED_URL))
    switch_on(page)
    play, pause, stop = (page.locator(f"[data-speech='{n}']") for n in ("play", "pause", "stop"))
    assert pause.is_disabled() and stop.is_disabled()
    play.click()
    page.wait_for_function("window.__speech.log.some(e => e.call === 'speak')")
    log = page.evaluate("window.__speech.log.filter(e => e.call === 'speak')")
    assert log[0] == {"call": "speak", "text": seed.title, "lang": "zh-CN", "voice": "zh-CN", "rate": 0.9}
    assert page.locator(".article-head h1").get_attribute("class") == "reading"
    assert page.locator("#speech-status").inner_text().startswith("正在朗读第 1 段")
    page.evaluate("window.__speech.finish()")
    spoken = page.evaluate("window.__speech.log.filter(e => e.call === 'speak').map(e => e.text)")
    assert spoken == [seed.title, seed.subtitle]
    assert page.locator(".reading").inner_text() == seed.subtitle
    page.evaluate("window.__speech.finish()")
    assert page.locator(".reading").inner_text().startswith(seed.paragraphs()[0][:10])
    pause.click()
    assert page.evaluate("window.speechSynthesis.paused") is True
    assert play.inner_text() == "继续朗读" and pause.is_disabled() and stop.is_enabled()
    play.click()
    assert page.evaluate("window.__speech.log.at(-1).call") == "resume"
    stop.click()
    assert page.evaluate("window.__speech.log.at(-1).call") == "cancel"
    assert page.locator(".reading").count() == 0
    assert page.locator("#speech-status").inner_text() == "已停止朗读。"
    assert play.inner_text() == "朗读全文" and stop.is_disabled()
    assert len(page.evaluate("window.__speech.log.filter(e => e.call === 'speak')")) == 3, "nothing more after stop"


def test_reading_aloud_says_plainly_when_there_is_no_chinese_voice(context, site):
    with_recorder(context, ["en-US", "de-DE"])
    page = context.new_page()
    page.goto(site.url(SEED_URL))
    switch_on(page)
    page.locator("[data-speech='play']").click()
    status = page.locator("#speech-status")
    page.wait_for_function("document.getElementById('speech-status').textContent.includes('中文语音')")
    assert status.inner_text().startswith("本设备没有中文语音，无法朗读。")
    assert page.evaluate("window.__speech.log.filter(e => e.call === 'speak').length") == 0


def test_simple_layout_one_column_nothing_moving(page, site):
    page.goto(site.url("/"))
    switch_on(page)
    lefts = page.eval_on_selector_all(".home-block, .home-latest", "bs => bs.map(b => Math.round(b.getBoundingClientRect().left))")
    assert len(set(lefts)) == 1, f"home blocks are not one column: {lefts}"
    assert page.evaluate("document.getAnimations().length") == 0
    rounded = page.evaluate("[...document.querySelectorAll('*')].filter(e => parseFloat(getComputedStyle(e).borderTopLeftRadius) > 0).length")
    assert rounded == 0
    page.wait_for_timeout(1500)  # and nothing shows up by itself
    assert page.locator("[role=dialog], dialog[open], .reading-line").count() == 0


def test_without_javascript_the_care_link_and_prefers_contrast_still_help(browser, site):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.url(SEED_URL))
        normal = px(page, ".article-body p", "fontSize")
        page.locator("[data-care-switch]").click()  # a plain link to ?care=1#care
        page.wait_for_url(re.compile(r"\?care=1#care$"))
        assert px(page, ".article-body p", "fontSize") >= 28 > normal
        assert contrast(page, ".article-body p") >= 7
        assert "care-cursor.svg" in page.eval_on_selector("body", "e => getComputedStyle(e).cursor")
        page.goto(site.url("/"))
        page.emulate_media(contrast="more")
        assert px(page, "body", "fontSize") >= 22 and contrast(page, ".article-list a") >= 7
    finally:
        context.close()


def test_print_is_not_changed_by_care_mode(page, site):
    page.goto(site.url(SEED_URL + "print/"))
    plain = px(page, ".article-body p", "fontSize")
    page.goto(site.url(SEED_URL))
    page.emulate_media(media="print")
    printed = px(page, ".article-body p", "fontSize")
    page.emulate_media(media="screen")
    switch_on(page)
    page.goto(site.url(SEED_URL + "print/"))
    assert px(page, ".article-body p", "fontSize") == plain
    assert page.locator("[data-care-switch], #care-bar").count() == 0
    page.goto(site.url(SEED_URL))
    page.emulate_media(media="print")
    assert px(page, ".article-body p", "fontSize") == printed
    assert page.locator("#care-bar").is_hidden() and page.locator("[data-care-switch]").is_hidden()
