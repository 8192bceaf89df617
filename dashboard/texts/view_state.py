"""Texts of dashboard/view_state.py: the view kept in the address."""

TEXT: dict[str, dict[str, str]] = {
    "view_unit_ignored": {
        "nb": "Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke.",
        "nn": "Eininga i lenkja er ikkje blant einingane du har tilgang til, og blir ikkje vist.",
        "en": "The unit in the link is not among the units you have access to, and is not shown.",
    },
    "login_to_open_page": {
        "nb": "Logg inn for å åpne denne siden. Valgene i lenken (runde, enhet, skala) blir tatt med.",
        "nn": "Logg inn for å opne denne sida. Vala i lenkja (runde, eining, skala) blir tekne med.",
        "en": "Log in to open this page. The choices in the link (round, unit, scale) are kept.",
    },
}
