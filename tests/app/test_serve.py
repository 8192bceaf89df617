"""``python -m dashboard.serve`` imports the dashboard's modules before the server starts, so the
first page after a restart does not pay for them (docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

PROBE = """
import json, sys
from dashboard.serve import preload
names = preload()
print(json.dumps({"names": names, "loaded": sorted(m for m in sys.modules if m.split('.')[0] in
      ('pandas', 'plotly', 'sqlalchemy', 'scipy', 'scoring', 'dashboard', 'streamlit'))}))
"""


def test_the_launcher_imports_the_data_layer_and_the_libraries_before_serving():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"dashboard.data", "dashboard.data_compare", "dashboard.data_landing", "dashboard.data_invariance"} <= set(seen["names"])
    assert not any(name.startswith("dashboard.pages.") or name in ("dashboard.pages", "dashboard.serve") for name in seen["names"]), "pages are scripts"
    for module in ("pandas", "plotly.graph_objects", "plotly.graph_objs._heatmap", "plotly.graph_objs.scatter._error_x", "sqlalchemy", "scipy.stats", "scoring.store.cuts", "scoring.privacy.scope",
                   "streamlit.emojis"):
        assert module in seen["loaded"], module
    assert "No runtime found" not in out.stderr, "the cache warnings of decorating before the server are silenced"


FROZEN = """
import gc, json
from streamlit.web import cli
import dashboard.serve as serve
seen = {}
def main():  # instead of starting the server: what the collector can see when it would start
    import pandas
    tracked = {id(o) for o in gc.get_objects()}
    seen.update(frozen=gc.get_freeze_count(), dataframe_tracked=id(pandas.DataFrame) in tracked,
                preload_tracked=id(serve.preload) in tracked)
    return 0
cli.main = main
try:
    serve.main()
except SystemExit:
    pass
print(json.dumps(seen))
"""


def test_the_launcher_takes_the_imported_modules_out_of_the_collectors_reach_before_serving():
    """Streamlit's full collection after every run holds the interpreter lock while the page's
    last elements wait to be sent; frozen, the libraries' objects are not walked by it."""
    out = subprocess.run([sys.executable, "-c", FROZEN], cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["frozen"] > 50_000, seen
    assert not seen["dataframe_tracked"] and not seen["preload_tracked"], "the libraries' and the launcher's objects are frozen"
