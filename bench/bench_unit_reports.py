"""Unit reports for every unit of a large organisation (``samklima report --all-units``).

A generated organisation (``--units`` units, ``--respondents`` answers over ``--rounds`` rounds;
default the national round's 1,500 units) is loaded into a temporary SQLite database once. Then
the phases are timed separately, because they scale differently:

- decide:  every round decided for the whole organisation (:func:`decide_round`, once per round);
- cut:     every distinct viewer's publication (each report shows what the unit's manager may
           see; one cut per manager, not per unit), with the viewers found in one query;
- reports: building and drawing one A4 PDF per unit
           (:func:`scoring.store.unit_reports.write_reports` with
           :func:`scoring.formats.unit_report_pdf.unit_report_pdf`, ``--workers`` forked
           processes), PDFs written to a temporary folder.

Prints seconds per phase (wall and CPU of this process), reports per second, the time for all
units against the aim of the issue (1,500 reports in under a minute) as a ratio, and the load
average (other processes on the machine slow every phase). No assertions.

    python bench/bench_unit_reports.py [--units 1500] [--respondents 150000] [--rounds 2] [--limit N] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="draw only this many reports (extrapolated)")
    parser.add_argument("--workers", type=int, default=None, help="drawing processes (default: one per core, at most 4)")
    args = parser.parse_args()

    from scoring.formats.unit_report_pdf import unit_report_pdf
    from scoring.samples.demo import DemoTables, load_demo
    from scoring.samples.generator import generate_sample
    from scoring.store import api
    from scoring.store.db import make_engine, migrate
    from scoring.store.unit_reports import ReportMaker, write_reports

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(start: tuple[float, float]) -> str:
        return f"{time.perf_counter() - start[0]:8.1f} s wall {time.process_time() - start[1]:7.1f} s CPU"

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        migrate(engine)
        t0 = clock()
        data = generate_sample(respondents=args.respondents, units=args.units, rounds=args.rounds)
        load_demo(engine, DemoTables(data.units, data.responses, data.feedback, data.headcount))
        print(f"setup   {since(t0)}  ({args.units} units, {args.respondents} answers, {args.rounds} rounds)")
        latest = api.list_rounds(engine)[-1].name
        maker = ReportMaker(engine, latest, "nb")
        total = clock()
        t0 = clock()
        decisions = maker.decisions
        print(f"decide  {since(t0)}  ({len(decisions)} rounds)")
        units = maker.units()
        chosen = units[: args.limit] if args.limit else units
        t0 = clock()
        maker.prepare(units)
        viewers = {maker.viewer(u) for u in units}
        print(f"cut     {since(t0)}  ({len(viewers)} distinct viewers for {len(units)} units)")
        out = Path(folder) / "reports"
        out.mkdir()
        t0 = clock()
        write_reports(maker, chosen, out, unit_report_pdf, workers=args.workers)
        spent = time.perf_counter() - t0[0]
        per = spent / max(1, len(chosen))
        print(f"reports {since(t0)}  ({len(chosen)} reports, {1 / per:.1f} per second; CPU of the workers not counted)")
        whole = time.perf_counter() - total[0] + per * (len(units) - len(chosen))
        print(f"all {len(units)} units: about {whole:.0f} s from the loaded database "
              f"(decide + cut + reports); aim 60 s for 1,500 -> {whole / 60 * 1500 / max(1, len(units)):.2f}x the aim per 1,500")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        engine.dispose()


if __name__ == "__main__":
    main()
