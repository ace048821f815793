"""How the questionnaire looks in a terminal. Pure presentation: no decisions here."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from ..questionnaire import Ask, Stop
from ..render.formats import bar, certainty_word, question_text
from ..render.labels import topic_label
from ..render.report import how_lines
from ..rulebase import QuestionType, RuleBase
from .console import plain, safe
from .diagnosis_view import flag_panel

COMMAND_HINT = "why · back · help · quit"


class QuestionnaireView:
    def __init__(self, prompts: Console, results: Console, rb: RuleBase | None = None) -> None:
        self.prompts = prompts  # stderr: questions and messages
        self.results = results  # stdout: the diagnosis
        self.rb = rb  # for question wording and rule notes in explanations

    def intro(self, safety_count: int, resumed: int = 0) -> None:
        """``safety_count``: screen prompts left (0: the screen is done, so not
        mentioned); ``resumed``: answers brought by --answers."""
        lead = (
            f"Carrying on with your {resumed} earlier answer{'s' if resumed != 1 else ''}. "
            if resumed
            else ""
        )
        plan = (
            f"First {safety_count} quick safety question{'s' if safety_count != 1 else ''}, "
            "then only what matters for your answers."
            if safety_count
            else "Only what matters for your answers is asked."
        )
        self.prompts.print(
            Text.assemble(
                ("Leg press back-pain check\n", "bold"),
                f"{lead}{plan} Type ? to skip any question, or why, back, help, quit.",
            )
        )

    def question(self, step: Ask) -> None:
        q = step.question
        group = topic_label(q.group)
        lines = [safe(q.text, "bold", newlines=True)]
        if q.help:
            lines.append(safe(q.help, "dim", newlines=True))
        if q.type in (QuestionType.CHOICE, QuestionType.MULTI):
            for i, (value, label) in enumerate(q.choices, 1):
                lines.append(safe(f"  {i}. {label}  ({value})"))
        self.prompts.print()
        self.prompts.print(safe(f"Question {step.number} · {group}", "cyan"))
        for line in lines:
            self.prompts.print(line)
        self.prompts.print(safe(f"  [{answer_hint(q)}; {COMMAND_HINT}]", "dim"))

    def prompt(self) -> None:
        self.prompts.print("> ", end="")

    def invalid(self, message: str) -> None:
        self.prompts.print(safe(f"  {message}", "yellow"))

    def note(self, message: str) -> None:
        self.prompts.print(safe(message, "dim", newlines=True))

    def lines(self, title: str, lines: list[str]) -> None:
        self.prompts.print(safe(title, "bold"))
        for line in lines:
            self.prompts.print(safe(f"  {line}", newlines=True))

    def stopped(self, stop: Stop) -> None:
        if stop.kind != "referral":
            self.prompts.print()
            self.prompts.print(safe(f"That's enough: {stop.reason}.", "green"))

    def result(self, result: dict[str, Any]) -> None:
        out = self.results
        out.print()
        for flag in result["red_flags"]:
            out.print(flag_panel(flag, self.rb), soft_wrap=False)  # never cut safety text
        if result["red_flags"]:
            for note in result["notes"]:
                out.print(safe(note, "bold", newlines=True), soft_wrap=False)
            if result["causes"]:
                out.print()
                out.print(
                    Text("For the clinician: form faults your answers point to", style="bold")
                )
                for cause in result["causes"]:
                    self._cause(cause, result["fixes"])
            return
        if not result["causes"]:
            out.print(Text("No form fault stands out from your answers.", style="bold"))
            for note in result["notes"]:
                out.print(safe(note, newlines=True))
            return
        out.print(Text("What is most likely behind the pain", style="bold underline"))
        for cause in result["causes"]:
            self._cause(cause, result["fixes"])
        self.last_result = result
        if result["alternatives"]:
            out.print()
            out.print(Text("Exercises to use instead while your back settles", style="bold"))
            for alt in result["alternatives"]:
                out.print(
                    Text.assemble(
                        ("  • ", ""),
                        (plain(alt["title"]), "bold"),
                        plain(f": {alt['why']}", newlines=True),
                    )
                )
                for variation in alt["variations"]:
                    out.print(safe(f"      - {variation}", newlines=True))
        for note in result["notes"]:
            out.print(safe(note, "dim", newlines=True))

    def how_hint(self, result: dict[str, Any]) -> None:
        ids = ", ".join(c["id"] for c in result["causes"])
        self.prompts.print(
            safe(
                f"Type 'how CAUSE' for the full reasoning ({ids}), or press Enter to finish.", "dim"
            )
        )

    def _cause(self, cause: dict[str, Any], fixes: dict[str, Any]) -> None:
        out = self.results
        c = cause["certainty"]
        out.print()
        out.print(
            Text.assemble(
                f"{cause['rank']}. ",
                (plain(cause["title"]), "bold"),
                "  ",
                (bar(c), "green"),
                f" {certainty_word(c)} ({c:.2f})",
            )
        )
        said = "; ".join(
            f"{question_text(b['question'], self.rb)}: {b['in_words']}"
            for b in cause["reasoning"]["because"]
        )
        if said:
            out.print(safe(f"   Because you said: {said}", "italic"))
        for fix in cause["fixes"]:
            out.print(
                Text.assemble(
                    "   [ ] ",
                    (plain(fix["title"]), "bold"),
                    plain(f": {fixes[fix['id']]['how']}", newlines=True),
                )
            )

    def how(self, result: dict[str, Any], cause: dict[str, Any]) -> None:
        self.results.print(safe(f"How '{cause['id']}' was concluded", "bold"))
        for line in how_lines(result, cause, self.rb):
            self.results.print(safe(line, newlines=True))


def answer_hint(question: Any) -> str:
    kind = question.type
    if kind is QuestionType.YES_NO:
        return "y / n / ?"
    if kind is QuestionType.NUMBER:
        unit = f" {question.unit}" if question.unit else ""
        return f"a number {question.minimum:g}-{question.maximum:g}{unit}"
    if kind is QuestionType.MULTI:
        return "numbers or names, comma-separated; Enter for none"
    return "a number or a name"
