"""Tokenizer and recursive-descent parser for the condition language.

Grammar (lowest precedence first)::

    expr     := and_expr ("or" and_expr)*
    and_expr := unary ("and" unary)*
    unary    := "not" unary | "(" expr ")" | test      (at most MAX_NESTING deep)
    test     := NAME [ OP value | ["not"] "in" list | "includes" (value | ("any"|"all") list) ]
    list     := "[" value ("," value)* "]"
    value    := NAME | NUMBER | 'quoted text' | "quoted text"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ast import And, Compare, Condition, Includes, Member, Not, Or, Ref, Truth, Value

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>-?(?:\d+\.?\d*|\.\d+))
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<punct>[\[\](),])
    """,
    re.VERBOSE,
)
KEYWORDS = frozenset({"and", "or", "not", "in", "includes", "any", "all"})
# How many 'not's and parentheses may sit inside each other. Real conditions use a
# handful; the cap keeps this parser and every later walk over the tree (the checker,
# the compiled closures, lint, rendering) far from Python's recursion limit.
MAX_NESTING = 32


class ConditionSyntaxError(ValueError):
    """A condition that does not parse. ``offset`` is 0-based into the text."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Token:
    kind: str  # name, keyword, number, string, op, punct, end
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            hint = "use 'and', 'or', 'not'" if char in "&|!" else None
            if char == "=":
                hint = "compare with '=='"
            raise ConditionSyntaxError(f"unexpected character {char!r}", pos, hint)
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, word, match.start(), match.end()))
        pos = match.end()
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise self.unexpected(what)
        return self.take()

    def unexpected(self, expected: str) -> ConditionSyntaxError:
        token = self.current
        found = "the end of the condition" if token.kind == "end" else repr(token.text)
        return ConditionSyntaxError(f"expected {expected}, found {found}", token.start)

    def parse(self) -> Condition:
        if self.at("end"):
            raise ConditionSyntaxError("the condition is empty", 0)
        condition = self.parse_or()
        if not self.at("end"):
            raise self.unexpected("'and', 'or' or the end of the condition")
        return condition

    def parse_or(self) -> Condition:
        operands = [self.parse_and()]
        while self.at("keyword", "or"):
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Condition:
        operands = [self.parse_unary()]
        while self.at("keyword", "and"):
            self.take()
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self) -> Condition:
        if self.at("keyword", "not"):
            self.enter()
            self.take()
            operand = self.parse_unary()
            self.depth -= 1
            return Not(operand)
        if self.at("punct", "("):
            self.enter()
            self.take()
            inner = self.parse_or()
            self.expect("punct", ")", "')'")
            self.depth -= 1
            return inner
        return self.parse_test()

    def enter(self) -> None:
        """One level deeper, refused past MAX_NESTING at the token that goes too far."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionSyntaxError(
                f"nested too deeply (limit {MAX_NESTING} 'not's and parentheses inside each other)",
                self.current.start,
                "split the condition: conclude a derived fact in one rule and use it in another",
            )

    def parse_test(self) -> Condition:
        if not self.at("name"):
            raise self.unexpected("a question or fact name")
        token = self.take()
        ref = Ref(token.text, token.start, token.end)
        if self.at("op"):
            op = self.take().text
            return Compare(ref, op, self.parse_value())
        if self.at("keyword", "in"):
            self.take()
            return Member(ref, self.parse_list(), negated=False)
        if self.at("keyword", "not") and self.tokens[self.pos + 1].text == "in":
            self.pos += 2
            return Member(ref, self.parse_list(), negated=True)
        if self.at("keyword", "includes"):
            self.take()
            if self.at("keyword", "any") or self.at("keyword", "all"):
                mode = self.take().text
                return Includes(ref, self.parse_list(), mode)
            return Includes(ref, (self.parse_value(),), "any")
        return Truth(ref)

    def parse_list(self) -> tuple[Value, ...]:
        self.expect("punct", "[", "'[' to start a list")
        values = [self.parse_value()]
        while self.at("punct", ","):
            self.take()
            values.append(self.parse_value())
        self.expect("punct", "]", "',' or ']'")
        return tuple(values)

    def parse_value(self) -> Value:
        token = self.current
        if token.kind == "number":
            self.take()
            return Value(float(token.text), token.start, token.end)
        if token.kind == "string":
            self.take()
            return Value(token.text[1:-1], token.start, token.end)
        if token.kind == "name":
            self.take()
            return Value(token.text, token.start, token.end)
        raise self.unexpected("a value")


def parse_condition(text: str) -> Condition:
    """Parse condition text into a tree. Raises ConditionSyntaxError with an offset."""
    return _Parser(text).parse()
