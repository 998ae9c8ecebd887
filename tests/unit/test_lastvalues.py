"""LastValues: serve's kept values found by position, by identity once many are missed, never for new objects."""

from __future__ import annotations

from sitegen.lastvalues import FEW, LastValues


class Thing:
    pass


def test_values_are_found_by_position_then_by_identity_and_never_for_new_objects():
    objects = tuple(Thing() for _ in range(FEW * 3))
    last = LastValues(objects, tuple(range(len(objects))))
    assert [last.get(i, o) for i, o in enumerate(objects)] == list(range(len(objects)))
    assert last.get(0, Thing()) is None  # an edited object is new: made again
    shifted = (Thing(), *objects)  # every object moved one place on
    found = [last.get(i, o) for i, o in enumerate(shifted)]
    assert found[0] is None and all(v is None or v == i - 1 for i, v in enumerate(found))
    assert found[FEW + 1:] == list(range(FEW, len(objects)))  # found by identity once the table is made
    assert LastValues().get(0, objects[0]) is None
