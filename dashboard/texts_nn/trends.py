"""Nynorsk for dashboard/texts/trends.py."""

NN: dict[str, str] = {
    "trends_intro": "Gjennomsnittet for kvar eining per runde med 95 % konfidensintervall. Ei endring blir berre markert når ho er større enn uvissa (når 95 % KI for endringa ikkje omfattar 0).",
    "trends_scale": "Skala",
    "trends_legend_mean": "Gjennomsnitt med 95 % KI",
    "trends_legend_up": "Tydeleg auke",
    "trends_legend_down": "Tydeleg nedgang",
    "trends_hover": "{name}, runde {round}<br>{mean} (95 % KI {ci}), n = {n}<br>{change}",
    "trends_col_change": "Endring frå førre runde",
    "trends_col_mean_ci": "Gjennomsnitt (95 % KI)",
    "trends_col_change_ci": "Endring (95 % KI)",
    "trends_reading_higher": "Tydeleg auke",
    "trends_reading_unclear": "Inga tydeleg endring",
    "trends_reading_lower": "Tydeleg nedgang",
    "trends_col_change_value": "Endring",
    "trends_col_change_low": "Endring KI nedre",
    "trends_col_change_high": "Endring KI øvre",
    "trends_too_many": "Diagrammet viser dei {shown} første av {total} einingar; vel ei eining lenger ned i treet for å sjå resten. Tabellen har alle.",
    "trends_one_round": "Det finst berre éin runde enno; utvikling kan visast frå neste runde.",
    "trends_chart_title": "{scale} over rundar",
}
