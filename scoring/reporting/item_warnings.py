"""Item warnings in words, in bokmål, nynorsk and English: the rules of
:func:`scoring.stats.item_quality.item_flags` (item-rest r, alpha if dropped, loading, floor and
ceiling, "vet ikke", blank answers, the graded model's information) as a researcher reads them.

One text per rule, shared by the Quality page and the validation report, so that both say the
same thing in the same words. A negative item-rest r is said once (not also as a low one).
"""

from __future__ import annotations

from collections.abc import Callable

from scoring.reporting.numbers import number, percent
from scoring.stats.item_quality import FLAGS, ItemQualityResult

TEXTS: dict[str, dict[str, str]] = {
    "negative_item_rest": {"nb": "negativ item-rest r ({r}): skal spørsmålet snus?", "nn": "negativ item-rest r ({r}): skal spørsmålet snuast?",
                           "en": "negative item-rest r ({r}): should it be reverse-keyed?"},
    "low_item_rest": {"nb": "item-rest r {r} < 0,30", "nn": "item-rest r {r} < 0,30", "en": "item-rest r {r} < .30"},
    "alpha_rises": {"nb": "alfa stiger fra {alpha} til {drop} uten spørsmålet", "nn": "alfa stig frå {alpha} til {drop} utan spørsmålet",
                    "en": "alpha rises from {alpha} to {drop} if dropped"},
    "low_loading": {"nb": "ladning {loading} < 0,40", "nn": "ladning {loading} < 0,40", "en": "loading {loading} < .40"},
    "floor": {"nb": "gulv {share} > 80 %", "nn": "golv {share} > 80 %", "en": "floor {share} > 80%"},
    "ceiling": {"nb": "tak {share} > 80 %", "nn": "tak {share} > 80 %", "en": "ceiling {share} > 80%"},
    "dont_know": {"nb": "«vet ikke» {share} > 20 %", "nn": "«veit ikkje» {share} > 20 %", "en": "\"don't know\" {share} > 20%"},
    "missing": {"nb": "ubesvart {share} > 10 %", "nn": "ikkje svara {share} > 10 %", "en": "blank {share} > 10%"},
    "low_information": {"nb": "lite informasjon ({share} av testens)", "nn": "lite informasjon ({share} av testen sin)",
                        "en": "little information ({share} of the test's)"},
}


def item_warnings(result: ItemQualityResult, item: str, lang: str, num: Callable[[float], str] | None = None) -> list[str]:
    """The warnings of ``item`` in ``lang`` (empty when none), numbers written by ``num``
    (default: two decimals in the language's style) and shares as percentages."""
    num = num or (lambda value: number(value, lang))
    row = result.table.loc[item]
    values = {
        "negative_item_rest": {"r": num(row["item_rest_r"])}, "low_item_rest": {"r": num(row["item_rest_r"])},
        "alpha_rises": {"alpha": num(result.alpha), "drop": num(row["alpha_if_dropped"])},
        "low_loading": {"loading": num(row["loading"])}, "floor": {"share": percent(row["floor"], lang)},
        "ceiling": {"share": percent(row["ceiling"], lang)}, "dont_know": {"share": percent(row["dont_know"], lang)},
        "missing": {"share": percent(row["missing"], lang)}, "low_information": {"share": percent(row["information_share"], lang)},
    }
    flags = result.flags.loc[item]
    hits = [f for f in FLAGS if bool(flags[f]) and not (f == "low_item_rest" and bool(flags["negative_item_rest"]))]
    return [TEXTS[f][lang].format(**values[f]) for f in hits]
