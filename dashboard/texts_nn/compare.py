"""Nynorsk for dashboard/texts/compare.py."""

NN: dict[str, str] = {
    "compare_intro": "Gjennomsnittet for kvar eining med 95 % konfidensintervall (KI) og talet på svar (n), saman med gjennomsnittet for organisasjonen og for einingar av same type. Einingane står i rekkjefølgja frå organisasjonskartet, ikkje rangerte: to einingar kan berre skiljast når intervalla seier det. Gjennomsnittet for organisasjonen omfattar eininga sjølv, så samanlikninga er varsam.",
    "compare_scale": "Skala",
    "compare_round": "Runde",
    "compare_chart_title": "{scale}, runde {round}",
    "compare_organisation": "Organisasjonen: {mean} (95 % KI {ci}), n = {n}",
    "compare_organisation_suppressed": "Organisasjonen: {why}",
    "compare_org_line": "Organisasjonen {mean}",
    "compare_legend_higher": "Tydeleg over organisasjonen",
    "compare_legend_unclear": "Kan ikkje skiljast frå organisasjonen",
    "compare_legend_organisation": "Gjennomsnittet til organisasjonen (stipla) og 95 % KI (grått)",
    "compare_chart_label": "Gjennomsnitt med 95 % konfidensintervall per eining, mot organisasjonen. Tala står i tabellen under.",
    "compare_legend_lower": "Tydeleg under organisasjonen",
    "compare_legend_type": "Einingar av same type",
    "compare_hover_unit": "{name}<br>Gjennomsnitt {mean} (95 % KI {ci})<br>n = {n}",
    "compare_hover_type": "{type}: {mean} (n = {n})",
    "compare_col_unit_id": "Einings-id",
    "compare_col_mean_ci": "Gjennomsnitt (95 % KI)",
    "compare_col_ci_low": "KI nedre",
    "compare_col_ci_high": "KI øvre",
    "compare_col_type_mean": "Same type: gjennomsnitt",
    "compare_col_type_n": "Same type: n",
    "compare_col_type": "Einingar av same type",
    "compare_col_diff": "Skilnad frå organisasjonen",
    "compare_col_diff_low": "Skilnad KI nedre",
    "compare_col_diff_high": "Skilnad KI øvre",
    "compare_col_difference": "Skilnad frå organisasjonen (95 % KI)",
    "compare_summary": "Av {shown_units} med nok svar er {higher} tydeleg over gjennomsnittet i organisasjonen, {unclear} kan ikkje skiljast frå det med så mange svar, og {lower} er tydeleg under. {hidden_units} har for få svar.",
    "compare_col_reading": "Samanlikna med organisasjonen",
    "compare_heatmap_title": "Alle skalaer, runde {round}",
    "compare_heatmap_note": (
        "Kvar celle viser gjennomsnittet for eininga, skilnaden frå gjennomsnittet i organisasjonen (▲ tydeleg over, ▼ tydeleg under, "
        "● kan ikkje skiljast frå det) og n. Fargen følgjer skilnaden (blå over, oransje under); berre ein klar skilnad (95 % KI "
        "utanfor null) får full farge, ein uviss skilnad, som små einingar ofte har, er bleik. Grått tyder at talet ikkje blir vist "
        "(peik på cella for å sjå kvifor). Uvissa står i diagrammet over for éin skala om gongen."
    ),
    "compare_heatmap_title_cell": "Gjennomsnitt {mean} (95 % KI {ci}), n = {n}",
    "compare_heatmap_caption": "Alle skalaer for dei valde einingane",
    "compare_too_few_cell": "for få<br>svar",
    "compare_no_units": "Ingen einingar å samanlikne i denne runden.",
}
