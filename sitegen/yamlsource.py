"""YAML loading with libyaml, dates kept as text, and file line numbers for every key."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

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
            problem = (f"the number '{shown}' has {digits} digits, more than can be read" if digits > 4000
                       else f"'{shown}' is not a valid !!{kind} value")
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None
    return construct_or_explain


for _tag in ("bool", "int", "float", "timestamp", "null", "binary", "str"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                            _guarded(yaml.CSafeLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]))
del _tag
QUOTE_HINT = "; if a value contains ': ', '#' or starts with a quote or bracket, put the whole value in quotes"


@dataclass(frozen=True, slots=True)
class YamlText:
    """A block of YAML and where it sits in its file (line_offset = file line of its first line - 1)."""

    path: str
    text: str
    line_offset: int = 0

    def load(self):
        """Parse the block, or raise a Problem-carrying YamlError with the file's line and column."""
        try:
            return yaml.load(self.text, Loader=_Loader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            reason = err.problem or str(err)
            line, col = self._at(mark) if mark else (1 + self.line_offset, 1)
            start = err.context_mark
            if start and mark and line > self.text.count("\n") + self.line_offset:
                # The parser ran to the end of the block (an unclosed quote or bracket): point at where it began.
                line, col = self._at(start)
                reason = f"{err.problem} ({err.context}, never closed)"
            elif err.context and err.problem:
                start_line = self._at(start)[0] if start else line
                where = f" that starts at line {start_line}" if start_line != line else ""
                reason = f"{err.problem} ({err.context}{where})"
            reason += QUOTE_HINT
            raise YamlError(Problem(self.path, line, col, f"YAML syntax error: {one_line(reason)}")) from None
        except yaml.reader.ReaderError as err:  # a character YAML does not allow anywhere, even quoted
            found = yaml.reader.Reader.NON_PRINTABLE.search(self.text)  # err.position counts UTF-8 bytes
            line, col = self._at_index(found.start() if found else err.position)
            code = err.character if isinstance(err.character, int) else ord(err.character)
            raise YamlError(Problem(self.path, line, col, f"the invisible control character U+{code:04X} is not "
                                                          "allowed in YAML: delete it")) from None
        except yaml.YAMLError as err:
            raise YamlError(Problem(self.path, 1 + self.line_offset, 1,
                                    f"YAML syntax error: {one_line(str(err))}")) from None

    def positions(self) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
        """File (line, col) of each top-level key and of its value; computed only when a problem needs it."""
        return {key: (key_at, value_at) for key, key_at, value_at, _ in self.entries()}

    def entries(self) -> list[tuple[str, tuple[int, int], tuple[int, int], list[tuple[int, int]]]]:
        """(key, key position, value position, positions of list items) for each top-level key, in order."""
        node = yaml.compose(self.text, Loader=_Loader)
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


def one_line(text: str) -> str:
    """A message on one line (PyYAML's own text spans several)."""
    return " ".join(text.split())


class YamlError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
