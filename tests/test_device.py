"""dashboard.device: which browsers are sent the Compare page's phone list."""

from __future__ import annotations

import pytest

from dashboard.device import says_phone

PHONES = [
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",  # a tablet
]
DESKTOPS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
]


@pytest.mark.parametrize("agent", PHONES)
def test_a_phone_or_an_android_tablet_may_be_a_phone(agent):
    assert says_phone({"User-Agent": agent}) is True


@pytest.mark.parametrize("agent", DESKTOPS)
def test_a_desktop_browser_is_not_a_phone(agent):
    assert says_phone({"User-Agent": agent}) is False


def test_chromiums_mobile_hint_wins_and_no_agent_leaves_it_open():
    assert says_phone({"User-Agent": DESKTOPS[0], "Sec-CH-UA-Mobile": "?1"}) is True  # device emulation, or a phone asking for the desktop site
    assert says_phone({"User-Agent": DESKTOPS[0], "Sec-CH-UA-Mobile": "?0"}) is False
    assert says_phone({}) is None and says_phone({"User-Agent": ""}) is None
