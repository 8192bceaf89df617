"""The Streamlit dashboard: pages, translation tables and the cached data layer."""
