"""Texts of the Klienter page added with client mode's password, empty sliders, corrections
and the name warning (dashboard/pages/clients.py)."""

TEXT: dict[str, dict[str, str]] = {
    "clients_mode_start": {"nb": "Start klientmodus", "nn": "Start klientmodus", "en": "Start client mode"},
    "clients_mode_start_help": {
        "nb": "Viser bare spørsmålene, med stor skrift, så klienten kan svare selv. Tilbake til klientlisten krever passordet ditt.",
        "nn": "Viser berre spørsmåla, med stor skrift, så klienten kan svare sjølv. Tilbake til klientlista krev passordet ditt.",
        "en": "Shows only the questions, in large type, so the client can answer alone. Going back to the caseload needs your password.",
    },
    "clients_mode_leave_title": {"nb": "For behandleren", "nn": "For behandlaren", "en": "For the clinician"},
    "clients_mode_password": {"nb": "Passordet ditt", "nn": "Passordet ditt", "en": "Your password"},
    "clients_mode_leave": {"nb": "Tilbake til klientlisten", "nn": "Tilbake til klientlista", "en": "Back to the caseload"},
    "clients_mode_wrong": {
        "nb": "Feil passord. Klientmodus er fortsatt på.",
        "nn": "Feil passord. Klientmodus er framleis på.",
        "en": "Wrong password. Client mode stays on.",
    },
    "clients_mode_resumed": {
        "nb": "Klientmodus er på. Gi nettbrettet tilbake til behandleren.",
        "nn": "Klientmodus er på. Gi nettbrettet tilbake til behandlaren.",
        "en": "Client mode is on. Please hand the tablet back to the clinician.",
    },
    "clients_slider_none": {"nb": "Ikke svart", "nn": "Ikkje svart", "en": "Not answered"},
    "clients_slider_hint": {
        "nb": "Dra håndtaket eller trykk på linjen. Et spørsmål som står på «Ikke svart», lagres som manglende.",
        "nn": "Dra handtaket eller trykk på linja. Eit spørsmål som står på «Ikkje svart», blir lagra som manglande.",
        "en": "Drag the handle or tap the line. A question left at “Not answered” is stored as missing.",
    },
    "clients_name_warning": {
        "nb": "Klient-id-en «{client}» ser ut som et personnavn. Bruk et pseudonym tjenesten velger (for eksempel «hj2-017»), ikke klientens navn.",
        "nn": "Klient-id-en «{client}» ser ut som eit personnamn. Bruk eit pseudonym tenesta vel (til dømes «hj2-017»), ikkje namnet til klienten.",
        "en": "The client id “{client}” looks like a person's name. Use a pseudonym chosen by the service (for example “hj2-017”), not the client's name.",
    },
    "clients_fix_title": {"nb": "Rett eller slett en kontakt", "nn": "Rett eller slett ein kontakt", "en": "Correct or delete a contact"},
    "clients_fix_contact": {"nb": "Kontakt nr.", "nn": "Kontakt nr.", "en": "Contact no."},
    "clients_fix_action": {"nb": "Hva vil du gjøre?", "nn": "Kva vil du gjere?", "en": "What do you want to do?"},
    "clients_fix_correct": {"nb": "Rette svarene eller datoen", "nn": "Rette svara eller datoen", "en": "Correct the answers or the date"},
    "clients_fix_delete": {"nb": "Slette kontakten", "nn": "Slette kontakten", "en": "Delete the contact"},
    "clients_fix_reason": {"nb": "Begrunnelse (påkrevd)", "nn": "Grunngiving (påkravd)", "en": "Reason (required)"},
    "clients_fix_reason_help": {
        "nb": "For eksempel «registrert på feil klient». Aldri fødselsnummer eller navn.",
        "nn": "Til dømes «registrert på feil klient». Aldri fødselsnummer eller namn.",
        "en": "For example “recorded on the wrong client”. Never a national identity number or a name.",
    },
    "clients_fix_save": {"nb": "Lagre rettingen", "nn": "Lagre rettinga", "en": "Save the correction"},
    "clients_fix_delete_button": {"nb": "Slett kontakten", "nn": "Slett kontakten", "en": "Delete the contact"},
    "clients_fix_corrected": {"nb": "Kontakt {contact} er rettet.", "nn": "Kontakt {contact} er retta.", "en": "Contact {contact} is corrected."},
    "clients_fix_deleted": {
        "nb": "Kontakt {contact} er slettet og telles ikke lenger med.",
        "nn": "Kontakt {contact} er sletta og blir ikkje lenger teken med.",
        "en": "Contact {contact} is deleted and no longer counts.",
    },
    "clients_fix_failed": {"nb": "Kontakten ble ikke endret:", "nn": "Kontakten vart ikkje endra:", "en": "The contact was not changed:"},
    "clients_fix_history": {"nb": "Rettinger", "nn": "Rettingar", "en": "Corrections"},
    "clients_fix_col_action": {"nb": "Hva", "nn": "Kva", "en": "What"},
    "clients_fix_col_on": {"nb": "Dato", "nn": "Dato", "en": "Date"},
    "clients_fix_col_by": {"nb": "Av", "nn": "Av", "en": "By"},
    "clients_fix_col_reason": {"nb": "Begrunnelse", "nn": "Grunngiving", "en": "Reason"},
    "clients_fix_action_corrected": {"nb": "rettet", "nn": "retta", "en": "corrected"},
    "clients_fix_action_deleted": {"nb": "slettet", "nn": "sletta", "en": "deleted"},
}
