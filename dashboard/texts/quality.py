"""Texts of the page Kvalitet / Quality (dashboard/pages/quality.py)."""

TEXT: dict[str, dict[str, str]] = {
    "quality_intro": {
        "nb": "Måler skjemaet godt i denne organisasjonen? Reliabilitet, enighet innad i enhetene, faktorstruktur og "
              "om skalaene måler det samme fra runde til runde. Tallene gjelder hele organisasjonen.",
        "en": "Does the questionnaire measure well in this organisation? Reliability, agreement within units, factor "
              "structure and whether the scales measure the same thing from round to round. The figures cover the whole organisation.",
    },
    "quality_read_only": {
        "nb": "Som leder kan du lese siden; tunge beregninger startes av forskere og administratorer.",
        "en": "As a manager you can read this page; heavy computations are started by researchers and administrators.",
    },
    "quality_instrument": {"nb": "Spørreskjema", "en": "Questionnaire"},
    "quality_round": {"nb": "Runde", "en": "Round"},
    "quality_scale": {"nb": "Skala", "en": "Scale"},
    "quality_computing": {
        "nb": "Beregner reliabilitet, enighet og faktoranalyse for {instrument}, runde {round} …",
        "en": "Computing reliability, agreement and factor analysis for {instrument}, round {round} …",
    },
    "quality_n_round": {"nb": "{n} svar i runde {round}", "en": "{n} responses in round {round}"},
    "quality_overview_title": {"nb": "Alle skalaer", "en": "All scales"},
    "quality_col_scale": {"nb": "Skala", "en": "Scale"},
    "quality_col_items": {"nb": "Spørsmål", "en": "Items"},
    "quality_col_n": {"nb": "n", "en": "n"},
    "quality_col_alpha": {"nb": "Alfa", "en": "Alpha"},
    "quality_col_alpha_ci": {"nb": "Alfa 95 % KI", "en": "Alpha 95% CI"},
    "quality_col_omega_total": {"nb": "Omega totalt", "en": "Omega total"},
    "quality_col_omega_h": {"nb": "Omega hierarkisk", "en": "Omega hierarchical"},
    "quality_col_icc1": {"nb": "ICC(1)", "en": "ICC(1)"},
    "quality_col_icc2": {"nb": "ICC(2)", "en": "ICC(2)"},
    "quality_col_units": {"nb": "Enheter", "en": "Units"},
    "quality_col_rwg": {"nb": "rwg(j), median", "en": "rwg(j), median"},
    "quality_col_ad": {"nb": "AD, snitt", "en": "AD, mean"},
    "quality_col_reading": {"nb": "Gir enhetsgjennomsnittet mening?", "en": "Is a unit mean meaningful?"},
    "quality_col_cfi": {"nb": "CFI", "en": "CFI"},
    "quality_col_tli": {"nb": "TLI", "en": "TLI"},
    "quality_col_rmsea": {"nb": "RMSEA", "en": "RMSEA"},
    "quality_col_rmsea_ci": {"nb": "RMSEA 90 % KI", "en": "RMSEA 90% CI"},
    "quality_col_srmr": {"nb": "SRMR", "en": "SRMR"},
    "quality_col_fit_n": {"nb": "n (CFA)", "en": "n (CFA)"},
    "quality_col_model": {"nb": "Modell", "en": "Model"},
    "quality_col_chisq": {"nb": "Kjikvadrat (df)", "en": "Chi-square (df)"},
    "quality_model_one": {"nb": "1 faktor", "en": "1 factor"},
    "quality_model_many": {"nb": "{k} korrelerte faktorer", "en": "{k} correlated factors"},
    "quality_detail_title": {"nb": "{scale}, runde {round}", "en": "{scale}, round {round}"},
    "quality_reliability_title": {"nb": "Reliabilitet", "en": "Reliability"},
    "quality_alpha_line": {
        "nb": "Cronbachs alfa {alpha} (95 % KI {ci}, Feldt), n = {n}, {k} spørsmål, parvis fullstendige svar.",
        "en": "Cronbach's alpha {alpha} (95% CI {ci}, Feldt), n = {n}, {k} items, pairwise complete answers.",
    },
    "quality_omega_line": {
        "nb": "Omega totalt {total}; omega hierarkisk {h}.",
        "en": "Omega total {total}; omega hierarchical {h}.",
    },
    "quality_omega_h_none": {
        "nb": "ikke beregnet (skalaen har ingen underskalaer å bruke som gruppefaktorer)",
        "en": "not computed (the scale has no subscales to serve as group factors)",
    },
    "quality_aggregation_title": {"nb": "Enighet innad i enhetene", "en": "Agreement within units"},
    "quality_icc_line": {
        "nb": "ICC(1) = {icc1} (andelen av variansen som skyldes enheten), ICC(2) = {icc2} (reliabiliteten til enhetsgjennomsnittene); "
              "n = {n} i {units} enheter. Median rwg(j) = {rwg} og gjennomsnittlig AD = {ad} over enhetene som vises.",
        "en": "ICC(1) = {icc1} (the share of variance due to the unit), ICC(2) = {icc2} (the reliability of unit means); "
              "n = {n} in {units} units. Median rwg(j) = {rwg} and mean AD = {ad} over the units shown.",
    },
    "quality_reading_title": {"nb": "Gir et enhetsgjennomsnitt mening her?", "en": "Is a unit mean meaningful here?"},
    "quality_reading_rule": {
        "nb": "Vanlig lesning: rwg(j) ≥ 0,70 betyr at de som svarer i en enhet, er enige nok til at gjennomsnittet beskriver enheten; "
              "ICC(2) ≥ 0,70 betyr at enhetsgjennomsnittene skiller pålitelig mellom enhetene.",
        "en": "Usual reading: rwg(j) ≥ .70 means respondents within a unit agree enough for the mean to describe the unit; "
              "ICC(2) ≥ .70 means unit means tell units apart reliably.",
    },
    "quality_units_title": {"nb": "Enighet per enhet", "en": "Agreement per unit"},
    "quality_units_note": {
        "nb": "Enheter med færre enn {min_n} svar, eller som skjules på de andre sidene, vises ikke («for få svar»).",
        "en": "Units with fewer than {min_n} answers, or hidden on the other pages, are not shown (“too few answers”).",
    },
    "quality_units_axis": {"nb": "rwg(j)", "en": "rwg(j)"},
    "quality_units_spread_title": {"nb": "Enighet i {units} enheter", "en": "Agreement in {units} units"},
    "quality_units_count": {"nb": "Enheter", "en": "Units"},
    "quality_units_threshold": {"nb": "0,70", "en": ".70"},
    "quality_col_awg": {"nb": "awg", "en": "awg"},
    "quality_col_ad_unit": {"nb": "AD", "en": "AD"},
    "quality_col_units_note": {"nb": "Merknad", "en": "Note"},
    "quality_cfa_title": {"nb": "Faktorstruktur (CFA)", "en": "Factor structure (CFA)"},
    "quality_cfa_line": {
        "nb": "{model}, full informasjon ML (FIML), n = {n}: kjikvadrat {chisq} (df = {df}), CFI {cfi}, TLI {tli}, "
              "RMSEA {rmsea} (90 % KI {rmsea_ci}), SRMR {srmr}.",
        "en": "{model}, full-information ML (FIML), n = {n}: chi-square {chisq} (df = {df}), CFI {cfi}, TLI {tli}, "
              "RMSEA {rmsea} (90% CI {rmsea_ci}), SRMR {srmr}.",
    },
    "quality_cfa_failed": {"nb": "Modellen kunne ikke estimeres: {reason}", "nn": "Modellen kunne ikkje estimerast: {reason}", "en": "The model could not be estimated: {reason}"},
    "quality_cfa_rule": {
        "nb": "Vanlige tommelfingerregler for god tilpasning: CFI og TLI ≥ 0,95, RMSEA ≤ 0,06, SRMR ≤ 0,08 (Hu og Bentler 1999). "
              "Med 4 spørsmål har en énfaktormodell bare 2 frihetsgrader, så RMSEA-intervallet blir bredt.",
        "en": "Common rules of thumb for good fit: CFI and TLI ≥ .95, RMSEA ≤ .06, SRMR ≤ .08 (Hu & Bentler 1999). "
              "With 4 items a one-factor model has only 2 degrees of freedom, so the RMSEA interval is wide.",
    },
    "quality_invariance_title": {"nb": "Måler skalaen det samme i alle runder?", "en": "Does the scale measure the same in every round?"},
    "quality_invariance_intro": {
        "nb": "Målingsinvarians mellom rundene: konfigural (samme struktur), metrisk (like ladninger) og skalar (også like konstantledd). "
              "Et fall i CFI på mer enn 0,01 fra ett trinn til det neste tyder på at likheten ikke holder (Cheung og Rensvold 2002).",
        "en": "Measurement invariance across rounds: configural (same structure), metric (equal loadings) and scalar (equal intercepts too). "
              "A drop in CFI of more than .01 from one step to the next suggests the equality does not hold (Cheung & Rensvold 2002).",
    },
    "quality_invariance_heavy": {
        "nb": "For en totalskala tilpasses flerfaktormodellen tre ganger over alle runder; det tar omtrent ett minutt.",
        "en": "For a total scale the multi-factor model is fitted three times across all rounds; this takes about a minute.",
    },
    "quality_invariance_run": {"nb": "Beregn invarians", "en": "Compute invariance"},
    "quality_invariance_waiting": {
        "nb": "Ikke beregnet ennå; en forsker eller administrator kan starte beregningen.",
        "en": "Not computed yet; a researcher or administrator can start the computation.",
    },
    "quality_invariance_computing": {"nb": "Beregner målingsinvarians over rundene …", "en": "Computing measurement invariance across rounds …"},
    "quality_invariance_one_round": {"nb": "Invarians krever minst to runder.", "en": "Invariance needs at least two rounds."},
    "quality_col_step": {"nb": "Trinn", "en": "Step"},
    "quality_col_delta_chisq": {"nb": "Δ kjikvadrat (Δdf)", "en": "Δ chi-square (Δdf)"},
    "quality_col_p": {"nb": "p", "en": "p"},
    "quality_col_delta_cfi": {"nb": "Δ CFI", "en": "Δ CFI"},
    "quality_col_holds": {"nb": "Holder?", "en": "Holds?"},
    "quality_step_configural": {"nb": "Konfigural", "en": "Configural"},
    "quality_step_metric": {"nb": "Metrisk", "en": "Metric"},
    "quality_step_scalar": {"nb": "Skalar", "en": "Scalar"},
    "quality_holds_yes": {"nb": "ja", "en": "yes"},
    "quality_holds_no": {"nb": "nei", "en": "no"},
    "quality_invariance_n": {"nb": "n per runde: {groups}", "en": "n per round: {groups}"},
    "quality_warnings": {"nb": "Merknader fra beregningene", "en": "Notes from the computations"},
    "quality_chart_title": {"nb": "Alfa med 95 % KI per skala, runde {round}", "en": "Alpha with 95% CI per scale, round {round}"},
    "quality_chart_axis": {"nb": "Cronbachs alfa", "en": "Cronbach's alpha"},
    "quality_chart_hover": {"nb": "{scale}<br>alfa {alpha} (95 % KI {ci})<br>n = {n}", "en": "{scale}<br>alpha {alpha} (95% CI {ci})<br>n = {n}"},
    "quality_reading_short_report_unit_means": {"nb": "Ja", "en": "Yes"},
    "quality_reading_short_agree_units_alike": {"nb": "Ja, men enhetene skiller seg lite", "en": "Yes, but units differ little"},
    "quality_reading_short_moderate_agreement": {"nb": "Delvis (middels enighet)", "en": "Partly (moderate agreement)"},
    "quality_reading_short_low_agreement": {"nb": "Nei (lav enighet)", "en": "No (low agreement)"},
    "quality_reading_short_too_few_units": {"nb": "Kan ikke vurderes (for få enheter)", "en": "Cannot tell (too few units)"},
}
