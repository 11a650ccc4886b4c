"""The REST service (`ctscreen serve`): FastAPI over the Screener and the compliance Workflow.

    from ctscreen.api import ApiSettings, create_app
    app = create_app(ApiSettings(db_url="sqlite:///ctscreen.db"))

docs/api.md describes the endpoints, keys and roles, errors and limits.
"""

from ctscreen.api.app import create_app
from ctscreen.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
