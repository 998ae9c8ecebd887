"""Reads recorded as they happen: which items of a tuple, which fields of an object a function read (Lektor's
record_dependency, Hugo's identities), so what decides a result is known without a list of fields kept by hand."""

from __future__ import annotations


class Recording(tuple):
    """A tuple that notes in `seen` the indices of the items read from it (one by one, by slice, or all)."""

    def __new__(cls, items, seen: set):
        made = super().__new__(cls, items)
        made.seen = seen
        return made

    def __getitem__(self, at):
        if isinstance(at, slice):
            self.seen.update(range(*at.indices(len(self))))
        else:
            self.seen.add(at % len(self) if at < 0 else at)
        return tuple.__getitem__(self, at)

    def __iter__(self):
        self.seen.update(range(len(self)))
        return tuple.__iter__(self)

    def __contains__(self, value):
        self.seen.update(range(len(self)))
        return tuple.__contains__(self, value)

    def index(self, *args):
        self.seen.update(range(len(self)))
        return tuple.index(self, *args)

    def count(self, value):
        self.seen.update(range(len(self)))
        return tuple.count(self, value)


class Watched:
    """An object seen through: notes in `names` the name of every field read from it."""

    __slots__ = ("_target", "_names")

    def __init__(self, target, names: set):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_names", names)

    def __getattr__(self, name):
        self._names.add(name)
        return getattr(self._target, name)


def unwrapped(values: tuple) -> tuple:
    """The objects seen through Watched, themselves."""
    return tuple(object.__getattribute__(value, "_target") if type(value) is Watched else value for value in values)
