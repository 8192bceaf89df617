"""Svar / Answer: the questionnaire for respondents, without login.

Reached by a unit link (``?t=TOKEN``), a one-time code in the address (``?kode=CODE``) or a code
typed into the page. The link or code is checked by :func:`scoring.store.api.resolve_access` on
every run, so a round that closes while someone answers is noticed; a refused link says why in
words that name no unit. The form comes one subscale per page (:mod:`dashboard.form_pages`),
then a review, then :func:`~scoring.store.api.submit_response` with an idempotency key made once
per form: a double click or a resent form stores one response. An empty form (no item answered)
is not sent; the store refuses one too.

The answers are kept in the respondent's own browser as they are given (every choice reruns the
page, no ``st.form``), through :mod:`dashboard.browser_store`: a reload, a lost connection or a
closed tab brings the respondent back to the page they were on with every answer, and the draft
is removed when the answers are sent. A browser that has sent an answer through a unit link
keeps a flag and is told so when the link is opened again (it may answer again: a shared
tablet). The language is the respondent's choice; the round's first language is the default.
A typed code is checked with attempt limiting (:mod:`scoring.store.code_attempts`).

What is stored (date only, no IP address, user agent or code) is decided by the store, not
here. Every text that comes from data (the unit's name, the instruments' titles, instructions,
items, answer labels and scale names) is escaped with :func:`dashboard.plain.plain`, so no Markdown link, image or HTML in a name or
an instrument file reaches the page.
"""

from __future__ import annotations

import datetime as dt
import secrets

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import data
from dashboard import data_store as api
from dashboard.browser_store import browser_store, reported, storage_key
from dashboard.data_store import MAX_KEY_LENGTH, CodeLocked, code_hash, encode_value, open_with_code
from dashboard.form_pages import BACKGROUND_CHOICES, FormPage, answer_options, form_pages, partner_options, slider_ends
from dashboard.i18n import LANGUAGES, t
from dashboard.plain import plain
from dashboard.problems import problems_markdown
from scoring.errors import UserError

FORM = "respond_form"  # the session's form: credential, idempotency key, step, answers, fields
WIDGET = "respond_q_"  # prefix of the answer widgets' keys

# On a phone (360 px) the default heading sizes split long Norwegian words, and radio rows of
# 20 px are hard to hit with a thumb; taller rows make each answer a bigger target, and bold
# questions stand apart from their answers.
PHONE_CSS = """<style>
@media (max-width: 640px) {
  h1 { font-size: 1.9rem !important; }
  h2 { font-size: 1.5rem !important; }
  h3 { font-size: 1.25rem !important; }
}
[data-testid="stRadioOption"] { min-height: 2rem; align-items: center; }
.st-key-respond_questions [data-testid="stWidgetLabel"] p { font-weight: 600; }
.st-key-respond_browser_store { display: none; }
</style>"""


def form_state() -> dict:
    return st.session_state.setdefault(FORM, {})


def start_form(credential: dict[str, str]) -> dict:
    """A fresh form for a link or code: new idempotency key, no answers."""
    clear_widgets()
    st.session_state[FORM] = {
        "credential": credential, "key": secrets.token_urlsafe(24), "step": 0, "answers": {}, "fields": {}, "done": False,
    }
    return st.session_state[FORM]


def clear_widgets() -> None:
    """Forget the answer widgets' own state, so they are drawn again from the form's answers."""
    for key in [k for k in st.session_state if str(k).startswith((WIDGET, "respond_field_"))]:
        del st.session_state[key]


def draft_keys(access: api.Access, credential: dict[str, str]) -> tuple[str, str | None]:
    """The browser-storage keys of this form's draft (per round, unit and link or code) and of
    the "answered here before" flag (per round and unit, unit links only)."""
    if "code" in credential:
        return storage_key("draft", access.round_id, access.unit, "code", code_hash(credential["code"])), None
    return (
        storage_key("draft", access.round_id, access.unit, "link", credential["token"].strip()),
        storage_key("answered", access.round_id, access.unit),
    )


