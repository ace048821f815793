"""What every measurement shares: the reps, the windows it looks in, the evidence it
returns and how sure it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .body import Gates, SideBody
from .geometry import Point, median_point
from .record import EvidenceOut, MeasuredOut, MeasuredValue, RepEvidence
from .reps import Rep, around, spread, top_window

BOTTOM_SECONDS = 0.10  # the window around the deepest frame, each way
TOP_SECONDS = 0.50  # how far around the top of a rep to look for frames at the top
MIN_WINDOW_FRAMES = 2  # frames with the points seen, in a window, to measure a rep


@dataclass(frozen=True)
class Context:
    body: SideBody
    gates: Gates
    reps: tuple[Rep, ...]
    curve: tuple[float, ...]  # the smoothed knee angle, in degrees
    angles: tuple[float | None, ...]  # the knee angle per frame as seen

    @property
    def fps(self) -> float:
        return self.body.marks.fps

    @property
    def thigh(self) -> float:
        return self.gates.thigh

    def bottom_frames(self, rep: Rep) -> range:
        return around(rep.bottom, max(1, round(BOTTOM_SECONDS * self.fps)), self.body.marks.frames)

    def top_frames(self, frame: int) -> list[int]:
        return top_window(self.curve, frame, max(1, round(TOP_SECONDS * self.fps)))


@dataclass
class Tally:
    """Per rep values of one measurement, with the frames left out on the way."""

    values: list[tuple[Rep, float]]
    window: int = 0  # frames looked at
    left_out: int = 0  # of which hidden
    skipped: int = 0  # reps with too few frames seen

    def seen(self, ctx: Context, limbs: Sequence[str], frames: Sequence[int]) -> list[int]:
        """The frames of a window with all of ``limbs`` seen; counts the rest."""
        kept = [i for i in frames if ctx.body.all_seen(limbs, i)]
        self.window += len(frames)
        self.left_out += len(frames) - len(kept)
        return kept

    def evidence(self, text: str, unit: str) -> EvidenceOut:
        reps = [
            RepEvidence(rep=r.number, start=r.start, bottom=r.bottom, end=r.end, value=round(v, 3))
            for r, v in self.values
        ]
        return EvidenceOut(text=text, unit=unit, reps=reps, frames_left_out=self.left_out)


def per_rep(ctx: Context, limbs: Sequence[str], one: Callable[[Rep, Tally], float | None]) -> Tally:
    """Run ``one`` on each rep; a None from it means too few frames were seen."""
    tally = Tally([])
    for rep in ctx.reps:
        value = one(rep, tally)
        if value is None:
            tally.skipped += 1
        else:
            tally.values.append((rep, value))
    return tally


def points(ctx: Context, limb: str, frames: Sequence[int]) -> Point:
    return median_point([ctx.body.at(limb, i) for i in frames])


def confidence(tally: Tally, tolerance: float, *, clear: bool = True) -> float:
    """How far to trust a measurement: more reps and fewer hidden frames, more; reps
    that disagree by more than ``tolerance`` (interquartile range, in the unit), or a
    value near the line between two answers, less."""
    count = len(tally.values)
    base = 0.6 if count == 1 else 0.75 if count == 2 else 0.9
    shown = 1.0 - tally.left_out / tally.window if tally.window else 1.0
    agree = 1.0 if spread([v for _, v in tally.values]) <= tolerance else 0.8
    return round(base * max(shown, 0.5) * agree * (1.0 if clear else 0.7), 2)


def unmeasured(tally: Tally, what: str, ctx: Context) -> str:
    """Why a measurement had no rep to rest on."""
    if not ctx.reps:
        return "no reps were found"
    return (
        f"{what} was hidden (visibility below 0.5) in {tally.left_out} of the "
        f"{tally.window} frames looked at, in every rep"
    )


def measured(
    value: MeasuredValue,
    tally: Tally,
    evidence: EvidenceOut,
    tolerance: float,
    *,
    clear: bool = True,
) -> MeasuredOut:
    return MeasuredOut(
        value=value, confidence=confidence(tally, tolerance, clear=clear), evidence=evidence
    )


def yes_or_no(
    value: float,
    no_at: float,
    yes_at: float,
    between: str,
    tally: Tally,
    evidence: EvidenceOut,
    tolerance: float,
) -> MeasuredOut | str:
    """'yes' from ``yes_at`` up, 'no' from ``no_at`` down; in between, never a guess:
    the reason, "borderline: " + ``between``."""
    if no_at < value < yes_at:
        return f"borderline: {between}"
    return measured("yes" if value >= yes_at else "no", tally, evidence, tolerance)


def listing(values: Sequence[float], digits: int = 0) -> str:
    # A value that rounds to zero is shown as 0, never as -0.
    shown = [f"{v:.{digits}f}".replace("-", "", float(f"{v:.{digits}f}") == 0) for v in values[:8]]
    return ", ".join(shown) + (", …" if len(values) > 8 else "")


def reps_word(count: int) -> str:
    return "1 rep" if count == 1 else f"{count} reps"
