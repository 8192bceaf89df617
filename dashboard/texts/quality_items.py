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
    "qi_information_total": {
        "nb": "Informasjon beregnes ikke for en totalskala: den graderte modellen antar én dimensjon, og totalskalaen har flere "
              "delskalaer. Se informasjonen for hver delskala.",
        "nn": "Informasjon blir ikkje rekna ut for ein totalskala: den graderte modellen føreset éin dimensjon, og totalskalaen har fleire "
              "delskalaer. Sjå informasjonen for kvar delskala.",
        "en": "Information is not computed for a total scale: the graded model assumes one dimension, and the total has several "
              "subscales. See the information of each subscale.",
    },
}
TEXT.update({
    "dif_title": {"nb": "Fungerer spørsmålene likt i to grupper? (DIF)", "nn": "Fungerer spørsmåla likt i to grupper? (DIF)",
                  "en": "Do the items work the same in two groups? (DIF)"},
    "dif_intro": {
        "nb": "Differensiell item-funksjonering: for hvert spørsmål en likelihood-ratio-test i den graderte responsmodellen, med "
              "spørsmålets parametere frie mellom gruppene mot like (anker: de andre spørsmålene, renset for DIF-spørsmål; "
              "fokusgruppens gjennomsnitt og spredning frie). p justert etter Benjamini–Hochberg. Effektstørrelse: SIDS, forskjellen "
              "i forventet svar på spørsmålet (referanse minus fokus) ved samme nivå på det skalaen måler, i snitt over fokusgruppen "
              "(Meade 2010); ESSD er SIDS delt på spørsmålets standardavvik (om lag 0,2 liten, 0,5 middels).",
        "nn": "Differensiell item-funksjonering: for kvart spørsmål ein likelihood-ratio-test i den graderte responsmodellen, med "
              "parametrane til spørsmålet frie mellom gruppene mot like (anker: dei andre spørsmåla, reinsa for DIF-spørsmål; "
              "gjennomsnittet og spreiinga til fokusgruppa frie). p justert etter Benjamini–Hochberg. Effektstorleik: SIDS, skilnaden "
              "i forventa svar på spørsmålet (referanse minus fokus) ved same nivå på det skalaen måler, i snitt over fokusgruppa "
              "(Meade 2010); ESSD er SIDS delt på standardavviket til spørsmålet (om lag 0,2 lita, 0,5 middels).",
        "en": "Differential item functioning: for each item a likelihood-ratio test in the graded response model, the item's "
              "parameters free across the groups against equal (anchor: the other items, purified of DIF items; the focal group's "
              "mean and spread free). p adjusted by Benjamini-Hochberg. Effect size: SIDS, the difference in the expected answer to "
              "the item (reference minus focal) at the same level of what the scale measures, averaged over the focal group "
              "(Meade 2010); ESSD is SIDS divided by the item's SD (about 0.2 small, 0.5 medium).",
    },
    "dif_compare": {"nb": "Sammenlign", "nn": "Samanlikn", "en": "Compare"},
    "dif_by_round": {"nb": "to runder", "nn": "to rundar", "en": "two rounds"},
    "dif_by_role": {"nb": "to yrkesgrupper (alle runder)", "nn": "to yrkesgrupper (alle rundar)", "en": "two professions (all rounds)"},
    "dif_reference": {"nb": "Referansegruppe", "nn": "Referansegruppe", "en": "Reference group"},
    "dif_focal": {"nb": "Fokusgruppe", "nn": "Fokusgruppe", "en": "Focal group"},
    "dif_one_round": {"nb": "DIF mellom runder krever minst to runder.", "nn": "DIF mellom rundar krev minst to rundar.",
                      "en": "DIF between rounds needs at least two rounds."},
    "dif_too_few_groups": {"nb": "Færre enn to yrkesgrupper har minst 50 svar; DIF kan ikke testes.",
                           "nn": "Færre enn to yrkesgrupper har minst 50 svar; DIF kan ikkje testast.",
                           "en": "Fewer than two professions have at least 50 answers; DIF cannot be tested."},
    "dif_total_scale": {"nb": "DIF testes per delskala (den graderte modellen antar én dimensjon); velg en delskala.",
                        "nn": "DIF blir testa per delskala (den graderte modellen føreset éin dimensjon); vel ein delskala.",
                        "en": "DIF is tested per subscale (the graded model assumes one dimension); choose a subscale."},
    "dif_same_group": {"nb": "Velg to ulike grupper.", "nn": "Vel to ulike grupper.", "en": "Choose two different groups."},
    "dif_computing": {"nb": "Tester DIF …", "nn": "Testar DIF …", "en": "Testing DIF …"},
    "dif_failed": {"nb": "DIF kunne ikke testes: {reason}", "nn": "DIF kunne ikkje testast: {reason}", "en": "DIF could not be tested: {reason}"},
    "dif_col_g2": {"nb": "G²", "nn": "G²", "en": "G²"},
    "dif_col_df": {"nb": "fg", "nn": "fg", "en": "df"},
    "dif_col_p": {"nb": "p", "nn": "p", "en": "p"},
    "dif_col_p_adjusted": {"nb": "p justert", "nn": "p justert", "en": "p adjusted"},
    "dif_col_sids": {"nb": "SIDS", "nn": "SIDS", "en": "SIDS"},
    "dif_col_essd": {"nb": "ESSD", "nn": "ESSD", "en": "ESSD"},
    "dif_col_flag": {"nb": "DIF?", "nn": "DIF?", "en": "DIF?"},
    "dif_flag_yes": {"nb": "ja", "nn": "ja", "en": "yes"},
    "dif_flag_no": {"nb": "nei", "nn": "nei", "en": "no"},
    "dif_not_tested": {"nb": "ikke testet", "nn": "ikkje testa", "en": "not tested"},
    "dif_groups_line": {"nb": "Referanse: {reference}; fokus: {focal}. Anker: {anchor}. Fokusgruppens latente gjennomsnitt {mean}, SD {sd}.",
                        "nn": "Referanse: {reference}; fokus: {focal}. Anker: {anchor}. Latent gjennomsnitt i fokusgruppa {mean}, SD {sd}.",
                        "en": "Reference: {reference}; focal: {focal}. Anchor: {anchor}. Focal group's latent mean {mean}, SD {sd}."},
    "dif_n_line": {"nb": "n = {n_reference} og {n_focal}.", "nn": "n = {n_reference} og {n_focal}.", "en": "n = {n_reference} and {n_focal}."},
})
