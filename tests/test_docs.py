"""Generated docs match the code, and the knowledge covers the whole article."""

from __future__ import annotations

import pytest

from legpress_diag.authoring.docgen import ARTICLE_SECTIONS, _items_by_source, generated_files
from legpress_diag.rulebase import RuleBase

from .conftest import REPO


@pytest.mark.parametrize("name", ["knowledge.md"])
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
        assert source.startswith(("article: ", "other-sources: ")), source
