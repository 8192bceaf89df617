"""Large HTML fragments that this code built, put on the page without a second sanitising pass.

``st.html`` runs every fragment through DOMPurify in the browser and hands it to React on every
rerun. For the Compare page's heatmap table, its phone list and its chart (100-120 KB each on a
national round's 41 x 14 cells) that was the largest part of the browser's work after a unit
change: DOMPurify alone 100-180 ms of the main thread in Chromium's profile (issue 15,
docs/performance.md "7 December"). :func:`trusted_html` mounts a small ``st.components.v2``
component instead, inline in the page (no iframe, no shadow root, so the page's CSS and the
fragment's own ``<style>`` apply as before), whose script sets the fragment as its element's
``innerHTML`` only when the fragment changed.

Trust: the fragment is written into the page as it is. Only pass HTML this code built, with every
text from data (unit and scale names, labels, translations) escaped by ``html.escape``, as
:mod:`dashboard.heat_table`, :mod:`dashboard.scale_list` and :mod:`dashboard.whisker_html` do
(``tests/test_heat_table.py``, ``tests/test_scale_list.py`` and ``tests/test_whisker_html.py``
check that a unit named with markup comes out as text). Never pass
answers, free text or anything a person typed, unescaped.
"""

from __future__ import annotations

import streamlit as st

SCRIPT = """
export default function ({ data, parentElement }) {
  let box = parentElement.querySelector(':scope > div.sk-trusted');
  if (!box) {
    box = document.createElement('div');
    box.className = 'sk-trusted';
    parentElement.appendChild(box);
  }
  if (box.__skHtml !== data) {  // a rerun with the same fragment leaves the DOM alone
    box.innerHTML = data;
    box.__skHtml = data;
  }
}
"""
COMPONENT = "samklima_trusted_html"
_component = st.components.v2.component(COMPONENT, js=SCRIPT, isolate_styles=False)


def trusted_html(body: str, key: str) -> None:
    """Put ``body`` (HTML this code built and escaped; see the module docstring) on the page as
    the element keyed ``key`` (unique on the page)."""
    _component(data=body, key=key)
