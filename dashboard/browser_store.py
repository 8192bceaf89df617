"""The respondent's own browser: a draft of the answers in ``localStorage``, an "answered here
before" flag, ``<html lang>`` and scrolling to the top of a new page; on every page, a tab stop
on a table box that scrolls sideways (a phone), so a keyboard can scroll it.

One small Streamlit custom component (``st.components.v2``, inline JavaScript, no iframe and no
build step). On every run the page passes what the browser should do (``data``): write the
draft under ``draft_key`` or remove it, set the flag under ``flag_key``, set ``<html lang>``,
and scroll to the top when ``page`` changes. Once per page load and draft key the component
reports what the browser holds (``stored``: ``{"key", "draft", "answered"}``), which reruns
the page; a browser without storage (private mode with storage blocked) reports nothing stored
and the form simply starts empty.

Nothing of this reaches the server's database: the draft lives in the browser that gave the
answers and is removed when they are sent (``design/privacy.md``: no server-side link between a
person and an answer). The keys are SHA-256 digests, so the storage names no round, unit or
code in clear text.
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

PREFIX = "samklima"
STATE_KEY = "respond_browser_store"

JS = """
export default function (component) {
  const { data, setStateValue } = component;
  if (!data) return;
  const doc = window.document;
  if (data.lang) doc.documentElement.lang = data.lang;
  // A table wider than a phone scrolls in its own box; a keyboard must reach that box too
  // (WCAG 2.1.1, axe "scrollable-region-focusable"), so a box that scrolls gets a tab stop.
  if (!window.__samklimaScrollBoxes) {
    window.__samklimaScrollBoxes = true;
    const mark = () => doc.querySelectorAll("[data-testid='stTable'] > div").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
    let queued = false;
    const later = () => { if (!queued) { queued = true; window.requestAnimationFrame(() => { queued = false; mark(); }); } };
    new MutationObserver(later).observe(doc.body, { childList: true, subtree: true });
    window.addEventListener("resize", later);
    mark();
  }
  let storage = null;
  try { storage = window.localStorage; storage.getItem("samklima-probe"); } catch (e) { storage = null; }
  const seen = (window.__samklimaReported = window.__samklimaReported || {});
  // What the browser held before this run's writes: reported once per page load and key.
  if (data.draft_key && !seen[data.draft_key]) {
    seen[data.draft_key] = true;
    let draft = null, answered = false;
    if (storage) {
      try { draft = JSON.parse(storage.getItem(data.draft_key) || "null"); } catch (e) { draft = null; }
      answered = data.flag_key ? storage.getItem(data.flag_key) !== null : false;
    }
    setStateValue("stored", { key: data.draft_key, draft: draft, answered: answered });
  }
  if (storage) {
    try {
      if (data.save && data.draft_key) storage.setItem(data.draft_key, JSON.stringify(data.save));
      if (data.clear && data.draft_key) storage.removeItem(data.draft_key);
      if (data.set_flag && data.flag_key) storage.setItem(data.flag_key, "1");
    } catch (e) { /* storage full or blocked: the form still works, only without a draft */ }
  }
  // A new page of the form starts at its top, whichever element scrolls (Streamlit scrolls
  // inside its own containers; a phone may scroll the window).
  if (data.page !== undefined && window.__samklimaPage !== data.page) {
    const first = window.__samklimaPage === undefined;
    window.__samklimaPage = data.page;
    if (!first) {
      const toTop = () => {
        window.scrollTo(0, 0);
        doc.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer'], "
          + "[data-testid='stAppScrollToBottomContainer'], [data-testid='stMainBlockContainer']")
          .forEach((el) => { el.scrollTop = 0; });
      };
      toTop();
      window.requestAnimationFrame(toTop);
      window.setTimeout(toTop, 150);
      window.setTimeout(toTop, 400);
    }
  }
}
"""

_component = st.components.v2.component(f"{PREFIX}_browser_store", js=JS)


def storage_key(kind: str, *parts: Any) -> str:
    """A ``localStorage`` key: ``samklima-<kind>-`` and 24 hex digits of SHA-256 of the parts."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:24]
    return f"{PREFIX}-{kind}-{digest}"


def reported(draft_key: str | None) -> dict | None:
    """What the browser reported for ``draft_key`` in this session (``{"key", "draft",
    "answered"}``), read before the component is mounted in this run; ``None`` until it has."""
    state = st.session_state.get(STATE_KEY)
    stored = state.get("stored") if hasattr(state, "get") else None
    if isinstance(stored, dict) and draft_key is not None and stored.get("key") == draft_key:
        return stored
    return None


def html_lang(lang: str) -> None:
    """Set ``<html lang>`` to the page's language (for screen readers and hyphenation); the
    dashboard pages call this from ``app.py``, the answer page through :func:`browser_store`."""
    _component(key="html_lang", data={"lang": lang}, height="content")


def browser_store(
    *,
    lang: str,
    draft_key: str | None = None,
    flag_key: str | None = None,
    save: dict | None = None,
    clear: bool = False,
    set_flag: bool = False,
    page: str | None = None,
) -> None:
    """Mount the component (invisible; the page hides it with CSS)."""
    data = {"lang": lang, "draft_key": draft_key, "flag_key": flag_key, "save": save, "clear": clear, "set_flag": set_flag, "page": page}
    _component(key=STATE_KEY, data=data, default={"stored": None}, height="content", on_stored_change=lambda: None)
