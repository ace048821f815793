"""Levels of the derived-fact network, used to order the agenda.

A rule's stratum is one more than the highest stratum of the facts it reads, so
rules over plain answers come first and each fact is usually final before any rule
reads it. Facts in a cycle share a stratum (their strongly connected component);
the engine still reaches a fixpoint there, bounded by its firing limit.
"""

from __future__ import annotations

from collections.abc import Iterable

from .rulebase import Rule, RuleBase


def fact_graph(rules: Iterable[Rule]) -> dict[str, set[str]]:
    """Edges from each derived id to the derived ids concluded from it."""
    graph: dict[str, set[str]] = {}
    for rule in rules:
        graph.setdefault(rule.concludes, set())
        for fact in rule.facts:
            graph.setdefault(fact, set()).add(rule.concludes)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (rule bases can be large), in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def cycles(rules: Iterable[Rule]) -> list[list[str]]:
    """Groups of derived facts that conclude each other (including self-loops)."""
    rules = list(rules)
    graph = fact_graph(rules)
    found = []
    for component in strongly_connected(graph):
        if len(component) > 1 or component[0] in graph.get(component[0], ()):
            found.append(component)
    return found


def compute_strata(rules: Iterable[Rule]) -> dict[str, int]:
    """Stratum of every derived id: 1 + the deepest stratum it is concluded from."""
    rules = list(rules)
    graph = fact_graph(rules)
    component_of: dict[str, int] = {}
    components = strongly_connected(graph)
    for number, component in enumerate(components):
        for member in component:
            component_of[member] = number
    # Tarjan emits components in reverse topological order: sinks first.
    readers: dict[str, set[str]] = {node: set() for node in graph}
    for node, targets in graph.items():
        for target in targets:
            readers[target].add(node)
    strata: dict[str, int] = {}
    for component in reversed(components):
        level = 1
        for member in component:
            for source in readers[member]:
                if component_of[source] != component_of[member]:
                    level = max(level, strata[source] + 1)
        for member in component:
            strata[member] = level
    return strata


def upstream(rb: RuleBase, targets: Iterable[str]) -> set[str]:
    """The targets and every derived fact that can influence them."""
    seen = set(targets)
    stack = list(seen)
    while stack:
        for rule in rb.rules_by_conclusion.get(stack.pop(), ()):
            for fact in rule.facts - seen:
                seen.add(fact)
                stack.append(fact)
    return seen
