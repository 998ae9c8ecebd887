"""Pictures stage: planning which images articles use, encoding phone-sized versions (sizes, formats, no
metadata, same bytes every time), the cache, the <img> -> <picture> rewrite, captions, and damaged files."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from helpers import article, run_cli, tree_bytes, write_site
from PIL import Image
from photos import photo

from sitegen.markdown import make_markdown, render_markdown
from sitegen.pictures import (SIZES, Derivatives, Picture, Use, Variant, _pack, _unpack, encode, make_pictures,
                              plan_pictures, rewrite_images, widths_for)

SECTION = "---\ntitle: 要闻\n---\n"


@pytest.fixture(scope="module")
def camera() -> bytes:
    return photo(7)


def test_at_most_three_widths_none_wider_than_the_original():
    assert widths_for(4000) == (480, 800, 1200)
    assert widths_for(1000) == (480, 800, 1000)
    assert widths_for(640) == (480, 640)
    assert widths_for(300) == (300,)


def test_a_camera_photo_gets_three_widths_in_webp_and_jpeg_without_metadata(camera):
    picture, files = encode("images/2024/hui.jpg", camera)
    assert (picture.width, picture.height) == (4000, 3000)
    made = {}
    for out, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            made[out.rpartition("/")[2]] = (image.format, image.size, dict(image.getexif()), image.info.get("icc_profile"))
    assert {name: (fmt, size) for name, (fmt, size, _, _) in made.items()} == {
        "hui-480.webp": ("WEBP", (480, 360)), "hui-800.webp": ("WEBP", (800, 600)), "hui-1200.webp": ("WEBP", (1200, 900)),
        "hui-480.jpg": ("JPEG", (480, 360)), "hui-800.jpg": ("JPEG", (800, 600)), "hui-1200.jpg": ("JPEG", (1200, 900)),
    }
    assert all(exif == {} and icc is None for _, _, exif, icc in made.values()), "metadata left in a derivative"
    assert [(v.width, v.mime) for v in picture.variants] == [
        (480, "image/webp"), (800, "image/webp"), (1200, "image/webp"),
        (480, "image/jpeg"), (800, "image/jpeg"), (1200, "image/jpeg")]
    assert sum(map(len, files.values())) < len(camera) / 4


def test_the_same_photo_gives_the_same_bytes_every_time(camera):
    assert encode("images/a.jpg", camera) == encode("images/a.jpg", camera)


def test_an_upright_photo_turned_by_exif_gets_its_upright_size():
    picture, files = encode("images/a.jpg", photo(3, size=(1600, 1200), orientation=6))
    assert (picture.width, picture.height) == (1200, 1600)
    assert Image.open(io.BytesIO(files[next(o for o in files if o.endswith("-480.webp"))])).size == (480, 640)


def test_small_png_keeps_itself_as_full_size_and_gets_a_webp():
    buffer = io.BytesIO()
    Image.new("RGBA", (300, 200), (200, 30, 30, 128)).save(buffer, "PNG")
    picture, files = encode("images/logo.png", buffer.getvalue())
    assert [(v.width, v.mime, v.out) for v in picture.variants] == [
        (300, "image/webp", f"pictures/{next(iter(files)).split('/')[1]}/logo-300.webp"),
        (300, "image/png", "images/logo.png")]
    assert Image.open(io.BytesIO(next(iter(files.values())))).mode == "RGBA"


def test_damaged_and_foreign_files_are_refused(camera):
    assert encode("images/a.jpg", b"<html>not a picture</html>") is None
    assert encode("images/a.jpg", camera[: len(camera) // 3]) is None  # cut off in the middle of the data
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "BMP")
    assert encode("images/a.jpg", buffer.getvalue()) is None


def fake_article(path, url, links):
    return SimpleNamespace(path=path, url=url, links=tuple(links))


def test_plan_lists_raster_images_under_assets_that_articles_use():
    articles = [fake_article("content/a/x.md", "a/x/", [("/images/p.jpg", 8, 1), ("/a/y/", 9, 3),
                                                          ("../../images/q.PNG", 10, 2), ("/images/logo.svg", 11, 1)]),
                fake_article("content/a/y.md", "a/y/", [("/images/p.jpg", 5, 4)])]
    uses = plan_pictures(articles, ("images/p.jpg", "images/q.PNG", "images/logo.svg", "css/site.css"))
    assert uses == (Use("images/p.jpg", "content/a/x.md", 8, 1, "/images/p.jpg"),
                    Use("images/q.PNG", "content/a/x.md", 10, 2, "../../images/q.PNG"),
                    Use("images/p.jpg", "content/a/y.md", 5, 4, "/images/p.jpg"))


PICTURE = Picture("images/p.jpg", 4000, 3000, (
    Variant(480, 360, "image/webp", "pictures/abc/p-480.webp"), Variant(1200, 900, "image/webp", "pictures/abc/p-1200.webp"),
    Variant(480, 360, "image/jpeg", "pictures/abc/p-480.jpg"), Variant(1200, 900, "image/jpeg", "pictures/abc/p-1200.jpg")))


def body(markdown: str, base: str = "/") -> str:
    return render_markdown(make_markdown(False), markdown, base).html


def test_rewrite_makes_picture_with_sizes_and_lazy_loading_after_the_first():
    html = rewrite_images(body("![会场](/images/p.jpg)\n\n文字\n\n![会场二](/images/p.jpg)\n\n![外](/images/x.jpg)"),
                          {"images/p.jpg": PICTURE}, "/", "/a/x/")
    first = ('<p><a class="original" href="/images/p.jpg"><picture>'
             f'<source type="image/webp" srcset="/pictures/abc/p-480.webp 480w, /pictures/abc/p-1200.webp 1200w" sizes="{SIZES}">'
             f'<img src="/pictures/abc/p-1200.jpg" srcset="/pictures/abc/p-480.jpg 480w, /pictures/abc/p-1200.jpg 1200w" '
             f'sizes="{SIZES}" alt="会场" width="4000" height="3000" decoding="async"></picture></a></p>')
    assert html.startswith(first)
    assert html.count('loading="lazy"') == 2 and html.count('decoding="async"') == 3
    assert '<img src="/images/x.jpg" alt="外" loading="lazy" decoding="async">' in html  # not a known picture
    eager = rewrite_images(body("![a](/images/p.jpg)\n\n![b](/images/p.jpg)"), {"images/p.jpg": PICTURE}, "/", "/a/x/",
                           lazy_from=10**9)
    assert "lazy" not in eager


def test_rewrite_under_a_sub_path_and_inside_a_link():
    html = rewrite_images(body("[![会场](/images/p.jpg)](/a/y/)", base="/repo/"), {"images/p.jpg": PICTURE},
                          "/repo/", "/repo/a/x/")
    assert html.startswith('<p><a href="/repo/a/y/"><picture><source type="image/webp" srcset="/repo/pictures/abc/p-480.webp')
    assert 'class="original"' not in html, "no link inside a link"


def test_a_titled_image_alone_in_its_paragraph_becomes_a_figure_with_a_caption():
    html = body('![主席台](/images/p.jpg "县人大常委会第十八次会议现场")\n\n文字 ![图](/images/p.jpg "不是题注")')
    assert html.startswith('<figure><img src="/images/p.jpg" alt="主席台" />'
                           '<figcaption>县人大常委会第十八次会议现场</figcaption></figure>\n')
    assert '<p>文字 <img src="/images/p.jpg" alt="图" title="不是题注" /></p>' in html
    rewritten = rewrite_images(html, {"images/p.jpg": PICTURE}, "/", "/a/x/")
    assert "</picture></a><figcaption>县人大常委会第十八次会议现场</figcaption></figure>" in rewritten
    assert body('![](/images/p.jpg "")') == '<p><img src="/images/p.jpg" alt="" /></p>\n'


def test_an_image_without_alt_text_still_gives_its_link_a_name():
    html = rewrite_images(body("![](/images/p.jpg)"), {"images/p.jpg": PICTURE}, "/", "/a/x/")
    assert '</picture><span class="visually-hidden">查看原图</span></a>' in html


def test_cache_entries_round_trip_and_odd_ones_are_misses(camera):
    made = encode("images/a.jpg", camera)
    assert _unpack(_pack(*made)) == made
    blob = _pack(*made)
    assert _unpack(blob[:-1]) is None and _unpack(b"{not json\n") is None and _unpack(None) is None


def one_use(tmp_path, data: bytes):
    (tmp_path / "assets" / "images").mkdir(parents=True, exist_ok=True)
    (tmp_path / "assets" / "images" / "a.jpg").write_bytes(data)
    return (Use("images/a.jpg", "content/a/x.md", 8, 1, "/images/a.jpg"),)


def test_with_the_persistent_cache_a_rebuild_encodes_nothing(tmp_path, camera):
    cache_module = pytest.importorskip("sitegen.cache", reason="sitegen/cache.py (the lead's persistent cache) "
                                                               "has not landed on this branch yet")
    uses = one_use(tmp_path, camera)
    assets = tmp_path / "assets"
    first = make_pictures(uses, assets, cache_module.Cache(tmp_path / ".cache"))
    again = make_pictures(uses, assets, cache_module.Cache(tmp_path / ".cache"))
    assert (first.encoded, again.encoded) == (1, 0)
    assert again.pictures == first.pictures and again.held == {} == first.held, "derived bytes belong in the cache"
    Derivatives(first, assets, cache_module.Cache(tmp_path / ".cache")).write(tmp_path / "one")
    Derivatives(again, assets, cache_module.Cache(tmp_path / ".cache")).write(tmp_path / "two")
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two") == encode("images/a.jpg", camera)[1]
    (assets / "images" / "a.jpg").write_bytes(photo(8, size=(900, 600)))
    changed = make_pictures(uses, assets, cache_module.Cache(tmp_path / ".cache"))
    assert changed.encoded == 1 and changed.pictures["images/a.jpg"].width == 900


def test_without_a_cache_the_files_are_held_and_serve_skips_unchanged_sources(tmp_path, camera):
    uses = one_use(tmp_path, camera)
    assets = tmp_path / "assets"
    first = make_pictures(uses, assets)
    assert first.encoded == 1 and first.held["images/a.jpg"] == encode("images/a.jpg", camera)[1]
    assert make_pictures(uses, assets, previous=first).encoded == 0, "same size and mtime: not read again"
    assert make_pictures(uses, assets).encoded == 1, "a one-shot build without a cache encodes again"
    (assets / "images" / "a.jpg").write_bytes(photo(9, size=(640, 480)))
    later = make_pictures(uses, assets, previous=first)
    assert later.encoded == 1 and later.pictures["images/a.jpg"].width == 640
    assert Derivatives(later, assets).write(tmp_path / "out") == sum(map(len, later.held["images/a.jpg"].values()))


def picture_site(root, files):
    return write_site(root, {"content/news/_index.md": SECTION, **files})


def test_build_writes_derivatives_and_two_builds_are_byte_identical(tmp_path, camera):
    site = picture_site(tmp_path / "site", {
        "assets/images/hui.jpg": camera,
        "content/news/hui.md": article(body='开会了。\n\n![会场](/images/hui.jpg "县人大常委会会议现场")\n'),
    })
    for out in ("one", "two"):
        result = run_cli("build", "--no-search", "--site", str(site), "--output", str(tmp_path / out))
        assert result.returncode == 0, result.stderr
    one, two = tree_bytes(tmp_path / "one"), tree_bytes(tmp_path / "two")
    assert one == two
    derived = sorted(rel for rel in one if rel.startswith("pictures/"))
    assert [rel.rpartition("/")[2] for rel in derived] == ["hui-1200.jpg", "hui-1200.webp", "hui-480.jpg",
                                                           "hui-480.webp", "hui-800.jpg", "hui-800.webp"]
    assert one["images/hui.jpg"] == camera, "the original is kept as it was"
    page = one["news/hui/index.html"].decode()
    assert '<figcaption>县人大常委会会议现场</figcaption>' in page and 'width="4000" height="3000"' in page
    printed = one["news/hui/print/index.html"].decode()
    assert "<picture>" in printed and 'loading="lazy"' not in printed


def test_a_broken_picture_is_a_problem_in_the_article_that_uses_it(tmp_path):
    site = picture_site(tmp_path / "site", {
        "assets/images/bad.jpg": b"GIF89a? no, just text saved as .jpg\n",
        "content/news/a.md": article(body="第一段。\n\n说明 ![会场](/images/bad.jpg)\n"),
        "content/news/b.md": article(title="另一篇", body="![会场](/images/bad.jpg)\n"),
    })
    result = run_cli("build", "--no-search", "--site", str(site), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    message = ("图片 /images/bad.jpg 无法读取（assets/images/bad.jpg 已损坏，或者其实不是 JPEG、PNG、GIF 或 WebP 图片）："
               "请从原图重新导出，或换一张")
    problems = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert problems == [f"content/news/a.md:8:10: {message}", f"content/news/b.md:6:7: {message}"]
    assert not (tmp_path / "out").exists()


def test_serve_rebuilds_write_changed_pictures_and_remove_old_versions(tmp_path):
    from sitegen import BuildOptions
    from sitegen.pipeline import Builder

    site = picture_site(tmp_path / "site", {
        "assets/images/hui.jpg": photo(4, size=(1600, 1200)),
        "content/news/hui.md": article(body="![会场](/images/hui.jpg)\n"),
    })
    builder = Builder(site / "site.yaml", BuildOptions(search=False, jobs=1, preview=True))
    builder.build()
    out = site / "output"
    before = sorted(rel for rel in tree_bytes(out) if rel.startswith("pictures/"))
    assert len(before) == 6 and 'width="1600" height="1200"' in (out / "news/hui/index.html").read_text()
    (site / "assets/images/hui.jpg").write_bytes(photo(5, size=(1000, 750)))
    builder.build()
    after = {rel: data for rel, data in tree_bytes(out).items() if rel.startswith("pictures/")}
    assert set(after).isdisjoint(before), "versions of the old photo are left in output/"
    assert sorted(rel.rpartition("/")[2] for rel in after) == ["hui-1000.webp", "hui-480.jpg", "hui-480.webp",
                                                              "hui-800.jpg", "hui-800.webp"]
    assert 'width="1000" height="750"' in (out / "news/hui/index.html").read_text()
    clean = tmp_path / "clean"
    Builder(site / "site.yaml", BuildOptions(output_dir=clean, search=False, jobs=1)).build()
    assert tree_bytes(out) == tree_bytes(clean), "a rebuild in 'serve' differs from a clean build"


def test_a_second_build_takes_every_picture_from_the_cache(tmp_path, camera, monkeypatch):
    from sitegen import BuildOptions, pictures
    from sitegen.pipeline import Builder

    site = picture_site(tmp_path / "site", {
        "assets/images/hui.jpg": camera,
        "content/news/hui.md": article(body="![会场](/images/hui.jpg)\n"),
    })
    Builder(site / "site.yaml", BuildOptions(output_dir=tmp_path / "one", search=False, jobs=1)).build()
    assert list((site / ".cache").glob("pictures/*/*")), "nothing was put in the cache's 'pictures' namespace"

    def no_encoding(*args):
        raise AssertionError("a picture was encoded again although the cache has it")

    monkeypatch.setattr(pictures, "encode", no_encoding)
    Builder(site / "site.yaml", BuildOptions(output_dir=tmp_path / "two", search=False, jobs=1)).build()
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_remembered_uses_are_the_planned_uses_and_reuse_only_the_very_same_articles():
    from sitegen.pictures import remembered_uses
    assets = ("images/p.jpg", "images/q.PNG")
    x = fake_article("content/a/x.md", "a/x/", [("/images/p.jpg", 8, 1)])
    y = fake_article("content/a/y.md", "a/y/", [("/images/q.PNG", 5, 4)])
    uses, memo = remembered_uses([x, y], assets, None)
    assert uses == plan_pictures([x, y], assets)
    edited = fake_article("content/a/y.md", "a/y/", [("/images/p.jpg", 6, 1)])
    again, memo2 = remembered_uses([x, edited], assets, memo)
    assert again == plan_pictures([x, edited], assets)
    assert memo2[2][0] is memo[2][0]  # x itself was not looked at again
    moved, _ = remembered_uses([edited, x], assets, memo2)
    assert moved == plan_pictures([edited, x], assets)
    assert remembered_uses([x, edited], ("images/q.PNG",), memo2)[0] == ()  # other assets: planned again


def test_derivatives_write_only_the_files_named_and_say_where_each_comes_from(tmp_path, camera):
    (tmp_path / "assets" / "images").mkdir(parents=True)
    (tmp_path / "assets" / "images" / "a.jpg").write_bytes(camera)
    (tmp_path / "assets" / "images" / "b.jpg").write_bytes(photo(3, size=(900, 600)))
    uses = (Use("images/a.jpg", "content/a/x.md", 8, 1, "/images/a.jpg"),
            Use("images/b.jpg", "content/a/x.md", 9, 1, "/images/b.jpg"))
    made = make_pictures(uses, tmp_path / "assets")
    derivatives = Derivatives(made, tmp_path / "assets")
    sources = derivatives.sources()
    assert set(sources.values()) == {"images/a.jpg", "images/b.jpg"}
    assert set(sources) == {out for held in made.held.values() for out in held}
    one = sorted(out for out, rel in sources.items() if rel == "images/b.jpg")[:1]
    assert derivatives.write(tmp_path / "some", one + ["not/a/picture.webp"]) == len(made.held["images/b.jpg"][one[0]])
    assert tree_bytes(tmp_path / "some") == {one[0]: made.held["images/b.jpg"][one[0]]}
    everything = {out: data for held in made.held.values() for out, data in held.items()}
    assert derivatives.write(tmp_path / "all") == sum(map(len, everything.values()))
    assert tree_bytes(tmp_path / "all") == everything


def test_a_picture_with_too_many_pixels_is_said_to_be_too_large_not_damaged(tmp_path):
    from PIL import Image

    from sitegen.pictures import bad_image

    huge, damaged = tmp_path / "huge.png", tmp_path / "damaged.jpg"
    Image.new("1", (20000, 20000)).save(huge)  # 400 million pixels, a few kilobytes
    damaged.write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    assert bad_image("/images/huge.png", "images/huge.png", huge).said() == (
        "图片 /images/huge.png 超过 178 百万像素，放在网页上太大（assets/images/huge.png）：请把它缩小到宽不超过 6000 像素，"
        "再重新导出")
    assert "已损坏" in bad_image("/images/damaged.jpg", "images/damaged.jpg", damaged).said()
