"""Statistics on arrays and tables: no database, no Streamlit, no file formats (arrays in, results out)."""
