"""The methods of the project's value classes, written once instead of per class.

``@dataclass`` generates each method it adds as source text and compiles it with its
own ``exec`` (Python 3.11): six for a frozen class, about 0.4 ms a class. A one-record
``diagnose`` creates some 45 such classes before it reads its record, more than it
spends on the record. The classes on that path leave ``__repr__`` (and, when frozen,
``__eq__`` and ``__hash__``) to these bases:

    @dataclass(frozen=True, repr=False, eq=False)
    class Rule(FieldsValue): ...

    @dataclass(repr=False)
    class Tally(FieldsRepr): ...

They give what the generated methods give: the same repr (``Name(field=value, ...)``,
fields with ``repr=False`` left out), equality of two instances of the same class by
the fields that ``compare`` (``NotImplemented`` for another class), and the hash of
those fields as a tuple, so nothing changes for a reader, a traceback, a test, a set
or a dict. ``tests/test_startup.py`` keeps every dataclass on that path on them and
compares them with the generated ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Getter = Callable[[object], tuple[object, ...]]


class FieldsRepr:
    """``__repr__`` as ``@dataclass`` writes it, for a dataclass declared with
    ``repr=False`` (see the module's docstring)."""

    __slots__ = ()

    def __repr__(self) -> str:
        declared = fields(cast("DataclassInstance", self))  # always one (see above)
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in declared if f.repr)
        return f"{type(self).__qualname__}({shown})"


class FieldsValue(FieldsRepr):
    """``__eq__`` and ``__hash__`` as ``@dataclass(frozen=True)`` writes them, for a
    frozen dataclass declared with ``repr=False, eq=False``."""

    __slots__ = ()

    # The table is looked up here, not through _getter: instances are dict keys and set
    # members on hot paths (the questionnaire's bounds), where a call more shows.
    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = _COMPARED.get(self.__class__) or _getter(_COMPARED, type(self), False)
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        hashed = _HASHED.get(self.__class__) or _getter(_HASHED, type(self), True)
        return hash(hashed(self))


# Per class, the fields' values as a tuple (an attrgetter: in C, so an instance
# compares and hashes about as fast as with the generated methods).
_COMPARED: dict[type, _Getter] = {}
_HASHED: dict[type, _Getter] = {}


def _getter(table: dict[type, _Getter], cls: type, hashed: bool) -> _Getter:
    found = table.get(cls)
    if found is None:
        declared = fields(cast("type[DataclassInstance]", cls))
        # As dataclasses decides: a field with hash=None hashes when it compares.
        names = [
            f.name for f in declared if (f.compare if not hashed or f.hash is None else f.hash)
        ]
        found = table[cls] = _values(names)
    return found


def _values(names: list[str]) -> _Getter:
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    if not names:
        return lambda value: ()
    return cast(_Getter, attrgetter(*names))
