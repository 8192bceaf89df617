"""Progress bars (dashboard/progress_bar.py): a lazy bar appears only when work starts, so an
invariance verdict read from the store shows no bar at all (it used to flash for an instant);
a verdict fitted shows it from the start of fitting."""

from __future__ import annotations

from unittest import mock

import dashboard.progress_bar as progress_bar
from scoring.store import verdicts


class FakeBar:
    def __init__(self, log: list, value: float, text: str):
        self.log = log
        log.append(("made", value, text))

    def progress(self, value: float, text: str) -> None:
        self.log.append(("set", round(value, 3)))

    def empty(self) -> None:
        self.log.append(("gone",))


def bars(monkeypatch) -> list:
    log: list = []
    monkeypatch.setattr(progress_bar.st, "progress", lambda value, text: FakeBar(log, value, text))
    return log


def test_a_lazy_bar_is_not_drawn_when_no_step_comes(monkeypatch):
    log = bars(monkeypatch)
    with progress_bar.bar_or_nothing("Tester …", 3, lazy=True):
        pass
    assert log == []


def test_a_lazy_bar_appears_at_the_first_step_and_goes_at_the_end(monkeypatch):
    log = bars(monkeypatch)
    with progress_bar.progress_bar("Tester …", 3, lazy=True) as step:
        step(0, 1)
        step("configural")
        step("metric")
    assert log == [("made", 0.0, "Tester …"), ("set", 0.0), ("set", 0.333), ("set", 0.667), ("gone",)]


def test_a_plain_bar_is_drawn_at_once(monkeypatch):
    log = bars(monkeypatch)
    with progress_bar.progress_bar("Eksport …", 2):
        pass
    assert log == [("made", 0.0, "Eksport …"), ("gone",)]


def _verdict(stored: bool):
    """between_rounds and across_professions with the store answering ``stored`` (no database)."""
    calls: list = []

    def remembered(engine, kind, parts, compute, *codecs):
        return "stored verdict" if stored else compute()

    def fit(*args, progress=None, **kwargs):
        progress("configural")
        return "fitted verdict"

    with mock.patch.object(verdicts, "remembered", remembered), \
            mock.patch.object(verdicts, "invariance_between", fit), \
            mock.patch.object(verdicts, "invariance_across_professions", fit), \
            mock.patch.object(verdicts, "bundled"), mock.patch.object(verdicts.pd, "concat"):
        rounds = [("2025-1", 1, 5), ("2026-1", 1, 5)]
        got = [verdicts.between_rounds(None, "samhandlingsklima", "info", rounds, lambda r: None, lambda *a: calls.append(a)),
               verdicts.across_professions(None, "samhandlingsklima", "info", "2026-1", 1, 5, lambda r: None,
                                           lambda *a: calls.append(a))]
    return got, calls


def test_a_stored_verdict_calls_no_progress_and_a_fitted_one_starts_at_zero():
    got, calls = _verdict(stored=True)
    assert got == ["stored verdict"] * 2 and calls == []
    got, calls = _verdict(stored=False)
    assert got == ["fitted verdict"] * 2
    assert calls == [(0, 1), ("configural",)] * 2
