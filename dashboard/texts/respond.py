"""Texts of the respondent page (dashboard/pages/respond.py)."""

TEXT: dict[str, dict[str, str]] = {
    "respond_title": {"nb": "Spørreundersøkelse", "en": "Survey"},
    "respond_language": {"nb": "Språk / Language", "en": "Language / Språk"},
    "respond_unit": {"nb": "Du svarer for: **{unit}**", "en": "You are answering for: **{unit}**"},
    "respond_closes": {"nb": "Svarfrist: {date}", "en": "Closes: {date}"},
    "respond_time": {"nb": "Det tar 5–10 minutter.", "en": "It takes 5–10 minutes."},
    "respond_anonymous": {
        "nb": "Svaret ditt er anonymt. Vi lagrer ikke navnet ditt, IP-adressen din eller klokkeslettet, bare datoen. "
              "Resultater vises bare for enheter med minst {min_n} svar.",
        "en": "Your answer is anonymous. We do not store your name, your IP address or the time of day, only the date. "
              "Results are shown only for units with at least {min_n} answers.",
    },
    "respond_code_note": {
        "nb": "Koden kan brukes én gang. Når du sender svaret, slettes koden; den lagres ikke sammen med svaret ditt.",
        "en": "The code can be used once. When you send your answer, the code is deleted; it is not stored with your answer.",
    },
    "respond_how": {
        "nb": "Spørsmålene kommer på {pages} sider. Du kan gå fram og tilbake og se over svarene før du sender dem. "
              "Velg «vet ikke» når du ikke kan svare.",
        "en": "The questions come on {pages} pages. You can go back and forth and check your answers before you send them. "
              "Choose “don't know” when you cannot answer.",
    },
    "respond_start": {"nb": "Start", "en": "Start"},
    "respond_next": {"nb": "Neste", "en": "Next"},
    "respond_back": {"nb": "Tilbake", "en": "Back"},
    "respond_to_review": {"nb": "Se over svarene", "en": "Check your answers"},
    "respond_progress": {"nb": "Side {page} av {pages}", "en": "Page {page} of {pages}"},
    "respond_progress_done": {"nb": "Siste steg: se over og send", "en": "Last step: check and send"},
    "respond_about_title": {"nb": "Om deg", "en": "About you"},
    "respond_about_note": {
        "nb": "Disse spørsmålene er frivillige. Svarene brukes bare til å sammenligne grupper med mange nok svar.",
        "en": "These questions are optional. The answers are used only to compare groups with enough answers.",
    },
    "respond_no_answer": {"nb": "Vil ikke svare", "en": "Prefer not to say"},
    "respond_partner_none": {"nb": "Ingen bestemt tjeneste", "en": "No particular service"},
    "respond_field_required": {"nb": "Dette feltet må fylles ut.", "en": "This field is required."},
    "respond_slider_ends": {"nb": "Fra {low} ({min}) til {high} ({max})", "en": "From {low} ({min}) to {high} ({max})"},
    "respond_review_title": {"nb": "Se over svarene", "en": "Check your answers"},
    "respond_review_note": {
        "nb": "Her er svarene dine. Du kan endre dem før du sender. Når du har sendt, kan de ikke endres.",
        "en": "Here are your answers. You can change them before you send. Once sent, they cannot be changed.",
    },
    "respond_review_page": {"nb": "{title}: {answered} av {items} besvart", "en": "{title}: {answered} of {items} answered"},
    "respond_review_change": {"nb": "Endre «{title}»", "en": "Change “{title}”"},
    "respond_not_answered": {"nb": "ikke besvart", "en": "not answered"},
    "respond_unanswered": {
        "nb": "{n} spørsmål er ikke besvart. Du kan sende likevel, eller gå tilbake og svare.",
        "en": "{n} questions are not answered. You can send anyway, or go back and answer them.",
    },
    "respond_other_items": {"nb": "Andre spørsmål", "en": "Other questions"},
    "respond_submit": {"nb": "Send inn svarene", "en": "Send your answers"},
    "respond_thanks_title": {"nb": "Takk for svaret!", "en": "Thank you for answering!"},
    "respond_thanks": {
        "nb": "Svarene dine er lagret. Du kan lukke denne siden nå.",
        "en": "Your answers have been stored. You can close this page now.",
    },
    "respond_code_title": {"nb": "Skriv inn koden din", "en": "Enter your code"},
    "respond_code_help": {
        "nb": "Koden står på lappen du har fått, for eksempel ABCD-EFGH-… Små eller store bokstaver og mellomrom spiller ingen rolle.",
        "en": "The code is on the slip you were given, for example ABCD-EFGH-… Upper or lower case and spaces do not matter.",
    },
    "respond_code": {"nb": "Kode", "en": "Code"},
    "respond_code_go": {"nb": "Fortsett", "en": "Continue"},
    "respond_code_empty": {"nb": "Skriv inn koden først.", "en": "Type the code first."},
    "respond_refused_title": {"nb": "Lenken eller koden kan ikke brukes", "en": "This link or code cannot be used"},
    "respond_refused_invalid": {
        "nb": "Lenken eller koden er ikke gyldig. Sjekk at den er skrevet riktig, eller spør den som har ansvar for undersøkelsen om en ny.",
        "en": "The link or code is not valid. Check that it is typed correctly, or ask the person in charge of the survey for a new one.",
    },
    "respond_refused_unknown_code": {
        "nb": "Koden er ikke gyldig, eller den er allerede brukt. Hver kode kan brukes én gang. "
              "Sjekk at den er skrevet riktig, eller spør den som har ansvar for undersøkelsen om en ny.",
        "en": "This code is not valid, or it has been used already. Each code can be used once. "
              "Check that it is typed correctly, or ask the person in charge of the survey for a new one.",
    },
    "respond_refused_used": {
        "nb": "Denne koden er allerede brukt. Hver kode kan brukes én gang.",
        "en": "This code has already been used. Each code can be used once.",
    },
    "respond_refused_closed": {
        "nb": "Undersøkelsen er avsluttet. Takk for interessen!",
        "en": "The survey has closed. Thank you for your interest!",
    },
    "respond_refused_not_open": {"nb": "Undersøkelsen åpner {date}.", "en": "The survey opens on {date}."},
    "respond_refused_not_open_undated": {"nb": "Undersøkelsen har ikke åpnet ennå.", "en": "The survey has not opened yet."},
    "respond_refused_needs_code": {
        "nb": "Denne undersøkelsen besvares med en engangskode. Skriv inn koden du har fått.",
        "en": "This survey is answered with a one-time code. Type the code you were given.",
    },
    "respond_try_code": {"nb": "Har du fått en kode? Skriv den inn her.", "en": "Were you given a code? Type it here."},
    "respond_error": {
        "nb": "Svarene kunne ikke lagres. Ingenting er lagret. Prøv igjen, eller si fra til den som har ansvar for undersøkelsen.",
        "en": "Your answers could not be stored. Nothing was stored. Try again, or tell the person in charge of the survey.",
    },
}
