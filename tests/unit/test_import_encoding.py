"""Decoding saved pages: declared, undeclared and wrongly declared charsets; mojibake is refused."""

from __future__ import annotations

from sitegen.importer.encoding import codec_name, common_ratio, decode_page, declared_charset
from sitegen.messages import language_named

ENGLISH = language_named("en")

TEXT = "县人大常委会召开会议，审议通过了关于加强人大代表履职能力建设的决定，会议由朱镕主持，李喆记录。"


def page(charset_tag: str, body: str = TEXT) -> str:
    return f"<html><head>{charset_tag}<title>会议</title></head><body><p>{body}</p></body></html>"


def test_gb2312_is_read_as_gb18030_so_gbk_characters_survive():
    data = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    decoded = decode_page(data)
    assert (decoded.encoding, decoded.declared, decoded.note, decoded.failure) == ("gb18030", "gb2312", "", "")
    assert "朱镕" in decoded.text and "李喆" in decoded.text


def test_undeclared_gbk_and_utf8_are_detected():
    assert decode_page(page("").encode("gbk")).encoding == "gb18030"
    assert decode_page(page("").encode("gb18030")).text.count("县人大") == 1
    assert decode_page(page("").encode("utf-8")).encoding == "utf-8"


def test_declared_gb2312_but_utf8_is_imported_as_utf8_and_noted():
    decoded = decode_page(page('<meta charset="gb2312">').encode("utf-8"))
    assert decoded.encoding == "utf-8" and TEXT in decoded.text
    assert decoded.note.said() == "页面声明的编码是 gb2312，实际是 UTF-8；已按 UTF-8 导入"
    assert decoded.note.said(ENGLISH) == "declared gb2312 but the page is UTF-8; imported as UTF-8"


def test_declared_utf8_but_gbk_is_imported_as_gb18030_and_noted():
    decoded = decode_page(page('<meta charset="utf-8">').encode("gbk"))
    assert decoded.encoding == "gb18030" and TEXT in decoded.text
    assert decoded.note.said() == "页面声明的编码是 utf-8，实际是 GBK/GB18030；已按 GB18030 导入"


def test_mojibake_already_in_the_file_is_a_failure_never_text():
    garbled = TEXT.encode("utf-8").decode("gbk", "replace")
    decoded = decode_page(page('<meta charset="utf-8">', garbled * 2).encode("utf-8"))
    assert decoded.text == ""
    assert decoded.failure.said() == "按 utf-8 读出的是乱码（页面声明的编码是 utf-8）；请从旧网站重新保存这个页面"
    assert decoded.failure.said(ENGLISH) == ("the text is mojibake as utf-8 (declared utf-8); save the page again from "
                                             "the old site")
    undeclared = decode_page(f"<p>{garbled * 2}</p>".encode("utf-8"))
    assert undeclared.failure.said() == "按 utf-8 读出的是乱码（页面没有声明编码）；请从旧网站重新保存这个页面"


def test_big5_goes_to_charset_normalizer_and_reads():
    traditional = "縣人大常委會召開會議，審議通過了關於加強人大代表履職能力建設的決定，會議要求各代表認真履職。" * 3
    decoded = decode_page(f"<html><body><p>{traditional}</p></body></html>".encode("big5"))
    assert decoded.failure == "" and traditional in decoded.text


def test_a_bom_and_an_xml_declaration():
    assert decode_page(b"\xef\xbb\xbf" + page("").encode("utf-8")).text.startswith("<html>")
    xml = '<?xml version="1.0" encoding="gb2312"?>' + page('<meta charset="gb2312">')
    assert decode_page(xml.encode("gbk")).text.startswith("<?xml")


def test_charset_labels():
    assert [codec_name(n) for n in ("GB2312", "gbk", "x-gbk", "GB18030", "UTF-8", "utf8", "big5", "nonsense")] == \
        ["gb18030", "gb18030", "gb18030", "gb18030", "utf-8", "utf-8", "big5", ""]
    assert declared_charset(b'<meta http-equiv="content-type" content="text/html;charset=GBK">') == "GBK"
    assert declared_charset(b"plain text, no tags") == ""


def test_common_ratio_tells_text_from_mojibake():
    assert common_ratio(TEXT) > 0.9
    assert common_ratio(TEXT.encode("utf-8").decode("gbk", "replace")) < 0.6


def test_a_western_charset_on_a_chinese_page_is_overruled():
    decoded = decode_page(page('<meta charset="iso-8859-1">').encode("gbk"))
    assert decoded.encoding == "gb18030" and TEXT in decoded.text
    assert decoded.note.said() == "页面声明的编码是 iso-8859-1，实际是 GBK/GB18030；已按 GB18030 导入"


def test_text_garbled_through_latin1_is_repaired():
    garbled = "".join(chr(b) if b < 0x80 or b in (0x81, 0x8d, 0x8f, 0x90, 0x9d) else bytes([b]).decode("cp1252")
                      for b in TEXT.encode("utf-8"))  # as a browser shows UTF-8 read as windows-1252
    decoded = decode_page(page('<meta charset="utf-8">', garbled).encode("utf-8"))
    assert TEXT in decoded.text and decoded.failure == ""
    assert decoded.note.said() == "页面是经 Latin-1 转换而成乱码的 utf-8 文字；已修复后导入"
