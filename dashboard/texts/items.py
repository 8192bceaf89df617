"""Texts of the page Spørsmål / Items (dashboard/pages/items.py)."""

TEXT: dict[str, dict[str, str]] = {
    "items_intro": {
        "nb": "Hvordan svarene fordeler seg på hvert spørsmål i en skala, for én enhet og én runde. "
              "Uenig står til venstre for null og enig til høyre; «verken eller» deles på midten. "
              "«Vet ikke» og ubesvart vises for seg.",
        "en": "How the answers to each item of a scale are spread, for one unit and one round. "
              "Disagreement is left of zero and agreement right of it; the middle answer is split across zero. "
              "“Don't know” and no answer are shown apart.",
    },
    "items_round": {"nb": "Runde", "en": "Round"},
    "items_scale": {"nb": "Skala", "en": "Scale"},
    "items_unit": {"nb": "Enhet", "en": "Unit"},
    "items_organisation": {"nb": "Hele organisasjonen", "en": "The whole organisation"},
    "items_chart_title": {"nb": "{scale}: {unit}, runde {round} (n = {n})", "en": "{scale}: {unit}, round {round} (n = {n})"},
    "items_suppressed": {
        "nb": "{why}: {unit} vises ikke for denne skalaen i runde {round}. Fordelinger per spørsmål vises bare "
              "der enhetens skalaresultat vises (minst {min_n} svar, og ingen skjult gruppe kan regnes ut).",
        "en": "{why}: {unit} is not shown for this scale in round {round}. Item distributions are shown only "
              "where the unit's scale result is shown (at least {min_n} answers, and no hidden group can be worked out).",
    },
    "items_hidden_items": {
        "nb": "Ikke vist: {items} (færre enn {min_n} gyldige svar på spørsmålet, eller skjult for å verne en mindre gruppe).",
        "en": "Not shown: {items} (fewer than {min_n} valid answers to the item, or hidden so that a smaller group cannot be worked out).",
    },
    "items_scale_only": {
        "nb": "Organisasjonen rapporterer bare på skalanivå; fordelinger per spørsmål vises ikke.",
        "en": "The organisation reports at scale level only; item distributions are not shown.",
    },
    "items_dont_know": {"nb": "Vet ikke", "en": "Don't know"},
    "items_no_answer": {"nb": "Ikke svart", "en": "No answer"},
    "items_apart_title": {"nb": "Vet ikke / ikke svart", "en": "Don't know / no answer"},
    "items_axis_share": {"nb": "Andel av svarene (%)", "en": "Share of answers (%)"},
    "items_axis_apart": {"nb": "Andel (%)", "en": "Share (%)"},
    "items_reverse": {"nb": "negativt formulert", "en": "negatively worded"},
    "items_label_n": {"nb": "n = {n}", "en": "n = {n}"},
    "items_hover": {"nb": "{answer}: {share} ({count} av {n})", "en": "{answer}: {share} ({count} of {n})"},
    "items_reverse_note": {
        "nb": "Negativt formulerte spørsmål vises slik de ble stilt: der betyr enig et dårligere samarbeid (de snus før skalaen regnes ut).",
        "en": "Negatively worded items are shown as they were asked: there, agreeing means poorer collaboration (they are reversed before the scale is scored).",
    },
    "items_shares_note": {
        "nb": "Andelene i søylene er av dem som valgte et svaralternativ; «vet ikke» og ubesvart er andeler av alle {n}.",
        "en": "Shares in the bars are of those who chose an answer; “don't know” and no answer are shares of all {n}.",
    },
    "items_col_item": {"nb": "Spørsmål", "en": "Item"},
    "items_col_text": {"nb": "Tekst", "en": "Text"},
    "items_col_answered": {"nb": "Svar", "en": "Answers"},
    "items_no_units": {"nb": "Ingen enheter å vise.", "en": "No units to show."},
}
