"""`rules draw`: the rule network as Mermaid or Graphviz DOT.

Questions → derived facts → causes → fixes and alternatives, with the safety
screen drawn apart. A condition that combines tests is drawn as AND / OR / NOT
nodes, one set per rule, so ``foot_position == low and heels_lift`` reads as both
tests feeding one AND that feeds the cause; the edge into an operator names the
test (``== low``). Unused questions and causes that can never be reported are
marked, so gaps show up in the picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..foundation.problems import LegpressError, did_you_mean
from ..knowledge.conditions.ast import And, Condition, Not, Or, render
from ..knowledge.rulebase import Rule, RuleBase
from ..knowledge.strata import upstream
from ..presentation.render import textsafe
from ..presentation.render.textsafe import dot_label
from .exhaustive import walk_all

FORMATS = ("mermaid", "dot")


class UnknownCause(LegpressError):
    """``--cause`` names no cause of the rule base."""


@dataclass
class Graph:
    nodes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (label, kind)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, label)
    flagged: set[str] = field(default_factory=set)  # unused / unreachable


def build_graph(
    rb: RuleBase, focus: str | None = None, unreachable: set[str] | None = None
) -> Graph:
    graph = Graph()
    keep = upstream(rb, [focus]) if focus else None

    def node(ident: str, label: str, kind: str) -> str:
        key = f"{kind}_{ident}"
        graph.nodes[key] = (label, kind)
        return key

    for rule in rb.rules:
        if keep is not None and rule.concludes not in keep:
            continue
        kind = "cause" if rule.concludes in rb.causes else "fact"
        target = node(rule.concludes, rule.concludes, kind)
        _draw_condition(graph, rb, rule, node, target)
    for cause in rb.causes.values():
        if keep is not None and cause.id != focus:
            continue
        key = node(cause.id, cause.id, "cause")
        for fix in cause.fixes:
            graph.edges.append((key, node(fix, rb.fixes[fix].title, "fix"), ""))
        for alt in cause.alternatives:
            graph.edges.append((key, node(alt, rb.alternatives[alt].title, "alternative"), ""))
    if keep is None:
        for flag in rb.safety_flags.values():
            target = node(flag.id, f"{flag.title} ({flag.level.value})", "flag")
            for question in sorted(flag.questions):
                graph.edges.append((node(question, question, "safety_question"), target, ""))
        used = set(rb.rules_by_question) | rb.safety_questions()
        used |= {q for alt in rb.alternatives.values() for q in alt.unless_questions}
        for question in rb.questions:
            if question not in used and question != rb.settings.equipment_question:
                graph.flagged.add(node(question, question, "question"))
    for cause_id in unreachable or set():
        if f"cause_{cause_id}" in graph.nodes or keep is None:
            graph.flagged.add(node(cause_id, cause_id, "cause"))
    return graph


_OPERATORS = {And: "AND", Or: "OR", Not: "NOT"}


def _draw_condition(
    graph: Graph, rb: RuleBase, rule: Rule, node: Callable[[str, str, str], str], target: str
) -> None:
    """Edges from the rule's tests to ``target``, through one node per and / or / not."""
    prefix = f"op{rule.order}_" + re.sub(r"\W", "_", rule.id)

    def walk(condition: Condition, where: str) -> tuple[str, str]:
        """(node key, label of the edge out of it) for a part of the condition."""
        operator = _OPERATORS.get(type(condition))
        if operator is None:  # a single test of a question or a derived fact
            name = condition.ref.name  # type: ignore[union-attr]
            kind = "question" if name in rb.questions else "cause" if name in rb.causes else "fact"
            return node(name, name, kind), render(condition).removeprefix(name).strip()
        key = f"{prefix}_{where}" if where else prefix
        graph.nodes[key] = (operator, "operator")
        parts = condition.operands if isinstance(condition, And | Or) else (condition.operand,)  # type: ignore[union-attr]
        for index, part in enumerate(parts):
            source, label = walk(part, f"{where}{index}")
            graph.edges.append((source, key, label))
        return key, ""

    source, test = walk(rule.condition, "")
    cf = f"{rule.cf:+g}"
    graph.edges.append((source, target, f"{test}, {cf}" if test else cf))


