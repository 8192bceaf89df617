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
}


def problem_text(problem, lang: str) -> str:
    """The problem's message in ``lang`` (nn falls back to nb), without the field; the English
    ``message`` when the problem has no code."""
    entry = MESSAGES.get(problem.code or "")
    if entry is None:
        return problem.message
    return (entry.get(lang) or entry["nb"]).format(**problem.params)
