"""Data files: data/<name>.yaml, .yml, .json or .csv, read into values every layout reads as data.<name>."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from .messages import say
from .model import DataFile
from .problems import Problem
from .sources import decode, leads_outside, outside_message
from .yamlsource import YamlError, YamlText

ENDINGS = (".yaml", ".yml", ".json", ".csv")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def load_data(data_dir: Path, label: str = "data") -> tuple[dict[str, DataFile], list[Problem]]:
    """Every data file by name, and the problems of those that cannot be read (each at its file and line)."""
    found: dict[str, DataFile] = {}
    problems: list[Problem] = []
    if not data_dir.is_dir():
        return found, problems
    for path in sorted(data_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        shown = f"{label}/{path.relative_to(data_dir).as_posix()}"
        name = path.stem
        if path.is_symlink() and leads_outside(str(path), str(data_dir.parent)):
            problems.append(Problem(shown, 0, 0, outside_message(str(path))))
            continue
        if path.parent != data_dir or path.suffix.lower() not in ENDINGS or not NAME.fullmatch(name):
            problems.append(Problem(shown, 0, 0, say("a data file is data/<name>.yaml, .yml, .json or .csv, directly "
                                                     "in data/, its name made of letters a-z, digits and '_' (layouts "
                                                     "read it as data.<name>): rename or move this file")))
            continue
        if name in found:
            problems.append(Problem(shown, 0, 0, say("{other} has the same name: layouts read both as data.{name}; "
                                                     "rename one", other=found[name].path, name=name)))
            continue
        raw = path.read_bytes()
        text, problem = decode(raw, shown)
        value, problem = (None, problem) if problem else read_value(shown, text, path.suffix.lower())
        if problem:
            problems.append(problem)
            continue
        found[name] = DataFile(name, shown, value, hashlib.blake2b(raw, digest_size=20).hexdigest())
    return found, problems


def read_value(shown: str, text: str, ending: str):
    """(value, None) or (None, the problem at its line)."""
    if ending in (".yaml", ".yml"):
        try:
            return YamlText(shown, text).load(), None
        except YamlError as err:
            return None, err.problem
    if ending == ".json":
        try:
            return json.loads(text), None
        except json.JSONDecodeError as err:
            return None, Problem(shown, err.lineno, err.colno, say("JSON syntax error: {reason}; check the commas, "
                                                                   "quotes and brackets", reason=json_words(err.msg)))
    return read_csv(shown, text)


JSON_PROBLEMS = (  # the json module's words, each in the editor's
    ("Expecting value", say("a value is missing here (text goes in double quotes)")),
    ("Expecting ',' delimiter", say("a comma is missing between two items")),
    ("Expecting ':' delimiter", say("a colon is missing after a name")),
    ("Expecting property name", say("a name in double quotes is missing here (or a comma too many before it)")),
    ("Unterminated string", say("a double quote is never closed")),
    ("Invalid control character", say("a line break or tab inside double quotes")),
    ("Invalid \\", say("a backslash inside double quotes (write / instead)")),
    ("Extra data", say("more text after the end of the data")),
)


def json_words(problem: str):
    """What the json module's problem means, in a message the editor's language can say."""
    return next((message for start, message in JSON_PROBLEMS if problem.startswith(start)), problem)


def read_csv(shown: str, text: str):
    """A CSV as a list of rows, each a mapping by the header's names; a row of another length is a problem."""
    rows, reader, line = [], csv.reader(io.StringIO(text, newline="")), 1
    for row in reader:  # a quoted cell may hold line breaks: a row is named by the line it starts on
        if any(row):
            rows.append((line, row))
        line = reader.line_num + 1
    if not rows:
        return None, Problem(shown, 1, 1, say("the CSV file is empty: its first line names the columns, such as "
                                              "姓名,单位,职务"))
    (_, header), *body = rows
    header = [name.strip() for name in header]
    if "" in header or len(set(header)) != len(header):
        return None, Problem(shown, 1, 1, say("the first line must name every column once, such as 姓名,单位,职务"))
    for number, row in body:
        if len(row) != len(header):
            return None, Problem(shown, number, 1, say("this row has {cells} cells but the first line names {columns} "
                                                       "columns: add or remove commas (a cell holding a comma goes "
                                                       "in double quotes)", cells=len(row), columns=len(header)))
    return [dict(zip(header, (cell.strip() for cell in row))) for _, row in body], None
