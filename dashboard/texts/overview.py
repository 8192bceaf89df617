"""Texts of the page Oversikt / Overview (dashboard/pages/overview.py)."""

TEXT: dict[str, dict[str, str]] = {
    "overview_intro": {
        "nb": "Svar og svarprosent per runde og enhet. Svarprosenten er antall svar delt på antall inviterte ansatte.",
        "en": "Responses and response rate per round and unit. The response rate is the number of answers divided by the staff invited.",
    },
    "overview_rounds": {"nb": "Runder", "en": "Rounds"},
    "overview_round": {"nb": "Runde", "en": "Round"},
    "overview_state": {"nb": "Status", "en": "State"},
    "overview_state_open": {"nb": "åpen", "en": "open"},
    "overview_state_closed": {"nb": "lukket", "en": "closed"},
    "overview_opens": {"nb": "Åpner", "en": "Opens"},
    "overview_closes": {"nb": "Lukker", "en": "Closes"},
    "overview_responses": {"nb": "Svar", "en": "Responses"},
    "overview_invited": {"nb": "Inviterte", "en": "Invited"},
    "overview_rate": {"nb": "Svarprosent", "en": "Response rate"},
    "overview_rate_pct": {"nb": "Svarprosent (%)", "en": "Response rate (%)"},
    "overview_rounds_note": {
        "nb": "Tallene for rundene gjelder hele organisasjonen.",
        "en": "The figures for the rounds are for the whole organisation.",
    },
    "overview_round_heading": {"nb": "Runde {round} ({state})", "en": "Round {round} ({state})"},
    "overview_round_summary": {
        "nb": "{responses} svar av {invited} inviterte i hele organisasjonen ({rate}).",
        "en": "{responses} responses from {invited} invited in the whole organisation ({rate}).",
    },
    "overview_round_summary_no_headcount": {
        "nb": "{responses} svar i hele organisasjonen (antall inviterte mangler).",
        "en": "{responses} responses in the whole organisation (headcount missing).",
    },
    "overview_bar_text": {"nb": "{rate} ({responses} av {invited})", "en": "{rate} ({responses} of {invited})"},
    "overview_no_headcount": {"nb": "antall inviterte mangler", "en": "headcount missing"},
    "overview_hover": {
        "nb": "{name}<br>{responses} svar av {invited} inviterte ({rate})",
        "en": "{name}<br>{responses} responses of {invited} invited ({rate})",
    },
    "overview_suppression_note": {
        "nb": "Enheter med færre enn {min_n} svar viser ikke antall («for få svar»), og enda en enhet skjules når antallet "
              "ellers kunne regnes ut. Antall inviterte vises alltid.",
        "en": "Units with fewer than {min_n} answers do not show their count (“too few answers”), and another unit is hidden "
              "where the count could otherwise be worked out. The number invited is always shown.",
    },
    "overview_no_rounds": {"nb": "Ingen runder ennå.", "en": "No rounds yet."},
}
