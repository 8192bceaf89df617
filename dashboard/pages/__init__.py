"""Dashboard pages (thin): each reads through dashboard.data, renders with charts and widgets, and starts with the page guard."""
