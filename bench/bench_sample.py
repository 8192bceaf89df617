"""Time the sample generator at production scale: 150 000 respondents in 1 500 units.

Run: ``.venv/bin/python bench/bench_sample.py [respondents] [units]``. Prints wall time for
generating and for writing the CSV files, row counts, and peak memory (resource.getrusage).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time

from scoring.samples.generator import DEFAULT_ROUNDS, DEFAULT_SEED, generate_sample


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB on Linux


def main() -> None:
    respondents = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    units = int(sys.argv[2]) if len(sys.argv) > 2 else 1_500
    start = time.perf_counter()
    data = generate_sample(respondents=respondents, units=units, rounds=DEFAULT_ROUNDS, seed=DEFAULT_SEED)
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        paths = data.write(out)
        written = time.perf_counter()
        size_mb = sum(p.stat().st_size for p in paths) / 2**20
    print(f"respondents={respondents} units={units} rounds={DEFAULT_ROUNDS}")
    counts = " ".join(f"{name}={len(getattr(data, name))}" for name in data.FILES)
    print(f"rows: {counts}")
    print(f"generate: {generated - start:.2f} s")
    print(f"write:    {written - generated:.2f} s ({size_mb:.1f} MB of CSV)")
    print(f"total:    {written - start:.2f} s")
    print(f"peak memory: {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
