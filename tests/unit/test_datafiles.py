"""Data files: data/<name>.yaml|.yml|.json|.csv read as values, and each mistake a problem at its file and line."""

from __future__ import annotations

import json

import pytest

from sitegen.datafiles import JSON_PROBLEMS, json_words, load_data, read_csv, read_value


def write(folder, name, text, encoding="utf-8"):
    (folder / name).write_bytes(text.encode(encoding))


def said(problem):
    return problem.said()


def test_a_csv_is_a_list_of_rows_keyed_by_its_header_and_a_bom_is_allowed(tmp_path):
    write(tmp_path, "daibiao.csv", "\ufeff姓名, 单位 ,职务\n张三,县人大,代表\n\n李四,\"城关镇,东街\",代表\n")
    found, problems = load_data(tmp_path)
    assert problems == []
    assert found["daibiao"].value == [{"姓名": "张三", "单位": "县人大", "职务": "代表"},
                                      {"姓名": "李四", "单位": "城关镇,东街", "职务": "代表"}]
    assert found["daibiao"].path == "data/daibiao.csv"


def test_yaml_and_json_files_are_read_by_name(tmp_path):
    write(tmp_path, "lingdao.yaml", "- 姓名: 王五\n  职务: 主任\n")
    write(tmp_path, "lianxi.json", '{"电话": "0917-5541234"}')
    found, problems = load_data(tmp_path)
    assert problems == []
    assert found["lingdao"].value == [{"姓名": "王五", "职务": "主任"}]
    assert found["lianxi"].value == {"电话": "0917-5541234"}


def test_a_row_of_another_length_is_a_problem_at_its_line():
    value, problem = read_csv("data/d.csv", "姓名,单位,职务\n张三,县人大,代表\n李四,代表\n")
    assert value is None
    assert (problem.path, problem.line) == ("data/d.csv", 3)
    assert "2" in said(problem) and "3" in said(problem)


@pytest.mark.parametrize("text", ["", "\n\n", "姓名,,职务\n", "姓名,姓名\n"])
def test_an_empty_file_or_a_header_without_every_name_once_is_a_problem_at_line_1(text):
    value, problem = read_csv("data/d.csv", text)
    assert value is None and problem.line == 1


@pytest.mark.parametrize("text", ['{"a": 1 "b": 2}', '{"a" 1}', '{,}', '{"a": }', '"abc', '"a\\qb"', '{} x',
                                  '"a\nb"', '[1,]', '{"a":1,}'])
def test_every_json_mistake_is_said_in_the_editors_words(text):
    value, problem = read_value("data/x.json", text, ".json")
    assert value is None and problem.line >= 1
    reason = said(problem)
    assert "JSON" in reason
    assert not any(word in reason for word in ("Expecting", "Unterminated", "Invalid", "Extra")), reason


def test_the_json_words_cover_each_of_the_modules_reasons():
    reasons = set()
    for text in ['{"a": 1 "b": 2}', '{"a" 1}', '{,}', '{"a": }', '"abc', '"a\\qb"', '{} x', '"a\nb"']:
        with pytest.raises(json.JSONDecodeError) as caught:
            json.loads(text)
        reasons.add(caught.value.msg)
    assert all(json_words(reason) is not reason for reason in reasons)
    assert len({id(message) for _, message in JSON_PROBLEMS}) == len(JSON_PROBLEMS)
    assert json_words("something new") == "something new"  # an unknown reason is still shown, never dropped


@pytest.mark.parametrize("name", ["notes.txt", "2024.csv", "代表.csv", "sub/daibiao.csv"])
def test_a_file_that_cannot_be_data_name_is_a_problem(tmp_path, name):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    write(tmp_path, name, "a,b\n1,2\n")
    found, problems = load_data(tmp_path)
    assert found == {}
    assert [p.path for p in problems] == [f"data/{name}"]


def test_two_files_of_one_name_are_a_problem(tmp_path):
    write(tmp_path, "lianxi.json", "{}")
    write(tmp_path, "lianxi.yaml", "a: 1\n")
    found, problems = load_data(tmp_path)
    assert list(found) == ["lianxi"]
    assert [p.path for p in problems] == ["data/lianxi.yaml"]


def test_a_cell_may_hold_a_line_break_and_a_row_is_named_by_the_line_it_starts_on():
    value, problem = read_csv("data/d.csv", '姓名,简历\n张三,"1990年参加工作\n2010年任主任"\n\n李四\n')
    assert value is None and problem.line == 5
    value, problem = read_csv("data/d.csv", '姓名,简历\n张三,"1990年参加工作\n2010年任主任"\n')
    assert problem is None and value == [{"姓名": "张三", "简历": "1990年参加工作\n2010年任主任"}]
