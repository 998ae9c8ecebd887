"""YAML loading with libyaml, dates kept as text, and file line numbers for every key."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .messages import Message, say
from .problems import Problem


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader without implicit timestamps: we parse dates ourselves, in the site's zone."""


# Dates are parsed by us (in the site's zone); floats stay text so 'title: 1.10' is not '1.1'.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def _guarded(construct):
    """A scalar constructor whose failures (`!!int x`, `!!timestamp 2019-13-45`, a number of 5,000 digits)
    become YAML errors at the value, as PyYAML's own are; it raises ValueError, KeyError and others."""
    def construct_or_explain(loader, node):
        try:
            return construct(loader, node)
        except yaml.MarkedYAMLError:
            raise
        except Exception:
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:40] + "…"
            kind = node.tag.rpartition(":")[2]
            digits = sum(c.isdigit() for c in value)
            problem = (say("the number '{shown}' has {digits} digits, more than can be read", shown=shown,
                           digits=digits) if digits > 4000
                       else say("'{shown}' is not a valid !!{kind} value", shown=shown, kind=kind))
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None
    return construct_or_explain


for _tag in ("bool", "int", "float", "timestamp", "null", "binary", "str"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                            _guarded(yaml.CSafeLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]))
del _tag


@dataclass(frozen=True, slots=True)
class YamlText:
    """A block of YAML and where it sits in its file (line_offset = file line of its first line - 1)."""

    path: str
    text: str
    line_offset: int = 0
    lists: frozenset = frozenset()  # the keys whose value is a list ('tags: [a, b'), for the fixed lines shown

    def load(self):
        """Parse the block, or raise a Problem-carrying YamlError with the file's line and column. A key followed
        by a full-width colon (`title：…`, typed with a Chinese keyboard) is read as `title: …`."""
        try:
            return yaml.load(self.readable(), Loader=_Loader)
        except yaml.MarkedYAMLError as err:
            raise YamlError(self._syntax_problem(err)) from None
        except yaml.reader.ReaderError as err:  # a character YAML does not allow anywhere, even quoted
            found = NOT_IN_YAML.search(self.text)  # err.position counts UTF-8 bytes, not characters
            line, col = self._at_index(found.start() if found else err.position)
            code = err.character if isinstance(err.character, int) else ord(err.character)
            raise YamlError(Problem(self.path, line, col, say("the invisible control character U+{code} is not "
                                                              "allowed in YAML: delete it", code=f"{code:04X}"))) from None
        except yaml.YAMLError as err:
            raise YamlError(Problem(self.path, 1 + self.line_offset, 1,
                                    say("YAML syntax error: {reason}{hint}", reason=one_line(str(err)),
                                        hint=QUOTE_HINT))) from None

    def readable(self) -> str:
        """The text YAML reads: the editor's, with full-width colons after keys made ASCII (same lines)."""
        return with_ascii_colons(self.text)

    def _syntax_problem(self, err: yaml.MarkedYAMLError) -> Problem:
        """Where the YAML went wrong, and the fix as an example line when it is a `key: value` line."""
        mark = err.problem_mark or err.context_mark
        line, col = self._at(mark) if mark else (1 + self.line_offset, 1)
        char = self.text[min(mark.index, len(self.text) - 1)] if mark and self.text else ""
        reason = editors_words(err.problem, char) if err.problem else one_line(str(err))
        start = err.context_mark
        opener = next((said for words, said in OPENERS if words in (err.context or "")), None)
        if start and mark and (line > self.text.count("\n") + self.line_offset or
                               (opener and self._at(start)[0] < line)):
            # An unclosed quote or bracket (the parser ran on to the end, or into the next lines): point at where
            # it began.
            line, col = self._at(start)
            if opener:
                reason = say("{opener} that opens here is never closed", opener=opener)
        elif opener and start and self._at(start)[0] != line:
            reason = say("{reason} (in what begins at line {line})", reason=reason, line=self._at(start)[0])
        lines = self.readable().split("\n")
        written = lines[line - self.line_offset - 1] if line > self.line_offset else ""
        before = lines[line - self.line_offset - 2] if line - self.line_offset >= 2 else ""
        if "mapping values" in str(err.problem) and before.strip() and ":" not in before and \
                not before.startswith((" ", "\t", "-", "#")):  # 'title 标题' ran on into the next line's key
            return Problem(self.path, line - 1, 1, say("this line has no ': ' after its key: write it as, for example, "
                                                       "title: 县人大常委会召开会议"))
        if (m := KEY_LINE.fullmatch(written)) and len(m["value"]) <= EXAMPLE_LIMIT:
            return Problem(self.path, line, 1, say("the value of '{key}' cannot be read as written (YAML: {reason}); "
                                                   "write it as {examples}", key=m["key"], reason=reason,
                                                   examples=fixed_lines(m["key"], m["value"], m["key"] in self.lists)))
        return Problem(self.path, line, col, say("YAML syntax error: {reason}{hint}", reason=reason, hint=QUOTE_HINT))

    def positions(self) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
        """File (line, col) of each top-level key and of its value; computed only when a problem needs it."""
        return {key: (key_at, value_at) for key, key_at, value_at, _ in self.entries()}

    def entries(self) -> list[tuple[str, tuple[int, int], tuple[int, int], list[tuple[int, int]]]]:
        """(key, key position, value position, positions of list items) for each top-level key, in order."""
        node = yaml.compose(self.readable(), Loader=_Loader)
        if not isinstance(node, yaml.MappingNode):
            return []
        return [(str(k.value), self._at(k.start_mark), self._at(v.start_mark),
                 [self._at(item.start_mark) for item in v.value] if isinstance(v, yaml.SequenceNode) else [])
                for k, v in node.value]

    def _at(self, mark) -> tuple[int, int]:
        return self._at_index(mark.index)

    def _at_index(self, index: int) -> tuple[int, int]:
        """File (line, col) of a character of the block. Not YAML's own line count: YAML also breaks lines
        at U+0085, U+2028 and U+2029, which editors show inside a line."""
        index = min(index, len(self.text))
        line_start = self.text.rfind("\n", 0, index) + 1
        return self.text.count("\n", 0, index) + 1 + self.line_offset, index - line_start + 1


