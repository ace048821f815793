"""Generated docs match the code, and the knowledge covers the whole article."""

from __future__ import annotations

import pytest

from legpress_diag.authoring.docgen import ARTICLE_SECTIONS, _items_by_source, generated_files
from legpress_diag.knowledge.rulebase import RuleBase

from .conftest import REPO


@pytest.mark.parametrize(
    "name",
    [
        "knowledge.md",
        "lint-codes.md",
        "schema/rules.schema.json",
        "schema/answers.schema.json",
        "schema/diagnosis.schema.json",
    ],
)
def test_generated_doc_is_up_to_date(rb: RuleBase, name: str) -> None:
    fresh = generated_files(rb)[name]()
    committed = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert committed == fresh, f"docs/{name} is stale: run 'make docs'"


@pytest.mark.parametrize("section", ARTICLE_SECTIONS)
def test_every_article_section_is_encoded(rb: RuleBase, section: str) -> None:
    assert _items_by_source(rb).get(f"article: {section}"), section


def test_article_sections_match_the_article_headings() -> None:
    article = REPO.parent / "shared" / "knowledge" / "article.txt"
    if not article.exists():
        pytest.skip("the shared knowledge folder is not beside this checkout")
    text = article.read_text(encoding="utf-8").replace("\u2019", "'")
    for section in ARTICLE_SECTIONS[1:]:
        assert section in text, section


def test_every_source_cites_a_known_document(rb: RuleBase) -> None:
    for source in _items_by_source(rb):
        assert source.startswith(("article: ", "other-sources: ", "web: ")), source
        if source.startswith("web: "):  # a page beyond the knowledge folder: its address
            address = source.removeprefix("web: ")
            assert " " not in address and "." in address.split("/")[0], source


def test_results_match_the_documented_output_model(rb: RuleBase) -> None:
    from legpress_diag.api import diagnose
    from legpress_diag.presentation.output_model import validate

    records = [
        {
            "id": 1,
            "answers": {
                "pelvis_tucks_under": "yes",
                "knee_angle_at_bottom": 70,
                "equipment_available": [],
            },
        },
        {"id": "x", "answers": {"saddle_numbness": "yes"}},
        {"answers": {"knee_angle_at_bottom": 999, "mystery": 1}},
        {
            "answers": {
                "leg_pain_below_knee": "yes",
                "injury_history": ["back"],
                "pain_location": ["lower_back"],
            }
        },
    ]
    for record in records:
        for explain in (False, True):
            validate(diagnose(record, rb, explain=explain))


def test_bundled_rule_files_point_editors_at_the_schema() -> None:
    for path in sorted((REPO / "rules").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/schema/rules.schema.json", path
        assert (path.parent / "../docs/schema/rules.schema.json").resolve().exists()


def test_the_authoring_tutorial_examples_lint_clean_and_pass() -> None:
    from legpress_diag.api import load_rulebase
    from legpress_diag.authoring.lint import lint
    from legpress_diag.authoring.testing import run_cases

    rules = REPO / "docs" / "examples" / "seat.yaml"
    report = lint([rules])
    assert not report.failed(strict=True), [d.format() for d in report.diagnostics]
    run = run_cases(load_rulebase([rules]), [REPO / "docs" / "examples" / "seat-cases.yaml"])
    assert len(run.outcomes) == 2 and not run.failed
    tutorial = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert "seat_position == too_far_forward and lumbar_flexion" in tutorial
    assert "rules/cases" in tutorial
