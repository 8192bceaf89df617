"""Unit reports for every unit of a large organisation (``samklima report --all-units``).

A generated organisation (``--units`` units, ``--respondents`` answers over ``--rounds`` rounds;
default the national round's 1,500 units) is loaded into a temporary SQLite database once. Then
three phases are timed separately, because they scale differently:

- decide:  every round decided for the whole organisation (:func:`decide_round`, once per round);
- cut:     one viewer's publication (the organisation-wide view with ``--as admin``; a manager's
           cut costs more and is paid once per manager, not per unit);
- reports: building and drawing one A4 PDF per unit (:class:`scoring.store.unit_reports.ReportMaker`
           and :func:`scoring.formats.unit_report_pdf.unit_report_bytes`), PDFs written to a
           temporary folder.

Prints seconds per phase, reports per second and the time for all units against the aim of
the issue (1,500 reports in under a minute). No assertions.

    python bench/bench_unit_reports.py [--units 1500] [--respondents 150000] [--rounds 2] [--limit N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="draw only this many reports (extrapolated)")
    args = parser.parse_args()

    from scoring.formats.unit_report_pdf import unit_report_bytes
    from scoring.privacy.publication import Viewer, cut
    from scoring.samples.demo import DemoTables, load_demo
    from scoring.samples.generator import generate_sample
    from scoring.store import api
    from scoring.store.db import make_engine, migrate
    from scoring.store.unit_reports import ReportMaker

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        migrate(engine)
        t0 = time.perf_counter()
        data = generate_sample(respondents=args.respondents, units=args.units, rounds=args.rounds)
        load_demo(engine, DemoTables(data.units, data.responses, data.feedback, data.headcount))
        print(f"setup   {time.perf_counter() - t0:8.1f} s  ({args.units} units, {args.respondents} answers, {args.rounds} rounds)")
        latest = api.list_rounds(engine)[-1].name
        maker = ReportMaker(engine, latest, "nb", as_user="admin")
        t0 = time.perf_counter()
        decisions = maker.decisions
        print(f"decide  {time.perf_counter() - t0:8.1f} s  ({len(decisions)} rounds)")
        t0 = time.perf_counter()
        cut(decisions, Viewer.of(maker.principal))
        print(f"cut     {time.perf_counter() - t0:8.1f} s  (organisation-wide view)")
        units = maker.units()
        chosen = units[: args.limit] if args.limit else units
        out = Path(folder) / "reports"
        out.mkdir()
        t0 = time.perf_counter()
        for unit in chosen:
            (out / f"{unit}.pdf").write_bytes(unit_report_bytes(maker.report(unit)))
        spent = time.perf_counter() - t0
        per = spent / max(1, len(chosen))
        print(f"reports {spent:8.1f} s  ({len(chosen)} reports, {1 / per:.1f} per second)")
        print(f"all {len(units)} units: about {per * len(units):.0f} s of reports (aim: 1,500 in under 60 s)")
        engine.dispose()


if __name__ == "__main__":
    main()
