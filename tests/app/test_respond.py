"""The respondent page: a unit link or a one-time code opens the questionnaire, one subscale per
page with "vet ikke" on every item, a review, and one stored response per form."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.form_pages import form_pages
from scoring.instrument.catalog import bundled
from scoring.store import api
from tests.app.survey_database import STAFF, own_database
from tests.conftest import REPO

UNIT = "k1.ho.hj1.t1"
PAGES = form_pages([bundled(i) for i in STAFF])


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    """An open anonymous round with unit links, and an open codes round with one-time codes."""
    with own_database(tmp_path_factory.mktemp("respond-data")) as engine:
        api.create_round(engine, "link-round", STAFF, [UNIT, "k1.ho.hj1.t2"])
        links = {link.unit: link.token for link in api.make_links(engine, "link-round")}
        api.create_round(engine, "code-round", ["medbestemmelse"], [UNIT], mode="codes")
        codes = api.make_codes(engine, "code-round", UNIT, 5)
        yield engine, links, codes


def count(engine, round_name: str) -> int:
    return len(api.read_responses(engine, round_name))


def open_respond(lang: str = "nb", **params) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if lang != "nb":
        at.query_params["lang"] = lang  # the respondent's language comes from the address or the radio
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception


def answer_page(at: AppTest, code: int) -> list[str]:
    """Choose ``code`` on every radio of the page; returns the items answered."""
    items = []
    for radio in at.radio:
        if radio.key and radio.key.startswith("respond_q_"):
            radio.set_value(code)
            items.append(radio.key.removeprefix("respond_q_"))
    return items


def answer_everything(at: AppTest, lang: str = "nb", codes=(4, 9)) -> dict[str, int]:
    """Start, fill in "about you", answer every subscale page; ends on the review step."""
    words = {"nb": ("Start", "Neste", "Se over svarene"), "en": ("Start", "Next", "Check your answers")}[lang]
    click(at, words[0])
    at.radio(key="respond_field_tenure").set_value("3-5")
    at.selectbox(key="respond_field_role").set_value("sykepleier")
    click(at, words[1])
    given = {}
    for n, page in enumerate(PAGES):
        assert at.progress[0].value == int(100 * (n + 1) / (len(PAGES) + 1))  # per cent done
        code = codes[n % len(codes)]
        shown = answer_page(at, code)
        assert shown == list(page.items), "one subscale per page, in item order"
        given.update(dict.fromkeys(shown, code))
        click(at, words[2] if n == len(PAGES) - 1 else words[1])
    return given


def test_a_unit_link_leads_through_every_subscale_to_one_stored_response(survey):
    engine, links, _ = survey
    before = count(engine, "link-round")
    at = open_respond(t=links[UNIT])
    assert at.title[0].value == "Spørreundersøkelse"
    assert "Hjemmetjenesten sone Nord, dagteam 1" in " ".join(m.value for m in at.markdown)
    assert "anonymt" in at.info[0].value and "klokkeslettet" in at.info[0].value
    assert not at.sidebar.radio, "a respondent sees the questionnaire and nothing else of the app"
    given = answer_everything(at)
    assert at.title[0].value == "Se over svarene"
    assert not at.warning, "every item was answered"
    click(at, "Send inn svarene")
    assert at.title[0].value == "Takk for svaret!"
    assert count(engine, "link-round") == before + 1
    stored = api.read_responses(engine, "link-round").iloc[-1]
    assert (stored["unit"], stored["language"], stored["role"], stored["tenure"]) == (UNIT, "nb", "sykepleier", "3-5")
    assert {item: int(stored[item]) for item in given} == given
    assert stored["sk_info1"] == 4 and stored["sk_koord1"] == 9, "vet ikke is stored as its code"


def test_every_item_offers_the_scale_labels_and_dont_know(survey):
    _, links, _ = survey
    at = open_respond(t=links[UNIT])
    click(at, "Start")
    click(at, "Neste")
    radio = at.radio(key="respond_q_sk_info1")
    assert radio.label.startswith("1. Samarbeidspartnerne våre gir oss beskjed")
    assert radio.options == [
        "Helt uenig", "Litt uenig", "Verken enig eller uenig", "Litt enig", "Helt enig", "Vet ikke / ikke relevant",
    ]
    assert radio.value is None, "nothing is chosen for the respondent"
    partner = at.selectbox(key="respond_field_sk_partner")
    assert partner.options[:2] == ["Ingen bestemt tjeneste", "Fastlegene i Fjordvik"]
    assert "Hjemmetjenesten sone Nord" not in partner.options, "not the respondent's own enhet"


def test_a_double_submit_stores_one_response(survey):
    engine, links, _ = survey
    at = open_respond(t=links["k1.ho.hj1.t2"])
    click(at, "Start")
    at.session_state["respond_form"]["step"] = len(PAGES) + 2
    at.session_state["respond_form"]["answers"] = {"sk_info1": 2}
    at.run()
    before = count(engine, "link-round")
    click(at, "Send inn svarene")
    assert count(engine, "link-round") == before + 1
    # The reply was lost (the page reran before showing it) and the person pressed send again.
    form = at.session_state["respond_form"]
    form.update(done=False, step=len(PAGES) + 2, answers={"sk_info1": 2})
    at.run()
    click(at, "Send inn svarene")
    assert at.title[0].value == "Takk for svaret!"
    assert count(engine, "link-round") == before + 1


def test_unanswered_items_are_named_on_the_review_and_can_be_sent(survey):
    _, links, _ = survey
    at = open_respond(t=links[UNIT])
    click(at, "Start")
    at.session_state["respond_form"]["step"] = len(PAGES) + 2
    at.session_state["respond_form"]["answers"] = {"sk_info1": 9}
    at.run()
    assert "51 spørsmål er ikke besvart" in at.warning[0].value
    assert not at.button(key="respond_submit").disabled
    click(at, f"Endre «{PAGES[3].title('nb')}»")
    assert at.subheader[-1].value == PAGES[3].title("nb")


def test_a_typed_one_time_code_opens_once(survey):
    engine, _, codes = survey
    at = open_respond()
    at.switch_page("dashboard/pages/respond.py").run()  # /svar, typed from the slip without the QR code
    assert at.title[0].value == "Skriv inn koden din"
    at.text_input(key="respond_code_input").input(codes[0].lower().replace("-", " "))
    click(at, "Fortsett")
    assert "Hjemmetjenesten sone Nord, dagteam 1" in " ".join(m.value for m in at.markdown)
    assert "ikke sammen med svaret" in at.info[0].value
    click(at, "Start")
    click(at, "Neste")
    for _ in range(5):
        answer_page(at, 3)
        click(at, at.button[-1].label)
    click(at, "Send inn svarene")
    assert at.title[0].value == "Takk for svaret!"
    assert count(engine, "code-round") == 1
    again = open_respond(kode=codes[0])
    assert again.title[0].value == "Lenken eller koden kan ikke brukes"
    assert "allerede brukt" in again.warning[0].value
    assert count(engine, "code-round") == 1


def test_a_code_in_the_address_opens_the_form(survey):
    _, _, codes = survey
    at = open_respond(kode=codes[1])
    assert at.title[0].value == "Spørreundersøkelse"
    assert not at.sidebar.radio


def test_a_wrong_or_revoked_link_gets_a_friendly_page_that_names_no_unit(survey):
    engine, links, _ = survey
    names = set(api.read_units(engine)["name"])
    for token in ("not-a-token", links["k1.ho.hj1.t2"]):
        if token != "not-a-token":
            api.revoke_link(engine, "link-round", "k1.ho.hj1.t2")
        at = open_respond(t=token)
        assert at.title[0].value == "Lenken eller koden kan ikke brukes"
        assert "ikke gyldig" in at.warning[0].value
        page_text = " ".join(e.value for e in [*at.markdown, *at.warning, *at.title] if isinstance(e.value, str))
        assert not any(name in page_text for name in names)
        assert at.text_input(key="respond_code_input"), "a code can be typed instead"
    api.make_links(engine, "link-round")


def test_a_codes_round_link_and_a_closed_round_say_why(survey):
    engine, links, codes = survey
    codes_link = api.make_links(engine, "code-round")[0].token
    assert "engangskode" in open_respond(t=codes_link).warning[0].value
    api.close_round(engine, "code-round")
    try:
        at = open_respond(kode=codes[2])
        assert "avsluttet" in at.warning[0].value
        assert not at.text_input, "nothing to type when the survey is closed"
    finally:
        api.reopen_round(engine, "code-round")


def test_the_form_in_english(survey):
    engine, links, _ = survey
    at = open_respond("en", t=links[UNIT])
    assert at.title[0].value == "Survey"
    assert "You are answering for" in " ".join(m.value for m in at.markdown)
    click(at, "Start")
    click(at, "Next")
    radio = at.radio(key="respond_q_sk_info1")
    assert radio.options[-1] == "Don't know / not relevant"
    assert at.subheader[-1].value == "Mutual information"
    at.radio(key="respond_lang").set_value("nb")
    at.run()
    assert at.subheader[-1].value == "Gjensidig informasjon"


def test_a_round_in_bokmal_only_is_shown_in_bokmal_without_a_language_choice(survey):
    engine, _, _ = survey
    api.create_round(engine, "bare-nb", ["medbestemmelse"], [UNIT], languages=["nb"])
    token = api.make_links(engine, "bare-nb")[0].token
    at = open_respond("en", t=token)
    assert at.title[0].value == "Spørreundersøkelse"
    assert not at.radio, "no language switch with one language"


@pytest.mark.parametrize(("lang", "words"), [("nb", "ikke svart på noen"), ("nn", "ikkje svara på nokon"), ("en", "not answered any")])
def test_an_empty_form_cannot_be_sent(survey, lang, words):
    engine, links, _ = survey
    before = count(engine, "link-round")
    at = open_respond(lang, t=links[UNIT])
    click(at, "Start")
    at.session_state["respond_form"]["step"] = len(PAGES) + 2
    at.run()
    assert words in at.warning[0].value
    assert at.button(key="respond_submit").disabled, "nothing to send"
    assert count(engine, "link-round") == before


def test_guessing_codes_locks_the_browser_session(survey, monkeypatch):
    """Ten codes the database does not know, typed in one browser session, lock it: the
    eleventh, even a right one, is not looked up."""
    from scoring.store import code_attempts

    monkeypatch.setattr(code_attempts, "ATTEMPTS", code_attempts.AttemptLog())  # misses of earlier tests forgotten
    _, _, codes = survey
    at = open_respond()
    at.switch_page("dashboard/pages/respond.py").run()
    for n in range(10):
        at.text_input(key="respond_code_input").input(f"AAAA-BBBB-{n:04d}".replace("0", "C"))
        click(at, "Fortsett")
        assert "ikke gyldig" in at.warning[0].value, n
        assert at.session_state["respond_form"]["code_checked"], "a miss is counted once, not on every rerun"
        at.run()
    at.text_input(key="respond_code_input").input(codes[4])
    click(at, "Fortsett")
    assert "For mange feil forsøk" in at.warning[0].value
    assert "Hjemmetjenesten" not in " ".join(m.value for m in at.markdown)
