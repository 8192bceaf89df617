"""Texts of the page Utvikling / Trends (dashboard/pages/trends.py)."""

TEXT: dict[str, dict[str, str]] = {
    "trends_intro": {
        "nb": "Hver enhets gjennomsnitt per runde med 95 % konfidensintervall. En endring markeres bare når den er "
              "større enn usikkerheten (når 95 % KI for endringen ikke omfatter 0).",
        "en": "Each unit's mean per round with its 95% confidence interval. A change is flagged only when it is "
              "larger than its uncertainty (when the 95% CI of the change excludes 0).",
    },
    "trends_scale": {"nb": "Skala", "en": "Scale"},
    "trends_legend_mean": {"nb": "Gjennomsnitt med 95 % KI", "en": "Mean with 95% CI"},
    "trends_legend_up": {"nb": "Tydelig økning", "en": "Clear increase"},
    "trends_legend_down": {"nb": "Tydelig nedgang", "en": "Clear decrease"},
    "trends_hover": {
        "nb": "{name}, runde {round}<br>{mean} (95 % KI {ci}), n = {n}<br>{change}",
        "en": "{name}, round {round}<br>{mean} (95% CI {ci}), n = {n}<br>{change}",
    },
    "trends_col_change": {"nb": "Endring fra forrige runde", "en": "Change since the previous round"},
    "trends_col_mean_ci": {"nb": "Gjennomsnitt (95 % KI)", "en": "Mean (95% CI)"},
    "trends_col_change_ci": {"nb": "Endring (95 % KI)", "en": "Change (95% CI)"},
    "trends_reading_higher": {"nb": "Tydelig økning", "en": "Clear increase"},
    "trends_reading_unclear": {"nb": "Ingen tydelig endring", "en": "No clear change"},
    "trends_reading_lower": {"nb": "Tydelig nedgang", "en": "Clear decrease"},
    "trends_col_change_value": {"nb": "Endring", "en": "Change"},
    "trends_col_change_low": {"nb": "Endring KI nedre", "en": "Change CI low"},
    "trends_col_change_high": {"nb": "Endring KI øvre", "en": "Change CI high"},
    "trends_too_many": {
        "nb": "Diagrammet viser de {shown} første av {total} enhetene; velg en enhet lenger ned i treet for å se resten. Tabellen har alle.",
        "en": "The chart shows the first {shown} of {total} units; choose a unit further down the tree to see the rest. The table has all of them.",
    },
    "trends_one_round": {
        "nb": "Det finnes bare én runde ennå; utvikling kan vises fra neste runde.",
        "en": "There is only one round so far; trends can be shown from the next round.",
    },
    "trends_chart_title": {"nb": "{scale} over runder", "en": "{scale} across rounds"},
}
