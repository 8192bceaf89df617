"""Texts of the Klienter page (client feedback for clinicians)."""

TEXT: dict[str, dict[str, str]] = {
    "clients_intro": {
        "nb": "Klienten svarer på «Hverdagen min» ved start og «Samtalen/besøket i dag» ved slutt av hver kontakt. "
        "Forløpet og varslene vises med en gang, så dere kan se på dem sammen.",
        "en": "The client answers “My everyday life” at the start and “Today's visit” at the end of every contact. "
        "The course and the alerts show at once, so you can look at them together.",
    },
    "clients_choose": {"nb": "Klient", "en": "Client"},
    "clients_option": {"nb": "{client} · {unit}", "en": "{client} · {unit}"},
    "clients_none": {
        "nb": "Du har ingen klienter ennå. Registrer en klient for å komme i gang.",
        "en": "You have no clients yet. Register a client to get started.",
    },
    "clients_register": {"nb": "Registrer ny klient", "en": "Register a new client"},
    "clients_register_id": {"nb": "Klient-id (pseudonym)", "en": "Client id (pseudonym)"},
    "clients_register_id_help": {
        "nb": "En id tjenesten selv velger, for eksempel «hj2-017». Aldri fødselsnummer, D-nummer eller navn.",
        "en": "An id chosen by the service, for example “hj2-017”. Never a national identity number, D-number or name.",
    },
    "clients_register_unit": {"nb": "Enhet", "en": "Unit"},
    "clients_register_clinician": {"nb": "Behandler-id", "en": "Clinician id"},
    "clients_register_submit": {"nb": "Registrer", "en": "Register"},
    "clients_registered": {"nb": "Klient {client} er registrert i {unit}.", "en": "Client {client} is registered in {unit}."},
    "clients_register_failed": {"nb": "Klienten ble ikke registrert:", "en": "The client was not registered:"},
    "clients_new_contact": {"nb": "Ny kontakt (nr. {contact})", "en": "New contact (no. {contact})"},
    "clients_date": {"nb": "Dato", "en": "Date"},
    "clients_at_start": {"nb": "Ved start", "en": "At the start"},
    "clients_at_end": {"nb": "Ved slutt", "en": "At the end"},
    "clients_save": {"nb": "Lagre svarene", "en": "Save the answers"},
    "clients_saved": {"nb": "Kontakt {contact} er lagret.", "en": "Contact {contact} is saved."},
    "clients_saved_client_mode": {
        "nb": "Takk! Svarene er lagret. Gi nettbrettet tilbake til behandleren.",
        "en": "Thank you! Your answers are saved. Please hand the tablet back.",
    },
    "clients_save_failed": {"nb": "Svarene ble ikke lagret:", "en": "The answers were not saved:"},
    "clients_course": {"nb": "Forløp for {client}", "en": "Course of {client}"},
    "clients_no_contacts": {
        "nb": "Ingen kontakter ennå. Forløpet vises når den første kontakten er lagret.",
        "en": "No contacts yet. The course shows once the first contact is saved.",
    },
    "clients_intake": {"nb": "Ved oppstart", "en": "At intake"},
    "clients_last": {"nb": "Siste", "en": "Latest"},
    "clients_change": {"nb": "Endring", "en": "Change"},
    "clients_rc": {"nb": "Pålitelig endring", "en": "Reliable change"},
    "clients_rc_improved": {"nb": "bedring", "en": "improved"},
    "clients_rc_unchanged": {"nb": "ingen pålitelig endring", "en": "no reliable change"},
    "clients_rc_deteriorated": {"nb": "forverring", "en": "deteriorated"},
    "clients_rc_none": {"nb": "vurderes fra kontakt 2", "en": "assessed from contact 2"},
    "clients_rc_value": {"nb": "RC = {rc}", "en": "RC = {rc}"},
    "clients_alerts": {"nb": "Varsler ved siste kontakt ({contact})", "en": "Alerts at the latest contact ({contact})"},
    "clients_no_alerts": {"nb": "Ingen varsler ved siste kontakt.", "en": "No alerts at the latest contact."},
    "clients_earlier_alerts": {"nb": "Tidligere varsler ({n})", "en": "Earlier alerts ({n})"},
    "clients_alert_deterioration": {"nb": "Pålitelig forverring", "en": "Reliable deterioration"},
    "clients_alert_no_change": {"nb": "Ingen pålitelig endring", "en": "No reliable change"},
    "clients_alert_low_visit": {"nb": "Lav skår for samtalen/besøket", "en": "Low visit score"},
    "clients_alert_visit_drop": {"nb": "Fall i skår for samtalen/besøket", "en": "Drop in the visit score"},
    "clients_alert_visit_ceiling": {"nb": "Toppskår på alt (samtalen/besøket)", "en": "Top score on everything (visit)"},
    "clients_alert_outcome_ceiling": {"nb": "Toppskår på alt (hverdagen)", "en": "Top score on everything (everyday life)"},
    "clients_alert_line": {"nb": "**{title}** (kontakt {contact}): {message}", "en": "**{title}** (contact {contact}): {message}"},
    "clients_outcome_chart": {"nb": "Hverdagen min, totalskår per kontakt", "en": "My everyday life, total per contact"},
    "clients_visit_chart": {"nb": "Samtalen/besøket i dag, totalskår per kontakt", "en": "Today's visit, total per contact"},
    "clients_axis_contact": {"nb": "Kontakt", "en": "Contact"},
    "clients_axis_total": {"nb": "Totalskår (0–40)", "en": "Total (0–40)"},
    "clients_trace_outcome": {"nb": "Hverdagen min", "en": "My everyday life"},
    "clients_trace_visit": {"nb": "Samtalen/besøket", "en": "The visit"},
    "clients_trace_expected": {"nb": "Forventet forløp", "en": "Expected course"},
    "clients_trace_expected_band": {"nb": "Forventet, 25.–75. persentil", "en": "Expected, 25th–75th percentile"},
    "clients_trace_reliable_band": {
        "nb": "Ingen pålitelig endring fra oppstart (±{mrd})",
        "en": "No reliable change from intake (±{mrd})",
    },
    "clients_trace_cutoff": {"nb": "Grenseverdi {cutoff}", "en": "Cut-off {cutoff}"},
    "clients_trace_threshold": {"nb": "Terskel {threshold}", "en": "Threshold {threshold}"},
    "clients_chart_note": {
        "nb": "Det grå båndet er området rundt skåren ved oppstart der en endring ikke er pålitelig "
        "(Jacobson & Truax; reliabilitet {rxx} og SD {sd} fra {source}). Over den stiplede linjen "
        "({cutoff}) ligger skårer som hos dem som har det bra. Grenseverdier og terskler er foreløpige "
        "verdier som tjenesten kan sette selv.",
        "en": "The grey band is the range around the intake score where a change is not reliable "
        "(Jacobson & Truax; reliability {rxx} and SD {sd} from {source}). Above the dashed line "
        "({cutoff}) are scores like those of people who are doing well. Cut-offs and thresholds are provisional "
        "values the service can set itself.",
    },
    "clients_source_instrument": {"nb": "skjemaets lagrede verdier", "en": "the instrument's stored values"},
    "clients_source_intake": {"nb": "tjenestens egne data ved oppstart", "en": "the service's own intake data"},
    "clients_source_given": {"nb": "oppgitte verdier", "en": "given values"},
    "clients_table_contact": {"nb": "kontakt", "en": "contact"},
    "clients_settings": {"nb": "Innstillinger for varsler", "en": "Alert settings"},
    "clients_no_change_after": {
        "nb": "Varsle om ingen pålitelig endring fra kontakt nr.",
        "en": "Alert on no reliable change from contact no.",
    },
    "clients_caseload": {"nb": "Mine klienter", "en": "My clients"},
    "clients_col_client": {"nb": "Klient", "en": "Client"},
    "clients_col_unit": {"nb": "Enhet", "en": "Unit"},
    "clients_col_contacts": {"nb": "Kontakter", "en": "Contacts"},
    "clients_col_last_date": {"nb": "Siste kontakt", "en": "Latest contact"},
    "clients_col_intake": {"nb": "Oppstart", "en": "Intake"},
    "clients_col_last": {"nb": "Siste skår", "en": "Latest score"},
    "clients_col_change": {"nb": "Endring", "en": "Change"},
    "clients_col_rc": {"nb": "Pålitelig endring", "en": "Reliable change"},
    "clients_col_alerts": {"nb": "Varsler nå", "en": "Alerts now"},
    "clients_units": {"nb": "Enhetene (for ledere)", "en": "The units (for managers)"},
    "clients_units_note": {
        "nb": "Tall per enhet, med enhetene under, for alle klienter med minst én kontakt. Tall som gjelder færre enn {min_n} klienter "
        "vises ikke («for få svar»), og flere tall skjules når et skjult tall ellers kunne regnes ut («skjult for å verne en mindre gruppe»). "
        "Andeler med endring gjelder klientene med minst to målinger.",
        "en": "Figures per unit, including the units below, for every client with at least one contact. Figures about fewer than {min_n} "
        "clients are not shown (“too few answers”), and more are hidden where a hidden figure could otherwise be worked out "
        "(“hidden so that a smaller group cannot be worked out”). Shares of change are of the clients with at least two scores.",
    },
    "clients_u_clients": {"nb": "Klienter", "en": "Clients"},
    "clients_u_contacts_per_client": {"nb": "Kontakter per klient", "en": "Contacts per client"},
    "clients_u_intake_mean": {"nb": "Snitt ved oppstart", "en": "Mean at intake"},
    "clients_u_mean_change": {"nb": "Snittendring", "en": "Mean change"},
    "clients_u_share_improved": {"nb": "Bedring", "en": "Improved"},
    "clients_u_share_unchanged": {"nb": "Uendret", "en": "Unchanged"},
    "clients_u_share_deteriorated": {"nb": "Forverring", "en": "Deteriorated"},
    "clients_u_share_above_cutoff": {"nb": "Over grenseverdi", "en": "Above cut-off"},
    "clients_u_share_low_visit": {"nb": "Lav samtaleskår", "en": "Low visit score"},
    "clients_u_share_dropout": {"nb": "Frafall", "en": "Drop-out"},
}
