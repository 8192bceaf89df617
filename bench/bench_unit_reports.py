"""Unit reports for every unit of a large organisation (``samklima report --all-units``).

A generated organisation (``--units`` units, ``--respondents`` answers over ``--rounds`` rounds;
default the national round's 1,500 units) is loaded into a temporary SQLite database once. Then
the phases are timed separately, because they scale differently:

- decide:   every round decided for the whole organisation (:func:`decide_round`, once per round);
- prepare:  what ``samklima round prepare`` does when a round closes (:mod:`scoring.store.prepare`):
            every scope's cut of every round (one cut per set of units seen, not per unit or
            manager; with ``--sample``, the sample's scopes) in ``--workers`` forked processes,
            stored;
- verdicts: the rest of prepare, the invariance verdicts the Trends and quality pages show;
- reports:  ``samklima report --all-units`` after prepare (a new ``ReportMaker``, which reads
            the stored decisions and cuts): one A4 PDF per unit in forked workers
            (:func:`scoring.store.unit_reports.write_reports` with
            :func:`scoring.formats.unit_report_pdf.unit_report_pdf`), written to a temporary folder;
- draw:     with ``--draw N``, N reports (the units over again), drawing at the aim's size.

Prints seconds per phase (wall and CPU of this process), the workers' CPU (their finished
processes' rusage), the whole organisation's prepare and report batch (extrapolated per scope
and per report from ``--sample``, measured without it), a batch without prepare (decide + cuts
+ reports, what the first ``report --all-units`` on an unprepared round costs), the time for
1,500 reports after prepare against the aim of the issue (1,500 reports in under a minute), and
the load average (other processes on the machine slow every phase). No assertions.

The floor: one report's page marks (text shows, rectangles and paths, counted in its PDF
content streams) drawn by a bare reportlab canvas, no layout, in this process; beside it one
report built (``ReportMaker.report``) and drawn (``unit_report_bytes``) in this process, CPU
milliseconds each, so that the ratio to the floor is the layout's (platypus tables,
paragraph wrapping) and the report's own cost, not the machine's load.

    python bench/bench_unit_reports.py [--units 1500] [--respondents 150000] [--rounds 2] [--draw 1500] [--workers 2] [--sample 30]

With ``--database URL`` (a database whose latest round has been through ``samklima round
prepare``, e.g. a copy of the bench's national organisation), nothing is generated, decided or
prepared: only the report batch is timed, ``--repeat`` times, for every unit of that round (the
aim's own case: a national organisation's reports after prepare).
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
    parser.add_argument("--draw", type=int, default=None,
                        help="also draw this many reports (the units over again) to time drawing at that size, e.g. 1500")
    parser.add_argument("--workers", type=int, default=None, help="drawing processes (default: one per core, at most 4)")
    parser.add_argument("--sample", type=int, default=None,
                        help="make the batches for this many units drawn at random (seed 0) and extrapolate to all; "
                             "a national organisation's first batch cuts every scope, hours of CPU")
    parser.add_argument("--database", default=None,
                        help="time only the report batch on this prepared database (module docstring)")
    parser.add_argument("--repeat", type=int, default=1, help="with --database: batches made one after the other")
    args = parser.parse_args()
    if args.database:
        prepared_batch(args.database, args.workers, args.repeat)
        return

    from scoring.formats.unit_report_pdf import unit_report_pdf
    from scoring.samples.demo import DemoTables, load_demo
    from scoring.samples.generator import generate_sample
    from scoring.store import api
    from scoring.store.db import make_engine, migrate
    from scoring.store.prepare import Preparation
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
        units = maker.units()
        everyone = len(units)
        if args.sample and args.sample < len(units):
            import random

            units = random.Random(0).sample(units, args.sample)
            print(f"sample  {len(units)} of the {everyone} units' reports (--sample): per-report figures extrapolated to {everyone}")
        out = Path(folder) / "reports"
        out.mkdir()
        # What `samklima round prepare` does when the round closes: decide, every scope's cut
        # (here the sample's scopes) in forked workers, then the invariance verdicts.
        job = Preparation(engine, latest)
        t0 = clock()
        decisions = job.maker.decisions  # in this process: the workers inherit them
        decide = time.perf_counter() - t0[0]
        print(f"decide  {since(t0)}  ({len(decisions)} rounds, in this process)")
        wanted = {maker.viewer(u).units for u in units}
        job.todo = [(viewer, rounds) for viewer, rounds in job.todo if viewer.units in wanted]
        t0, children = clock(), workers_cpu()
        t_cut = time.perf_counter()
        verdicts, job.verdicts = job.verdicts, []
        job.run(workers=args.workers)
        cut = time.perf_counter() - t_cut
        print(f"prepare {since(t0)}  ({len(wanted)} scopes x {len(maker.rounds)} rounds cut and stored in the workers; "
              f"the workers' CPU {workers_cpu() - children:.1f} s)")
        t0 = clock()
        job.verdicts = verdicts
        job.run(workers=args.workers)
        fitted = time.perf_counter() - t0[0]
        print(f"verdicts {since(t0)} ({len(verdicts)} invariance verdicts fitted and stored, in this process)")
        t0, children = clock(), workers_cpu()
        again = ReportMaker(engine, latest, "nb")
        write_reports(again, units, out, unit_report_pdf, workers=args.workers)
        warm = time.perf_counter() - t0[0]
        print(f"reports {since(t0)}  (after prepare: the stored decisions and cuts read, {len(units)} reports drawn; "
              f"the workers' CPU {workers_cpu() - children:.1f} s)")
        print(f"reports after prepare: {warm:.1f} s, {len(units) / warm:.1f} reports per second")
        per_core(again, units)
        share = everyone / len(units)
        cold = decide + (cut + warm) * share + fitted
        print(f"all {everyone} units{' (extrapolated from the sample)' if share > 1 else ''}: prepare {decide + cut * share + fitted:.0f} s "
              f"(decide {decide:.0f} s + cuts {cut * share:.0f} s + verdicts {fitted:.0f} s), then reports {warm * share:.0f} s; "
              f"a batch without prepare {cold:.0f} s")
        print(f"1,500 reports after prepare: {warm * 1500 / len(units):.0f} s against the aim's 60 s "
              f"-> {warm * 1500 / len(units) / 60:.2f}x")
        if args.draw:
            shown = [u for u in units if maker.viewer(u).sees(u)]
            many = [shown[i % len(shown)] for i in range(args.draw)]  # the same reports again: drawing time only
            t0, children = clock(), workers_cpu()
            write_reports(maker, many, out, unit_report_pdf, workers=args.workers)
            spent, cpu = time.perf_counter() - t0[0], workers_cpu() - children
            print(f"draw    {since(t0)}  ({len(many)} reports (the {len(shown)} units over again), {len(many) / spent:.1f} per second; "
                  f"{spent * 1500 / len(many):.0f} s per 1,500 against the aim's 60 s -> {spent * 1500 / len(many) / 60:.2f}x)")
            print(f"        the workers' CPU: {cpu:.1f} s, {cpu / len(many) * 1000:.0f} ms per report: on {os.cpu_count()} free cores "
                  f"1,500 reports would take about {cpu * 1500 / len(many) / (os.cpu_count() or 1):.0f} s")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        engine.dispose()


def prepared_batch(url: str, workers: int | None, repeat: int) -> None:
    """``samklima report --all-units`` of the latest round of a prepared database, timed (wall,
    and the workers' CPU), ``repeat`` times: this machine's speed varies from run to run."""
    from scoring.formats.unit_report_pdf import unit_report_pdf
    from scoring.store import api
    from scoring.store.cuts import all_stored
    from scoring.store.db import make_engine
    from scoring.store.unit_reports import ReportMaker, write_reports

    engine = make_engine(url)
    latest = api.list_rounds(engine)[-1].name
    units = ReportMaker(engine, latest, "nb").units()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    for run in range(1, repeat + 1):
        with tempfile.TemporaryDirectory() as folder:
            t0, children = time.perf_counter(), workers_cpu()
            maker = ReportMaker(engine, latest, "nb")
            viewers = {maker.viewer(u) for u in units if maker.viewer(u).sees(u)}
            if not all_stored(engine, maker.rounds, viewers, maker.tree):
                print("not every cut is stored: run `samklima round prepare` first (this times the batch after it)")
                return
            write_reports(maker, units, Path(folder), unit_report_pdf, workers=workers)
            spent, cpu = time.perf_counter() - t0, workers_cpu() - children
            print(f"batch {run}: {len(units)} reports (round {latest}) in {spent:.1f} s wall, the workers' CPU {cpu:.1f} s "
                  f"({cpu / len(units) * 1000:.0f} ms a report); against the aim's 60 s -> {spent / 60:.2f}x; "
                  f"1,500 reports at this rate {spent * 1500 / len(units):.0f} s -> {spent * 1500 / len(units) / 60:.2f}x")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    engine.dispose()


def workers_cpu() -> float:
    """CPU seconds of this process's finished children (the drawing workers, once their pool has closed)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def per_core(maker, units: list[str], sample: int = 20) -> None:
    """CPU milliseconds to build and to draw one report in this process, against the floor
    (module docstring)."""
    from scoring.formats.unit_report_pdf import unit_report_bytes

    shown = [u for u in units if maker.viewer(u).sees(u)][:sample]
    reports = [maker.report(u) for u in shown]  # first pass: caches warm, as in a worker after its first report
    pdfs = [unit_report_bytes(r) for r in reports]
    t = time.process_time()
    reports = [maker.report(u) for u in shown]
    build = (time.process_time() - t) / len(shown)
    t = time.process_time()
    pdfs = [unit_report_bytes(r) for r in reports]
    draw = (time.process_time() - t) / len(shown)
    marks = [page_marks(pdf) for pdf in pdfs]
    texts, shapes, pages = (sum(m[i] for m in marks) / len(marks) for i in range(3))
    floor_pdf = lambda: bare_page(round(texts), round(shapes), round(pages))  # noqa: E731
    floor_pdf()
    t = time.process_time()
    for _ in range(len(shown)):
        floor_pdf()
    floor = (time.process_time() - t) / len(shown)
    print(f"one report, CPU in this process ({len(shown)} reports, {pages:.1f} pages, {texts:.0f} text shows, {shapes:.0f} shapes):"
          f" build {build * 1000:.1f} ms, draw {draw * 1000:.1f} ms; floor (bare canvas, same marks) {floor * 1000:.1f} ms"
          f" -> draw {draw / floor:.1f}x the floor; build + draw {1 / (build + draw):.0f} reports/s per core")


def page_marks(pdf: bytes) -> tuple[int, int, int]:
    """(text shows, painted paths and rectangles, pages) in a PDF's content streams (reportlab writes
    them ASCII85 and Flate encoded)."""
    import base64
    import re
    import zlib

    texts = shapes = 0
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            data = zlib.decompress(base64.a85decode(raw.strip(), adobe=raw.strip().endswith(b"~>") and raw.startswith(b"<~")))
        except Exception:  # noqa: BLE001 - fonts and other binary streams are not page content
            try:
                data = zlib.decompress(base64.a85decode(raw.strip()[:-2] if raw.strip().endswith(b"~>") else raw.strip()))
            except Exception:  # noqa: BLE001
                continue
        if b" Tf" not in data and b" re" not in data:
            continue
        texts += len(re.findall(rb"\) Tj|\] TJ", data))
        shapes += len(re.findall(rb"(?m) (?:S|s|f\*?|B\*?|b\*?)$", data))  # path painting operators
    return texts, shapes, pdf.count(b"/Type /Page\n") or len(re.findall(rb"/Type /Page[^s]", pdf))


def bare_page(texts: int, shapes: int, pages: int) -> bytes:
    """The floor: ``texts`` strings and ``shapes`` rectangles on ``pages`` A4 pages drawn by a
    bare reportlab canvas in DejaVu Sans (the report's font), no layout."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from scoring.formats.pdf import fonts

    f = fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    per_text, per_shape = max(1, texts // max(1, pages)), max(1, shapes // max(1, pages))
    for page in range(pages):
        canvas.setFont(f.regular, 8)
        for i in range(per_text):
            canvas.drawString(50 + (i % 3) * 150, 50 + (i * 7) % 740, f"Påstand {page}.{i} 3,45")
        for i in range(per_shape):
            canvas.setFillGray(0.2 + (i % 5) * 0.15)
            canvas.rect(300 + (i % 10) * 20, 50 + (i * 11) % 740, 18, 11, stroke=1, fill=1)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


if __name__ == "__main__":
    main()
