"""Texts of dashboard/view_state.py: the view kept in the address."""

TEXT: dict[str, dict[str, str]] = {
    "view_unit_ignored": {
        "nb": "Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke.",
        "nn": "Eininga i lenkja er ikkje blant einingane du har tilgang til, og blir ikkje vist.",
        "en": "The unit in the link is not among the units you have access to, and is not shown.",
    },
}