def restore_draft(form: dict, draft, access: api.Access, last_step: int) -> bool:
    """Take the answers, fields, step, language and idempotency key the browser kept, if this
    form is still untouched. Whatever does not fit the round's questionnaire is dropped (the
    store checks everything again on sending)."""
    if not isinstance(draft, dict) or form["answers"] or form["fields"] or form["step"] != 0:
        return False
    answers = draft.get("answers") if isinstance(draft.get("answers"), dict) else {}
    scales = access.form.scales
    kept = {}
    for item_id, value in answers.items():
        if item_id in scales:
            code, problem = encode_value(value, scales[item_id])
            if code is not None and problem is None:
                kept[item_id] = code
    fields = draft.get("fields") if isinstance(draft.get("fields"), dict) else {}
    allowed = set(access.form.field_ids)
    form["answers"] = kept
    form["fields"] = {k: str(v)[:100] for k, v in fields.items() if k in allowed and isinstance(v, str) and v}
    step = draft.get("step")
    form["step"] = max(0, min(step, last_step)) if isinstance(step, int) and not isinstance(step, bool) else 0
    key = draft.get("key")
    if isinstance(key, str) and 0 < len(key) <= MAX_KEY_LENGTH:
        form["key"] = key
    if draft.get("lang") in access.languages:
        form["lang"] = draft["lang"]
    clear_widgets()
    return True


def draft_of(form: dict, lang: str) -> dict:
    return {"v": 1, "step": form["step"], "answers": form["answers"], "fields": form["fields"], "key": form["key"], "lang": lang}


def credential_from_address() -> dict[str, str] | None:
    token = st.query_params.get("t")
    code = st.query_params.get("kode") or st.query_params.get("k")
    if token:
        return {"token": token}
    if code:
        return {"code": code}
    return None


def sync_language() -> None:
    st.session_state["respond_lang_choice"] = st.session_state["respond_lang"]
    st.session_state["lang"] = st.session_state["respond_lang"]
    form_state()["lang"] = st.session_state["respond_lang"]


def language_switch(languages, default: str | None = None) -> str:
    """The language radio (only the round's languages); returns the language in use: the
    respondent's choice, else ``?lang=``, else the language the draft was written in, else
    ``default`` (the round's first language)."""
    languages = list(languages)
    wanted = [st.session_state.get("respond_lang_choice"), st.query_params.get("lang"), form_state().get("lang"), default]
    lang = next((w for w in wanted if w in languages), None)
    if lang is None:
        # The app's own language, when it fits (the code page before a round is known).
        lang = st.session_state.get("lang") if st.session_state.get("lang") in languages else languages[0]
    if len(languages) > 1:
        st.session_state["respond_lang"] = lang
        st.radio(
            t("respond_language", lang), languages, format_func=LANGUAGES.get, horizontal=True, key="respond_lang",
            on_change=sync_language,
        )
    return lang


def open_form(form: dict, credential: dict[str, str]) -> api.Access:
    """What the link or code opens. A code is checked with attempt limiting the first time this
    form sees it (a miss counts once, not on every rerun of the page)."""
    if "code" in credential and not form.get("code_checked"):
        try:
            access = open_with_code(data.engine(), credential["code"], address=client_address(), session=session_id())
        except api.AccessRefused:
            form["code_checked"] = True  # a miss is counted once; a lock is checked again
            raise
        form["code_checked"] = True
        return access
    return api.resolve_access(data.engine(), **credential)


def client_address() -> str | None:
    """The client's address (the last proxy's view of it when behind one), for attempt limiting."""
    headers = st.context.headers
    forwarded = headers.get("X-Forwarded-For") if headers else None
    if forwarded and forwarded.split(",")[-1].strip():
        return forwarded.split(",")[-1].strip()
    return getattr(st.context, "ip_address", None)


