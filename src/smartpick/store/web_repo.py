"""Kept only for ``web/routes/recommend.py``, which another change is moving onto the services.

The web repository was split by entity: ``accounts``, ``sharing``, ``profiles``, ``facts``, ``plan_status``
and ``rank_preferences``. Import from those; this module goes once nothing imports it.
"""

from smartpick.store.profiles import StoredProfile

__all__ = ["StoredProfile"]