# The characters a YAML stream may not hold, even quoted (the YAML 1.1 spec's printable set, which libyaml checks).
NOT_IN_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
QUOTE_HINT = say("; if a value contains ': ', '#' or starts with a quote or bracket, put the whole value in single "
                 "quotes")
EXAMPLE_LIMIT = 200  # a longer value is not written out again as an example line
KEY_LINE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ \t]+(?P<value>[^|>\s].*?)\s*")
_FULL_WIDTH_COLON = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*：[ \t]?", re.M)
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def with_ascii_colons(text: str) -> str:
    """`title：…` read as `title: …`: a key is ASCII, so a full-width colon right after one can only mean the colon."""
    return _FULL_WIDTH_COLON.sub(r"\1: ", text) if "：" in text else text


def fixed_lines(key: str, value: str, is_list: bool = False) -> Message:
    """Example lines that read as the editor meant: for a list, the bracket that was opened closed, where that
    reads; Chinese quotes and colons for Chinese text, where that reads as text; and the whole value in single
    quotes, which always does."""
    quoted = f"{key}: '{value.replace(chr(39), chr(39) * 2)}'"
    closing = {"[": "]", "{": "}"}.get(value[:1]) if is_list else {"'": "'", '"': '"'}.get(value[:1])
    closed = f"{key}: {value}{closing}" if closing and len(value) > 1 and not value.endswith(closing) else ""
    if closed and (reads(closed) if is_list else reads_as_text(closed, key)):
        if is_list:
            return say("{closed} (the bracket closed) or {quoted}", closed=closed, quoted=quoted)
        return say("{closed} (the quote closed) or {quoted}", closed=closed, quoted=quoted)
    chinese = f"{key}: " + re.sub(r'"([^"]*)"', r"“\1”", value).replace(": ", "：").replace(":", "：")
    if not _CHINESE.search(value) or not reads_as_text(chinese, key):
        return say("{quoted}", quoted=quoted)
    return say("{chinese} (Chinese quotes and colon) or {quoted}", chinese=chinese, quoted=quoted)


def reads(line: str) -> bool:
    """Whether a line reads as YAML."""
    try:
        yaml.load(line, Loader=_Loader)
    except yaml.YAMLError:
        return False
    return True


def reads_as_text(line: str, key: str) -> bool:
    """Whether a line of YAML reads as `key` with a text value."""
    try:
        data = yaml.load(line, Loader=_Loader)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and list(data) == [key] and isinstance(data[key], str)


# PyYAML's words for what went wrong (the start of its problem) -> the editor's. Anything else is shown as PyYAML
# says it.
TAB = say("a Tab character: YAML indents with spaces only; delete it")
YAML_PROBLEMS = (  # libyaml's words, and PyYAML's where they differ
    (re.compile(r"tab character"), TAB),
    (re.compile(r"that cannot start any token"), say("a value cannot begin with {char}")),
    (re.compile(r"mapping values are not allowed"), say("a second ': ' on the line, or a line indented under the "
                                                        "one above")),
    (re.compile(r"found undefined alias"), say("a value cannot begin with *")),
    (re.compile(r"unknown escape character"), say("a backslash inside double quotes (write / instead)")),
    (re.compile(r"',' or '\]'"), say("the items of a [ ] list need a comma between them and ] at the end")),
    (re.compile(r"',' or '\}'"), say("the items inside curly brackets need a comma between them and a closing "
                                      "curly bracket at the end")),
    (re.compile(r"found unexpected end of stream"), say("the text ends inside a quote or a bracket")),
    (re.compile(r"did not find expected key|expected <block end>"), say(
        "more text after a closing quote or bracket, or a line indented differently from the others")),
    (re.compile(r"could not find expected ':'"), say("a line that is not 'key: value'")),
    (re.compile(r"expected '-' indicator"), say("list items ('- ') mixed with 'key: value' lines")),
    (re.compile(r"constructor for the tag|undefined tag handle|anchor"), say("a value cannot begin with & or !")),
)
OPENERS = (("quoted scalar", say("the quote")), ("flow sequence", say("the [")), ("flow mapping", say("the curly bracket")))


def editors_words(problem, char: str) -> Message | str:
    """What PyYAML's problem (found at `char`) means, in a message the editor's language can say."""
    if isinstance(problem, Message):
        return problem
    for pattern, message in YAML_PROBLEMS:
        if pattern.search(problem):
            return TAB if char == "\t" else Message(message.text, (("char", char),))
    return one_line(problem)


def one_line(text: str) -> str:
    """A message on one line (PyYAML's own text spans several)."""
    return " ".join(text.split())


class YamlError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