def session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def show_date(day: dt.date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def code_form(lang: str, lead: str) -> None:
    """A field for a one-time code; a code typed here starts a new form."""
    with st.form("respond_code_form"):
        st.markdown(lead)
        code = st.text_input(t("respond_code", lang), key="respond_code_input", help=t("respond_code_help", lang), autocomplete="off")
        go = st.form_submit_button(t("respond_code_go", lang), type="primary")
    if go:
        if not code.strip():
            st.error(t("respond_code_empty", lang))
        else:
            start_form({"code": code.strip()})
            # In the address, so a reload finds the form (and its draft) again.
            st.query_params.pop("t", None)
            st.query_params["kode"] = code.strip()
            st.rerun()


def refused_page(err: api.AccessRefused, lang: str) -> None:
    st.title(t("respond_refused_title", lang), anchor=False)
    if err.reason == "not_open":
        message = t("respond_refused_not_open", lang, date=show_date(err.opens)) if err.opens else t("respond_refused_not_open_undated", lang)
    else:
        message = t(f"respond_refused_{err.reason}", lang)
    st.warning(message)
    if err.reason in ("invalid", "unknown_code", "used", "needs_code"):
        code_form(lang, t("respond_try_code", lang))


def item_label(page: FormPage, item_id: str, lang: str) -> str:
    inst = page.instrument
    text = inst.item(item_id).text
    return f"{inst.item_ids.index(item_id) + 1}. {plain(text.get(lang) or text['nb'])}"


def answer_text(page: FormPage, item_id: str, value, lang: str) -> str:
    if value is None:
        return t("respond_not_answered", lang)
    rs = page.instrument.response_scale_of(item_id)
    if rs.kind == "continuous":
        return f"{value:g}"
    return plain(dict(answer_options(rs, lang)).get(value, f"{value}"))


def page_title(page: FormPage, lang: str) -> str:
    """The page's scale name, escaped for Markdown (it comes from the instrument file)."""
    return plain(page.title(lang)) if page.title(lang) else t("respond_other_items", lang)


def item_widget(page: FormPage, item_id: str, stored, lang: str):
    """A radio with the response scale's labels and "vet ikke"; a number field for a slider item."""
    rs = page.instrument.response_scale_of(item_id)
    label = item_label(page, item_id, lang)
    if rs.kind == "continuous":
        low, high = slider_ends(rs, lang)
        return st.number_input(
            label, min_value=float(rs.min), max_value=float(rs.max), step=float(rs.step), value=stored,
            format=f"%.{rs.decimals}f", key=WIDGET + item_id,
            help=t("respond_slider_ends", lang, low=plain(low), high=plain(high), min=f"{rs.min:g}", max=f"{rs.max:g}"),
        )
    options = answer_options(rs, lang)
    codes = [code for code, _ in options]
    labels = {code: plain(text) for code, text in options}
    return st.radio(label, codes, index=codes.index(stored) if stored in codes else None, format_func=labels.get, key=WIDGET + item_id)


def field_widget(field, stored, lang: str, own_unit: str):
    label = plain(field.label.get(lang) or field.label["nb"])
    if field.kind == "partner":
        units = data.units()
        names = dict(zip(units["unit"], units["name"]))
        options = [None, *partner_options(units, own_unit)]
        return st.selectbox(
            label, options, index=options.index(stored) if stored in options else 0,
            format_func=lambda u: t("respond_partner_none", lang) if u is None else names.get(u, u), key=f"respond_field_{field.id}",
        )
    return st.text_input(label, value=stored or "", max_chars=100, key=f"respond_field_{field.id}") or None


def nav_buttons(lang: str, next_label: str, step: int) -> tuple[bool, bool]:
    with st.container(horizontal=True):
        back = st.button(t("respond_back", lang), key=f"respond_back_{step}")
        forward = st.button(next_label, type="primary", key=f"respond_next_{step}")
    return back, forward


def progress(step: int, pages: int, lang: str) -> None:
    st.progress(min(1.0, (step - 1) / pages), text=t("respond_progress", lang, page=min(step, pages), pages=pages))


def start_page(form: dict, access: api.Access, pages: int, lang: str, answered_before: bool) -> None:
    st.title(t("respond_title", lang), anchor=False)
    st.subheader(" · ".join(plain(inst.title.get(lang) or inst.title["nb"]) for inst in access.instruments), anchor=False)
    st.markdown(t("respond_unit", lang, unit=plain(access.unit_name)))
    if access.closes:
        st.markdown(t("respond_closes", lang, date=show_date(access.closes)))
    if answered_before:
        st.info(t("respond_answered_before", lang), icon=":material/devices:")
    min_n = api.round_info(data.engine(), access.round).min_n
    note = t("respond_anonymous", lang, min_n=min_n)
    if access.code_hash is not None:
        note += " " + t("respond_code_note", lang)
    st.info(note, icon=":material/lock:")
    st.markdown(t("respond_time", lang) + " " + t("respond_how", lang, pages=pages) + " " + t("respond_kept", lang))
    if st.button(t("respond_start", lang), type="primary", key="respond_start"):
        form["step"] = 1
        st.rerun()


def about_page(form: dict, pages: int, lang: str) -> None:
    progress(1, pages, lang)
    with st.container(key="respond_questions"):
        st.header(t("respond_about_title", lang), anchor=False)
        st.markdown(t("respond_about_note", lang))
        for field_id, codes in BACKGROUND_CHOICES.items():
            options = [None, *codes]
            stored = form["fields"].get(field_id)
            # A long list is easier to use as a searchable menu than as radio buttons on a phone.
            widget = st.selectbox if len(options) > 7 else st.radio
            form["fields"][field_id] = widget(
                t(f"respond_field_{field_id}", lang), options, index=options.index(stored) if stored in options else 0,
                format_func=lambda c, f=field_id: t("respond_no_answer", lang) if c is None else t(f"respond_{f}_{c}", lang),
                key=f"respond_field_{field_id}",
            )
    back, forward = nav_buttons(lang, t("respond_next", lang), 1)
    if back or forward:
        form["step"] += 1 if forward else -1
        st.rerun()


def items_page(form: dict, access: api.Access, page: FormPage, step: int, pages: int, last: bool, lang: str) -> None:
    """One subscale. Every choice reruns the page and goes into the form (and so into the
    browser's draft) at once."""
    progress(step, pages, lang)
    inst = page.instrument
    with st.container(key="respond_questions"):
        if page.first_of_instrument:
            st.header(plain(inst.title.get(lang) or inst.title["nb"]), anchor=False)
            if inst.instructions:
                st.markdown(plain(inst.instructions.get(lang) or inst.instructions["nb"]))
        for f in page.fields:
            form["fields"][f.id] = field_widget(f, form["fields"].get(f.id), lang, access.unit)
        st.subheader(page_title(page, lang), anchor=False)
        for item_id in page.items:
            form["answers"][item_id] = item_widget(page, item_id, form["answers"].get(item_id), lang)
    back, forward = nav_buttons(lang, t("respond_to_review" if last else "respond_next", lang), step)
    if back or forward:
        missing = [f for f in page.fields if f.required and not form["fields"].get(f.id)]
        if forward and missing:
            st.error(t("respond_field_required", lang) + " " + ", ".join(plain(f.label.get(lang) or f.id) for f in missing))
            return
        form["step"] += 1 if forward else -1
        st.rerun()


def go_to(step: int) -> None:
    form_state()["step"] = step


def review_page(form: dict, access: api.Access, pages: list[FormPage], lang: str) -> None:
    st.progress(1.0, text=t("respond_progress_done", lang))
    st.title(t("respond_review_title", lang), anchor=False)
    st.markdown(t("respond_review_note", lang))
    answers = form["answers"]
    with st.expander(t("respond_about_title", lang)):
        for field_id in BACKGROUND_CHOICES:
            value = form["fields"].get(field_id)
            shown = t(f"respond_{field_id}_{value}", lang) if value else t("respond_no_answer", lang)
            st.markdown(f"{t(f'respond_field_{field_id}', lang)}  \n**{shown}**")
        st.button(t("respond_review_change", lang, title=t("respond_about_title", lang)), key="respond_change_about", on_click=go_to, args=(1,))
    unanswered = 0
    for n, page in enumerate(pages):
        answered = sum(answers.get(i) is not None for i in page.items)
        unanswered += len(page.items) - answered
        title = page_title(page, lang)
        with st.expander(t("respond_review_page", lang, title=title, answered=answered, items=len(page.items))):
            for item_id in page.items:
                st.markdown(f"{item_label(page, item_id, lang)}  \n**{answer_text(page, item_id, answers.get(item_id), lang)}**")
            st.button(t("respond_review_change", lang, title=title), key=f"respond_change_{n}", on_click=go_to, args=(n + 2,))
    empty = not any(answers.get(i) is not None for page in pages for i in page.items)
    if empty:
        st.warning(t("respond_empty", lang))
    elif unanswered:
        st.warning(t("respond_unanswered", lang, n=unanswered))
    with st.container(horizontal=True):
        st.button(t("respond_back", lang), key="respond_review_back", on_click=go_to, args=(len(pages) + 1,))
        send = st.button(t("respond_submit", lang), type="primary", key="respond_submit", disabled=empty)
    if send and not empty:
        submit(form, access, lang)


def submit(form: dict, access: api.Access, lang: str) -> None:
    fields = {k: v for k, v in form["fields"].items() if v}
    try:
        api.submit_response(
            data.engine(), **form["credential"], answers=form["answers"], fields=fields, language=lang,
            idempotency_key=form["key"],
        )
    except api.AccessRefused as err:
        form["refused"] = err.reason
        st.rerun()
    except api.EmptyResponse:
        st.error(t("respond_empty", lang))
        return
    except UserError as err:
        # The details (item and reason) help whoever the respondent asks for help.
        st.error(t("respond_error", lang) + "\n\n" + problems_markdown(err, lang))
        return
    # The answers leave the session once stored, and the thanks page removes the browser's
    # draft: a shared phone keeps nothing behind.
    clear_widgets()
    form.update(done=True, answers={}, fields={}, languages=list(access.languages), lang=lang)
    st.rerun()


def thanks_page(form: dict) -> str:
    lang = language_switch(form.get("languages") or LANGUAGES)
    st.title(t("respond_thanks_title", lang), anchor=False)
    st.success(t("respond_thanks", lang), icon=":material/check_circle:")
    return lang


def main() -> None:
    st.html(PHONE_CSS)
    form = form_state()
    if form.get("done"):
        lang = thanks_page(form)
        # The draft goes; a unit link leaves the "answered here before" flag.
        browser_store(lang=lang, draft_key=form.get("draft_key"), flag_key=form.get("flag_key"), clear=True, set_flag=bool(form.get("flag_key")))
        return
    credential = form.get("credential") or credential_from_address()
    if credential is None:
        lang = language_switch(LANGUAGES)
        st.title(t("respond_code_title", lang), anchor=False)
        code_form(lang, t("respond_code_help", lang))
        browser_store(lang=lang)
        return
    if form.get("credential") != credential:
        form = start_form(credential)
    try:
        if form.get("refused"):
            raise api.AccessRefused(form["refused"])
        access = open_form(form, credential)
    except CodeLocked as err:
        lang = language_switch(LANGUAGES)
        st.title(t("respond_refused_title", lang), anchor=False)
        st.warning(t("respond_code_locked", lang, minutes=err.minutes_left()))
        browser_store(lang=lang)
        return
    except api.AccessRefused as err:
        lang = language_switch(LANGUAGES)
        refused_page(err, lang)
        browser_store(lang=lang)
        return
    pages = form_pages(access.instruments)
    last_step = len(pages) + 2
    form["draft_key"], form["flag_key"] = draft_keys(access, credential)
    # What this browser kept (reported by the browser once per page load, which reruns the page).
    stored = reported(form["draft_key"])
    if stored is not None and not form.get("restored"):
        form["restored"] = True
        form["answered_before"] = bool(stored.get("answered"))
        if restore_draft(form, stored.get("draft"), access, last_step):
            st.rerun()
    lang = language_switch(access.languages, default=access.languages[0])
    shown_pages = len(pages) + 1  # "about you" and one page per subscale
    step = max(0, min(form["step"], last_step))
    if step == 0:
        start_page(form, access, shown_pages, lang, form.get("answered_before", False))
    elif step == 1:
        about_page(form, shown_pages, lang)
    elif step <= len(pages) + 1:
        items_page(form, access, pages[step - 2], step, shown_pages, step == len(pages) + 1, lang)
    else:
        review_page(form, access, pages, lang)
    # Written only after the browser has said what it kept, so a reload never overwrites a
    # draft with an empty form.
    save = draft_of(form, lang) if form.get("restored") else None
    browser_store(lang=lang, draft_key=form["draft_key"], flag_key=form["flag_key"], save=save, page=str(step))


main()
