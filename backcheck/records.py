"""Small record classes written out by hand instead of made with ``@dataclass``.

``@dataclass`` compiles each class's ``__init__``, ``__repr__``, ``__eq__`` and, when frozen,
``__setattr__``, ``__delattr__`` and ``__hash__`` on every start-up (some 4 M instructions a
class). A class here lists its fields in ``_fields`` (and ``__slots__`` and
``__match_args__``), writes its own ``__init__`` and gets the rest from ``Record`` or
``Frozen``: equality with a record of the same class, ``repr``, frozenness
(``dataclasses.FrozenInstanceError``), hashing, copying and pickling, all by field, as a
dataclass has them.
"""

from __future__ import annotations


class Record:
    """Equality and ``repr`` by field (``_fields``, in order), as a dataclass has them."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"


class Frozen(Record):
    """A record whose fields cannot change (a frozen dataclass), hashed by its fields."""

    __slots__ = ()

    def _set(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise _frozen(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise _frozen(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._values())

    def __getstate__(self) -> list[object]:
        """The fields' values, for copy and pickle (which cannot set a frozen field)."""
        return list(self._values())

    def __setstate__(self, state: list[object]) -> None:
        for name, value in zip(self._fields, state, strict=True):
            object.__setattr__(self, name, value)


def _frozen(message: str) -> Exception:
    """The error a frozen dataclass raises. dataclasses is imported only here: with the
    inspect and ast modules it brings, it costs about 20 ms, more than every record class
    here together, and a program that never changes a record never needs it."""
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(message)
