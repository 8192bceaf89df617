"""Samklima: survey instruments and psychometrics for Norwegian health and care services.

The import package is ``scoring``; the distribution is ``samklima``. Pure functions here take
DataFrames and return small result objects; the CLI (``samklima``) and the Streamlit app are
thin layers over them.
"""

__version__ = "0.1.0"
