"""Unit reports for every unit of a large organisation (``samklima report --all-units``).

A generated organisation (``--units`` units, ``--respondents`` answers over ``--rounds`` rounds;
default the national round's 1,500 units) is loaded into a temporary SQLite database once. Then
the phases are timed separately, because they scale differently:

- decide:  every round decided for the whole organisation (:func:`decide_round`, once per round);
- reports: every scope's cut (each report shows what the unit's manager may see; one cut per
           set of units seen, not per unit or manager, stored) and one A4 PDF per unit, both in
           ``--workers`` forked processes (:func:`scoring.store.unit_reports.write_reports` with
           :func:`scoring.formats.unit_report_pdf.unit_report_pdf`), PDFs written to a
           temporary folder;
- again:   a second batch (a new ``ReportMaker``), which reads the stored decisions and cuts;
- draw:    with ``--draw N``, N reports (the units over again), drawing at the aim's size.

Prints seconds per phase (wall and CPU of this process), reports per second for the drawing
and for the whole batch (decide + cut + reports), the time for 1,500 units against the aim of
the issue (1,500 reports in under a minute; measured when ``--units 1500``, else extrapolated
linearly, which flatters the first batch: deciding grows faster than the organisation), the
workers' CPU (their finished processes' rusage) and the load average (other processes on the
machine slow every phase). No assertions.

The floor: one report's page marks (text shows, rectangles and paths, counted in its PDF
content streams) drawn by a bare reportlab canvas, no layout, in this process; beside it one
report built (``ReportMaker.report``) and drawn (``unit_report_bytes``) in this process, CPU
milliseconds each, so that the ratio to the floor is the layout's (platypus tables,
paragraph wrapping) and the report's own cost, not the machine's load.

    python bench/bench_unit_reports.py [--units 1500] [--respondents 150000] [--rounds 2] [--draw 1500] [--workers 2] [--sample 30]
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
        units = maker.units()
        everyone = len(units)
        if args.sample and args.sample < len(units):
            import random

            units = random.Random(0).sample(units, args.sample)
            print(f"sample  {len(units)} of the {everyone} units' reports (--sample): per-report figures extrapolated to {everyone}")
        scopes = len({maker.viewer(u).units for u in units})
        out = Path(folder) / "reports"
        out.mkdir()
        t0 = clock()
        decisions = maker.decisions
        decide = time.perf_counter() - t0[0]
        print(f"decide  {since(t0)}  ({len(decisions)} rounds, in this process)")
        t0, children = clock(), workers_cpu()
        write_reports(maker, units, out, unit_report_pdf, workers=args.workers)
        first = time.perf_counter() - t0[0]
        print(f"reports {since(t0)}  ({len(units)} reports, {scopes} scopes cut and stored in the workers; "
              f"the workers' CPU {workers_cpu() - children:.1f} s)")
        cold = decide + first
        print(f"first batch (decide + cut + draw): {cold:.1f} s, {len(units) / cold:.1f} reports per second")
        t0, children = clock(), workers_cpu()
        again = ReportMaker(engine, latest, "nb")
        write_reports(again, units, out, unit_report_pdf, workers=args.workers)  # the same units (--sample)
        warm = time.perf_counter() - t0[0]
        print(f"again   {since(t0)}  (a new batch: the stored decisions and cuts read, {len(units)} reports drawn; "
              f"the workers' CPU {workers_cpu() - children:.1f} s)")
        print(f"second batch: {warm:.1f} s, {len(units) / warm:.1f} reports per second")
        per_core(again, units)
        if args.sample and len(units) < everyone:
            per_first, per_again = (cold - decide) / len(units), warm / len(units)
            print(f"all {everyone} reports extrapolated from the sample: first batch {decide + per_first * everyone:.0f} s "
                  f"(decide {decide:.0f} s + {per_first:.2f} s a report), again {per_again * everyone:.0f} s "
                  f"({per_again * 1000:.0f} ms a report); 1,500 reports: again {per_again * 1500:.0f} s against the aim's 60 s "
                  f"-> {per_again * 1500 / 60:.2f}x")
        elif len(units) >= 1500:
            print(f"1,500-unit batch measured: first {cold * 1500 / len(units):.0f} s, again {warm * 1500 / len(units):.0f} s; "
                  f"aim 60 s -> {cold * 1500 / len(units) / 60:.2f}x and {warm * 1500 / len(units) / 60:.2f}x the aim")
        else:
            print(f"1,500 units extrapolated linearly from {len(units)}: first batch {cold * 1500 / len(units):.0f} s "
                  f"(deciding grows faster than linearly: bench_national.py), again {warm * 1500 / len(units):.0f} s; "
                  f"aim 60 s -> {cold * 1500 / len(units) / 60:.2f}x and {warm * 1500 / len(units) / 60:.2f}x the aim")
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
