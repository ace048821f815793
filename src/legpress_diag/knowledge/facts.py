"""What an answer is, before and after it is read.

A record carries **raw** answers: parsed JSON as a person or a program wrote it
(``"Yes"``, ``"70 years"``, ``["a", "b"]``, ``null``). They are read once, at the
edge (``intake.answers``), into **normalised** answers, which is all the reasoning
and the compiled conditions ever see: yes/no as ``bool``, a choice as its ``str``, a
multi-choice as a ``frozenset`` of choices, a number as ``float``; an unknown answer
is absent (never ``None``). The two types do not mix: a raw list is not a
normalised frozenset, so the type checker catches a raw answer handed to the core.

Plain aliases rather than a wrapper class: the compiled conditions look answers up
once per test per record (the hot loop), and a mapping costs no extra hop there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

from ..foundation.jsonvalue import JsonValue

NormalisedValue: TypeAlias = bool | float | str | frozenset[str]
NormalisedAnswers: TypeAlias = Mapping[str, NormalisedValue]
RawAnswers: TypeAlias = Mapping[str, JsonValue]
