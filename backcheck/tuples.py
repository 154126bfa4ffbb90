"""``NamedTuple`` classes made cheaply at import time.

``typing.NamedTuple`` checks each field's annotation (compiling it, as annotations are
strings here), builds the class with ``collections.namedtuple`` (which compiles a
constructor for every class), then copies the class body over it. backcheck defines some
forty such classes on each start-up, so this module makes the same classes in one step:
the constructor's code is compiled once for each number of fields and given the field
names, and the shared methods are defined once.

A class made here behaves as its ``typing.NamedTuple`` twin: a ``tuple`` subclass with
``__slots__ = ()``, the fields as read-only attributes (and positional or keyword
arguments, with their defaults), ``_fields``, ``_field_defaults``, ``_make``,
``_replace``, ``_asdict``, ``__match_args__``, the same ``repr``, equality, hashing and
pickling. Type checkers see ``typing.NamedTuple`` itself.

    from backcheck.tuples import NamedTuple

    class Point(NamedTuple):
        x: int
        y: int = 0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from _collections import _tuplegetter
    from types import CodeType, FunctionType

    _tuple_new = tuple.__new__
    _GLOBALS = {"_tuple_new": _tuple_new, "__builtins__": {}}
    _CODE: dict[int, CodeType] = {}  # the constructor's code for each number of fields
    _GETTERS: list[_tuplegetter] = []  # the read-only field for each position
    # Names the class body may not set (as with typing.NamedTuple).
    _PROHIBITED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )

    def _arguments(fields: tuple[str, ...]) -> str:
        """The fields as namedtuple lists them: 'x, y', or 'x,' for one."""
        return ", ".join(fields) + ("," if len(fields) == 1 else "")

    def _constructor(name: str, fields: tuple[str, ...], defaults: tuple) -> FunctionType:
        """``__new__(_cls, *fields)``: the constructor namedtuple compiles, with these names."""
        code = _CODE.get(len(fields))
        if code is None:
            args = ", ".join(f"_{i}" for i in range(len(fields)))
            if len(fields) == 1:
                args += ","
            source = f"lambda _cls, {args}: _tuple_new(_cls, ({args}))"
            code = _CODE[len(fields)] = eval(source, _GLOBALS).__code__
        new = FunctionType(code.replace(co_varnames=("_cls", *fields)), _GLOBALS, "__new__")
        if defaults:
            new.__defaults__ = defaults
        new.__qualname__ = f"{name}.__new__"
        new.__doc__ = f"Create new instance of {name}({_arguments(fields)})"
        return new

    @classmethod
    def _make(cls, iterable):
        """Make a new object from a sequence or iterable."""
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **kwds):
        """Return a new object replacing specified fields with new values."""
        result = self._make(map(kwds.pop, self._fields, self))
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return result

    def __repr__(self):
        """Return a nicely formatted representation string."""
        pairs = zip(self._fields, self, strict=True)
        shown = ", ".join([f"{name}={value!r}" for name, value in pairs])
        return f"{self.__class__.__name__}({shown})"

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(self._fields, self, strict=True))

    def __getnewargs__(self):
        """Return self as a plain tuple.  Used by copy and pickle."""
        return tuple(self)

    class _Maker(type):
        """Makes each class written as ``class C(NamedTuple)`` (see the module's text)."""

        def __new__(cls, name, bases, namespace):
            if bases != (_Base,):
                raise TypeError("can only inherit from NamedTuple")
            annotations = namespace.get("__annotations__", {})
            fields = tuple(annotations)
            defaulted = [field for field in fields if field in namespace]
            if defaulted and fields[-len(defaulted) :] != tuple(defaulted):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            defaults = tuple(namespace[field] for field in defaulted)
            for key in namespace:
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            body = {key: value for key, value in namespace.items() if key not in fields}
            body.setdefault("__doc__", f"{name}({_arguments(fields)})")
            while len(_GETTERS) < len(fields):
                index = len(_GETTERS)
                _GETTERS.append(_tuplegetter(index, f"Alias for field number {index}"))
            body.update(zip(fields, _GETTERS, strict=False))
            new = _constructor(name, fields, defaults)
            new.__annotations__ = annotations
            body.update(
                __slots__=(),
                _fields=fields,
                _field_defaults=dict(zip(defaulted, defaults, strict=True)),
                __new__=new,
                _make=_make,
                _replace=_replace,
                __repr__=__repr__,
                _asdict=_asdict,
                __getnewargs__=__getnewargs__,
                __match_args__=fields,
            )
            return type(name, (tuple,), body)

    _Base = type.__new__(_Maker, "NamedTuple", (), {})

    def NamedTuple(typename, fields=None, /, **kwargs):  # typing's name
        """The functional form, ``NamedTuple("Point", [("x", int)])``: typing's own."""
        import typing

        return typing.NamedTuple(typename, fields, **kwargs)

    NamedTuple.__mro_entries__ = lambda bases: (_Base,)
