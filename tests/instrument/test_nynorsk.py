"""Nynorsk: every bundled instrument and every respondent text has it, and the instrument files
say that the nynorsk wording is not yet validated."""

from __future__ import annotations

import pytest

from dashboard.i18n import LANGUAGES, t, table
from dashboard.texts import respond
from scoring.errors import UserError
from scoring.instrument.catalog import bundled, bundled_all
from scoring.instrument.loading import load_instrument
from tests.conftest import REPO


def texts_of(inst):
    """Every (place, {lang: text}) of an instrument."""
    yield "title", inst.title
    if inst.instructions:
        yield "instructions", inst.instructions
    for name, rs in inst.response_scales.items():
        for code, label in {**rs.labels, **rs.missing}.items():
            yield f"{name}.{code}", label
    for f in inst.fields:
        yield f.id, f.label
    for item in inst.items:
        yield item.id, item.text
    for scale in inst.scales:
        yield scale.id, scale.name


@pytest.mark.parametrize("instrument_id", [inst.id for inst in bundled_all()])
def test_every_bundled_instrument_is_written_in_nynorsk_marked_unvalidated(instrument_id):
    inst = bundled(instrument_id)
    assert inst.languages == ["nb", "nn", "en"]
    assert inst.status_of("nn") == "unvalidated" and inst.summary()["language_status"]["nn"] == "unvalidated"
    texts = dict(texts_of(inst))
    assert all(text.get("nn", "").strip() for text in texts.values())
    items = [inst.item(i).text for i in inst.item_ids]
    rewritten = sum(text["nn"] != text["nb"] for text in items)
    # A short sentence can be the same in both written standards; most are not.
    assert rewritten >= 0.75 * len(items), "the items are worded in nynorsk, not the bokmål copied"


def test_nynorsk_uses_nynorsk_words_not_bokmal_ones():
    """A spot check against common bokmål forms slipping into the nynorsk text."""
    bokmal = {"ikke", "hvordan", "hvilken", "hva", "jeg", "noe", "tjenesten", "enheten", "ledelsen", "ansatte"}
    for inst in bundled_all():
        for place, text in texts_of(inst):
            words = {w.strip(".,:;?!«»()").lower() for w in text["nn"].split()}
            assert not words & bokmal, f"{inst.id} {place}: {sorted(words & bokmal)}"


def test_a_status_for_an_undeclared_language_is_refused(tmp_path):
    text = (REPO / "instruments" / "feedback-utfall.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  nn: unvalidated\n", "  nn: unvalidated\n  se: unvalidated\n", 1), encoding="utf-8")
    with pytest.raises(UserError, match="'se' has a status but is not a declared language"):
        load_instrument(bad)


def test_every_respondent_text_has_nynorsk():
    assert "nn" in LANGUAGES
    missing = [key for key, entry in respond.TEXT.items() if not entry.get("nn", "").strip()]
    assert missing == []
    assert t("respond_next", "nn") == "Neste" and t("respond_submit", "nn") == "Send inn svara"


def test_every_dashboard_text_has_nynorsk_with_the_same_placeholders():
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    missing = [key for key, entry in table().items() if "nb" in entry and not entry.get("nn", "").strip()]
    assert missing == []
    differ = [key for key, entry in table().items() if "nb" in entry and fields(entry["nn"]) != fields(entry["nb"])]
    assert differ == []
    assert t("page_compare", "nn") == "Samanlikn einingar" and t("too_few", "nn") == "for få svar"


def test_a_nynorsk_text_for_a_key_no_table_has_is_refused(monkeypatch):
    from dashboard import texts_nn
    from dashboard.i18n import table as merged
    from dashboard.texts_nn import common

    monkeypatch.setitem(common.NN, "no_such_key", "ingen slik")
    merged.cache_clear()
    try:
        with pytest.raises(KeyError, match="no_such_key"):
            merged()
    finally:
        monkeypatch.undo()
        merged.cache_clear()
    assert texts_nn.__name__ == "dashboard.texts_nn"
