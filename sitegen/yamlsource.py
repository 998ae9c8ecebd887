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
            line, col = (mark.line, mark.column) if mark else (0, 0)
            start = err.context_mark
            if start and mark and line >= self.text.count("\n"):
                # The parser ran to the end of the block (an unclosed quote or bracket): point at where it began.
                line, col = start.line, start.column
                reason = f"{err.problem} ({err.context}, never closed)"
            elif err.context and err.problem:
                where = (f" that starts at line {start.line + 1 + self.line_offset}"
                         if start and start.line != line else "")
                reason = f"{err.problem} ({err.context}{where})"
            reason += QUOTE_HINT
            raise YamlError(Problem(self.path, line + 1 + self.line_offset, col + 1,
                                    f"YAML syntax error: {reason}")) from None
        except yaml.YAMLError as err:
            raise YamlError(Problem(self.path, 1 + self.line_offset, 1, f"YAML syntax error: {err}")) from None

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
        return mark.line + 1 + self.line_offset, mark.column + 1


class YamlError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
