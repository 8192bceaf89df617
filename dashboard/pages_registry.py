"""The pages of the app: file, menu title (a text key), icon and URL path.

A page appears in the menu once its file exists and the role may open it
(:data:`scoring.store.access.PAGES_BY_ROLE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    url_path: str

    def exists(self) -> bool:
        return (ROOT / self.file).exists()


PAGES: dict[str, PageSpec] = {
    "home": PageSpec("dashboard/pages/home.py", "page_home", ":material/home:", "forside"),
    "landing": PageSpec("dashboard/pages/landing.py", "page_landing", ":material/dashboard:", "mine-enheter"),
    "plans": PageSpec("dashboard/pages/plans.py", "page_plans", ":material/checklist:", "tiltak"),
    "overview": PageSpec("dashboard/pages/overview.py", "page_overview", ":material/monitoring:", "oversikt"),
    "compare": PageSpec("dashboard/pages/compare.py", "page_compare", ":material/compare_arrows:", "sammenlign"),
    "trends": PageSpec("dashboard/pages/trends.py", "page_trends", ":material/trending_up:", "utvikling"),
    "items": PageSpec("dashboard/pages/items.py", "page_items", ":material/bar_chart:", "sporsmal"),
    "partners": PageSpec("dashboard/pages/partners.py", "page_partners", ":material/handshake:", "samarbeidspartnere"),
    "quality": PageSpec("dashboard/pages/quality.py", "page_quality", ":material/verified:", "kvalitet"),
    "export": PageSpec("dashboard/pages/export.py", "page_export", ":material/download:", "eksport"),
    "admin": PageSpec("dashboard/pages/admin.py", "page_admin", ":material/settings:", "admin"),
    "clients": PageSpec("dashboard/pages/clients.py", "page_clients", ":material/person:", "klienter"),
    "respond": PageSpec("dashboard/pages/respond.py", "page_respond", ":material/edit_note:", "svar"),
}
