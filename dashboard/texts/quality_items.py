"""Texts of the item-quality and DIF sections of the page Kvalitet / Quality (dashboard/pages/quality.py)."""

TEXT: dict[str, dict[str, str]] = {
    "qi_title": {"nb": "Spørsmål for spørsmål: {scale}, runde {round}", "nn": "Spørsmål for spørsmål: {scale}, runde {round}",
                 "en": "Item by item: {scale}, round {round}"},
    "qi_intro": {
        "nb": "Hvordan hvert spørsmål ble besvart (andeler for hele organisasjonen, som på siden Spørsmål) og om det trekker "
              "skalaen opp eller ned: korrigert item-total-korrelasjon, alfa uten spørsmålet, ladning i en énfaktormodell og "
              "informasjon fra den graderte responsmodellen.",
        "nn": "Korleis kvart spørsmål vart svara på (delar for heile organisasjonen, som på sida Spørsmål) og om det trekkjer "
              "skalaen opp eller ned: korrigert item-total-korrelasjon, alfa utan spørsmålet, ladning i ein einfaktormodell og "
              "informasjon frå den graderte responsmodellen.",
        "en": "How each item was answered (shares for the whole organisation, as on the Items page) and whether it helps or "
              "hurts the scale: corrected item-total correlation, alpha if the item is dropped, loading in a one-factor model "
              "and information from the graded response model.",
    },
    "qi_computing": {"nb": "Beregner spørsmålsstatistikk …", "nn": "Reknar ut spørsmålsstatistikk …", "en": "Computing item statistics …"},
    "qi_col_item": {"nb": "Spørsmål", "nn": "Spørsmål", "en": "Item"},
    "qi_col_text": {"nb": "Tekst", "nn": "Tekst", "en": "Text"},
    "qi_col_dont_know": {"nb": "Vet ikke", "nn": "Veit ikkje", "en": "Don't know"},
    "qi_col_missing": {"nb": "Ubesvart", "nn": "Ikkje svara", "en": "Blank"},
    "qi_col_floor": {"nb": "Gulv", "nn": "Golv", "en": "Floor"},
    "qi_col_ceiling": {"nb": "Tak", "nn": "Tak", "en": "Ceiling"},
    "qi_col_item_rest": {"nb": "Item-rest r", "nn": "Item-rest r", "en": "Item-rest r"},
    "qi_col_alpha_drop": {"nb": "Alfa uten", "nn": "Alfa utan", "en": "Alpha if dropped"},
    "qi_col_loading": {"nb": "Ladning", "nn": "Ladning", "en": "Loading"},
    "qi_col_information": {"nb": "Informasjon", "nn": "Informasjon", "en": "Information"},
    "qi_col_notes": {"nb": "Merknader", "nn": "Merknader", "en": "Warnings"},
    "qi_answer": {"nb": "Svar {code}", "nn": "Svar {code}", "en": "Answer {code}"},
    "qi_not_shown": {"nb": "ikke vist", "nn": "ikkje vist", "en": "not shown"},
    "qi_rules": {
        "nb": "Andelene er av gyldige svar; «vet ikke» og ubesvart er av alle som svarte på skalaen. Gulv og tak: andelen på laveste og "
              "høyeste svar. Alfa for hele skalaen: {alpha}. Informasjon: spørsmålets informasjon i den graderte responsmodellen "
              "(Samejima) i gjennomsnitt over fordelingen N(0, 1). Merknad når item-rest r < 0,30, alfa stiger uten spørsmålet, "
              "ladning < 0,40, gulv eller tak > 80 %, «vet ikke» > 20 %, ubesvart > 10 %, eller informasjon under halvparten av et "
              "gjennomsnittlig spørsmåls.",
        "nn": "Delane er av gyldige svar; «veit ikkje» og ikkje svara er av alle som svara på skalaen. Golv og tak: delen på lågaste og "
              "høgaste svar. Alfa for heile skalaen: {alpha}. Informasjon: informasjonen til spørsmålet i den graderte responsmodellen "
              "(Samejima) i gjennomsnitt over fordelinga N(0, 1). Merknad når item-rest r < 0,30, alfa stig utan spørsmålet, "
              "ladning < 0,40, golv eller tak > 80 %, «veit ikkje» > 20 %, ikkje svara > 10 %, eller informasjon under halvparten av "
              "eit gjennomsnittleg spørsmål sin.",
        "en": "Shares are of valid answers; \"don't know\" and blank are of everyone who answered the scale. Floor and ceiling: the "
              "share at the lowest and highest answer. Alpha of the whole scale: {alpha}. Information: the item's information in the "
              "graded response model (Samejima) averaged over the N(0, 1) distribution. A warning when item-rest r < .30, alpha rises "
              "if the item is dropped, loading < .40, floor or ceiling > 80%, \"don't know\" > 20%, blank > 10%, or information "
              "below half an average item's.",
    },
    "qi_information_missing": {"nb": "Informasjon ikke beregnet: {reason}", "nn": "Informasjon ikkje rekna ut: {reason}",
                               "en": "Information not computed: {reason}"},
    "qi_flag_negative_item_rest": {"nb": "negativ item-rest r ({r}): skal spørsmålet snus?", "nn": "negativ item-rest r ({r}): skal spørsmålet snuast?",
                                   "en": "negative item-rest r ({r}): should it be reverse-keyed?"},
    "qi_flag_low_item_rest": {"nb": "item-rest r {r} < 0,30", "nn": "item-rest r {r} < 0,30", "en": "item-rest r {r} < .30"},
    "qi_flag_alpha_rises": {"nb": "alfa stiger fra {alpha} til {drop} uten spørsmålet", "nn": "alfa stig frå {alpha} til {drop} utan spørsmålet",
                            "en": "alpha rises from {alpha} to {drop} if dropped"},
    "qi_flag_low_loading": {"nb": "ladning {loading} < 0,40", "nn": "ladning {loading} < 0,40", "en": "loading {loading} < .40"},
    "qi_flag_floor": {"nb": "gulv {share} > 80 %", "nn": "golv {share} > 80 %", "en": "floor {share} > 80%"},
    "qi_flag_ceiling": {"nb": "tak {share} > 80 %", "nn": "tak {share} > 80 %", "en": "ceiling {share} > 80%"},
    "qi_flag_dont_know": {"nb": "«vet ikke» {share} > 20 %", "nn": "«veit ikkje» {share} > 20 %", "en": "\"don't know\" {share} > 20%"},
    "qi_flag_missing": {"nb": "ubesvart {share} > 10 %", "nn": "ikkje svara {share} > 10 %", "en": "blank {share} > 10%"},
    "qi_flag_low_information": {"nb": "lite informasjon ({share} av testens)", "nn": "lite informasjon ({share} av testen sin)",
                                "en": "little information ({share} of the test's)"},
}
