"""Texts of the page Sammenlign enheter / Compare units (dashboard/pages/compare.py)."""

TEXT: dict[str, dict[str, str]] = {
    "compare_intro": {
        "nb": "Hver enhets gjennomsnitt med 95 % konfidensintervall (KI) og antall svar (n), sammen med "
              "organisasjonens gjennomsnitt og gjennomsnittet for enheter av samme type. Enhetene står i "
              "organisasjonskartets rekkefølge, ikke rangert: to enheter kan bare skilles når intervallene sier det. "
              "Organisasjonens gjennomsnitt omfatter enheten selv, så sammenligningen er forsiktig.",
        "en": "Each unit's mean with its 95% confidence interval (CI) and number of answers (n), beside the "
              "organisation mean and the mean of units of the same type. Units are listed as in the unit tree, "
              "not ranked: two units can only be told apart when their intervals say so. "
              "The organisation mean includes the unit itself, which makes the comparison cautious.",
    },
    "compare_scale": {"nb": "Skala", "en": "Scale"},
    "compare_round": {"nb": "Runde", "en": "Round"},
    "compare_chart_title": {"nb": "{scale}, runde {round}", "en": "{scale}, round {round}"},
    "compare_organisation": {
        "nb": "Organisasjonen: {mean} (95 % KI {ci}), n = {n}",
        "en": "The organisation: {mean} (95% CI {ci}), n = {n}",
    },
    "compare_organisation_suppressed": {"nb": "Organisasjonen: {why}", "en": "The organisation: {why}"},
    "compare_org_line": {"nb": "Organisasjonen {mean}", "en": "Organisation {mean}"},
    "compare_org_line_n": {"nb": "(n = {n})", "nn": "(n = {n})", "en": "(n = {n})"},
    "compare_legend_higher": {"nb": "Tydelig over organisasjonen", "en": "Clearly above the organisation"},
    "compare_legend_unclear": {"nb": "Kan ikke skilles fra organisasjonen", "en": "Not distinguishable from the organisation"},
    "compare_legend_lower": {"nb": "Tydelig under organisasjonen", "en": "Clearly below the organisation"},
    "compare_legend_type": {"nb": "Enheter av samme type", "en": "Units of the same type"},
    "compare_legend_organisation": {
        "nb": "Organisasjonens gjennomsnitt (stiplet) og 95 % KI (grått)",
        "en": "The organisation's mean (dashed) and 95% CI (grey)",
    },
    "compare_chart_label": {
        "nb": "Gjennomsnitt med 95 % konfidensintervall per enhet, mot organisasjonen. Tallene står i tabellen under.",
        "en": "Mean with 95% confidence interval per unit, against the organisation. The numbers are in the table below.",
    },
    "compare_hover_unit": {
        "nb": "{name}<br>Gjennomsnitt {mean} (95 % KI {ci})<br>n = {n}",
        "en": "{name}<br>Mean {mean} (95% CI {ci})<br>n = {n}",
    },
    "compare_hover_type": {
        "nb": "{type}: {mean} (n = {n})",
        "en": "{type}: {mean} (n = {n})",
    },
    "compare_col_unit_id": {"nb": "Enhets-id", "en": "Unit id"},
    "compare_col_mean_ci": {"nb": "Gjennomsnitt (95 % KI)", "en": "Mean (95% CI)"},
    "compare_col_ci_low": {"nb": "KI nedre", "en": "CI low"},
    "compare_col_ci_high": {"nb": "KI øvre", "en": "CI high"},
    "compare_col_type_mean": {"nb": "Samme type: gjennomsnitt", "en": "Same type: mean"},
    "compare_col_type_n": {"nb": "Samme type: n", "en": "Same type: n"},
    "compare_col_type": {"nb": "Enheter av samme type", "en": "Units of the same type"},
    "compare_col_diff": {"nb": "Forskjell fra organisasjonen", "en": "Difference from the organisation"},
    "compare_col_diff_low": {"nb": "Forskjell KI nedre", "en": "Difference CI low"},
    "compare_col_diff_high": {"nb": "Forskjell KI øvre", "en": "Difference CI high"},
    "compare_col_difference": {"nb": "Forskjell fra organisasjonen (95 % KI)", "en": "Difference from the organisation (95% CI)"},
    # {shown_units}, {hidden_units}: "1 enhet" / "5 enheter" (units_counted_*); the English verbs agree with their counts
    "compare_summary": {
        "nb": "Av {shown_units} med nok svar er {higher} tydelig over organisasjonens gjennomsnitt, {unclear} kan ikke "
              "skilles fra det med så mange svar, og {lower} er tydelig under. {hidden_units} har for få svar.",
        "en": "Of {shown_units} with enough answers, {higher} {higher_be} clearly above the organisation mean, {unclear} cannot be "
              "told apart from it with this many answers, and {lower} {lower_be} clearly below. {hidden_units} {hidden_have} too few answers.",
    },
    "compare_col_reading": {"nb": "Sammenlignet med organisasjonen", "en": "Compared with the organisation"},
    "compare_heatmap_title": {"nb": "Alle skalaer, runde {round}", "en": "All scales, round {round}"},
    "compare_scale_list_diff": {"nb": "Forskjell", "nn": "Skilnad", "en": "Difference"},
    "compare_heatmap_note": {
        "nb": "Hver celle viser enhetens gjennomsnitt, forskjellen fra organisasjonens gjennomsnitt (▲ tydelig over, ▼ tydelig under, "
              "● kan ikke skilles fra det) og n. Fargen følger forskjellen (blå over, oransje under); bare en klar forskjell (95 % KI "
              "utenfor null) får full farge, en usikker forskjell, som små enheter ofte har, er blek. Grått betyr at tallet ikke vises "
              "(pek på cellen for å se hvorfor). Usikkerheten står i diagrammet over for én skala om gangen.",
        "en": "Each cell shows the unit's mean, the difference from the organisation mean (▲ clearly above, ▼ clearly below, ● not "
              "distinguishable from it) and n. The colour follows the difference (blue above, orange below); only a clear difference "
              "(95% CI excluding zero) gets full colour, an uncertain one, as small units often have, is pale. Grey means the figure is "
              "not shown (point at the cell to see why). The uncertainty is shown in the chart above, one scale at a time.",
    },
    "compare_heatmap_title_cell": {"nb": "Gjennomsnitt {mean} (95 % KI {ci}), n = {n}", "en": "Mean {mean} (95% CI {ci}), n = {n}"},
    "compare_heatmap_caption": {"nb": "Alle skalaer for de valgte enhetene", "en": "All scales for the chosen units"},
    "compare_too_few_cell": {"nb": "for få<br>svar", "en": "too few<br>answers"},
    "compare_no_units": {"nb": "Ingen enheter å sammenligne i denne runden.", "en": "No units to compare in this round."},
}
