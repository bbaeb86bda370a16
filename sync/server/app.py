"""The center server's FastAPI application.

Nothing is kept in process memory between requests except read-only
configuration, so any number of workers, or servers on one PostgreSQL,
answer alike.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi

from station_tui import __version__
from station_tui.assessment.database import migrate_center, open_server_db
from station_tui.assessment.rules import Rules, load_rules
from station_tui.domain import clock
from sync.server import center_routes, console_routes, staff_routes, sync_routes
from sync.wire import SCHEMA_VERSION, Batch, json_schema

log = logging.getLogger(__name__)

ENV_DB = "STATION_TUI_SERVER_DB"
ENV_RULES = "STATION_TUI_SERVER_RULES"


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema plus the batch models, which push reads raw."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version,
                             description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        batch = Batch.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(batch.pop("$defs", {}))
        components["Batch"] = batch
        app.openapi_schema = schema
    return app.openapi_schema


def _rules(path: str | None) -> tuple[Rules, str | None]:
    """The rules the assessment uses and the text stations pull, from one
    reading of the file (the shipped default when ``path`` is None)."""
    rules = load_rules(path)
    if path is None:
        return rules, None
    raw = Path(path).read_bytes()
    if hashlib.sha256(raw).hexdigest() != rules.sha256:
        # Changed between the two reads: take the newer one for both.
        return _rules(path)
    return rules, raw.decode("utf-8")


def create_app(db_url: str, rules_path: str | None = None) -> FastAPI:
    """The center server on the database at ``db_url``, assessing with the
    rules file at ``rules_path`` (else the shipped default)."""
    rules, rules_text = _rules(rules_path)
    db = open_server_db(db_url)
    migrate_center(db)
    app = FastAPI(
        title="station-tui 县级电商公共服务中心",
        version=__version__,
        description="站点数据同步（上传、下发、恢复）与中心管理接口。"
                    f"同步数据格式版本 {SCHEMA_VERSION}。",
    )
    app.state.db = db
    # Read-only after start: every worker loads the same file.
    app.state.rules = rules
    app.state.rules_text = rules_text
    app.state.rules_version = rules.hash
    log.info("assessment rules %s (%s)", rules.name, rules.hash)
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.include_router(sync_routes.router)
    app.include_router(staff_routes.router)
    app.include_router(center_routes.router)
    console_routes.install(app)

    @app.get("/healthz", tags=["meta"])
    def healthz(request: Request) -> dict[str, Any]:
        """The server answers and its database too."""
        with request.app.state.db.connection_context():
            request.app.state.db.execute_sql("SELECT 1")
        return {"status": "ok", "time": clock.now(), "schema_version": SCHEMA_VERSION}

    @app.get("/api/v1/schema", tags=["meta"])
    def wire_schema() -> dict[str, Any]:
        """JSON Schema of the sync wire format."""
        return json_schema()

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers, which get their settings from the parent."""
    if not logging.getLogger().handlers:
        # uvicorn configures its own loggers only; ours go to the same stream.
        logging.basicConfig(level=logging.INFO,
                            format="%(levelname)s:     %(name)s: %(message)s")
    return create_app(os.environ[ENV_DB], os.environ.get(ENV_RULES) or None)
