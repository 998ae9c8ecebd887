"""YAML loading with libyaml, dates kept as text, and file line numbers for every key."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .problems import Problem


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader without implicit timestamps: we parse dates ourselves, in the site's zone."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


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
            if err.context and err.problem:
                start = err.context_mark
                where = (f" that starts at line {start.line + 1 + self.line_offset}"
                         if start and start.line != line else "")
                reason = f"{err.problem} ({err.context}{where})"
            raise YamlError(Problem(self.path, line + 1 + self.line_offset, col + 1,
                                    f"YAML syntax error: {reason}")) from None
        except yaml.YAMLError as err:
            raise YamlError(Problem(self.path, 1 + self.line_offset, 1, f"YAML syntax error: {err}")) from None

    def positions(self) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
        """File (line, col) of each top-level key and of its value; computed only when a problem needs it."""
        node = yaml.compose(self.text, Loader=_Loader)
        if not isinstance(node, yaml.MappingNode):
            return {}
        return {str(k.value): (self._at(k.start_mark), self._at(v.start_mark)) for k, v in node.value}

    def _at(self, mark) -> tuple[int, int]:
        return mark.line + 1 + self.line_offset, mark.column + 1


class YamlError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))
