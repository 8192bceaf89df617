"""Texts of dashboard/unit_filter.py: choosing the units a page shows."""

TEXT: dict[str, dict[str, str]] = {
    "unit_filter_unit": {"nb": "Vis enhet med underenheter", "en": "Show unit and its sub-units"},
    "unit_filter_all": {"nb": "Alle mine enheter", "en": "All my units"},
    "unit_filter_levels": {"nb": "Nivåer under", "en": "Levels below"},
    "unit_filter_level_0": {"nb": "ingen", "en": "none"},
    "unit_filter_level_all": {"nb": "alle ({n})", "en": "all ({n})"},
    "unit_filter_sort": {"nb": "Rekkefølge", "en": "Order"},
    "unit_filter_sort_tree": {"nb": "Som i organisasjonskartet", "en": "As in the unit tree"},
    "unit_filter_sort_name": {"nb": "Etter navn", "en": "By name"},
    "unit_filter_none": {"nb": "Ingen enheter å vise.", "en": "No units to show."},
}
