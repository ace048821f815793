"""The one HTML renderer (issue 23 item 1): every template compiles, autoescaping is
on for each of them, and every printed value has its control characters escaped."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from markupsafe import Markup

from legpress_diag.presentation.render import html
from legpress_diag.presentation.render.html import environment

from .conftest import REPO

TEMPLATES = Path(html.__file__).parents[1] / "templates"


def test_every_template_compiles_and_escapes() -> None:
    env = environment()
    names = env.list_templates()
    assert {"web_question.html", "web_result.html", "report.html", "batch.html"} <= set(names)
    for name in names:
        if name.endswith(".html"):
            template = env.get_template(name)
            assert env.autoescape(name) if callable(env.autoescape) else env.autoescape
            assert template is not None


def test_a_value_reaches_html_only_through_the_escaper() -> None:
    env = environment()
    text = env.from_string("<p>{{ v }}</p>").render(v="<b>\x1b]0;x\x07</b>\u202e")
    assert text == "<p>&lt;b&gt;\\x1b]0;x\\x07&lt;/b&gt;\\u202e</p>"
    assert env.from_string("{{ v }}").render(v=Markup("<i>ours</i>")) == "<i>ours</i>"
    assert env.from_string("{{ n }} {{ gone }}").render(n=3, gone=None) == "3 "


def test_no_html_is_written_outside_the_templates() -> None:
    """Only the templates hold tags; Python code in render/ and web/ builds none."""
    source = REPO / "src" / "legpress_diag"
    for path in [*source.glob("web/*.py"), *source.glob("presentation/render/*.py")]:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"f[\"'][^\"']*<(p|li|div|h\d|section|strong|em)[ >]", code), path


def test_the_wheel_carries_the_templates() -> None:
    """Hatch ships every file under the package folder, templates included, unless
    excluded: the wheel config must keep it that way (checked by hand with
    `pip wheel .`: legpress_diag/presentation/templates/*.html and *.css)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]
    wheel = config["targets"]["wheel"]
    assert wheel["packages"] == ["src/legpress_diag"]
    assert "exclude" not in wheel and "only-include" not in wheel
    assert TEMPLATES.is_dir() and not (TEMPLATES / "__init__.py").exists()
    assert sorted(p.suffix for p in TEMPLATES.iterdir()) and all(
        p.suffix in (".html", ".css") for p in TEMPLATES.iterdir()
    )
