"""Item warnings in words (scoring.reporting.item_warnings), shared by the Quality page and the
validation report: each rule of item_flags said in nb, nn and en with the item's own numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.reporting.item_warnings import TEXTS, item_warnings
from scoring.stats.item_quality import FLAGS, item_quality


def answers() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    trait = rng.normal(size=400)
    frame = pd.DataFrame({f"q{j}": np.clip(np.round(3 + trait + rng.normal(scale=0.8, size=400)), 1, 5) for j in range(1, 5)})
    frame["q4"] = 6 - frame["q4"]  # not reversed: runs against the others
    frame.loc[:150, "q3"] = 9.0  # "vet ikke" from more than a fifth
    return frame


def test_each_rule_is_said_with_the_item_s_numbers_in_three_languages():
    result = item_quality(answers(), low=1, high=5, dont_know=[9.0], information=True)
    assert set(TEXTS) == set(FLAGS) and all(set(t) == {"nb", "nn", "en"} for t in TEXTS.values())
    r = result.table.loc["q4", "item_rest_r"]
    assert r < 0
    nb, nn, en = (item_warnings(result, "q4", lang) for lang in ("nb", "nn", "en"))
    minus = "\u2212"  # numbers are written with a real minus sign
    assert nb[0] == f"negativ item-rest r ({minus}{abs(r):.2f}): skal spørsmålet snus?".replace(".", ",")
    assert nn[0].endswith("skal spørsmålet snuast?") and en[0] == f"negative item-rest r ({minus}{abs(r):.2f}): should it be reverse-keyed?"
    assert not any("< .30" in w for w in en), "a negative item-rest r is said once, not also as a low one"
    share = result.table.loc["q3", "dont_know"]
    assert f"«vet ikke» {100 * share:.0f}\u00a0% > 20 %" in item_warnings(result, "q3", "nb")
    assert f"\"don't know\" {100 * share:.0f}% > 20%" in item_warnings(result, "q3", "en")
    assert item_warnings(result, "q1", "en") == [], "an item that keeps every rule gets no warning"
