"""The messages of :class:`scoring.errors.Problem` that reach dashboard pages, in bokmål (nb),
nynorsk (nn) and English (en), by code.

A problem raised with ``code="..."`` and ``params`` keeps its English ``message`` for the CLI
and log files; a page shows :func:`problem_text` in its own language. The texts name no field:
the page puts the field's label (from ``Problem.path``) in front. A problem without a code
(rare input only the CLI or a file import can give) is shown in English.

>>> from scoring.errors import Problem
>>> problem_text(Problem("the password is too short: use at least 12 characters", code="password_short", params={"min": 12}), "nn")
'Passordet er for kort: bruk minst 12 teikn.'
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # accounts
    "password_empty": {"nb": "Passordet er tomt.", "nn": "Passordet er tomt.", "en": "The password is empty."},
    "password_short": {"nb": "Passordet er for kort: bruk minst {min} tegn.", "nn": "Passordet er for kort: bruk minst {min} teikn.",
                       "en": "The password is too short: use at least {min} characters."},
    "password_guessable": {
        "nb": "Passordet er for lett å gjette (et vanlig passord, brukernavnet eller ett tegn gjentatt).",
        "nn": "Passordet er for lett å gjette (eit vanleg passord, brukarnamnet eller eitt teikn gjenteke).",
        "en": "The password is too easy to guess (a common password, the username or one repeated character).",
    },
    "account_exists": {"nb": "Det finnes allerede en konto som heter «{username}».", "nn": "Det finst alt ein konto som heiter «{username}».",
                       "en": "An account named '{username}' exists already."},
    "no_account": {"nb": "Ingen konto heter «{username}».", "nn": "Ingen konto heiter «{username}».", "en": "No account is named '{username}'."},
    "username_length": {"nb": "Brukernavnet må ha 1 til 64 tegn.", "nn": "Brukarnamnet må ha 1 til 64 teikn.",
                        "en": "The username must have 1 to 64 characters."},
    "name_too_long": {"nb": "Navnet kan ha høyst 200 tegn.", "nn": "Namnet kan ha høgst 200 teikn.", "en": "The name may have at most 200 characters."},
    "manager_needs_unit": {"nb": "En leder må ha minst én enhet.", "nn": "Ein leiar må ha minst éi eining.", "en": "A manager needs at least one unit."},
    "unknown_units": {"nb": "Ukjente enheter: {units}.", "nn": "Ukjende einingar: {units}.", "en": "Unknown units: {units}."},
    "last_admin": {
        "nb": "Dette er den siste aktive administratoren: gjør en annen til administrator først.",
        "nn": "Dette er den siste aktive administratoren: gjer ein annan til administrator først.",
        "en": "This is the last active administrator: make another administrator first.",
    },
    "national_id": {
        "nb": "Dette ser ut som et fødselsnummer (eller D- eller H-nummer). Slike nummer lagres aldri her; bruk en id tjenesten har valgt, "
              "eller la feltet stå tomt.",
        "nn": "Dette ser ut som eit fødselsnummer (eller D- eller H-nummer). Slike nummer blir aldri lagra her; bruk ein id tenesta har "
              "valt, eller la feltet stå tomt.",
        "en": "This looks like a Norwegian national identity number (or a D- or H-number). Such numbers are never stored here; use an "
              "id chosen by the service, or leave the field empty.",
    },
    # rounds
    "round_exists": {"nb": "Det finnes allerede en runde som heter «{name}».", "nn": "Det finst alt ei runde som heiter «{name}».",
                     "en": "A round named '{name}' exists already."},
    "round_name_missing": {"nb": "Runden må ha et navn.", "nn": "Runda må ha eit namn.", "en": "The round needs a name."},
    "min_n_floor": {
        "nb": "{min_n} er under {floor}, den minste gruppen som holder svarene anonyme.",
        "nn": "{min_n} er under {floor}, den minste gruppa som held svara anonyme.",
        "en": "{min_n} is below {floor}, the smallest group that keeps answers anonymous.",
    },
    "closes_before_opens": {"nb": "Siste dag ({closes}) er før første dag ({opens}).", "nn": "Siste dag ({closes}) er før første dag ({opens}).",
                            "en": "The last day ({closes}) is before the first day ({opens})."},
    "needs_first_day": {"nb": "Runden trenger en første dag.", "nn": "Runda treng ein første dag.", "en": "The round needs a first day."},
    "needs_last_day": {"nb": "Runden trenger en siste dag.", "nn": "Runda treng ein siste dag.", "en": "The round needs a last day."},
    "round_without_answers": {"nb": "Runden {round} har ingen svar ennå.", "nn": "Runda {round} har ingen svar enno.",
                              "en": "Round {round} has no answers yet."},
    "no_instrument": {"nb": "Velg minst ett spørreskjema.", "nn": "Vel minst eitt spørjeskjema.", "en": "Choose at least one questionnaire."},
    "instrument_twice": {"nb": "Et spørreskjema er valgt to ganger.", "nn": "Eit spørjeskjema er valt to gonger.",
                         "en": "A questionnaire is chosen twice."},
    "code_count": {"nb": "Antallet må være mellom 1 og 10 000.", "nn": "Talet må vere mellom 1 og 10 000.", "en": "The number must be between 1 and 10,000."},
    # access
    "no_access_unit": {"nb": "Du har ikke tilgang til denne enheten.", "nn": "Du har ikkje tilgang til denne eininga.",
                       "en": "You do not have access to this unit."},
    "no_access_client": {"nb": "Du har ikke tilgang til denne klienten.", "nn": "Du har ikkje tilgang til denne klienten.",
                         "en": "You do not have access to this client."},
    "no_clinician_id": {"nb": "Kontoen din har ingen behandler-id, så den har ingen klienter.",
                        "nn": "Kontoen din har ingen behandlar-id, så han har ingen klientar.",
                        "en": "Your account has no clinician id, so it has no clients."},
    "no_clients_role": {"nb": "Denne rollen har ingen tilgang til klienter.", "nn": "Denne rolla har ingen tilgang til klientar.",
                        "en": "This role has no access to clients."},
    # fields, actions and contacts
    "field_empty": {"nb": "Feltet er tomt.", "nn": "Feltet er tomt.", "en": "The field is empty."},
    "text_too_long": {"nb": "Teksten er for lang: høyst {max} tegn.", "nn": "Teksten er for lang: høgst {max} teikn.",
                      "en": "The text is too long: at most {max} characters."},
    "unknown_unit": {"nb": "Ukjent enhet «{unit}».", "nn": "Ukjend eining «{unit}».", "en": "Unknown unit '{unit}'."},
    "client_id_blank": {"nb": "Klient-id mangler.", "nn": "Klient-id manglar.", "en": "The client id is missing."},
    "client_id_in_use": {"nb": "Klient-id-en «{client}» er allerede i bruk i denne enheten; velg en annen.",
                         "nn": "Klient-id-en «{client}» er alt i bruk i denne eininga; vel ein annan.",
                         "en": "The client id '{client}' is in use in this unit already; choose another."},
    "clinician_blank": {"nb": "Behandler mangler.", "nn": "Behandlar manglar.", "en": "The clinician is missing."},
    "contact_in_future": {"nb": "Datoen for en kontakt kan ikke være fram i tid.", "nn": "Datoen for ein kontakt kan ikkje vere fram i tid.",
                          "en": "The date of a contact cannot be in the future."},
    "contact_before_last": {"nb": "Datoen er før klientens siste kontakt ({last}).", "nn": "Datoen er før den siste kontakten til klienten ({last}).",
                            "en": "The date is before the client's last contact ({last})."},
    "contact_stored": {"nb": "Kontakt {contact} for denne klienten er allerede lagret.", "nn": "Kontakt {contact} for denne klienten er alt lagra.",
                       "en": "Contact {contact} of this client is stored already."},
    # text and numbers that do not fit a column
    "text_nul": {"nb": "Teksten inneholder et NUL-tegn (byte 0); fjern det.", "nn": "Teksten inneheld eit NUL-teikn (byte 0); fjern det.",
                 "en": "The text contains a NUL character (byte 0); remove it."},
    "number_too_large": {"nb": "{value} er større enn {max}.", "nn": "{value} er større enn {max}.", "en": "{value} is more than {max}."},
    "number_too_small": {"nb": "{value} er mindre enn {min}.", "nn": "{value} er mindre enn {min}.", "en": "{value} is less than {min}."},
    "not_whole_number": {"nb": "Må være et helt tall fra 0, ikke «{value}».", "nn": "Må vere eit heilt tal frå 0, ikkje «{value}».",
                         "en": "Must be a whole number from 0, not '{value}'."},
    # files a page reads (units, headcount)
    "file_not_utf8": {"nb": "Filen er ikke UTF-8-tekst (feil ved byte {byte}); lagre den som «CSV UTF-8» og prøv igjen.",
                      "nn": "Fila er ikkje UTF-8-tekst (feil ved byte {byte}); lagre ho som «CSV UTF-8» og prøv igjen.",
                      "en": "The file is not UTF-8 text (error at byte {byte}); save it as 'CSV UTF-8' and try again."},
    "file_unreadable": {"nb": "Tabellen kan ikke leses (er det en CSV- eller Excel-fil?).", "nn": "Tabellen kan ikkje lesast (er det ei CSV- eller Excel-fil?).",
                        "en": "The table cannot be read (is it a CSV or Excel file?)."},
    "column_missing": {"nb": "Kolonnen «{column}» mangler (forventede kolonner: {expected}).", "nn": "Kolonnen «{column}» manglar (venta kolonnar: {expected}).",
                       "en": "The column '{column}' is missing (expected columns: {expected})."},
    "cell_blank": {"nb": "Cellen er tom.", "nn": "Cella er tom.", "en": "The cell is blank."},
    "unit_repeated": {"nb": "Enhets-id-en «{unit}» står allerede på rad {first}.", "nn": "Einings-id-en «{unit}» står alt på rad {first}.",
                      "en": "The unit id '{unit}' is on row {first} already."},
    "unknown_parent": {"nb": "Ukjent overordnet enhet «{unit}» (ikke i filen og ikke lagret).",
                       "nn": "Ukjend overordna eining «{unit}» (ikkje i fila og ikkje lagra).",
                       "en": "Unknown parent unit '{unit}' (not in this file and not stored)."},
    "own_parent": {"nb": "Enheten «{unit}» er sin egen overordnede.", "nn": "Eininga «{unit}» er si eiga overordna.", "en": "Unit '{unit}' is its own parent."},
    "unit_cycle": {"nb": "Ring i organisasjonskartet: {cycle}.", "nn": "Ring i organisasjonskartet: {cycle}.", "en": "Cycle in the unit tree: {cycle}."},
    "row_repeated": {"nb": "Enhet «{unit}» og runde «{round}» står allerede på rad {first}.", "nn": "Eininga «{unit}» og runda «{round}» står alt på rad {first}.",
                     "en": "Unit '{unit}' and round '{round}' are on row {first} already."},
    "problems_listed": {"nb": "{n} problem i alt, alle er listet. Ingenting ble lagret.", "nn": "{n} problem i alt, alle er lista. Ingenting vart lagra.",
                        "en": "{n} problem(s) in all, all listed. Nothing was stored."},
    "problems_first_listed": {"nb": "{n} problem i alt, de første {shown} er listet. Ingenting ble lagret.",
                              "nn": "{n} problem i alt, dei første {shown} er lista. Ingenting vart lagra.",
                              "en": "{n} problem(s) in all, the first {shown} listed. Nothing was stored."},
    # rounds (more)
    "no_round": {"nb": "Det finnes ingen runde som heter «{name}».", "nn": "Det finst inga runde som heiter «{name}».", "en": "There is no round named '{name}'."},
    "no_units": {"nb": "Ingen enheter å spørre (last inn organisasjonskartet først).", "nn": "Ingen einingar å spørje (last inn organisasjonskartet først).",
                 "en": "No units to survey (import the organisation chart first)."},
    "languages_not_common": {"nb": "Språk som ikke alle spørreskjemaene har: {languages} (felles: {common}).",
                             "nn": "Språk som ikkje alle spørjeskjemaa har: {languages} (felles: {common}).",
                             "en": "Languages not offered by every questionnaire: {languages} (common: {common})."},
    "shared_item_ids": {"nb": "Spørreskjemaene har spørsmål med samme id: {items}.", "nn": "Spørjeskjemaa har spørsmål med same id: {items}.",
                        "en": "The questionnaires share question ids: {items}."},
    "instruments_frozen": {"nb": "Runden «{name}» har svar; spørreskjemaene kan ikke endres.", "nn": "Runda «{name}» har svar; spørjeskjemaa kan ikkje endrast.",
                           "en": "Round '{name}' has answers; its questionnaires are frozen."},
    "unit_not_in_round": {"nb": "Enheten «{unit}» er ikke med i runde «{round}».", "nn": "Eininga «{unit}» er ikkje med i runda «{round}».",
                          "en": "Unit '{unit}' is not part of round '{round}'."},
    # accounts (more)
    "unknown_role": {"nb": "Ukjent rolle «{role}» (bruk {roles}).", "nn": "Ukjend rolle «{role}» (bruk {roles}).", "en": "Unknown role '{role}' (use {roles})."},
    "oidc_half": {"nb": "Oppgi både utsteder og subjekt, eller ingen av dem.", "nn": "Oppgi både utferdar og subjekt, eller ingen av dei.",
                  "en": "Give both the issuer and the subject, or neither."},
    "identity_taken": {"nb": "Denne identiteten er allerede knyttet til kontoen «{username}».", "nn": "Denne identiteten er alt knytt til kontoen «{username}».",
                       "en": "This identity is tied to the account '{username}' already."},
    "request_gone": {"nb": "Forespørselen venter ikke lenger (godkjent eller avvist allerede?).", "nn": "Førespurnaden ventar ikkje lenger (godkjend eller avvist alt?).",
                     "en": "No such waiting request (approved or rejected already?)."},
    "identity_has_account": {"nb": "Denne identiteten har allerede en konto.", "nn": "Denne identiteten har alt ein konto.",
                             "en": "This identity has an account already."},
    # contacts (more)
    "reason_missing": {"nb": "Skriv en begrunnelse for rettingen.", "nn": "Skriv ei grunngiving for rettinga.", "en": "Give a reason for the correction."},
    "date_before_previous": {"nb": "Datoen er før forrige kontakt ({date}).", "nn": "Datoen er før førre kontakt ({date}).",
                             "en": "The date is before the previous contact's ({date})."},
    "date_after_next": {"nb": "Datoen er etter neste kontakt ({date}).", "nn": "Datoen er etter neste kontakt ({date}).",
                        "en": "The date is after the next contact's ({date})."},
    "no_such_contact": {"nb": "Klienten «{client}» har ingen kontakt {contact}.", "nn": "Klienten «{client}» har ingen kontakt {contact}.",
                        "en": "Client '{client}' has no contact {contact}."},
    "contact_number": {"nb": "Kontaktnummeret må være et helt tall fra 1 til {max}.", "nn": "Kontaktnummeret må vere eit heilt tal frå 1 til {max}.",
                       "en": "The contact number must be a whole number from 1 to {max}."},
    # action plans
    "role_no_actions": {"nb": "Denne rollen kan ikke registrere eller endre tiltak.", "nn": "Denne rolla kan ikkje registrere eller endre tiltak.",
                        "en": "This role may not record or change actions."},
    "role_no_plans": {"nb": "Denne rollen kan ikke lese tiltaksplaner.", "nn": "Denne rolla kan ikkje lese tiltaksplanar.",
                      "en": "This role may not read action plans."},
    "partner_not_unit": {"nb": "«{unit}» er en samarbeidstjeneste, ikke en enhet som er spurt.", "nn": "«{unit}» er ei samarbeidsteneste, ikkje ei eining som er spurd.",
                         "en": "'{unit}' is a partner service, not a surveyed unit."},
    "no_scale": {"nb": "Runde «{round}» har ingen skala «{scale}».", "nn": "Runda «{round}» har ingen skala «{scale}».", "en": "Round '{round}' has no scale '{scale}'."},
    "item_not_in_scale": {"nb": "Spørsmålet «{item}» hører ikke til skalaen «{scale}».", "nn": "Spørsmålet «{item}» høyrer ikkje til skalaen «{scale}».",
                          "en": "Question '{item}' is not part of scale '{scale}'."},
    "unknown_status": {"nb": "Ukjent status «{status}».", "nn": "Ukjend status «{status}».", "en": "Unknown status '{status}'."},
    "no_action": {"nb": "Det finnes ikke noe tiltak med id {id}.", "nn": "Det finst ikkje noko tiltak med id {id}.", "en": "There is no action with id {id}."},
    # the respondent's form
    "not_an_item": {"nb": "Dette er ikke et spørsmål i skjemaet.", "nn": "Dette er ikkje eit spørsmål i skjemaet.", "en": "This is not a question of the form."},
    "answer_off_scale": {"nb": "Svaret er ikke et av svaralternativene.", "nn": "Svaret er ikkje eitt av svaralternativa.",
                         "en": "The answer is not one of the answer options."},
    "unknown_field": {"nb": "Ukjent felt.", "nn": "Ukjent felt.", "en": "Unknown field."},
    "field_required": {"nb": "Dette feltet må fylles ut.", "nn": "Dette feltet må fyllast ut.", "en": "This field is required."},
    "empty_response": {"nb": "Ingen spørsmål er besvart; svar på minst ett spørsmål før du sender.",
                       "nn": "Ingen spørsmål er svara på; svar på minst eitt spørsmål før du sender.",
                       "en": "No question is answered; answer at least one question before sending."},
    "language_not_offered": {"nb": "Språket «{language}» tilbys ikke i denne runden.", "nn": "Språket «{language}» blir ikkje tilbode i denne runda.",
                             "en": "The language '{language}' is not offered in this round."},
    "unknown_partner": {"nb": "Ukjent samarbeidstjeneste «{unit}».", "nn": "Ukjend samarbeidsteneste «{unit}».", "en": "Unknown partner service '{unit}'."},
    "code_locked": {"nb": "For mange ugyldige koder; vent litt og prøv igjen.", "nn": "For mange ugyldige kodar; vent litt og prøv igjen.",
                    "en": "Too many codes that are not valid; wait a little and try again."},
    # exports
    "export_nothing": {"nb": "Ingen svar å eksportere.", "nn": "Ingen svar å eksportere.", "en": "No answers to export."},
    "rounds_without_responses": {"nb": "Runder uten svar: {rounds}; de kan ikke eksporteres.", "nn": "Runder utan svar: {rounds}; dei kan ikkje eksporterast.",
                                 "en": "Rounds without responses: {rounds}; they cannot be exported."},
    "instrument_changed": {
        "nb": "Spørreskjemaet «{instrument}» spør eller skårer ulikt i runde «{first}» og «{later}»: eksporter rundene én og én, eller i bred form.",
        "nn": "Spørjeskjemaet «{instrument}» spør eller skårar ulikt i runde «{first}» og «{later}»: eksporter rundene éi og éi, eller i brei form.",
        "en": "The questionnaire '{instrument}' asks or scores differently in rounds '{first}' and '{later}': export the rounds one by one, or wide.",
    },
    # the client-feedback research file (scoring/formats/client_rounds.py)
    "export_no_feedback": {"nb": "Ingen klienttilbakemeldinger er lagret ennå: ingenting å eksportere.",
                           "nn": "Ingen klienttilbakemeldingar er lagra enno: ingenting å eksportere.",
                           "en": "No client feedback is stored yet: nothing to export."},
    "export_no_client_contacts": {
        "nb": "Ingen klientkontakter er datert i periodene til disse rundene (fra første runde åpnet til i dag): ingenting å eksportere.",
        "nn": "Ingen klientkontaktar er daterte i periodane til desse rundane (frå første runde opna til i dag): ingenting å eksportere.",
        "en": "No client contact is dated in these rounds' periods (from the first round's opening to today): nothing to export.",
    },
    "rounds_without_opening": {
        "nb": "Runder uten første dag: {rounds}. En klients runde er perioden fra rundens første dag, så de kan ikke være med.",
        "nn": "Rundar utan første dag: {rounds}. Ei klientrunde er perioden frå den første dagen i runden, så dei kan ikkje vere med.",
        "en": "Rounds without a first day: {rounds}. A client's round is the period from the round's first day, so they cannot be included.",
    },
    "rounds_out_of_order": {"nb": "Rundene åpner ikke i rekkefølge: hver runde må åpne etter den før.",
                            "nn": "Rundane opnar ikkje i rekkjefølgje: kvar runde må opne etter den før.",
                            "en": "The rounds do not open in order: each round must open after the one before."},
    "export_min_n_below": {"nb": "Rundene lover min_n = {min_n}; en eksport kan ikke bruke mindre ({asked}).",
                           "nn": "Rundane lovar min_n = {min_n}; ein eksport kan ikkje bruke mindre ({asked}).",
                           "en": "The rounds promise min_n = {min_n}; an export may not use less ({asked})."},
    "excel_too_many": {"nb": "{n} svar får ikke plass i et Excel-ark ({max} rader); velg Parquet eller CSV.",
                       "nn": "{n} svar får ikkje plass i eit Excel-ark ({max} rader); vel Parquet eller CSV.",
                       "en": "{n} responses do not fit in an Excel sheet ({max} rows); choose Parquet or CSV."},
    # an export's notes and warnings, as the export page shows them (the files keep the export's language:
    # the nb and en texts of the notes are those of scoring.formats NOTES, CLIENT_TEXT and ROUND_TEXT)
    "export_identifiers": {
        "nb": "Anonymitet: ingen navn, e-postadresser, IP-adresser, engangskoder eller klokkeslett; bare dato for svaret. "
              "Radene står etter enhet og svar-id, ikke i den rekkefølgen svarene kom inn.",
        "nn": "Anonymitet: ingen namn, e-postadresser, IP-adresser, eingongskodar eller klokkeslett; berre dato for svaret. "
              "Radene står etter eining og svar-id, ikkje i den rekkjefølgja svara kom inn.",
        "en": "Anonymity: no names, e-mail addresses, IP addresses, one-time codes or times of day; only the date of a response. "
              "Rows are sorted by unit and response id, not in the order the answers arrived.",
    },
    "export_min_n_none": {
        "nb": "Alle enheter i filen har minst {min_n} svar (min_n = {min_n}); ingen enheter er slått sammen.",
        "nn": "Alle einingar i fila har minst {min_n} svar (min_n = {min_n}); ingen einingar er slegne saman.",
        "en": "Every unit in the file has at least {min_n} responses (min_n = {min_n}); no unit was merged.",
    },
    "export_min_n_merged": {
        "nb": "Enheter med færre enn {min_n} svar (min_n = {min_n}) er slått sammen med nærmeste overordnede enhet som samlet har minst {min_n}: {list}.",
        "nn": "Einingar med færre enn {min_n} svar (min_n = {min_n}) er slegne saman med næraste overordna eining som samla har minst {min_n}: {list}.",
        "en": "Units with fewer than {min_n} responses (min_n = {min_n}) were merged into their nearest parent unit with at least {min_n} pooled: {list}.",
    },
    "export_min_n_withheld": {
        "nb": "Enheten er fjernet (systemmanglende) for {n} svar fra {list}: ingen overordnet enhet nådde {min_n} svar (min_n = {min_n}).",
        "nn": "Eininga er fjerna (systemmanglande) for {n} svar frå {list}: inga overordna eining nådde {min_n} svar (min_n = {min_n}).",
        "en": "The unit was withheld (system-missing) for {n} responses from {list}: no parent unit reached {min_n} (min_n = {min_n}).",
    },
    "export_no_units": {
        "nb": "Uten enhetstre: enheter med færre enn {min_n} svar er fjernet (systemmanglende): {list}.",
        "nn": "Utan einingstre: einingar med færre enn {min_n} svar er fjerna (systemmanglande): {list}.",
        "en": "Without the unit tree: units with fewer than {min_n} responses were withheld (system-missing): {list}.",
    },
    "client_identifiers": {
        "nb": "Anonymitet: ingen klient-id fra tjenesten, navn, fødselsnummer, behandler, dato eller kontaktnummer. "
              "Klientnummeret er laget for denne filen i tilfeldig rekkefølge og er nytt ved hver eksport.",
        "nn": "Anonymitet: ingen klient-id frå tenesta, namn, fødselsnummer, behandlar, dato eller kontaktnummer. "
              "Klientnummeret er laga for denne fila i tilfeldig rekkjefølgje og er nytt ved kvar eksport.",
        "en": "Anonymity: no client id of the service, name, national identity number, clinician, date or contact number. "
              "The client number is made for this file in a random order and is new at every export.",
    },
    "client_min_n_none": {
        "nb": "Alle enheter i filen har minst {min_n} klienter (min_n = {min_n}); ingen enheter er slått sammen.",
        "nn": "Alle einingar i fila har minst {min_n} klientar (min_n = {min_n}); ingen einingar er slegne saman.",
        "en": "Every unit in the file has at least {min_n} clients (min_n = {min_n}); no unit was merged.",
    },
    "client_min_n_merged": {
        "nb": "Enheter med færre enn {min_n} klienter (min_n = {min_n}) er slått sammen med nærmeste overordnede enhet som samlet har minst {min_n}: {list}.",
        "nn": "Einingar med færre enn {min_n} klientar (min_n = {min_n}) er slegne saman med næraste overordna eining som samla har minst {min_n}: {list}.",
        "en": "Units with fewer than {min_n} clients (min_n = {min_n}) were merged into their nearest parent unit with at least {min_n} pooled: {list}.",
    },
    "client_min_n_withheld": {
        "nb": "Enheten er fjernet (systemmanglende) for {n} klienter fra {list}: ingen overordnet enhet nådde {min_n} klienter (min_n = {min_n}).",
        "nn": "Eininga er fjerna (systemmanglande) for {n} klientar frå {list}: inga overordna eining nådde {min_n} klientar (min_n = {min_n}).",
        "en": "The unit was withheld (system-missing) for {n} clients from {list}: no parent unit reached {min_n} clients (min_n = {min_n}).",
    },
    "export_wide_rows": {
        "nb": "Én rad per enhet. En enhets tall gjelder enheten og alle enheter under den. Tallene er publiseringens celler "
              "(samme skjuling som i dashbordet): en skjult celle (færre enn min_n svar, eller skjult for å beskytte en annen) "
              "er systemmanglende. min_n per runde: {list}.",
        "nn": "Éi rad per eining. Tala til ei eining gjeld eininga og alle einingar under ho. Tala er cellene i publiseringa "
              "(same skjuling som i dashbordet): ei skjult celle (færre enn min_n svar, eller skjult for å verne ei anna) "
              "er systemmanglande. min_n per runde: {list}.",
        "en": "One row per unit. A unit's numbers are for the unit and every unit below it. The numbers are the publication's "
              "cells (the same suppression as the dashboard): a hidden cell (fewer than min_n answers, or hidden to protect another) "
              "is system-missing. min_n per round: {list}.",
    },
    "export_in_round": {"nb": "Runde {round}: {note}", "nn": "Runde {round}: {note}", "en": "Round {round}: {note}"},
    "export_units_merged_withheld": {
        "nb": "Anonymitet (min_n = {min_n}): enheter slått sammen med en overordnet enhet: {merged}; enheter fjernet: {withheld} "
              "(se merknadene og kodeboken).",
        "nn": "Anonymitet (min_n = {min_n}): einingar slegne saman med ei overordna eining: {merged}; einingar fjerna: {withheld} "
              "(sjå merknadene og kodeboka).",
        "en": "Anonymity (min_n = {min_n}): units merged into a parent: {merged}; units withheld: {withheld} (listed in the notes and the codebook).",
    },
    "export_units_merged": {
        "nb": "Anonymitet (min_n = {min_n}): enheter slått sammen med en overordnet enhet: {merged} (se merknadene og kodeboken).",
        "nn": "Anonymitet (min_n = {min_n}): einingar slegne saman med ei overordna eining: {merged} (sjå merknadene og kodeboka).",
        "en": "Anonymity (min_n = {min_n}): units merged into a parent: {merged} (listed in the notes and the codebook).",
    },
    "export_units_withheld": {
        "nb": "Anonymitet (min_n = {min_n}): enheter fjernet: {withheld} (se merknadene og kodeboken).",
        "nn": "Anonymitet (min_n = {min_n}): einingar fjerna: {withheld} (sjå merknadene og kodeboka).",
        "en": "Anonymity (min_n = {min_n}): units withheld: {withheld} (listed in the notes and the codebook).",
    },
    "export_unknown_units": {"nb": "Enheter som ikke er i enhetstabellen, merket bare med id: {units}.",
                             "nn": "Einingar som ikkje er i einingstabellen, merkte berre med id: {units}.",
                             "en": "Unit(s) not in the unit table, labelled with their id only: {units}."},
    "export_label_shortened": {
        "nb": "Variabeletiketten til «{variable}» er {bytes} byte (SPSS tillater {max}); forkortet til «{short}».",
        "nn": "Variabeletiketten til «{variable}» er {bytes} byte (SPSS tillèt {max}); forkorta til «{short}».",
        "en": "The variable label of '{variable}' is {bytes} bytes (SPSS allows {max}); shortened to '{short}'.",
    },
    "export_value_label_shortened": {
        "nb": "Verdietiketten for kode {code} er {bytes} byte (SPSS tillater {max}); forkortet til «{short}» for: {variables}.",
        "nn": "Verdietiketten for kode {code} er {bytes} byte (SPSS tillèt {max}); forkorta til «{short}» for: {variables}.",
        "en": "The value label of code {code} is {bytes} bytes (SPSS allows {max}); shortened to '{short}' for: {variables}.",
    },
    "export_file_label_shortened": {"nb": "Filetiketten er forkortet til {max} byte: «{label}».", "nn": "Filetiketten er forkorta til {max} byte: «{label}».",
                                    "en": "The file label was shortened to {max} bytes: '{label}'."},
    "export_renamed": {"nb": "Variabelen «{original}» heter «{name}» i filen (navnet passer ikke i {target}).",
                       "nn": "Variabelen «{original}» heiter «{name}» i fila (namnet passar ikkje i {target}).",
                       "en": "Variable '{original}' is named '{name}' in the file (the name does not suit {target})."},
    "stata_label_shortened": {
        "nb": "Stata: variabeletiketten til «{variable}» har {chars} tegn (Stata tillater {max}); forkortet til «{short}».",
        "nn": "Stata: variabeletiketten til «{variable}» har {chars} teikn (Stata tillèt {max}); forkorta til «{short}».",
        "en": "Stata: the variable label of '{variable}' has {chars} characters (Stata allows {max}); shortened to '{short}'.",
    },
    "stata_value_labels_dropped": {
        "nb": "Stata: verdietikettene til «{variable}» for koder som ikke er hele tall, er utelatt: {codes}.",
        "nn": "Stata: verdietikettane til «{variable}» for kodar som ikkje er heile tal, er utelatne: {codes}.",
        "en": "Stata: the value labels of '{variable}' for codes that are not whole numbers were dropped: {codes}.",
    },
    # why a statistic of the quality page is missing (scoring.errors.Coded reasons from scoring.stats)
    "in_group": {"nb": "I gruppe {group}: {reason}", "nn": "I gruppa {group}: {reason}", "en": "In group {group}: {reason}"},
    "too_few_rows": {"nb": "For få svar ({rows}).", "nn": "For få svar ({rows}).", "en": "Too few rows ({rows})."},
    "too_few_complete_rows": {"nb": "For få fullstendige svar ({rows}; minst {min} trengs).", "nn": "For få fullstendige svar ({rows}; minst {min} trengst).",
                              "en": "Too few complete rows ({rows}; at least {min} are needed)."},
    "too_few_items": {"nb": "For få brukbare spørsmål ({items}; minst {min} trengs).", "nn": "For få brukbare spørsmål ({items}; minst {min} trengst).",
                      "en": "Too few usable items ({items}; at least {min} are needed)."},
    "constant_items": {"nb": "Alle har svart det samme på {items}.", "nn": "Alle har svara det same på {items}.",
                       "en": "Constant item(s): {items}."},
    "too_many_categories": {"nb": "Mer enn {max} svarkategorier, ikke ordinale: {items}.", "nn": "Meir enn {max} svarkategoriar, ikkje ordinale: {items}.",
                            "en": "More than {max} categories, not ordinal: {items}."},
    "cov_not_pd": {
        "nb": "Kovariansmatrisen er ikke positivt definitt (spørsmål som henger fullstendig sammen, eller for få svar).",
        "nn": "Kovariansmatrisa er ikkje positivt definitt (spørsmål som heng fullstendig saman, eller for få svar).",
        "en": "The sample covariance matrix is not positive definite (collinear items or too few rows).",
    },
    "not_identified_count": {"nb": "Modellen er ikke identifisert: {npar} frie parametere, men bare {moments} utvalgsmomenter.",
                             "nn": "Modellen er ikkje identifisert: {npar} frie parametrar, men berre {moments} utvalsmoment.",
                             "en": "The model is not identified: {npar} free parameters but only {moments} sample moments."},
    "not_identified": {"nb": "Modellen er ikke identifisert (noen parametere kan ikke skilles fra hverandre).",
                       "nn": "Modellen er ikkje identifisert (nokre parametrar kan ikkje skiljast frå kvarandre).",
                       "en": "The model is not identified (some parameters cannot be separated)."},
    "no_convergence": {"nb": "Estimeringen konvergerte ikke.", "nn": "Estimeringa konvergerte ikkje.", "en": "The estimation did not converge."},
    "polychoric_boundary": {
        "nb": "Polykorisk korrelasjon på ±1 mellom {pairs} (spørsmål besvart likt, eller for få svar): DWLS-tilpasningen er ikke definert.",
        "nn": "Polykorisk korrelasjon på ±1 mellom {pairs} (spørsmål svara likt på, eller for få svar): DWLS-tilpassinga er ikkje definert.",
        "en": "Polychoric correlation of ±1 between {pairs} (items answered identically, or too few rows): the DWLS fit is not defined.",
    },
    "too_many_factors": {"nb": "{factors} gruppefaktorer kan ikke trekkes ut av {items} brukbare spørsmål.",
                         "nn": "{factors} gruppefaktorar kan ikkje trekkjast ut av {items} brukbare spørsmål.",
                         "en": "{factors} group factor(s) cannot be extracted from {items} usable item(s)."},
    "omega_reason": {"nb": "Omega: {reason}", "nn": "Omega: {reason}", "en": "Omega: {reason}"},
    "omega_too_few_items": {"nb": "Omega trenger minst 3 spørsmål med variasjon.", "nn": "Omega treng minst 3 spørsmål med variasjon.",
                            "en": "Omega needs at least 3 items with variance."},
    "listwise_deletion": {"nb": "Listevis utelatelse: {used} av {rows} rader er fullstendige og brukt.",
                          "nn": "Listevis utelating: {used} av {rows} rader er fullstendige og brukte.",
                          "en": "Listwise deletion: {used} of {rows} rows are complete and used."},
    "rows_without_answers": {"nb": "{rows} rader uten svar på disse spørsmålene er utelatt.", "nn": "{rows} rader utan svar på desse spørsmåla er utelatne.",
                             "en": "{rows} row(s) without any answer to these items were left out."},
    "item_no_answers": {"nb": "Spørsmålet {item} har ingen svar og er utelatt fra koeffisientene.",
                        "nn": "Spørsmålet {item} har ingen svar og er utelate frå koeffisientane.",
                        "en": "Item {item} has no answers and was left out of the coefficients."},
    "item_no_variance": {"nb": "Alle har svart det samme på spørsmålet {item}; det er utelatt fra koeffisientene.",
                         "nn": "Alle har svara det same på spørsmålet {item}; det er utelate frå koeffisientane.",
                         "en": "Item {item} has no variance and was left out of the coefficients."},
    "alpha_too_few_items": {"nb": "Alfa trenger minst 2 spørsmål med variasjon; {items} kan brukes.",
                            "nn": "Alfa treng minst 2 spørsmål med variasjon; {items} kan brukast.",
                            "en": "Alpha needs at least 2 items with variance; {items} usable."},
    "alpha_too_few_rows": {"nb": "Alfa trenger minst 3 svar; {rows} er gitt.", "nn": "Alfa treng minst 3 svar; {rows} er gjevne.",
                           "en": "Alpha needs at least 3 respondents; {rows} given."},
    "items_negative": {"nb": "Spørsmålene {items} korrelerer negativt med resten av skalaen; de bør trolig snus.",
                       "nn": "Spørsmåla {items} korrelerer negativt med resten av skalaen; dei bør truleg snuast.",
                       "en": "Item(s) {items} correlate negatively with the rest of the scale; they probably should be reverse-keyed."},
    "items_perfectly_correlated": {"nb": "Spørsmål som korrelerer perfekt ({pairs}): korrelasjonsmatrisen er singulær; G6 bruker den pseudoinverse.",
                                   "nn": "Spørsmål som korrelerer perfekt ({pairs}): korrelasjonsmatrisa er singulær; G6 bruker den pseudoinverse.",
                                   "en": "Perfectly correlated items ({pairs}): the correlation matrix is singular; G6 uses its pseudo-inverse."},
    "correlations_not_pd": {"nb": "Korrelasjonsmatrisen er ikke positivt definitt (parvis utelatelse); G6 bruker den pseudoinverse.",
                            "nn": "Korrelasjonsmatrisa er ikkje positivt definitt (parvis utelating); G6 bruker den pseudoinverse.",
                            "en": "The correlation matrix is not positive definite (pairwise deletion); G6 uses its pseudo-inverse."},
    "correlations_singular": {"nb": "Korrelasjonsmatrisen er singulær; G6 bruker den pseudoinverse.",
                              "nn": "Korrelasjonsmatrisa er singulær; G6 bruker den pseudoinverse.",
                              "en": "The correlation matrix is singular; G6 uses its pseudo-inverse."},
    "alpha_negative": {"nb": "Alfa er negativ: spørsmålene korrelerer i snitt negativt.", "nn": "Alfa er negativ: spørsmåla korrelerer i snitt negativt.",
                       "en": "Alpha is negative: the items correlate negatively on average."},
    "floor_ceiling": {"nb": "Mer enn {limit} % av svarene ligger i en ende av skalaen: {items}.",
                      "nn": "Meir enn {limit} % av svara ligg i ein ende av skalaen: {items}.",
                      "en": "More than {limit}% of answers at an end of the scale: {items}."},
    "irt_too_few_rows": {"nb": "{rows} har svart på disse spørsmålene; en IRT-modell trenger minst {min}.",
                         "nn": "{rows} har svara på desse spørsmåla; ein IRT-modell treng minst {min}.",
                         "en": "{rows} respondents answered these items; an IRT model needs at least {min}."},
    "irt_one_category": {"nb": "Spørsmålet {item} har svar i færre enn to kategorier; en IRT-modell trenger minst to.",
                         "nn": "Spørsmålet {item} har svar i færre enn to kategoriar; ein IRT-modell treng minst to.",
                         "en": "Item {item} has answers in fewer than two categories; an IRT model needs at least two."},
    "irt_no_convergence": {"nb": "Den graderte modellen konvergerte ikke.", "nn": "Den graderte modellen konvergerte ikkje.",
                           "en": "The graded model did not converge."},
    "total_not_one_dimensional": {
        "nb": "En totalskala av {subscales} delskalaer er ikke endimensjonal; se informasjonen for hver delskala.",
        "nn": "Ein totalskala av {subscales} delskalaer er ikkje eindimensjonal; sjå informasjonen for kvar delskala.",
        "en": "A total scale of {subscales} subscales is not one-dimensional; see the information of each subscale.",
    },
    "dif_group_small": {"nb": "Gruppen «{group}» har {rows} svar; DIF trenger minst {min} i hver gruppe.",
                        "nn": "Gruppa «{group}» har {rows} svar; DIF treng minst {min} i kvar gruppe.",
                        "en": "Group '{group}' has {rows} respondents; DIF needs at least {min} in each group."},
    "dif_category_unused": {"nb": "Ikke testet: svarkategorier som ikke er brukt i en gruppe: {categories}.",
                            "nn": "Ikkje testa: svarkategoriar som ikkje er brukte i ei gruppe: {categories}.",
                            "en": "Not tested: categories not used in a group: {categories}."},
    "too_few_professions": {"nb": "Færre enn to yrkesgrupper har minst {min} svar.", "nn": "Færre enn to yrkesgrupper har minst {min} svar.",
                            "en": "Fewer than two professions have at least {min} respondents."},
    "invariance_model_failed": {"nb": "{model} modell: {reason}", "nn": "{model} modell: {reason}", "en": "{model} model: {reason}"},
    # reasons whose words come from a library, and the rarer notes of scoring.stats
    "library_note": {"nb": "En beregning meldte om et teknisk problem (se teknisk detalj).",
                     "nn": "Ei utrekning melde om eit teknisk problem (sjå teknisk detalj).",
                     "en": "A computation reported a technical problem (see the technical detail)."},
    "omega_unavailable": {"nb": "Omega er ikke tilgjengelig i denne installasjonen.", "nn": "Omega er ikkje tilgjengeleg i denne installasjonen.",
                          "en": "Omega is not available in this installation."},
    "omega_failed": {"nb": "Omega kunne ikke beregnes: {reason}", "nn": "Omega kunne ikkje reknast ut: {reason}", "en": "Omega could not be computed: {reason}"},
    "omega_h_needs_factors": {
        "nb": "Hierarkisk omega trenger gruppefaktorer; med færre enn {items} spørsmål gis bare total omega (én faktor).",
        "nn": "Hierarkisk omega treng gruppefaktorar; med færre enn {items} spørsmål blir berre total omega (éin faktor) gjeven.",
        "en": "Omega hierarchical needs group factors; with fewer than {items} items only omega total (1 factor) is given.",
    },
    "omega_h_one_factor": {"nb": "Hierarkisk omega gir ingen mening med én faktor.", "nn": "Hierarkisk omega gjev inga meining med éin faktor.",
                           "en": "Omega hierarchical is not meaningful with one factor."},
    "omega_two_factors": {
        "nb": "Den generelle faktoren trenger tre gruppefaktorer; med to er g-ladningene satt like: tolk med forsiktighet.",
        "nn": "Den generelle faktoren treng tre gruppefaktorar; med to er g-ladningane sette like: tolk med varsemd.",
        "en": "Three factors are needed to identify the general factor; with two, the g loadings are set equal: interpret with care.",
    },
    "items_reversed": {"nb": "Spørsmål snudd fordi ladningen på den generelle faktoren er negativ: {items}.",
                       "nn": "Spørsmål snudde fordi ladninga på den generelle faktoren er negativ: {items}.",
                       "en": "Items reversed because their general-factor loading is negative: {items}."},
    "ordinal_alpha_failed": {"nb": "Ordinal alfa ble ikke beregnet: {reason}", "nn": "Ordinal alfa vart ikkje rekna ut: {reason}",
                             "en": "Ordinal alpha not computed: {reason}"},
    "ordinal_alpha_too_few": {"nb": "Ordinal alfa ble ikke beregnet (for få spørsmål eller svar).", "nn": "Ordinal alfa vart ikkje rekna ut (for få spørsmål eller svar).",
                              "en": "Ordinal alpha not computed (too few items or respondents)."},
    "polychoric_note": {"nb": "Polykoriske korrelasjoner: {reason}", "nn": "Polykoriske korrelasjonar: {reason}", "en": "Polychoric correlations: {reason}"},
    "polychoric_per_pair": {"nb": "Spørsmålene har ikke like mange svarkategorier; tersklene er estimert for hvert par.",
                            "nn": "Spørsmåla har ikkje like mange svarkategoriar; tersklane er estimerte for kvart par.",
                            "en": "The items do not use the same number of response categories; thresholds were estimated per pair."},
    "polychoric_corrected": {"nb": "{tables} krysstabeller hadde tomme celler, justert med kontinuitetskorreksjon ({correct}).",
                             "nn": "{tables} krysstabellar hadde tomme celler, justerte med kontinuitetskorreksjon ({correct}).",
                             "en": "{tables} table(s) had empty cells adjusted by the continuity correction ({correct})."},
    "polychoric_pm1": {"nb": "Polykorisk korrelasjon på ±1 (spørsmål besvart likt, eller for få svar): {pairs}.",
                       "nn": "Polykorisk korrelasjon på ±1 (spørsmål svara likt på, eller for få svar): {pairs}.",
                       "en": "Polychoric correlation of ±1 (items answered identically, or too few respondents): {pairs}."},
    "polychoric_item_dropped": {"nb": "Alle har svart det samme (eller ingen har svart) på {item}; spørsmålet er utelatt.",
                                "nn": "Alle har svara det same (eller ingen har svara) på {item}; spørsmålet er utelate.",
                                "en": "Item {item} has no variance (or no answers) and was left out."},
    "polychoric_no_pair": {"nb": "Ingen korrelasjon for par uten felles svar: {pairs}; glatting er slått av.",
                           "nn": "Ingen korrelasjon for par utan felles svar: {pairs}; glatting er slått av.",
                           "en": "No correlation for pair(s) without common respondents: {pairs}; smoothing turned off."},
    "polychoric_smoothed": {"nb": "Den polykoriske matrisen var ikke positivt definitt og ble glattet (psych::cor.smooth).",
                            "nn": "Den polykoriske matrisa var ikkje positivt definitt og vart glatta (psych::cor.smooth).",
                            "en": "The polychoric matrix was not positive definite and was smoothed (psych::cor.smooth)."},
    "answers_outside_limits": {"nb": "Svar utenfor skalaens grenser {low}–{high} i: {items}.", "nn": "Svar utanfor grensene til skalaen {low}–{high} i: {items}.",
                               "en": "Answers outside the scale limits {low}–{high} in: {items}."},
    "scale_limits_observed": {"nb": "Skalaens grenser er ikke oppgitt: gulv, tak og koder bruker de observerte verdiene {low}–{high}.",
                              "nn": "Grensene til skalaen er ikkje oppgjevne: golv, tak og kodar bruker dei observerte verdiane {low}–{high}.",
                              "en": "Scale limits not given: floor, ceiling and codes use the observed range {low}–{high}."},
    "no_pair_covariance": {"nb": "Ingen kovarians for par med færre enn 2 felles svar: {pairs}; koeffisientene mangler.",
                           "nn": "Ingen kovarians for par med færre enn 2 felles svar: {pairs}; koeffisientane manglar.",
                           "en": "No covariance for pair(s) with fewer than 2 common respondents: {pairs}; the coefficients are missing."},
    "bootstrap_failed": {"nb": "{failed} av {total} bootstrap-utvalg ga ingen alfa og er utelatt.", "nn": "{failed} av {total} bootstrap-utval gav ingen alfa og er utelatne.",
                         "en": "{failed} of {total} bootstrap resamples gave no alpha and were left out."},
    "rotation_no_convergence": {"nb": "Rotasjonen ({rotation}) konvergerte ikke.", "nn": "Rotasjonen ({rotation}) konvergerte ikkje.",
                                "en": "The {rotation} rotation did not converge."},
    "extraction_no_convergence": {"nb": "Faktoruttrekket ({method}) konvergerte ikke.", "nn": "Faktoruttrekket ({method}) konvergerte ikkje.",
                                  "en": "The {method} extraction did not converge."},
    "ultra_heywood": {"nb": "Et ultra-Heywood-tilfelle (en kommunalitet over 1): tolk resultatene med forsiktighet.",
                      "nn": "Eit ultra-Heywood-tilfelle (ein kommunalitet over 1): tolk resultata med varsemd.",
                      "en": "An ultra-Heywood case (a communality above 1): examine the results carefully."},
    "heywood": {"nb": "Negativ varians for {variable} ({estimate}): et Heywood-tilfelle; tolk med forsiktighet.",
                "nn": "Negativ varians for {variable} ({estimate}): eit Heywood-tilfelle; tolk med varsemd.",
                "en": "Negative variance of {variable} ({estimate}): a Heywood case; interpret with care."},
    "item_no_joint_answers": {"nb": "Spørsmålet {item} er utelatt: for få felles svar til å regne korrelasjonene.",
                              "nn": "Spørsmålet {item} er utelate: for få felles svar til å rekne ut korrelasjonane.",
                              "en": "Item {item} left out: too few joint answers to compute its correlations."},
    "listwise_left_out": {"nb": "Listevis utelatelse: {left} av {rows} rader med manglende svar er utelatt.",
                          "nn": "Listevis utelating: {left} av {rows} rader med manglande svar er utelatne.",
                          "en": "Listwise deletion: {left} of {rows} rows with missing answers left out."},
    "item_left_out_no_answers": {"nb": "Spørsmålet {item} er utelatt: ingen svar.", "nn": "Spørsmålet {item} er utelate: ingen svar.",
                                 "en": "Item {item} left out: no answers."},
    "item_left_out_constant": {"nb": "Spørsmålet {item} er utelatt: alle har svart det samme.", "nn": "Spørsmålet {item} er utelate: alle har svara det same.",
                               "en": "Item {item} left out: constant (no variance)."},
    "efa_zero_df": {"nb": "Modellen har 0 frihetsgrader ({factors} faktorer, {items} spørsmål): tilpasningen kan ikke testes.",
                    "nn": "Modellen har 0 fridomsgrader ({factors} faktorar, {items} spørsmål): tilpassinga kan ikkje testast.",
                    "en": "The model has 0 degrees of freedom ({factors} factor(s), {items} items): its fit cannot be tested."},
    "efa_negative_df": {"nb": "Modellen har {df} frihetsgrader: flere faktorer enn {items} spørsmål kan identifisere; tilpasningen kan ikke testes.",
                        "nn": "Modellen har {df} fridomsgrader: fleire faktorar enn {items} spørsmål kan identifisere; tilpassinga kan ikkje testast.",
                        "en": "The model has {df} degrees of freedom: more factors than {items} items can identify; the fit cannot be tested."},
    "efa_fit_smoothed": {"nb": "Tilpasningsmålene bruker den glattede korrelasjonsmatrisen (psych cor.smooth).",
                         "nn": "Tilpassingsmåla bruker den glatta korrelasjonsmatrisa (psych cor.smooth).",
                         "en": "The fit statistics use the smoothed correlation matrix (psych cor.smooth)."},
    "efa_model_singular": {"nb": "Modellmatrisen er singulær; tilpasningsmålene er ikke meningsfulle.", "nn": "Modellmatrisa er singulær; tilpassingsmåla er ikkje meiningsfulle.",
                           "en": "The model matrix is singular; fit statistics are not meaningful."},
    "efa_determinant_zero": {"nb": "Den glattede korrelasjonsmatrisen har determinant 0; kjikvadrat bygger på residualene.",
                             "nn": "Den glatta korrelasjonsmatrisa har determinant 0; kjikvadrat byggjer på residualane.",
                             "en": "The smoothed correlation matrix has determinant 0; chi-square is based on the residuals."},
    "irt_fit_no_convergence": {"nb": "IRT-tilpasningen konvergerte ikke; estimater og standardfeil er usikre.",
                               "nn": "IRT-tilpassinga konvergerte ikkje; estimat og standardfeil er usikre.",
                               "en": "The IRT fit did not converge; estimates and SEs are unreliable."},
    "pcm_no_convergence": {"nb": "CML-tilpasningen konvergerte ikke; estimatene er usikre.", "nn": "CML-tilpassinga konvergerte ikkje; estimata er usikre.",
                           "en": "The CML fit did not converge; estimates are unreliable."},
    "dif_no_convergence": {"nb": "En modell med frie spørsmål ({items}) konvergerte ikke.", "nn": "Ein modell med frie spørsmål ({items}) konvergerte ikkje.",
                           "en": "A model with free item(s) {items} did not converge."},
    "dif_no_anchor": {"nb": "Alle spørsmål ble flagget, så ingen ankerspørsmål er igjen; resultatene fra første trinn vises.",
                      "nn": "Alle spørsmåla vart flagga, så ingen ankerspørsmål er att; resultata frå første steg blir viste.",
                      "en": "Every item was flagged: no anchor is left; results of the first stage are shown."},
    "dif_not_settled": {"nb": "Rensingen av ankerspørsmål stabiliserte seg ikke etter {rounds} runder.",
                        "nn": "Reinsinga av ankerspørsmål stabiliserte seg ikkje etter {rounds} rundar.",
                        "en": "Purification did not settle after {rounds} rounds."},
    "irt_codes_unused": {"nb": "Spørsmålet {item}: kodene {codes} er aldri brukt; de {categories} observerte kodene er kategoriene.",
                         "nn": "Spørsmålet {item}: kodane {codes} er aldri brukte; dei {categories} observerte kodane er kategoriane.",
                         "en": "Item {item}: code(s) {codes} never used; the {categories} observed codes are its categories."},
    "no_variance_between": {"nb": "ingen variasjon mellom enhetene", "nn": "ingen variasjon mellom einingane", "en": "no variance between units"},
    "no_variance_within": {"nb": "ingen variasjon innen enhetene", "nn": "ingen variasjon innanfor einingane", "en": "no variance within units"},
    "icc_not_computed": {"nb": "ICC(1) og ICC(2) ble ikke beregnet: {reason}.", "nn": "ICC(1) og ICC(2) vart ikkje rekna ut: {reason}.",
                         "en": "ICC(1) and ICC(2) not computed: {reason}."},
    "units_hidden": {
        "nb": "{hidden} av {units} enheter er skjult (færre enn {min_n} svar, eller en skjult enhet kunne ha blitt regnet ut fra dem): {names}.",
        "nn": "{hidden} av {units} einingar er gøymde (færre enn {min_n} svar, eller ei gøymd eining kunne ha vorte rekna ut frå dei): {names}.",
        "en": "{hidden} of {units} unit(s) hidden (fewer than {min_n} answers, or a hidden unit could be worked out from them): {names}.",
    },
    "rwg_undefined": {"nb": "{index} er ikke definert for {units} viste enheter med færre enn to som har svart på alle spørsmålene: {names}.",
                      "nn": "{index} er ikkje definert for {units} viste einingar med færre enn to som har svara på alle spørsmåla: {names}.",
                      "en": "{index} not defined for {units} shown unit(s) with fewer than two respondents who answered all items: {names}."},
    "rwg_undefined_single": {"nb": "{index} er ikke definert for {units} viste enheter med færre enn to svar: {names}.",
                             "nn": "{index} er ikkje definert for {units} viste einingar med færre enn to svar: {names}.",
                             "en": "{index} not defined for {units} shown unit(s) with fewer than two answers: {names}."},
    "thresholds_differ": {"nb": "Spørsmålet {item} har ulike svarkategorier i gruppene ({categories}): tersklene kan ikke være like.",
                          "nn": "Spørsmålet {item} har ulike svarkategoriar i gruppene ({categories}): tersklane kan ikkje vere like.",
                          "en": "Item {item} has different answer categories in the groups ({categories}): thresholds cannot be equal."},
    "binary_item_thresholds": {"nb": "Spørsmålet {item} har bare to svarkategorier; modellen for like terskler trenger minst 3.",
                               "nn": "Spørsmålet {item} har berre to svarkategoriar; modellen for like tersklar treng minst 3.",
                               "en": "Item {item} is binary: the threshold-invariance model needs at least 3 categories."},
    "ordered_residuals": {"nb": "Restvariansene til ordinale spørsmål er ikke frie parametere; fjern `x ~~ x` fra modellen.",
                          "nn": "Restvariansane til ordinale spørsmål er ikkje frie parametrar; fjern `x ~~ x` frå modellen.",
                          "en": "Residual variances of ordered items are not free parameters; remove `x ~~ x` from the model."},
    "too_few_units": {"nb": "færre enn to enheter med en skåre", "nn": "færre enn to einingar med ein skåre", "en": "fewer than two units with a score"},
    "no_unit_two_scores": {"nb": "ingen enhet har to eller flere skårer", "nn": "inga eining har to eller fleire skårar", "en": "no unit has two or more scores"},
    "step_configural": {"nb": "Konfigural", "nn": "Konfigural", "en": "Configural"},
    "step_metric": {"nb": "Metrisk", "nn": "Metrisk", "en": "Metric"},
    "step_scalar": {"nb": "Skalar", "nn": "Skalar", "en": "Scalar"},
}


def _said(value, lang: str):
    """A param as said in ``lang``: a coded reason inside a reason is said too."""
    text = coded_text(value, lang)
    return value if text is None else text


def _reason_said(value, lang: str):
    """A ``reason`` param in ``lang``: coded, or the generic library sentence for plain words."""
    text = coded_text(value, lang)
    if text is None and isinstance(value, str):
        return MESSAGES["library_note"].get(lang) or MESSAGES["library_note"]["nb"]
    return value if text is None else text


DETAIL = "detail"
"""A :class:`scoring.errors.Coded` param that is no placeholder: a library's own words (an
optimiser's message) kept for the technical detail a page shows apart (:func:`technical_details`)."""


