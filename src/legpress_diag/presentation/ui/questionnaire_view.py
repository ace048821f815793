"""How the questionnaire looks in a terminal. Pure presentation: no decisions here."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.text import Text

from ...intake.questionnaire import Ask, Stop
from ...knowledge.rulebase import SCREEN_PREFIX, Question, QuestionType, RuleBase
from ...reasoning.explanation import why_it_hurts
from ...reasoning.result import CauseOut, DiagnosisOut
from ..render.formats import certainty_word, root_of
from ..render.labels import topic_label
from ..render.measured import result_measured_lines
from ..render.report import how_lines, plain_how_lines
from ..render.words import LOOP_WORDS
from .console import hanging, plain, safe
from .diagnosis_view import flag_panel

COMMAND_HINT = "why · back · help · quit"


class QuestionnaireView:
    def __init__(self, prompts: Console, results: Console, rb: RuleBase | None = None) -> None:
        self.prompts = prompts  # stderr: questions and messages
        self.results = results  # stdout: the diagnosis
        # The result is laid out (indents, boxes): wrap it at the console's width even
        # in a pipe or a file, since a soft-wrapping console crops what does not fit.
        self.results.soft_wrap = False
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
        unsure = (
            "Type ? if you are not sure (on a safety question that is a sign to have "
            "checked, never a no),"
            if safety_count
            else "Type ? to skip a question,"
        )
        self.prompts.print(
            Text.assemble(
                ("Leg press back-pain check\n", "bold"),
                f"{lead}{plan} {unsure} or why, back, help, quit.",
            )
        )

    def question(self, step: Ask, about: int | None = None) -> None:
        """``about``: the estimated number of prompts in all, shown as "of about M"."""
        q = step.question
        group = topic_label(q.group)
        lines = [self._block(q.text, "bold")]
        if q.help:
            lines.append(self._block(q.help, "dim"))
        for letter, (label, _) in zip("abcdefghij", q.words, strict=False):
            lines.append(self._block(f"  {letter}. {label}"))  # a number in words
        if q.type in (QuestionType.CHOICE, QuestionType.MULTI):
            # Words only: the choice's id stays in the saved record and the JSON.
            for i, (_, label) in enumerate(q.choices, 1):
                lines.append(self._block(f"  {i}. {label}"))
        self.prompts.print()
        total = f" of about {max(about, step.number)}" if about is not None else ""
        # Number 0: a measured answer the lifter corrects, before the questions.
        heading = f"Question {step.number}{total}" if step.number else "Your own answer"
        self.prompts.print(safe(f"{heading} · {group}", "cyan"))
        for line in lines:
            self.prompts.print(line)
        self.prompts.print(safe(f"  [{answer_hint(q)}; {COMMAND_HINT}]", "dim"))

    def _block(self, text: str, style: str = "") -> RenderableType:
        """Text for the prompts console: list items wrap under their own text on a
        terminal; in a pipe, where nothing is wrapped, each line is left whole."""
        if self.prompts.soft_wrap:
            return safe(text, style, newlines=True)
        return hanging(text, style)

    def prompt(self) -> None:
        self.prompts.print("> ", end="")

    def invalid(self, message: str) -> None:
        self.prompts.print(safe(f"  {message}", "yellow"))

    def note(self, message: str) -> None:
        self.prompts.print(safe(message, "dim", newlines=True))

    def command(self, command: str) -> None:
        """A command to copy and run, on a line of its own and never broken by us (the
        terminal may fold it on screen; a copy of the line is still the whole command)."""
        self.prompts.print(safe(f"  {command}", "bold"), soft_wrap=True)

    def lines(self, title: str, lines: list[str]) -> None:
        self.prompts.print(safe(title, "bold"))
        for line in lines:
            self.prompts.print(safe(f"  {line}", newlines=True))

    def stopped(self, stop: Stop) -> None:
        if stop.kind != "referral":
            self.prompts.print()
            self.prompts.print(safe(f"That's enough: {stop.reason}.", "green"))

    def result(self, result: DiagnosisOut) -> None:
        self._result(result)
        measured = result_measured_lines(result, self.rb)
        if measured:  # after the result: a warning sign and the plan come first
            self.results.print()
            self.results.print(Text(measured[0], style="bold"))
            for line in measured[1:]:
                self.results.print(safe(line, newlines=True), soft_wrap=False)

    def _result(self, result: DiagnosisOut) -> None:
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
                    self._cause_line(cause, result)
            return
        if result["status"] == "error":
            # The rules could not settle on these answers (a coach's loop): saying
            # "no form fault" would be a finding the tool never made.
            out.print(Text("Your answers could not be worked through.", style="bold"))
            out.print(safe(LOOP_WORDS, newlines=True))  # the message names rule ids
            return
        if not result["causes"]:
            out.print(Text("No form fault stands out from your answers.", style="bold"))
            for note in result["notes"]:
                out.print(safe(note, newlines=True))
            return
        self._plan(result)
        out.print()
        out.print(Text("Why it hurts, most likely first", style="bold underline"))
        for cause in result["causes"]:
            self._cause_line(cause, result)
        for note in result["notes"]:
            out.print(safe(note, "dim", newlines=True))

    def _plan(self, result: DiagnosisOut) -> None:
        """The plan: each fix once, most of the likely cause first; the break last."""
        out = self.results
        ranks = {c["id"]: str(c["rank"]) for c in result["causes"]}
        out.print(Text("Your plan: what to do first", style="bold underline"))
        steps = [s for s in result["plan"] if not s["closing"]]
        for number, step in enumerate(steps, 1):
            out.print()
            causes = ", ".join(ranks[c] for c in step["for_causes"])
            label = "cause" if len(step["for_causes"]) == 1 else "causes"
            out.print(
                Text.assemble(
                    f"{number}. ", (plain(step["title"]), "bold"), (f"  ({label} {causes})", "dim")
                )
            )
            out.print(_indent(safe(step["how"], newlines=True), 3))
        closing = [s for s in result["plan"] if s["closing"]]
        if closing or result["alternatives"]:
            out.print()
            title = closing[0]["title"] if closing else "If it keeps hurting"
            out.print(Text.assemble(("Then: ", "bold"), (plain(title), "bold")))
            if closing:
                out.print(_indent(safe(closing[0]["how"], newlines=True), 3))
        if result["alternatives"]:
            out.print(_indent(Text("Instead of the leg press, meanwhile:"), 3))
            for alt in result["alternatives"]:
                out.print(
                    _indent(
                        Text.assemble(
                            ("• ", ""), (plain(alt["title"]), "bold"), plain(f": {alt['why']}")
                        ),
                        5,
                    )
                )
                for variation in alt["variations"]:
                    out.print(_indent(safe(f"- {variation}", newlines=True), 7))

    def _cause_line(self, cause: CauseOut, result: DiagnosisOut) -> None:
        c = cause["certainty"]
        root = root_of(result, cause)  # a sign names its root: heels lifting, because ...
        self.results.print(
            Text.assemble(
                f"{cause['rank']}. ",
                (plain(cause["title"]), "bold"),
                *((f" — {root}", ""),) if root else (),
                (f" ({certainty_word(c)})", "green"),
            )
        )
        why = why_it_hurts(cause.get("explanation", ""))
        if why:
            self.results.print(_indent(safe(why, "italic", newlines=True), 3))

    def how_hint(self, result: DiagnosisOut) -> None:
        count = len(result["causes"])
        self.prompts.print(
            safe(
                f"Type 'how N' (1 to {count}) to see which of your answers led to a cause, "
                "'how --detail N' for the rules and numbers behind it, or press Enter to finish.",
                "dim",
            )
        )

    def how(self, result: DiagnosisOut, cause: CauseOut, detail: bool = False) -> None:
        """Which answers led to a cause, in plain words; with ``detail``, the rules,
        premises and certainty arithmetic, for a coach."""
        if detail:
            self.results.print(safe(f"How '{cause['id']}' was concluded", "bold"))
            for line in how_lines(result, cause, self.rb):
                self.results.print(safe(line, newlines=True))
            return
        self.results.print(safe(f"Why I think: {cause['title']}", "bold"))
        for line in plain_how_lines(result, cause, self.rb):
            self.results.print(safe(line, newlines=True))


def _indent(renderable: RenderableType, left: int) -> Padding:
    """Indented text that wraps under itself, with no padding spaces at line ends."""
    return Padding(renderable, (0, 0, 0, left), expand=False)


def answer_hint(question: Question) -> str:
    kind = question.type
    if kind is QuestionType.YES_NO:
        return "y / n / ?"
    if kind is QuestionType.NUMBER:
        unit = f" {question.unit}" if question.unit else ""
        last = chr(ord("a") + len(question.words) - 1)
        letters = f", or a letter a-{last}" if question.words else ""
        return f"a number {question.minimum:g}-{question.maximum:g}{unit}{letters}"
    if kind is QuestionType.MULTI:
        if question.id.startswith(SCREEN_PREFIX):  # a checklist
            return (
                "numbers or names, comma-separated; ?N for one you cannot tell; "
                "Enter for none; ? alone: one by one"
            )
        return "numbers or names, comma-separated; Enter for none"
    return "a number or a name"
