"""The Klienter page: a clinician registers a client, records contacts with sliders and sees the
course and the alerts at once; client mode shows only the questions and is left only with the
clinician's password; a contact can be corrected or deleted with a reason; the scope holds."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from scoring.store import api
from tests.app.conftest import press, switch_to
from tests.app.dashboard_pages import open_page, shown, texts
from tests.app.plotly_spec import figures
from tests.conftest import REPO

PAGE = "dashboard/pages/clients.py"
NATIONAL_ID = "15038543226"  # 11 digits with valid fødselsnummer check digits (not a real person)
OUTCOME = ("fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet")
VISIT = ("fs_hort", "fs_viktig", "fs_maate", "fs_samlet")


def clients_page(lang: str = "nb", user: str = "kliniker") -> AppTest:
    return switch_to(PAGE, user, lang)


def register(at: AppTest, client: str, label: str = "Registrer") -> None:
    at.text_input(key="clients_new_id").input(client)
    press(at, label)


def record(at: AppTest, outcome: float | None, visit: float | None, label: str = "Lagre svarene") -> None:
    """Answer every outcome item with ``outcome`` and every visit item with ``visit`` (None: leave
    the sliders at "not answered") and save."""
    for items, value in ((OUTCOME, outcome), (VISIT, visit)):
        for item in items:
            if value is not None:
                at.select_slider(key=f"clients_{item}").set_value(value)
    press(at, label)


def enter_client_mode(at: AppTest) -> None:
    press(at, "Start klientmodus")


def leave_client_mode(at: AppTest, password: str = "demo", label: str = "Tilbake til klientlisten") -> None:
    at.text_input(key="clients_leave_password").input(password)
    press(at, label)


def alert_texts(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def test_clinician_registers_a_client_records_three_contacts_and_sees_the_course_and_alerts():
    at = clients_page()
    assert at.title[0].value == "Klienter"
    register(at, "app-001")
    assert any("Klient app-001 er registrert" in s.value for s in at.success)
    # under the registration's expander, not inside it: a rerun that draws the expander anew
    # closes it, and the confirmation was then hidden (seen once in Chromium on a slow machine)
    (registration,) = [e for e in at.expander if e.label == "Registrer ny klient"]
    assert not any("er registrert" in s.value for s in registration.success)
    assert at.selectbox(key="clients_selected").value.endswith("app-001")
    assert any("Ingen kontakter ennå" in i.value for i in at.info)

    record(at, 5.0, 9.5)  # outcome 20, visit 38
    assert any(s.value == "Kontakt 1 er lagret." for s in at.success)
    assert [m.value for m in at.metric][:2] == ["20,0", "20,0"]
    record(at, 4.0, 10.0)  # outcome 16, visit 40: every visit answer at the top
    record(at, 2.0, 7.0)  # outcome 8: reliably worse; visit 28: below 36 and 12 down
    assert any(s.value == "Kontakt 3 er lagret." for s in at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Siste"] == "8,0" and metrics["Endring"] == "−12,0" and metrics["Pålitelig endring"] == "forverring"

    latest = alert_texts(at)
    assert "Pålitelig forverring" in latest and "fra 20,0 ved oppstart til 8,0 ved kontakt 3" in latest
    assert "Lav skår for samtalen/besøket" in latest and "Fall i skår for samtalen/besøket" in latest
    assert any("Tidligere varsler (1)" in e.label for e in at.expander), "the ceiling at contact 2 is an earlier alert"

    outcome, visit = figures(at)
    names = [trace.get("name") for trace in outcome["data"]]
    assert "Grenseverdi 25" in names and "Hverdagen min" in names
    assert any(str(n).startswith("Ingen pålitelig endring fra oppstart") for n in names)
    assert "Forventet forløp" in names, "the demo service has enough clients for an expected course"
    scores = next(trace for trace in outcome["data"] if trace.get("name") == "Hverdagen min")
    assert list(scores["y"]) == [20.0, 16.0, 8.0]
    bars = visit["data"][0]
    assert list(bars["y"]) == [38.0, 40.0, 28.0]
    assert "Terskel 36" in [trace.get("name") for trace in visit["data"]]
    assert "Beregnet fra" in texts(at), "the data the expected course rests on is stated"
    assert len(at.get("download_button")) == 2, "each chart has its table as CSV"
    caseload = shown(at.dataframe[0]).set_index("Klient")
    assert caseload.loc["app-001", "Kontakter"] == "3" and "Pålitelig forverring" in caseload.loc["app-001", "Varsler nå"]


def test_a_national_identity_number_is_refused_with_the_stores_message():
    at = clients_page()
    register(at, NATIONAL_ID)
    (error,) = at.error
    assert "Klienten ble ikke registrert" in error.value
    assert "Klient-id: Dette ser ut som et fødselsnummer" in error.value.replace("\\", "") and NATIONAL_ID not in error.value
    assert not any(o.endswith(NATIONAL_ID) for o in at.selectbox(key="clients_selected").options)


def test_client_mode_shows_only_the_questions_and_keeps_the_client():
    at = clients_page()
    register(at, "app-002")
    enter_client_mode(at)
    assert not at.title and not at.get("plotly_chart") and not at.dataframe and not at.metric
    assert not [s for s in at.selectbox if s.key == "clients_selected"], "no client ids on the client's screen"
    assert len(at.select_slider) == 8 and all(s.value is None for s in at.select_slider), "sliders start with no value"
    assert at.select_slider(key="clients_fu_velvaere").label.startswith("Hvordan har du hatt det med deg selv")
    assert "Det finnes ingen riktige eller gale svar" in texts(at), "the instrument's own instructions"
    assert at.query_params["klientmodus"] == "1", "a refresh stays in client mode"
    record(at, 6.0, 8.0)
    assert any("Takk!" in s.value for s in at.success)
    assert not at.get("plotly_chart")
    leave_client_mode(at, "feil")
    assert [e.value for e in at.error] == ["Feil passord. Klientmodus er fortsatt på."]
    assert not at.get("plotly_chart") and not at.dataframe, "still client mode"
    leave_client_mode(at)
    assert "klientmodus" not in at.query_params
    assert at.selectbox(key="clients_selected").value.endswith("app-002")
    assert len(at.get("plotly_chart")) == 2
    enter_client_mode(at)
    press(at, "Logg ut")  # the way out without a local password: the caseload then needs a new login
    assert "principal" not in at.session_state and "klientmodus" not in at.query_params
    assert not at.get("plotly_chart") and not at.dataframe and not at.select_slider


def test_the_no_change_alert_follows_the_setting():
    at = clients_page()
    register(at, "app-003")
    for _ in range(3):
        record(at, 5.0, 9.0)
    assert "Ingen pålitelig endring" not in alert_texts(at), "default: from contact 4"
    at.number_input(key="clients_no_change_after").set_value(3)
    at.run()
    assert "Ingen pålitelig endring" in alert_texts(at)
    enter_client_mode(at)
    leave_client_mode(at)
    assert at.number_input(key="clients_no_change_after").value == 3, "the setting survives client mode"
    assert "Ingen pålitelig endring" in alert_texts(at)


def test_another_clinicians_clients_are_not_reachable():
    engine = api.get_engine()
    api.create_account(engine, "kliniker3", "demo", "clinician", units=["k1.ho.hj1.t2"], clinician="kl97")
    at = clients_page(user="kliniker3")
    assert any("ingen klienter ennå" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    # a choice smuggled into the session is ignored: the list comes from the store, scoped
    at.session_state["clients_current"] = "k1.ho.hj1.t2\x1fapp-001"
    at.run()
    assert not at.get("plotly_chart") and "app-001" not in texts(at)
    register(at, "app-k3")
    options = at.selectbox(key="clients_selected").options
    assert [o.split(" · ")[0] for o in options] == ["app-k3"]


def test_english_labels_and_alerts():
    at = clients_page("en")
    assert at.title[0].value == "Clients"
    register(at, "app-en", label="Register")
    assert at.select_slider(key="clients_fs_hort").label == "The person I met today listened to me and took me seriously."
    record(at, 3.0, 10.0, label="Save the answers")
    assert any(s.value == "Contact 1 is saved." for s in at.success)
    assert "Top score on everything (visit)" in alert_texts(at)
    assert "Every visit answer at contact 1 was at the top of the scale" in alert_texts(at)


def test_admin_sees_unit_figures_with_suppression():
    at = open_page("clients", "admin")
    assert not at.exception, at.exception
    units = shown(at.dataframe[-1])
    assert "Bedring" in units.columns and "Frafall" in units.columns and "Kontakter per klient" in units.columns
    assert (units == "for få svar").any().any(), "small units are suppressed"
    hidden = {"for få svar", "skjult for å verne en mindre gruppe"}
    visible = units[~units["Klienter"].isin(hidden)]
    assert (visible["Klienter"].astype(int) >= 5).all()
    assert units.iloc[0]["Enhet"] == "Organisasjonen", "the organisation's cell comes first"


@pytest.mark.parametrize("user", ["forsker", "leder", None])
def test_other_roles_are_refused(user):
    at = open_page("clients", user)
    assert [e.value for e in at.error] == ["Du har ikke tilgang til denne siden."]
    assert not at.select_slider and not at.get("plotly_chart")


def test_unanswered_sliders_are_stored_as_missing_and_a_contact_is_corrected_then_deleted_with_a_reason():
    at = clients_page()
    register(at, "Kari Nordmann")
    assert [w.value for w in at.warning] == [
        "Klient-id-en «Kari Nordmann» ser ut som et personnavn. Bruk et pseudonym tjenesten velger (for eksempel «hj2-017»), ikke klientens navn."
    ], "a warning, and the client is registered"
    at.select_slider(key="clients_fu_velvaere").set_value(6.0)  # one outcome item; the visit form untouched
    press(at, "Lagre svarene")
    assert any(s.value == "Kontakt 1 er lagret." for s in at.success)
    stored = api.read_feedback(api.get_engine())
    row = stored[stored["client"] == "Kari Nordmann"].iloc[0]
    assert row["fu_velvaere"] == 6.0
    assert all(row[i] != row[i] for i in [*OUTCOME[1:], *VISIT]), "unanswered items are missing, not 5.0"

    assert at.select_slider(key="clients_fix_1_fu_relasjoner").value is None, "the correction form shows the stored answers"
    at.select_slider(key="clients_fix_1_fu_relasjoner").set_value(7.0)
    at.text_input(key="clients_fix_reason_1_correct").input("15038543226")
    press(at, "Lagre rettingen")
    assert "ser ut som et fødselsnummer" in at.error[0].value, "the reason goes through the refusal (in the page's language)"
    at.text_input(key="clients_fix_reason_1_correct").input("feil svar registrert")
    press(at, "Lagre rettingen")
    assert any(s.value == "Kontakt 1 er rettet." for s in at.success)
    stored = api.read_feedback(api.get_engine())
    assert stored.loc[stored["client"] == "Kari Nordmann", "fu_relasjoner"].tolist() == [7.0]

    at.radio(key="clients_fix_action").set_value("delete").run()
    at.text_input(key="clients_fix_reason_1_delete").input("registrert på feil klient")
    press(at, "Slett kontakten")
    assert any(s.value == "Kontakt 1 er slettet og telles ikke lenger med." for s in at.success)
    stored = api.read_feedback(api.get_engine())
    assert "Kari Nordmann" not in set(stored["client"])
    caseload = shown(at.dataframe[-1]).set_index("Klient")
    assert "Kari Nordmann" not in caseload.index or caseload.loc["Kari Nordmann", "Kontakter"] == 0


def test_client_mode_locks_every_other_page_until_the_password_is_given():
    at = clients_page(user="admin")  # an administrator may open every page: the lock must hold for all
    register(at, "app-lock")
    enter_client_mode(at)
    for page in ("dashboard/pages/overview.py", "dashboard/pages/admin.py", "dashboard/pages/home.py"):
        # While locked the navigation holds the Klienter page alone; every other address is a
        # stand-in that leads back to it (the browser test opens those addresses).
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    at.run()
    assert not at.title and not at.dataframe and not at.get("plotly_chart") and len(at.select_slider) == 8
    leave_client_mode(at)
    assert at.title[0].value == "Klienter"
    at.switch_page("dashboard/pages/overview.py")
    at.run()
    assert at.title[0].value == "Oversikt", "unlocked, the app is whole again"


BACK_NN = "Tilbake til klientlista"


def sso_clinician(username: str = "sso-kliniker") -> AppTest:
    """A single sign-on clinician (no local password), logged in as Streamlit's st.login leaves them."""
    from scoring.store.access import principal_for
    from scoring.store.accounts import create_account

    engine = api.get_engine()
    if principal_for(engine, username) is None:
        create_account(engine, username, None, "clinician", clinician=username, oidc=("https://login.example", username))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = "nn"
    at.session_state["principal"] = principal_for(engine, username)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_single_sign_on_clinician_chooses_a_pin_to_leave_client_mode():
    at = sso_clinician()
    register(at, "sso-001", label="Registrer")
    press(at, "Start klientmodus")
    assert [e.value for e in at.error] == [
        "Vel ein PIN-kode på 4 til 8 siffer (kontoar med innlogging via organisasjonen har ikkje passord her)."
    ], "no password here: the PIN is required"
    at.text_input(key="clients_mode_pin").input("4821")
    press(at, "Start klientmodus")
    assert len(at.select_slider) == 8 and not at.title
    assert "4821" not in str(at.session_state["client_lock"]), "only a hash of the PIN is kept"
    assert at.text_input(key="clients_leave_password").label == "PIN-koden du valde"
    leave_client_mode(at, "1111", BACK_NN)
    assert [e.value for e in at.error] == ["Feil passord eller PIN-kode. Klientmodus er framleis på."]
    leave_client_mode(at, "4821", BACK_NN)
    assert at.title[0].value == "Klientar"


def test_five_wrong_pins_forget_the_pin_and_leave_only_the_log_out():
    at = sso_clinician("sso-kliniker-2")
    register(at, "sso-002", label="Registrer")
    at.text_input(key="clients_mode_pin").input("9034")
    press(at, "Start klientmodus")
    for guess in ("0000", "1234", "1111", "2222"):
        leave_client_mode(at, guess, BACK_NN)
        assert "Feil passord eller PIN-kode" in at.error[0].value
    leave_client_mode(at, "9999", BACK_NN)
    assert "PIN-koden er gløymd" in at.error[0].value
    at.run()
    assert not [w for w in at.text_input if w.key == "clients_leave_password"], "no PIN left to try"
    assert any("logg ut og inn att" in c.value for c in at.caption)
    press(at, "Logg ut")
    assert "principal" not in at.session_state and not at.select_slider