def technical_details(text) -> list[str]:
    """The library's own words inside a reason, for a page's "technical detail": the English of a
    plain (uncoded) reason or of a ``library_note``, and every ``detail`` param, nested reasons
    included; empty for a reason said fully by its code.

    >>> from scoring.errors import Coded, library_reason
    >>> technical_details(Coded("omega could not be computed: singular", "omega_failed", reason=library_reason("singular")))
    ['singular']
    """
    code = getattr(text, "code", None)
    if text is None or text == "":
        return []
    if code not in MESSAGES or code == "library_note":
        return [str(text)]
    found = []
    for name, value in text.params.items():
        if name == DETAIL and value:
            found.append(str(value))
        elif getattr(value, "code", None) is not None or (isinstance(value, str) and name == "reason"):
            found += technical_details(value)
    return list(dict.fromkeys(found))


def problem_text(problem, lang: str) -> str:
    """The problem's message in ``lang`` (nn falls back to nb), without the field; the English
    ``message`` when the problem has no code."""
    entry = MESSAGES.get(problem.code or "")
    if entry is None:
        return problem.message
    return (entry.get(lang) or entry["nb"]).format(**{k: _said(v, lang) for k, v in problem.params.items()})


def coded_text(text, lang: str) -> str | None:
    """A :class:`scoring.errors.Coded` reason or note in ``lang``; None for a plain string (or a
    code with no text here), which only the English command line should meet.

    >>> from scoring.errors import Coded
    >>> coded_text(Coded("too few rows in group B (2)", "in_group", group="B", reason=Coded("too few rows (2)", "too_few_rows", rows=2)), "nn")
    'I gruppa B: For få svar (2).'
    """
    entry = MESSAGES.get(getattr(text, "code", None) or "")
    if entry is None:
        return None
    return (entry.get(lang) or entry["nb"]).format(**{k: (_reason_said if k == "reason" else _said)(v, lang) for k, v in text.params.items() if k != DETAIL})
