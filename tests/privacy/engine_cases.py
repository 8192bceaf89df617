"""Generated organisations whose decided cells are stored as fixtures (``engine_cells/``).

The stored frames were made by the engine of main at 37cb363, before the local rules worked on
sparse per-unit structures (``python -m tests.privacy.engine_cases``); ``test_engine_equal``
decides the same cases with the current engine and compares the frames exactly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FOLDER = Path(__file__).with_name("engine_cells")
# (units, respondents, seed, min_n): small and larger trees, low and high thresholds
CASES = [(40, 3_000, 1, 3), (40, 3_000, 2, 5), (40, 3_000, 3, 8), (120, 9_000, 4, 5), (120, 9_000, 5, 3)]


def case_name(units: int, respondents: int, seed: int, min_n: int) -> str:
    return f"u{units}_r{respondents}_s{seed}_m{min_n}"


def build(units: int, respondents: int, seed: int, min_n: int):
    """(unit tree, the answers of the generated round) of one case."""
    from scoring.instrument.catalog import bundled_all
    from scoring.privacy.answers import round_answers
    from scoring.samples.generator import generate_sample

    data = generate_sample(respondents=respondents, units=units, rounds=1, seed=seed)
    present = set(data.responses.columns)
    instruments = [i for i in bundled_all() if i.item_ids and set(i.item_ids) <= present]
    table = data.responses.reset_index(drop=True)
    return data.units, round_answers(table, instruments, str(table["round"].iloc[0]), min_n)


def decided_cells(units: int, respondents: int, seed: int, min_n: int) -> pd.DataFrame:
    from scoring.privacy.publication import decide_round

    tree, answers = build(units, respondents, seed, min_n)
    return decide_round(tree, answers).cells.reset_index(drop=True)


def _store(case) -> str:
    cells = decided_cells(*case)
    path = FOLDER / f"{case_name(*case)}.parquet"
    cells.to_parquet(path, compression="zstd", index=False)
    return f"{path.name}: {len(cells)} cells, {int(cells['hidden'].sum())} hidden"


if __name__ == "__main__":  # regenerate the fixtures (only from an engine known to be right)
    import sys
    from concurrent.futures import ProcessPoolExecutor

    chosen = [c for c in CASES if len(sys.argv) < 2 or case_name(*c) in sys.argv[1:]]
    with ProcessPoolExecutor(2) as pool:
        for line in pool.map(_store, chosen):
            print(line, flush=True)
