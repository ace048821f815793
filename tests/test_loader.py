"""Loader errors: one test per kind of mistake, each checking file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from legpress_diag.foundation.problems import Diagnostic, RuleBaseError
from legpress_diag.knowledge.loader import load_rulebase

from .conftest import MINI_RULES

# Lines MINI_RULES occupies once written (the fixture strips its leading newline).
BASE = MINI_RULES.count("\n") - 1


def problems(path: Path) -> list[Diagnostic]:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([path], include_bundled=False)
    return list(info.value.diagnostics)


def where(d: Diagnostic) -> tuple[int, int]:
    assert d.span is not None
    return (d.span.line, d.span.col)


def test_yaml_syntax_error_has_position(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.yaml", "questions:\n  - id: a\n    text: [unclosed\n")
    [d] = problems(path)
    assert d.code == "LP001" and d.span and d.span.path.endswith("bad.yaml")
    assert d.span.line >= 3


def test_tab_indentation_is_reported(write) -> None:  # type: ignore[no-untyped-def]
    path = write("tabs.yaml", "questions:\n\t- id: a\n")
    [d] = problems(path)
    assert d.code == "LP001" and where(d) == (2, 1)


def test_duplicate_key_is_an_error_with_both_lines(write) -> None:  # type: ignore[no-untyped-def]
    path = write("dup.yaml", "questions:\n  - id: a\n    type: yes_no\n    type: choice\n")
    [d] = problems(path)
    assert d.code == "LP005" and where(d) == (4, 5)
    assert "first defined at line 3" in d.message


def test_aliases_are_refused(write) -> None:  # type: ignore[no-untyped-def]
    path = write("alias.yaml", "x: &a [1]\ny: *a\n")
    [d] = problems(path)
    assert d.code == "LP003" and where(d) == (2, 4)


def test_python_tags_are_refused_never_run(write) -> None:  # type: ignore[no-untyped-def]
    path = write("tag.yaml", "x: !!python/object/apply:os.system ['echo pwned']\n")
    [d] = problems(path)
    assert d.code == "LP004" and "python/object/apply" in d.message


def test_unknown_field_suggests_the_right_one(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "f.yaml",
        MINI_RULES + "rules:\n  - id: r\n    if: a\n    then: c1\n    cf: 0.5\n    sorce: x\n",
    )
    [d] = problems(path)
    assert d.code == "LP101" and "sorce" in d.message and d.hint == "did you mean 'source'?"
    assert d.span and d.span.line == BASE + 6


def test_missing_field_points_at_the_item(write) -> None:  # type: ignore[no-untyped-def]
    path = write("m.yaml", "questions:\n  - id: a\n    type: yes_no\n")
    [d] = problems(path)
    assert d.code == "LP102" and "missing field 'text'" in d.message and where(d) == (2, 5)


def test_yaml11_booleans_stay_text_and_strict_types(write) -> None:  # type: ignore[no-untyped-def]
    # 'no' stays the string "no" (YAML 1.2), so a cf of 'no' is a type error, not False.
    path = write("b.yaml", MINI_RULES + "rules:\n  - {id: r, if: a, then: c1, cf: no}\n")
    [d] = problems(path)
    assert d.code == "LP102" and "cf" in d.message


def test_number_question_range_must_make_sense(write) -> None:  # type: ignore[no-untyped-def]
    path = write("r.yaml", "questions:\n  - {id: a, type: number, text: A, min: 10, max: 5}\n")
    [d] = problems(path)
    assert "must be below" in d.message and where(d) == (2, 5)


def test_unknown_name_in_condition_has_column_and_suggestion(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "c.yaml",
        MINI_RULES + "rules:\n  - id: r\n    if: a and angel < 90\n    then: c1\n    cf: 0.5\n",
    )
    [d] = problems(path)
    line = BASE + 3
    assert d.code == "LP203" and d.span and (d.span.line, d.span.col) == (line, 15)
    assert d.hint == "did you mean 'angle'?"


def test_condition_position_inside_quoted_scalar(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "q.yaml", MINI_RULES + 'rules:\n  - {id: r, if: "tempo == quick", then: c1, cf: 0.5}\n'
    )
    [d] = problems(path)
    assert (
        d.code == "LP204"
        and "quick" in d.message
        and d.span
        and (d.span.line, d.span.col) == (BASE + 2, 27)
    )


def test_condition_position_inside_block_scalar(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        MINI_RULES
        + "rules:\n  - id: r\n    if: |\n      a and\n      tempo < 3\n    then: c1\n    cf: 0.5\n"
    )
    [d] = problems(write("blk.yaml", text))
    assert d.code == "LP205" and d.span and (d.span.line, d.span.col) == (BASE + 5, 12)


def test_condition_syntax_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write("s.yaml", MINI_RULES + "rules:\n  - {id: r, if: a && b, then: c1, cf: 0.5}\n")
    [d] = problems(path)
    assert (
        d.code == "LP202"
        and "unexpected character '&'" in d.message
        and d.hint == "use 'and', 'or', 'not'"
    )


def test_wrong_comparison_type(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "t.yaml", MINI_RULES + "rules:\n  - {id: r, if: 'angle == slow', then: c1, cf: 0.5}\n"
    )
    [d] = problems(path)
    assert d.code == "LP205" and "compare it with a number" in d.message


@pytest.mark.parametrize("question", ["tempo", "a", "angle"])
def test_the_equipment_question_must_be_a_multi_question(write, question: str) -> None:  # type: ignore[no-untyped-def]
    # A choice (or yes/no, or number) answer is no set of equipment: the alternatives
    # filter would read it as "not asked" and offer exercises the lifter cannot do.
    text = MINI_RULES + f"settings: {{equipment_question: {question}}}\nrules: []\n"
    [d] = problems(write("e.yaml", text))
    assert d.code == "LP205" and f"names '{question}'" in d.message
    assert "expected a multi question" in d.message
    assert where(d)[0] == BASE + 1


def test_a_multi_equipment_question_loads(write) -> None:  # type: ignore[no-untyped-def]
    text = MINI_RULES + "settings: {equipment_question: where}\nrules: []\n"
    assert (
        load_rulebase([write("e.yaml", text)], include_bundled=False).settings.equipment_question
        == "where"
    )


def test_unknown_fix_reference(write) -> None:  # type: ignore[no-untyped-def]
    text = MINI_RULES.replace("fixes: [fx]\n  - id: c2", "fixes: [fxx]\n  - id: c2")
    [d] = problems(write("x.yaml", text))
    assert d.code == "LP206" and d.hint == "did you mean 'fx'?"


def test_duplicate_id_across_files_needs_replaces(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = write("a.yaml", MINI_RULES)
    write("b.yaml", "fixes:\n  - {id: fx, title: Other, how: other}\n")
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([base, tmp_path / "b.yaml"], include_bundled=False)
    [d] = info.value.diagnostics
    assert d.code == "LP201" and "first defined at" in d.message and "a.yaml" in d.message
    write("b.yaml", "fixes:\n  - {id: fx, title: Other, how: other, replaces: true}\n")
    rb = load_rulebase([base, tmp_path / "b.yaml"], include_bundled=False)
    assert rb.fixes["fx"].title == "Other"


def test_replaces_without_an_earlier_definition(write) -> None:  # type: ignore[no-untyped-def]
    text = MINI_RULES + "  - {id: fy, title: Y, how: y, replaces: true}\n"
    [d] = problems(write("y.yaml", text))
    assert d.code == "LP206" and "nothing earlier" in d.message


def test_every_problem_is_reported_not_just_the_first(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        MINI_RULES
        + "rules:\n  - {id: r1, if: nope, then: c1, cf: 0.5}\n"
        + "  - {id: r2, if: a, then: nowhere, cf: 0.5}\n"
    )
    found = problems(write("many.yaml", text))
    assert [d.code for d in found] == ["LP203", "LP206"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty"),
        (b"- a\n- b\n", "not a list"),
        (b"just text\n", "not a single value"),
        (b"x: 1\x00\n", "NUL byte"),
        (b"x: \xff\n", "invalid UTF-8"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "u.yaml"
    path.write_bytes(content)
    [d] = problems(path)
    assert fragment in d.message and d.span and d.span.line == 1


def test_a_pack_s_project_folder_points_at_the_folder_of_its_rule_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A coach names the pack's project (pyproject.toml, the package inside) rather
    # than the package folder that holds the rule files.
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "my-gym-pack" / "my_gym_pack"
    rules.mkdir(parents=True)
    (rules / "seat.yaml").write_text(MINI_RULES, encoding="utf-8")
    (rules / "cases").mkdir()
    (rules / "cases" / "seat-cases.yaml").write_text("cases: []\n", encoding="utf-8")
    tooling = tmp_path / "my-gym-pack" / ".venv" / "lib"
    tooling.mkdir(parents=True)
    (tooling / "other.yaml").write_text(MINI_RULES, encoding="utf-8")
    [d] = problems(tmp_path / "my-gym-pack")
    assert d.message == "directory holds no .yaml files"
    assert d.hint == f"rule files are in {Path('my-gym-pack', 'my_gym_pack')}: name that folder"
    (tmp_path / "empty").mkdir()
    [bare] = problems(tmp_path / "empty")
    assert bare.hint is None  # nothing below either: nothing to point at


def test_missing_path_is_reported() -> None:
    with pytest.raises(RuleBaseError, match="no such file"):
        load_rulebase(["/nonexistent/rules.yaml"], include_bundled=False)


def test_a_directory_loads_as_one_rule_base_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("rules:\n  - {id: r, if: a, then: c1, cf: 0.5}\n")
    (tmp_path / "a.yaml").write_text(MINI_RULES)
    rb = load_rulebase([tmp_path], include_bundled=False)
    assert [r.id for r in rb.rules] == ["r"] and rb.files[0].endswith("a.yaml")


def test_bundled_rule_base_loads_with_identity(rb) -> None:  # type: ignore[no-untyped-def]
    assert rb.name == "legpress-bundled" and rb.content_hash.startswith("sha256:")
    assert all(rule.source for rule in rb.rules)
    assert all(c.source for c in rb.causes.values()) and all(f.source for f in rb.fixes.values())
    assert all(a.source for a in rb.alternatives.values())


@pytest.mark.parametrize(
    ("text", "where", "words", "hint"),
    [
        ("fixes:\n  - id: a\n    how: Stop: at 90\n", (3, 14), "a ': ' where no new key", "quote"),
        ("rules:\n\t- id: a\n", (2, 1), "a tab where YAML needs spaces", "spaces, not tabs"),
        ("a: @x\n", (1, 4), "an '@' cannot start a value", "put the value in quotes"),
        ("rules:\n  - id: 'a\n    when: x\n", (4, 1), "ends inside an open quote", "close"),
        ("a: [b, c\nd: 1\n", (2, 2), "a list opened with '[' is not closed", "']'"),
        ("rules:\n  id: a\n  - b\n", (3, 3), "a 'key: value' was expected here", "indentation"),
        ("rules:\n  - id: a\n  when: x\n   cf: 1\n", (3, 3), "list items above it", "'- '"),
    ],
)
def test_yaml_syntax_errors_are_said_in_plain_words(
    tmp_path: Path, text: str, where: tuple[int, int], words: str, hint: str
) -> None:
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase([tmp_path / "bad.yaml"], include_bundled=False)
    [d] = info.value.diagnostics
    assert d.code == "LP001" and (d.span.line, d.span.col) == where  # type: ignore[union-attr]
    assert words in d.message and d.hint is not None and hint in d.hint
    for parsers_phrase in ("did not find", "in this context", "any token", "end of stream"):
        assert parsers_phrase not in d.message


def test_a_yaml_complaint_not_known_keeps_the_parsers_words() -> None:
    from legpress_diag.knowledge.yaml_words import plain_words

    assert plain_words("something new went wrong", None).problem == "something new went wrong"


def test_an_excerpt_of_a_very_long_line_is_a_window_around_the_column() -> None:
    from legpress_diag.foundation.problems import Severity, SourceSpan
    from legpress_diag.presentation.render.diagnostics import source_excerpt

    source = "k: " + "y" * 300 + " bad and then " + "z" * 200_000
    found = Diagnostic("LP204", Severity.ERROR, "bad", SourceSpan("f.yaml", 1, 305, 1, 308))
    lines = source_excerpt(found, source)
    assert all(len(line) < 200 for line in lines)
    shown, carets = lines[2], lines[3]
    assert shown.startswith("1 | …") and shown.endswith("…")
    assert shown[carets.index("^") : carets.index("^") + 3] == "bad"  # still under it
