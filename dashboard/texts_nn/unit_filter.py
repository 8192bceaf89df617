"""Nynorsk for dashboard/texts/unit_filter.py."""

NN: dict[str, str] = {
    "unit_filter_unit": "Vis eining med undereiningar",
    "unit_filter_all": "Alle einingane mine",
    "unit_filter_levels": "Nivå under",
    "unit_filter_level_0": "ingen",
    "unit_filter_level_all": "alle ({n})",
    "unit_filter_sort": "Rekkjefølgje",
    "unit_filter_sort_tree": "Som i organisasjonskartet",
    "unit_filter_sort_name": "Etter namn",
    "unit_filter_none": "Ingen einingar å vise.",
}
