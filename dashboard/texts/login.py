"""Texts of logging in that are not in common.py: the lockout after repeated failures."""

TEXT: dict[str, dict[str, str]] = {
    "login_locked": {
        "nb": "For mange mislykkede innlogginger. Vent {minutes} minutter og prøv igjen.",
        "en": "Too many failed logins. Wait {minutes} minutes and try again.",
    },
}
