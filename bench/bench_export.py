"""Export speed: a 150,000-respondent national round to .sav, against a bare pyreadstat floor.

One round of ``samklima sample`` (both staff instruments, 52 items, plus unit, round, language,
instrument version, date, background fields and the 14 scale scores: about 80 variables) is
generated once and pickled. Then, each in a fresh process so that neither warms the other:

- ours:  :func:`scoring.formats.spss.build_export` (every answer validated, codes and value
         labels, names made safe, labels shortened, units below min_n merged, scores) followed
         by :func:`scoring.formats.spss.write_sav` (labels, user-missing codes, measures,
         formats, notes);
- floor: ``pyreadstat.write_sav`` of the very DataFrame ours wrote (``ExportData.frame``),
         with no metadata at all, consolidated first (``DataFrame.copy``: one block per dtype,
         as pandas builds a frame from scratch), the layout pyreadstat handles with least
         memory. Its peak is pyreadstat's own copy of the frame, made to convert the date
         column; ours hands it the date already converted, so ours adds no such copy.

Each is timed without tracing (wall clock and the process's CPU time, each the best of
``--repeat``; on a shared machine CPU time is the steadier of the two), then run once more under
:mod:`tracemalloc` for the peak of Python-visible allocations (NumPy and pandas buffers
included); the rise of the process's peak RSS during the timed run is printed too (Linux
``ru_maxrss``). Prints both rows and the ratios ours/floor (aim: time <= 1.3, peak <= 1.5). No
assertions.

The companion files (``.sps`` and codebook) are timed on their own line; they do not grow with
the number of respondents.

    python bench/bench_export.py [--respondents 150000] [--units 1500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

RUN = textwrap.dedent(
    """
    import gc, json, pickle, resource, sys, time, tracemalloc
    from pathlib import Path
    which, folder, repeat = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    import pandas as pd, pyreadstat
    from scoring.instrument.catalog import bundled
    from scoring.store.tokens import new_response_ids
    from scoring.formats.spss import build_export, write_sav
    from scoring.formats.syntax import write_sps
    from scoring.formats.codebook import write_codebook_csv, write_codebook_html

    responses = pd.read_pickle(folder / "responses.pkl")
    units = pd.read_pickle(folder / "units.pkl")
    instruments = [bundled("samhandlingsklima"), bundled("medbestemmelse")]
    frame = pd.read_pickle(folder / "frame.pkl").copy() if which == "floor" else None  # consolidated

    def work():
        if which == "floor":
            pyreadstat.write_sav(frame, str(folder / "floor.sav"))
            return None
        export = build_export(responses, instruments, units, scores=True, round_name="2024-1")
        write_sav(export, folder / "ours.sav")
        return export

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    gc.collect()
    before = rss_mb()
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        export = work()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    rss_rise = rss_mb() - before
    out = {"seconds": best, "cpu_seconds": best_cpu, "rss_rise_mb": rss_rise}
    if which == "ours":
        export.frame.to_pickle(folder / "frame.pkl")
        start = time.perf_counter()
        write_sps(export, folder / "ours.sps", data_file="ours.sav")
        write_codebook_html(export, folder / "ours.codebook.html")
        write_codebook_csv(export, folder / "ours.codebook.csv")
        out["companions_seconds"] = time.perf_counter() - start
        out["variables"] = len(export.variables)
        out["rows"] = len(export.frame)
        out["warnings"] = len(export.warnings)
    del export
    gc.collect()
    tracemalloc.start()
    work()
    out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    out["file_mb"] = (folder / f"{which}.sav").stat().st_size / 2**20
    print(json.dumps(out))
    """
)


def run(which: str, folder: Path, repeat: int) -> dict:
    script = folder / "run.py"
    script.write_text(RUN)
    done = subprocess.run([sys.executable, str(script), which, str(folder), str(repeat)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def as_read_from_the_database(sample):
    """The layout :func:`scoring.store.read.read_responses` returns: 32-hex-digit random response
    ids, text columns as Python strings (None for a blank field), a date, items as float codes."""
    import numpy as np
    import pandas as pd

    from scoring.instrument.catalog import bundled
    from scoring.store.tokens import new_response_ids

    versions = ", ".join(f"{bundled(i).id} {bundled(i).version}" for i in ("samhandlingsklima", "medbestemmelse"))
    meta = pd.DataFrame({
        "response": pd.array(new_response_ids(len(sample)), dtype="string"),
        "unit": sample["unit"].astype(object),
        "round": sample["round"].astype(object),
        "language": sample["language"].astype(object),
        "instrument_version": versions,
        "date": np.datetime64("2024-03-01", "ns") + (np.arange(len(sample)) % 28).astype("timedelta64[D]"),
    })  # fmt: skip
    fields = sample[["role", "tenure", "position", "sk_partner"]].astype(object)
    fields = fields.where(fields.notna(), None)
    items = sample.loc[:, "sk_info1":].astype(float)
    return pd.concat([meta, fields, items], axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=1_500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from scoring.samples.generator import generate_sample

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        data = generate_sample(respondents=args.respondents, units=args.units, rounds=1, seed=1)
        responses = as_read_from_the_database(data.responses)
        responses.to_pickle(folder / "responses.pkl")
        data.units.to_pickle(folder / "units.pkl")
        print(f"generated {len(responses)} respondents / {args.units} units in {time.perf_counter() - t0:.1f} s")

        ours = run("ours", folder, args.repeat)
        floor = run("floor", folder, args.repeat)

    print(f"{ours['rows']} rows x {ours['variables']} variables; {ours['warnings']} export warning(s)")
    print(f"{'':34}{'wall s':>8}{'CPU s':>8}{'traced peak MB':>16}{'RSS rise MB':>13}{'file MB':>9}")
    for name, row in (("samklima export (build + .sav)", ours), ("bare pyreadstat.write_sav (floor)", floor)):
        print(f"{name:34}{row['seconds']:8.2f}{row['cpu_seconds']:8.2f}{row['traced_peak_mb']:16.1f}{row['rss_rise_mb']:13.1f}{row['file_mb']:9.1f}")
    print(f"{'ratio ours/floor':34}{ours['seconds'] / floor['seconds']:8.2f}{ours['cpu_seconds'] / floor['cpu_seconds']:8.2f}"
          f"{ours['traced_peak_mb'] / max(floor['traced_peak_mb'], 1e-9):16.2f}   (aim: time <= 1.3, peak <= 1.5)")  # fmt: skip
    print(f".sps + codebook (HTML, CSV): {ours['companions_seconds']:.2f} s")


if __name__ == "__main__":
    main()
