"""`ctscreen serve`: the REST service (docs/api.md) under uvicorn.

The lead registers it in cli.py with `cli_serve.register(app)`. Each worker process builds its own app
(`ctscreen.api.app:app_from_env`, settings passed through `CTSCREEN_API_*` variables) and loads the index
once from the on-disk cache; with several workers the cache is built once beforehand, and Prometheus
metrics are gathered across workers through a shared folder.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
from typing import Annotated, Any

import typer
from rich.console import Console

_err = Console(stderr=True, soft_wrap=True)


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's and ctscreen's loggers to stderr. uvicorn's access log stays off: it writes raw paths and
    query strings; ctscreen.api.access writes route templates, status, time and the public key id."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"},
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "ctscreen": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


def _warm_index_cache(environ: dict[str, str]) -> None:
    """Build (or check) the on-disk index cache once, in a child process, so that the workers load it
    instead of each building it; the child's memory goes back to the system when it ends."""
    os.environ.update(environ)
    from ctscreen.errors import CTScreenError
    from ctscreen.screening import load_screener
    from ctscreen.store import ListStore, make_engine

    # No lists yet: the workers start without an index and pick it up once imported.
    with contextlib.suppress(CTScreenError):
        load_screener(ListStore(make_engine(os.environ.get("CTSCREEN_API_DB_URL") or None)))


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (one per core is a good start).")] = 1,
    max_list_age_hours: Annotated[
        float, typer.Option(help="/health says degraded when a list was imported longer ago than this.")
    ] = 72.0,
    reload_interval: Annotated[
        float, typer.Option(help="Seconds between checks for a newly activated list version.")
    ] = 5.0,
    max_body_kb: Annotated[int, typer.Option(help="Largest request body (KiB); /text has its own.")] = 1024,
    max_text_mb: Annotated[float, typer.Option(help="Largest POST /text body (MiB).")] = 10.0,
    no_docs: Annotated[bool, typer.Option("--no-docs", help="Do not serve /openapi.json and /docs.")] = False,
    log_level: Annotated[str, typer.Option(help="debug | info | warning | error")] = "info",
) -> None:
    """Run the REST service: screening, lists, customers, alerts and decisions (docs/api.md)."""
    from ctscreen.api.metrics import multiprocess_dir
    from ctscreen.api.settings import ApiSettings

    if workers < 1:
        _fail("--workers must be at least 1")
    if not 0 < port < 65536:
        _fail("--port must be 1..65535")
    if log_level.lower() not in ("debug", "info", "warning", "error", "critical"):
        _fail("--log-level must be debug, info, warning or error")
    try:
        settings = ApiSettings(
            max_body_bytes=max_body_kb * 1024,
            max_text_bytes=int(max_text_mb * 1024 * 1024),
            max_list_age_hours=max_list_age_hours,
            reload_interval=reload_interval,
            mirror=os.environ.get("CTSCREEN_MIRROR"),
            public_docs=not no_docs,
        )
    except ValueError as exc:
        _fail(str(exc))
        return
    environ = settings.to_env()
    os.environ.update(environ)
    created_dir = None
    if workers > 1:
        if multiprocess_dir() is None:
            created_dir = tempfile.mkdtemp(prefix="ctscreen-metrics-")
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = created_dir
        warm = multiprocessing.get_context("spawn").Process(target=_warm_index_cache, args=(environ,))
        warm.start()
        warm.join()

    import uvicorn

    _err.print(
        f"ctscreen serving on http://{host}:{port} with {workers} worker(s); "
        f"docs at /docs{' (off)' if no_docs else ''}",
        highlight=False,
    )
    try:
        uvicorn.run(
            "ctscreen.api.app:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            log_config=log_config(log_level),
            server_header=False,
            proxy_headers=False,
        )
    finally:
        if created_dir is not None:
            shutil.rmtree(created_dir, ignore_errors=True)


def _fail(message: str) -> None:
    _err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the ctscreen app."""
    app.command("serve")(serve)
