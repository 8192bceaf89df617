"""Start the dashboard server with its modules already imported: ``python -m dashboard.serve
[streamlit options]`` (the same as ``streamlit run app.py [options]``), with the start-up heap frozen (:func:`freeze_heap`).

Streamlit imports a page's modules in the first run that needs them, so after a restart (a
deployment, a new app server, a crashed process) the first manager's page pays for importing
pandas, SciPy, Plotly, SQLAlchemy and the data layer: 1-2 s of the 1.5 s a page may take
(issue 15, docs/performance.md). Pages run in the server's own process, and a module is imported
once per process, so importing them here, before the server starts, moves that cost to the
start. It changes nothing else: the pages, caches and sessions are Streamlit's.
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
SKIP = {"dashboard.serve", "dashboard.pages"}


def preload() -> list[str]:
    """Import every module of the ``dashboard`` package (not the pages, which are scripts): with
    them the data layer, ``scoring`` and the libraries they use. Returns the modules imported."""
    import streamlit.runtime.caching.cache_data_api  # noqa: F401 - its logger is set up on import

    import dashboard

    # st.cache_data checks its settings when a function is decorated and warns that no runtime
    # exists yet; the cache itself is made on the first call, inside the running server.
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        names = []
        for info in pkgutil.iter_modules(dashboard.__path__, "dashboard."):
            if info.name in SKIP or info.ispkg:
                continue
            importlib.import_module(info.name)
            names.append(info.name)
        import plotly.io

        plotly.io.templates["plotly_white"]  # built from its JSON on first use (0.2 s): every chart is styled with it
        warm_figures()
        warm_streamlit()

        from scoring.store.db import head_revision

        head_revision()  # the first page compares the database's schema with it
    finally:
        quiet.setLevel(level)
    return names


def warm_figures() -> None:
    """Build, style and serialise one small figure of each kind the pages draw (scatter with
    error bars, heatmap, bar, a band, a line and a note, subplots): Plotly imports the classes
    and validators of a figure's parts on their first use and copies the template into its
    first styled layout, 0.15-0.2 s that the first chart after a restart would otherwise pay."""
    import plotly.graph_objects as go
    import plotly.io
    from plotly.subplots import make_subplots

    from dashboard.charts import style

    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Scatter(x=[1.0], y=["a"], mode="markers+text", text=["a"], error_x={"type": "data", "array": [0.1]},
                             error_y={"type": "data", "array": [0.1]}, marker={"symbol": "circle"}), row=1, col=1)
    fig.add_trace(go.Heatmap(z=[[1.0]], x=["s"], y=["a"], text=[["a"]], texttemplate="%{text}", hovertext=[["a"]]), row=1, col=2)
    fig.add_trace(go.Bar(x=[1.0], y=["a"], orientation="h", text=["a"]), row=1, col=1)
    fig.add_vrect(x0=0.0, x1=1.0, line_width=0, layer="below")
    fig.add_vline(x=1.0, annotation_text="a", annotation_position="top")
    fig.add_annotation(x=1.0, y="a", text="a", showarrow=False)
    fig.update_xaxes(side="top", tickangle=-40, range=[0, 2])
    fig.update_yaxes(categoryorder="array", categoryarray=["a"], tickvals=["a"], ticktext=["a"], autorange="reversed")
    plotly.io.to_json(style(fig).to_dict(), validate=False)


def warm_streamlit() -> None:
    """What Streamlit does once per process on a page's first run: ``set_page_config`` with an
    emoji icon imports its emoji table (a regular expression of every emoji, 40 ms), and the first
    element checks whether it runs in a REPL with ``inspect.stack()``, which fills inspect's
    module-by-file cache (70 ms). Both measured with py-spy on Compare after a restart."""
    import inspect

    import streamlit.emojis  # noqa: F401

    inspect.stack()


def freeze_heap() -> int:
    """Take everything in the process so far (the imported modules, classes, functions and their
    dicts: some hundred thousand objects) out of the cyclic garbage collector's generations;
    returns how many objects were moved.

    Streamlit collects every generation after each script run (``runner.postScriptGC``), in the
    script's thread and holding the interpreter lock, so the server cannot send the run's last
    elements, nor say the run is finished, until the collection ends. With the libraries' objects
    in the heap that full collection took 150-250 ms of every page run (measured on Compare: a
    unit change waited 178 ms after its script ended); objects that live as long as the process
    never become garbage, and frozen (``gc.freeze``, Python's documented remedy for a server's
    start-up objects) the same collection takes 10-15 ms. Cycles made later are collected as
    before."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def main() -> None:
    start = time.perf_counter()
    names = preload()
    freeze_heap()
    print(f"samklima: {len(names)} dashboard modules imported in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
