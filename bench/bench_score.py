"""Scoring speed: `samklima score` on the 150,000-respondent sample vs a bare pandas floor.

Both are timed as whole processes (interpreter start, imports, read, work, write), one run each:
- ours:  samklima score --instrument samhandlingsklima responses.csv --out scores.csv
         (full validation of every answer, missing codes, reverse keys, all 9 scales);
- floor: a bare pandas script that reads the same CSV, recodes 9 to NaN, reverses the keyed
         items, takes the item means per scale and writes them (no validation).
Prints both wall times and the ratio ours/floor (aim: <= 1.5). No assertions.

    python bench/bench_score.py [--respondents 150000] [--units 1500]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

FLOOR = textwrap.dedent(
    """
    import sys
    import numpy as np
    import pandas as pd
    src, dst, spec = sys.argv[1], sys.argv[2], eval(sys.argv[3])
    df = pd.read_csv(src)
    out = df[["response"]].copy()
    for scale, items, reverse in spec:
        x = df[items].to_numpy(dtype=float, copy=True)
        x[x == 9] = np.nan
        for j, item in enumerate(items):
            if item in reverse:
                x[:, j] = 6 - x[:, j]
        out[scale] = np.nanmean(x, axis=1)
    out.to_csv(dst, index=False)
    """
)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=1_500)
    args = parser.parse_args()

    from scoring.instrument.catalog import bundled
    from scoring.samples.generator import generate_sample

    inst = bundled("samhandlingsklima")
    spec = [(s.id, list(s.items), inst.reverse_items(s)) for s in inst.scales]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        generate_sample(respondents=args.respondents, units=args.units, rounds=1, seed=1).write(tmp)
        print(f"generated {args.respondents} respondents / {args.units} units in {time.perf_counter() - t0:.1f} s")
        src = tmp / "responses.csv"
        samklima = str(Path(sys.executable).with_name("samklima"))
        ours = timed([samklima, "score", "--instrument", "samhandlingsklima", str(src), "--out", str(tmp / "ours.csv")])
        (tmp / "floor.py").write_text(FLOOR)
        floor = timed([sys.executable, str(tmp / "floor.py"), str(src), str(tmp / "floor.csv"), repr(spec)])
    print(f"samklima score (validated): {ours:6.2f} s")
    print(f"bare pandas floor:          {floor:6.2f} s")
    print(f"ratio ours/floor:           {ours / floor:6.2f}  (aim <= 1.5)")


if __name__ == "__main__":
    main()
