"""What 'serve' kept for the very objects of its last rebuild: found by position, else by identity."""

from __future__ import annotations

FEW = 32  # misses (edited objects, which are new) looked up without a table


class LastValues:
    """The values a memo made for each of its objects. An object at the same position is the usual case; an
    object that moved is found by identity, through a table made only once more than FEW were missed (an
    edit makes one new object; a moved article shifts many)."""

    __slots__ = ("objects", "values", "by_id", "misses")

    def __init__(self, objects: tuple = (), values: tuple = ()):
        self.objects, self.values, self.by_id, self.misses = objects, values, None, 0

    def get(self, index: int, obj):
        """The value kept for `obj`, now at `index`, or None (then it must be made again)."""
        if index < len(self.objects) and self.objects[index] is obj:
            return self.values[index]
        self.misses += 1
        if self.misses <= FEW:
            return None
        if self.by_id is None:  # ids are unique: self.objects keeps all those objects alive
            self.by_id = {id(old): value for old, value in zip(self.objects, self.values)}
        return self.by_id.get(id(obj))
