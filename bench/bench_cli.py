"""Command-line speed: ``samklima --help``, ``samklima validate`` and ``samklima score``, each as a
whole process (interpreter start and imports included), as a user meets them.

- ``--help`` and ``validate`` of one bundled instrument: wall time and the process's CPU time
  (user + system, from ``wait4``; on a shared machine the steadier of the two) and peak RSS,
  median of ``--repeat`` runs. Aims (issue 15): 0.3 s and 0.5 s.
- ``score``: ``samklima score`` of ``--respondents`` responses to samhandlingsklima (32 items,
  user-missing 9s and blanks) from CSV to CSV, against the floor: a bare pandas script in a
  process of its own that reads the same file, sets 9 to missing, reverse-keys, takes each
  scale's row mean (with the instrument's minimum answered) and writes the scores. Ours also
  checks every answer and writes the passed-through columns. Median of ``--repeat``; ratio
  ours/floor (aim: at most 1.5).

Prints, never asserts.

    python bench/bench_cli.py [--respondents 150000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMKLIMA = [sys.executable, "-m", "scoring"]
INSTRUMENT = "samhandlingsklima"

FLOOR = """
import sys
import numpy as np
import pandas as pd

source, target, spec = sys.argv[1], sys.argv[2], __import__("json").loads(sys.argv[3])
table = pd.read_csv(source)
items = table[spec["items"]].to_numpy(dtype=float, copy=True)
items[np.isin(items, spec["missing"])] = np.nan
columns = {c: j for j, c in enumerate(spec["items"])}
for item in spec["reverse"]:
    items[:, columns[item]] = spec["low"] + spec["high"] - items[:, columns[item]]
scores = {}
for scale, members, least in spec["scales"]:
    block = items[:, [columns[i] for i in members]]
    answered = (~np.isnan(block)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(block, axis=1)
    scores[scale] = np.where(answered >= least * len(members), mean, np.nan)
pd.concat([table[["response"]], pd.DataFrame(scores)], axis=1).to_csv(target, index=False)
"""


def timed(command: list[str]) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one child process (``os.wait4``: its own usage)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{child.stderr.read().decode()}")
    child.stderr.close()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def median_of(command: list[str], repeat: int) -> dict:
    runs = [timed(command) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu")} | {"rss_mb": max(r["rss_mb"] for r in runs)}


def responses_file(path: Path, respondents: int) -> dict:
    """Deterministic answers (codes 1-5, 9 = vet ikke, blanks) and the floor's instrument spec."""
    import numpy as np
    import pandas as pd

    from scoring.instrument.catalog import bundled

    inst = bundled(INSTRUMENT)
    rng = np.random.default_rng(15)
    codes = rng.choice([1, 2, 3, 4, 5, 9, np.nan], p=[0.1, 0.15, 0.25, 0.25, 0.17, 0.05, 0.03], size=(respondents, len(inst.item_ids)))
    table = pd.DataFrame(codes, columns=inst.item_ids).astype("Int64")
    table.insert(0, "response", [f"r{i}" for i in range(respondents)])
    table.to_csv(path, index=False)
    rs = inst.response_scale_of(inst.item_ids[0])
    return {
        "items": list(inst.item_ids),
        "missing": sorted(float(c) for c in rs.missing),
        "reverse": [i.id for i in inst.items if i.reverse],
        "low": rs.min,
        "high": rs.max,
        "scales": [(s.id, list(s.items), s.min_answered) for s in inst.scales],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    instrument_file = REPO / "instruments" / f"{INSTRUMENT}.yaml"
    rows = [
        ("samklima --help", median_of([*SAMKLIMA, "--help"], args.repeat), 0.3),
        (f"samklima validate {instrument_file.name}", median_of([*SAMKLIMA, "validate", str(instrument_file)], args.repeat), 0.5),
    ]
    with tempfile.TemporaryDirectory(prefix="samklima-bench-cli-") as folder:
        source = Path(folder) / "responses.csv"
        spec = responses_file(source, args.respondents)
        ours = median_of([*SAMKLIMA, "score", str(source), "--instrument", INSTRUMENT, "--out", str(Path(folder) / "ours.csv")], args.repeat)
        floor = median_of([sys.executable, "-c", FLOOR, str(source), str(Path(folder) / "floor.csv"), json.dumps(spec)], args.repeat)

    print(f"median of {args.repeat} runs, each a new process")
    print(f"{'':44}{'wall s':>8}{'CPU s':>8}{'peak RSS MB':>13}{'aim s':>7}")
    for label, r, aim in rows:
        print(f"{label:44}{r['wall']:8.2f}{r['cpu']:8.2f}{r['rss_mb']:13.0f}{aim:7.1f}")
    print(f"{f'samklima score ({args.respondents} responses)':44}{ours['wall']:8.2f}{ours['cpu']:8.2f}{ours['rss_mb']:13.0f}")
    print(f"{'bare pandas read-reverse-mean-write (floor)':44}{floor['wall']:8.2f}{floor['cpu']:8.2f}{floor['rss_mb']:13.0f}")
    print(f"{'ratio score/floor (aim: <= 1.5)':44}{ours['wall'] / floor['wall']:8.2f}{ours['cpu'] / floor['cpu']:8.2f}")


if __name__ == "__main__":
    main()
