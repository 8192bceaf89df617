"""Unit names told apart where a page shows several units of one name side by side."""

from __future__ import annotations

from dashboard.unit_labels import distinct_names

NAMES = {"a.hj": "Hjemmetjenesten sone Nord", "b.hj": "Hjemmetjenesten sone Nord", "c.hj": "Hjemmetjenesten sone Nord",
         "a": "Fjordvik", "b": "Lyngset", "a.nav": "NAV", "b.nav": "NAV", "dps": "Fjordvik DPS"}
PARENT = {"a.hj": "a", "b.hj": "b", "c.hj": "b", "a.nav": "a", "b.nav": None, "dps": None, "a": None, "b": None}


def test_a_repeated_name_gets_its_parent_and_then_its_id():
    out = distinct_names(["a.hj", "b.hj", "c.hj", "a.nav", "b.nav", "dps"], NAMES, PARENT)
    assert out["a.hj"] == "Hjemmetjenesten sone Nord (Fjordvik)"
    assert out["b.hj"] == "Hjemmetjenesten sone Nord (Lyngset, b.hj)" and out["c.hj"] == "Hjemmetjenesten sone Nord (Lyngset, c.hj)"
    assert out["a.nav"] == "NAV (Fjordvik)" and out["b.nav"] == "NAV", "no parent: the name is unique after the other got its parent"
    assert out["dps"] == "Fjordvik DPS", "a name used once is left as it is"
    assert len(set(out.values())) == len(out)


def test_names_unique_among_the_units_shown_are_left_alone_and_a_unit_without_a_name_is_its_id():
    assert distinct_names(["a.hj", "dps", "x9"], NAMES, PARENT) == {"a.hj": "Hjemmetjenesten sone Nord", "dps": "Fjordvik DPS", "x9": "x9"}


def test_two_parentless_units_of_one_name_get_their_ids():
    out = distinct_names(["p1", "p2"], {"p1": "NAV", "p2": "NAV"}, {})
    assert out == {"p1": "NAV (p1)", "p2": "NAV (p2)"}
