"""Texts of the respondent page (dashboard/pages/respond.py), in bokmål, nynorsk and English.

The background questions ("Om deg") come from :mod:`scoring.instrument.background`, shared with the paper form.
"""

from scoring.instrument.background import text_entries

TEXT: dict[str, dict[str, str]] = {
    "respond_title": {"nb": "Spørreundersøkelse", "nn": "Spørjeundersøking", "en": "Survey"},
    "respond_language": {"nb": "Språk / Language", "nn": "Språk / Language", "en": "Language / Språk"},
    "respond_unit": {"nb": "Du svarer for: **{unit}**", "nn": "Du svarar for: **{unit}**", "en": "You are answering for: **{unit}**"},
    "respond_closes": {"nb": "Svarfrist: {date}", "nn": "Svarfrist: {date}", "en": "Closes: {date}"},
    "respond_time": {"nb": "Det tar 5–10 minutter.", "nn": "Det tek 5–10 minutt.", "en": "It takes 5–10 minutes."},
    "respond_anonymous": {
        "nb": "Svaret ditt er anonymt. Vi lagrer ikke navnet ditt, IP-adressen din eller klokkeslettet, bare datoen. Resultater vises bare for enheter med minst {min_n} svar.",
        "nn": "Svaret ditt er anonymt. Vi lagrar ikkje namnet ditt, IP-adressa di eller klokkeslettet, berre datoen. Resultat blir viste berre for einingar med minst {min_n} svar.",
        "en": "Your answer is anonymous. We do not store your name, your IP address or the time of day, only the date. Results are shown only for units with at least {min_n} answers.",
    },
    "respond_code_note": {
        "nb": "Koden kan brukes én gang. Når du sender svaret, slettes koden; den lagres ikke sammen med svaret ditt.",
        "nn": "Koden kan brukast éin gong. Når du sender svaret, blir koden sletta; han blir ikkje lagra saman med svaret ditt.",
        "en": "The code can be used once. When you send your answer, the code is deleted; it is not stored with your answer.",
    },
    "respond_how": {
        "nb": "Spørsmålene kommer på {pages} sider. Du kan gå fram og tilbake og se over svarene før du sender dem. Velg «vet ikke» når du ikke kan svare.",
        "nn": "Spørsmåla kjem på {pages} sider. Du kan gå fram og tilbake og sjå over svara før du sender dei. Vel «veit ikkje» når du ikkje kan svare.",
        "en": "The questions come on {pages} pages. You can go back and forth and check your answers before you send them. Choose “don't know” when you cannot answer.",
    },
    "respond_start": {"nb": "Start", "nn": "Start", "en": "Start"},
    "respond_next": {"nb": "Neste", "nn": "Neste", "en": "Next"},
    "respond_back": {"nb": "Tilbake", "nn": "Tilbake", "en": "Back"},
    "respond_to_review": {"nb": "Se over svarene", "nn": "Sjå over svara", "en": "Check your answers"},
    "respond_progress": {"nb": "Side {page} av {pages}", "nn": "Side {page} av {pages}", "en": "Page {page} of {pages}"},
    "respond_progress_done": {"nb": "Siste steg: se over og send", "nn": "Siste steg: sjå over og send", "en": "Last step: check and send"},
    "respond_partner_none": {"nb": "Ingen bestemt tjeneste", "nn": "Inga særskild teneste", "en": "No particular service"},
    "respond_field_required": {"nb": "Dette feltet må fylles ut.", "nn": "Dette feltet må fyllast ut.", "en": "This field is required."},
    "respond_slider_ends": {
        "nb": "Fra {low} ({min}) til {high} ({max})",
        "nn": "Frå {low} ({min}) til {high} ({max})",
        "en": "From {low} ({min}) to {high} ({max})",
    },
    "respond_review_title": {"nb": "Se over svarene", "nn": "Sjå over svara", "en": "Check your answers"},
    "respond_review_note": {
        "nb": "Her er svarene dine. Du kan endre dem før du sender. Når du har sendt, kan de ikke endres.",
        "nn": "Her er svara dine. Du kan endre dei før du sender. Når du har sendt, kan dei ikkje endrast.",
        "en": "Here are your answers. You can change them before you send. Once sent, they cannot be changed.",
    },
    "respond_review_page": {
        "nb": "{title}: {answered} av {items} besvart",
        "nn": "{title}: {answered} av {items} svara på",
        "en": "{title}: {answered} of {items} answered",
    },
    "respond_review_change": {"nb": "Endre «{title}»", "nn": "Endre «{title}»", "en": "Change “{title}”"},
    "respond_not_answered": {"nb": "ikke besvart", "nn": "ikkje svara på", "en": "not answered"},
    "respond_unanswered": {
        "nb": "{n} spørsmål er ikke besvart. Du kan sende likevel, eller gå tilbake og svare.",
        "nn": "{n} spørsmål er ikkje svara på. Du kan sende likevel, eller gå tilbake og svare.",
        "en": "{n} questions are not answered. You can send anyway, or go back and answer them.",
    },
    "respond_other_items": {"nb": "Andre spørsmål", "nn": "Andre spørsmål", "en": "Other questions"},
    "respond_submit": {"nb": "Send inn svarene", "nn": "Send inn svara", "en": "Send your answers"},
    "respond_thanks_title": {"nb": "Takk for svaret!", "nn": "Takk for svaret!", "en": "Thank you for answering!"},
    "respond_thanks": {
        "nb": "Svarene dine er lagret. Du kan lukke denne siden nå.",
        "nn": "Svara dine er lagra. Du kan lukke denne sida no.",
        "en": "Your answers have been stored. You can close this page now.",
    },
    "respond_code_title": {"nb": "Skriv inn koden din", "nn": "Skriv inn koden din", "en": "Enter your code"},
    "respond_code_help": {
        "nb": "Koden står på lappen du har fått, for eksempel K7QM-4XPD-9RTA. Små eller store bokstaver, bindestreker og mellomrom spiller ingen rolle.",
        "nn": "Koden står på lappen du har fått, til dømes K7QM-4XPD-9RTA. Små eller store bokstavar, bindestrekar og mellomrom spelar inga rolle.",
        "en": "The code is on the slip you were given, for example K7QM-4XPD-9RTA. Upper or lower case, dashes and spaces do not matter.",
    },
    "respond_code": {"nb": "Kode", "nn": "Kode", "en": "Code"},
    "respond_code_go": {"nb": "Fortsett", "nn": "Hald fram", "en": "Continue"},
    "respond_code_empty": {"nb": "Skriv inn koden først.", "nn": "Skriv inn koden først.", "en": "Type the code first."},
    "respond_refused_title": {
        "nb": "Lenken eller koden kan ikke brukes",
        "nn": "Lenkja eller koden kan ikkje brukast",
        "en": "This link or code cannot be used",
    },
    "respond_refused_invalid": {
        "nb": "Lenken eller koden er ikke gyldig. Sjekk at den er skrevet riktig, eller spør den som har ansvar for undersøkelsen om en ny.",
        "nn": "Lenkja eller koden er ikkje gyldig. Sjekk at ho er skriven rett, eller spør den som har ansvaret for undersøkinga, om ei ny.",
        "en": "The link or code is not valid. Check that it is typed correctly, or ask the person in charge of the survey for a new one.",
    },
    "respond_refused_unknown_code": {
        "nb": "Koden er ikke gyldig, eller den er allerede brukt. Hver kode kan brukes én gang. Sjekk at den er skrevet riktig, eller spør den som har ansvar for undersøkelsen om en ny.",
        "nn": "Koden er ikkje gyldig, eller han er alt brukt. Kvar kode kan brukast éin gong. Sjekk at han er skriven rett, eller spør den som har ansvaret for undersøkinga, om ein ny.",
        "en": "This code is not valid, or it has been used already. Each code can be used once. Check that it is typed correctly, or ask the person in charge of the survey for a new one.",
    },
    "respond_refused_used": {
        "nb": "Denne koden er allerede brukt. Hver kode kan brukes én gang.",
        "nn": "Denne koden er alt brukt. Kvar kode kan brukast éin gong.",
        "en": "This code has already been used. Each code can be used once.",
    },
    "respond_refused_closed": {
        "nb": "Undersøkelsen er avsluttet. Takk for interessen!",
        "nn": "Undersøkinga er avslutta. Takk for interessa!",
        "en": "The survey has closed. Thank you for your interest!",
    },
    "respond_refused_not_open": {
        "nb": "Undersøkelsen åpner {date}.",
        "nn": "Undersøkinga opnar {date}.",
        "en": "The survey opens on {date}.",
    },
    "respond_refused_not_open_undated": {
        "nb": "Undersøkelsen har ikke åpnet ennå.",
        "nn": "Undersøkinga har ikkje opna enno.",
        "en": "The survey has not opened yet.",
    },
    "respond_refused_needs_code": {
        "nb": "Denne undersøkelsen besvares med en engangskode. Skriv inn koden du har fått.",
        "nn": "Denne undersøkinga blir svara på med ein eingongskode. Skriv inn koden du har fått.",
        "en": "This survey is answered with a one-time code. Type the code you were given.",
    },
    "respond_try_code": {
        "nb": "Har du fått en kode? Skriv den inn her.",
        "nn": "Har du fått ein kode? Skriv han inn her.",
        "en": "Were you given a code? Type it here.",
    },
    "respond_error": {
        "nb": "Svarene kunne ikke lagres. Ingenting er lagret. Prøv igjen, eller si fra til den som har ansvar for undersøkelsen.",
        "nn": "Svara kunne ikkje lagrast. Ingenting er lagra. Prøv igjen, eller sei frå til den som har ansvaret for undersøkinga.",
        "en": "Your answers could not be stored. Nothing was stored. Try again, or tell the person in charge of the survey.",
    },
    "respond_empty": {
        "nb": "Du har ikke svart på noen spørsmål. Svar på minst ett spørsmål før du sender. Ingenting er sendt.",
        "nn": "Du har ikkje svara på nokon spørsmål. Svar på minst eitt spørsmål før du sender. Ingenting er sendt.",
        "en": "You have not answered any question. Answer at least one question before you send. Nothing has been sent.",
    },
    "respond_answered_before": {
        "nb": "Denne nettleseren har allerede sendt et svar for denne enheten i denne runden. Deler dere nettbrett eller telefon, kan neste person svare nå.",
        "nn": "Denne nettlesaren har alt sendt eit svar for denne eininga i denne runden. Deler de nettbrett eller telefon, kan neste person svare no.",
        "en": "This browser has already sent an answer for this unit in this round. If you share a tablet or phone, the next person can answer now.",
    },
    "respond_kept": {
        "nb": "Svarene blir tatt vare på i denne nettleseren til du sender dem, også om du lukker siden.",
        "nn": "Svara blir tekne vare på i denne nettlesaren til du sender dei, òg om du lukkar sida.",
        "en": "Your answers are kept in this browser until you send them, even if you close the page.",
    },
    "respond_code_locked": {
        "nb": "For mange feil forsøk. Vent {minutes} minutter og prøv igjen.",
        "nn": "For mange feil forsøk. Vent {minutes} minutt og prøv igjen.",
        "en": "Too many wrong attempts. Wait {minutes} minutes and try again.",
    },
}

TEXT.update(text_entries())
