"""Nynorsk for dashboard/texts/login.py."""

NN: dict[str, str] = {
    "login_locked": "For mange mislukka innloggingar. Vent {minutes} minutt og prøv igjen.",
}
