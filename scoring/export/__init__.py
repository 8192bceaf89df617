"""Exports: printable PDFs (posters, code slips, paper forms)."""
