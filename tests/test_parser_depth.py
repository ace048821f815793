"""Deeply nested conditions: refused at a cap with a position, never a RecursionError.

The parser and every later walk over a condition tree (the checker, the compiled
closures, rendering, lint, the bounds used by the questionnaire) recurse once or a
few times per level, so the parser's nesting cap is what keeps them all safe.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from legpress_diag.authoring.lint.checks.lp311_duplicate_rule import canonical
from legpress_diag.cli.app import app
from legpress_diag.knowledge.conditions.ast import leaves, render
from legpress_diag.knowledge.conditions.compile import compile_condition
from legpress_diag.knowledge.conditions.parser import (
    MAX_NESTING,
    ConditionSyntaxError,
    parse_condition,
)
from legpress_diag.knowledge.rulebase import RuleBase
from legpress_diag.reasoning.bounds import condition_interval

runner = CliRunner()
CONDITION_CAP = 5000  # the schema's longest text, and so the longest condition


def nested(levels: int) -> str:
    """``levels`` of alternating 'not' and parentheses around a yes/no question."""
    text = "heels_lift"
    for level in range(levels):
        text = f"not {text}" if level % 2 else f"({text} and heels_lift)"
    return text


@contextmanager
def frames_to_spare(frames: int) -> Iterator[None]:
    """Lower the recursion limit to ``frames`` above the current depth."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("(" * 350 + "a" + ")" * 350, MAX_NESTING),
        ("not " * 1200 + "a", 4 * MAX_NESTING),
        ("not (" * 200 + "a" + ")" * 200, 5 * (MAX_NESTING // 2)),
    ],
)
def test_too_deep_is_a_syntax_error_at_the_first_level_too_many(text: str, offset: int) -> None:
    assert len(text) <= CONDITION_CAP
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(text)
    assert caught.value.offset == offset
    assert caught.value.message.startswith(f"nested too deeply (limit {MAX_NESTING}")


def test_exactly_at_the_cap_parses() -> None:
    parse_condition("(" * MAX_NESTING + "a" + ")" * MAX_NESTING)
    parse_condition("not " * MAX_NESTING + "a")
    with pytest.raises(ConditionSyntaxError):
        parse_condition("not " * (MAX_NESTING + 1) + "a")


def test_every_walk_over_the_deepest_condition_needs_few_frames(rb: RuleBase) -> None:
    text = nested(MAX_NESTING)
    questions, derived = dict(rb.questions), set(rb.facts) | set(rb.causes)
    answers: dict[str, Any] = {"heels_lift": True}
    walks: list[Callable[[], object]] = [
        lambda: parse_condition(text),
        lambda: compile_condition(parse_condition(text), questions, derived),
        lambda: compile_condition(parse_condition(text), questions, derived).evaluate(answers, {}),
        lambda: render(parse_condition(text)),
        lambda: leaves(parse_condition(text)),
        lambda: canonical(parse_condition(text)),
        lambda: condition_interval(rb, parse_condition(text), answers, frozenset(), {}),
    ]
    # Python allows 1,000 frames by default; each walk here fits in a quarter of that.
    with frames_to_spare(250):
        for walk in walks:
            walk()
    compiled = compile_condition(parse_condition(text), questions, derived)
    assert compiled.evaluate(answers, {}) == 1.0  # an even number of 'not's: the answer


_TOKENS = st.sampled_from(["not ", "(", ")", "heels_lift", " and ", " or ", "knees_cave_in"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_TOKENS, max_size=1500), st.integers(0, 1200))
def test_any_condition_under_the_length_cap_parses_or_is_refused(
    tokens: list[str], nots: int
) -> None:
    text = ("not " * nots + "".join(tokens))[:CONDITION_CAP]
    try:
        tree = parse_condition(text)
    except ConditionSyntaxError:
        return
    render(tree)
    leaves(tree)
    canonical(tree)


def _deep_rule_file(tmp_path: Path, levels: int) -> Path:
    path = tmp_path / "deep.yaml"
    path.write_text(
        "rules:\n"
        "  - id: deep-heels\n"
        f"    if: {nested(levels)}\n"
        "    then: heels_lifting\n"
        "    cf: 0.7\n"
        '    source: "a test"\n'
    )
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["rules", "lint"],
        ["diagnose", "-"],
        ["ask"],
        ["rules", "draw"],
        ["rules", "explain", "heels_lifting"],
    ],
)
def test_too_deep_stops_every_command_with_a_position(tmp_path: Path, args: list[str]) -> None:
    path = _deep_rule_file(tmp_path, MAX_NESTING + 1)
    result = runner.invoke(app, [*args, "--rules", str(path)], input='{"answers": {}}\n')
    assert result.exit_code in (1, 2), result.output
    assert f"{path}:3:" in result.output and "LP202" in result.output
    assert f"nested too deeply (limit {MAX_NESTING}" in result.output


def test_at_the_cap_every_command_works(tmp_path: Path) -> None:
    path = _deep_rule_file(tmp_path, MAX_NESTING)
    rules = ["--rules", str(path)]
    record = '{"answers": {"heels_lift": "yes"}}\n'
    diagnosis = runner.invoke(app, ["diagnose", "-", "--format", "jsonl", *rules], input=record)
    assert diagnosis.exit_code == 0, diagnosis.output
    assert '"deep-heels"' in diagnosis.output
    for args in (["rules", "lint"], ["rules", "draw"], ["rules", "explain", "heels_lifting"]):
        result = runner.invoke(app, [*args, *rules])
        assert result.exit_code in (0, 1), (args, result.output)
        assert "RecursionError" not in result.output
