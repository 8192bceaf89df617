"""Texts of the invariance checks on the pages Utvikling / Trends and Kvalitet / Quality."""

TEXT: dict[str, dict[str, str]] = {
    "inv_criterion_delta_cfi": {"nb": "CFI falt med {value} (grense 0,01)", "nn": "CFI fall med {value} (grense 0,01)",
                                "en": "CFI fell by {value} (limit .01)"},
    "inv_criterion_delta_rmsea": {"nb": "RMSEA steg med {value} (grense 0,015)", "nn": "RMSEA steig med {value} (grense 0,015)",
                                  "en": "RMSEA rose by {value} (limit .015)"},
    "inv_step_metric": {"nb": "metrisk invarians (like ladninger)", "nn": "metrisk invarians (like ladningar)",
                        "en": "metric invariance (equal loadings)"},
    "inv_step_scalar": {"nb": "skalar invarians (like ladninger og konstantledd)", "nn": "skalar invarians (like ladningar og konstantledd)",
                        "en": "scalar invariance (equal loadings and intercepts)"},
    "trends_invariance_fails": {
        "nb": "Mellom {earlier} og {later} holder ikke {step}: {criteria}. Skalaen måler kanskje ikke det samme i begge rundene, "
              "så endringen kan skyldes at spørsmålene fungerer annerledes, ikke bare at klimaet har endret seg.",
        "nn": "Mellom {earlier} og {later} held ikkje {step}: {criteria}. Skalaen måler kanskje ikkje det same i begge rundane, "
              "så endringa kan kome av at spørsmåla fungerer annleis, ikkje berre at klimaet har endra seg.",
        "en": "Between {earlier} and {later}, {step} does not hold: {criteria}. The scale may not measure the same thing in both "
              "rounds, so the change may come from items working differently, not only from a changed climate.",
    },
    "trends_invariance_holds": {
        "nb": "Skalaen måler det samme i rundene som sammenlignes (skalar invarians holder mellom hver runde og den neste: "
              "CFI faller ikke mer enn 0,01 og RMSEA stiger ikke mer enn 0,015; hele organisasjonen).",
        "nn": "Skalaen måler det same i rundane som blir samanlikna (skalar invarians held mellom kvar runde og den neste: "
              "CFI fell ikkje meir enn 0,01 og RMSEA stig ikkje meir enn 0,015; heile organisasjonen).",
        "en": "The scale measures the same in the rounds compared (scalar invariance holds between each round and the next: "
              "CFI falls by no more than .01 and RMSEA rises by no more than .015; whole organisation).",
    },
    "trends_invariance_unknown": {"nb": "Invarians mellom {earlier} og {later} kunne ikke testes: {reason}",
                                  "nn": "Invarians mellom {earlier} og {later} kunne ikkje testast: {reason}",
                                  "en": "Invariance between {earlier} and {later} could not be tested: {reason}"},
    "trends_invariance_heavy": {
        "nb": "Om en totalskala måler det samme i alle rundene er ikke testet ennå (modellen med én faktor per delskala tar om lag "
              "ett minutt per rundepar). Se delskalaene, eller start testen.",
        "nn": "Om ein totalskala måler det same i alle rundane er ikkje testa enno (modellen med éin faktor per delskala tek om lag "
              "eitt minutt per rundepar). Sjå delskalaene, eller start testen.",
        "en": "Whether a total scale measures the same in every round has not been tested yet (the model with one factor per "
              "subscale takes about a minute per pair of rounds). See the subscales, or start the test.",
    },
    "trends_invariance_run": {"nb": "Test invarians mellom rundene", "nn": "Test invarians mellom rundane", "en": "Test invariance across rounds"},
    "trends_invariance_computing": {"nb": "Tester om skalaen måler det samme i rundene …", "nn": "Testar om skalaen måler det same i rundane …",
                                    "en": "Testing whether the scale measures the same in the rounds …"},
    "trends_col_invariance": {"nb": "Samme mål som forrige runde?", "nn": "Same mål som førre runde?", "en": "Same measure as the previous round?"},
    "inv_same_yes": {"nb": "ja", "nn": "ja", "en": "yes"},
    "inv_same_no": {"nb": "usikkert", "nn": "usikkert", "en": "doubtful"},
    "quality_professions_title": {"nb": "Måler skalaen det samme i ulike yrkesgrupper?", "nn": "Måler skalaen det same i ulike yrkesgrupper?",
                                  "en": "Does the scale measure the same across professions?"},
    "quality_professions_intro": {
        "nb": "Før gjennomsnitt sammenlignes mellom yrkesgrupper: metrisk og skalar invarians i runde {round}, hele organisasjonen, "
              "for yrkesgrupper med minst {min_group} svar. Et trinn holder ikke når CFI faller mer enn 0,01 eller RMSEA stiger mer enn 0,015.",
        "nn": "Før gjennomsnitt blir samanlikna mellom yrkesgrupper: metrisk og skalar invarians i runde {round}, heile organisasjonen, "
              "for yrkesgrupper med minst {min_group} svar. Eit steg held ikkje når CFI fell meir enn 0,01 eller RMSEA stig meir enn 0,015.",
        "en": "Before means are compared between professions: metric and scalar invariance in round {round}, whole organisation, "
              "for professions with at least {min_group} answers. A step fails when CFI falls by more than .01 or RMSEA rises by more than .015.",
    },
    "quality_professions_groups": {"nb": "Yrkesgrupper som sammenlignes: {groups}.", "nn": "Yrkesgrupper som blir samanlikna: {groups}.",
                                   "en": "Professions compared: {groups}."},
    "quality_professions_holds": {"nb": "Skalar invarians holder: gjennomsnittene kan sammenlignes mellom disse yrkesgruppene.",
                                  "nn": "Skalar invarians held: gjennomsnitta kan samanliknast mellom desse yrkesgruppene.",
                                  "en": "Scalar invariance holds: the means can be compared between these professions."},
    "quality_professions_fails": {
        "nb": "{step} holder ikke: {criteria}. Skalaen måler kanskje ikke det samme i alle yrkesgruppene; sammenlign gjennomsnitt med forsiktighet.",
        "nn": "{step} held ikkje: {criteria}. Skalaen måler kanskje ikkje det same i alle yrkesgruppene; samanlikn gjennomsnitt med varsemd.",
        "en": "{step} does not hold: {criteria}. The scale may not measure the same thing in every profession; compare means with care.",
    },
    "quality_professions_unknown": {"nb": "Kunne ikke testes: {reason}", "nn": "Kunne ikkje testast: {reason}", "en": "Could not be tested: {reason}"},
    "quality_professions_run": {"nb": "Test invarians mellom yrkesgrupper", "nn": "Test invarians mellom yrkesgrupper",
                                "en": "Test invariance across professions"},
    "compare_professions_title": {"nb": "Yrkesgrupper", "nn": "Yrkesgrupper", "en": "Professions"},
    "compare_professions_note": {
        "nb": "Resultatene publiseres per enhet, ikke per yrkesgruppe (personvernreglene deler svarene bare etter enhet og "
              "samarbeidspartner). Enheter med ulike yrkesgrupper kan likevel bare sammenlignes hvis skalaen måler det samme i "
              "yrkesgruppene; dette er testet for hele organisasjonen i runde {round}.",
        "nn": "Resultata blir publiserte per eining, ikkje per yrkesgruppe (personvernreglane deler svara berre etter eining og "
              "samarbeidspartnar). Einingar med ulike yrkesgrupper kan likevel berre samanliknast om skalaen måler det same i "
              "yrkesgruppene; dette er testa for heile organisasjonen i runde {round}.",
        "en": "Results are published per unit, not per profession (the privacy rules divide the answers only by unit and "
              "partner). Units with different professions can still only be compared if the scale measures the same thing in "
              "the professions; this is tested for the whole organisation in round {round}.",
    },
    "compare_professions_not_tested": {
        "nb": "Om denne totalskalaen måler det samme i yrkesgruppene er ikke testet ennå; en forsker kan starte testen på siden Kvalitet.",
        "nn": "Om denne totalskalaen måler det same i yrkesgruppene er ikkje testa enno; ein forskar kan starte testen på sida Kvalitet.",
        "en": "Whether this total scale measures the same in the professions has not been tested yet; a researcher can start the test on the Quality page.",
    },
}
