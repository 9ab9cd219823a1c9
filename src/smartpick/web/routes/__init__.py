"""Every feature of the web app, in navigation order.

To add a page for a new service: write ``routes/<task>.py`` with a ``router``, a page dataclass and a
``FEATURE = Feature(...)``, add its template, and list the feature here.
"""

from __future__ import annotations

from smartpick.web.pages import Feature
from smartpick.web.routes import (
    accounts,
    api_profiles,
    fellowship,
    home,
    plan,
    profiles,
    programs,
    ranklist,
    recommend,
    sharing,
    tracker,
)

FEATURES: tuple[Feature, ...] = (
    home.FEATURE,
    profiles.FEATURE,
    recommend.FEATURE,
    plan.FEATURE,
    tracker.FEATURE,
    ranklist.FEATURE,
    fellowship.FEATURE,
    programs.FEATURE,
    api_profiles.FEATURE,
    sharing.FEATURE,
    accounts.FEATURE,
)