_MERMAID_SHAPES = {
    "question": ('["', '"]'),
    "safety_question": ('["', '"]'),
    "fact": ('("', '")'),
    "cause": ('{{"', '"}}'),
    "fix": ('[/"', '"/]'),
    "alternative": ('[\\"', '"\\]'),
    "flag": ('>"', '"]'),
    "operator": ('(("', '"))'),
}


def mermaid(graph: Graph) -> str:
    lines = ["flowchart LR"]
    safety = [k for k, (_, kind) in graph.nodes.items() if kind in ("flag", "safety_question")]
    for key, (label, kind) in graph.nodes.items():
        if key in safety:
            continue
        left, right = _MERMAID_SHAPES[kind]
        lines.append(f"  {key}{left}{textsafe.mermaid_label(label)}{right}")
    if safety:
        lines.append("  subgraph safety [Safety screen: checked first]")
        for key in safety:
            label, kind = graph.nodes[key]
            left, right = _MERMAID_SHAPES[kind]
            lines.append(f"    {key}{left}{textsafe.mermaid_label(label)}{right}")
        lines.append("  end")
    for source, target, label in graph.edges:
        if re.fullmatch(r"[\w.+-]*", label) is None:
            label = f'"{textsafe.mermaid_label(label)}"'
        arrow = f" -->|{label}| " if label else " --> "
        lines.append(f"  {source}{arrow}{target}")
    for kind, style in (("cause", "fill:#fde"), ("fact", "fill:#eef"), ("flag", "fill:#fcc")):
        members = [k for k, (_, nk) in graph.nodes.items() if nk == kind]
        if members:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {','.join(members)} {kind}")
    if graph.flagged:
        lines.append("  classDef flagged stroke:#c00,stroke-width:3px,stroke-dasharray:5 5")
        lines.append(f"  class {','.join(sorted(graph.flagged))} flagged")
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {
    "question": "box",
    "safety_question": "box",
    "fact": "ellipse",
    "cause": "hexagon",
    "fix": "note",
    "alternative": "component",
    "flag": "octagon",
    "operator": "circle",
}


def dot(graph: Graph) -> str:
    lines = ["digraph rules {", "  rankdir=LR;", "  node [fontname=Helvetica];"]
    safety = [k for k, (_, kind) in graph.nodes.items() if kind in ("flag", "safety_question")]
    for key, (label, kind) in graph.nodes.items():
        if key in safety:
            continue
        extra = ', style="dashed,bold", color=red' if key in graph.flagged else ""
        lines.append(f'  {key} [label="{dot_label(label)}", shape={_DOT_SHAPES[kind]}{extra}];')
    if safety:
        lines.append('  subgraph cluster_safety { label="Safety screen: checked first"; color=red;')
        for key in safety:
            label, kind = graph.nodes[key]
            lines.append(f'    {key} [label="{dot_label(label)}", shape={_DOT_SHAPES[kind]}];')
        lines.append("  }")
    for source, target, label in graph.edges:
        attr = f' [label="{dot_label(label)}"]' if label else ""
        lines.append(f"  {source} -> {target}{attr};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def draw(rb: RuleBase, fmt: str = "mermaid", cause: str | None = None) -> str:
    """The rule network in ``fmt`` (one of FORMATS), or only what leads to ``cause``;
    causes that no answers can report are marked. Raises UnknownCause, with a
    suggestion, for a cause the rule base does not have."""
    if cause is not None and cause not in rb.causes:
        hint = did_you_mean(cause, rb.causes)
        raise UnknownCause(f"no cause '{cause}'" + (f" ({hint})" if hint else ""))
    threshold = rb.settings.report_threshold
    unreachable = {w.cause for w in walk_all(rb) if w.complete and w.max_certainty < threshold}
    graph = build_graph(rb, cause, unreachable)
    return mermaid(graph) if fmt == "mermaid" else dot(graph)
