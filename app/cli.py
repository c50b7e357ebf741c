"""The `marginalia` command (contract in docs/architecture.md)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.settings import get_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    _migrate(args)
    # Several processes share nothing in memory that must agree: sessions, login throttling,
    # rate limits, jobs and annotations live in the database (docs/architecture.md).
    uvicorn.run(
        "app.main:create_app", factory=True, host=settings.host, port=settings.port,
        access_log=settings.access_log, log_level="info", workers=args.workers,
    )
    return 0


def _worker(_args: argparse.Namespace) -> int:
    from app.workers.celery_worker import run_worker

    run_worker(get_settings())
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from app.db.engine import make_engine
    from app.db.migrate import upgrade_to_head
    from app.db.process_lock import exclusive_startup

    engine = make_engine(get_settings().resolved_database_url)
    with exclusive_startup(engine):  # replicas may run `marginalia migrate` at once
        upgrade_to_head(engine)
    engine.dispose()
    return 0


def _reindex(_args: argparse.Namespace) -> int:
    from app.db.engine import make_engine, make_session_factory
    from app.db.migrate import upgrade_to_head
    from app.services.paper_index import reindex

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    upgrade_to_head(engine)
    with make_session_factory(engine)() as session:
        report = reindex(session, settings.papers_dir)
    engine.dispose()
    for path, message in report.errors.items():
        print(f"{path}: {message}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0


def _open_session():
    from app.db.engine import make_engine, make_session_factory
    from app.db.migrate import upgrade_to_head

    engine = make_engine(get_settings().resolved_database_url)
    upgrade_to_head(engine)
    return make_session_factory(engine)()


def _create_user(args: argparse.Namespace) -> int:
    from app.services.accounts import AccountError, create_user

    source = sys.stdin if args.password_file == "-" else open(args.password_file, encoding="utf-8")
    with source:
        password = source.read().rstrip("\r\n")
    with _open_session() as session:
        try:
            user = create_user(session, name=args.name, password=password, admin=args.admin)
        except AccountError as exc:
            print(f"cannot create user: {exc}", file=sys.stderr)
            return 1
    print(f"created {'admin' if user.is_admin else 'user'} {user.name}")
    return 0


def _create_token(args: argparse.Namespace) -> int:
    from app.services.accounts import get_user
    from app.services.credentials import create_token

    with _open_session() as session:
        user = get_user(session, args.name)
        if user is None:
            print(f"no user called {args.name!r}", file=sys.stderr)
            return 1
        _token, secret = create_token(session, user, args.label)
    print(secret)  # the last line of output, as docs/architecture.md promises
    return 0


def _check_content(args: argparse.Namespace) -> int:
    from app.services.content_check import check_content

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"{folder}: not a folder", file=sys.stderr)
        return 2
    result = check_content(folder)
    for path, message in result.failures.items():
        print(f"{path}: {' '.join(message.split())}")  # one line per file, whatever the message
    print(f"{result.files} files, {len(result.failures)} errors")
    return 1 if result.failures else 0


def _figures(args: argparse.Namespace) -> int:
    """Write the charts of content/figures.yaml to static/figures/ (`--check`: only compare)."""
    from app.services.summary_figures import FIGURES_DIR, FigureError, load_specs, render_figures

    content = get_settings().content_dir
    try:
        charts = render_figures(content / "papers", load_specs(content / "figures.yaml"))
    except FigureError as problem:
        print(problem, file=sys.stderr)
        return 1
    stale = [name for name, svg in charts.items()
             if not (FIGURES_DIR / name).is_file() or (FIGURES_DIR / name).read_text(encoding="utf-8") != svg]
    if args.check:
        for name in stale:
            print(f"{FIGURES_DIR / name}: out of date with its summary; run `marginalia figures`")
        return 1 if stale else 0
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (FIGURES_DIR / name).write_text(charts[name], encoding="utf-8")
    print(f"{len(charts)} charts, {len(stale)} rewritten in {FIGURES_DIR}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from app.services.backup import BackupError, backup

    settings = get_settings()
    try:
        report = backup(settings.resolved_database_url, settings.data_dir, Path(args.dest))
    except BackupError as problem:
        print(f"backup failed: {problem}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def _restore(args: argparse.Namespace) -> int:
    from app.services.backup import BackupError, restore

    settings = get_settings()
    try:
        report = restore(settings.resolved_database_url, settings.data_dir, Path(args.src), replace=args.replace)
    except BackupError as problem:
        print(f"restore failed: {problem}", file=sys.stderr)
        return 1
    print(f"restored {report.summary()}")
    return 0


def _demo_command(args: argparse.Namespace) -> int:
    """`marginalia train|evaluate DEMO [options]`: the demo's own command, found through its spec
    (the options after the demo's name are its own: `marginalia train DEMO --help` lists them)."""
    from models.registry import UnknownDemo, find_demo, load_specs
    from models.spec import resolve_entry_point

    demos = load_specs(get_settings().demo_specs)
    try:
        spec = find_demo(args.demo, demos)
    except UnknownDemo:
        print(f"no demo called {args.demo!r}; demos: {', '.join(s.name for s in demos)}", file=sys.stderr)
        return 2
    entry = getattr(spec, args.command)
    if not entry:
        print(f"{spec.name} has no {args.command} command (its weights come from set-up)", file=sys.stderr)
        return 2
    return int(resolve_entry_point(entry)(args.options) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marginalia", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="web processes sharing the port (default 1); state is shared through the database")
    serve.set_defaults(run=_serve)
    commands.add_parser("worker", help="start a Celery worker for demo jobs").set_defaults(run=_worker)
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(run=_migrate)
    commands.add_parser("reindex", help="re-read the content folder").set_defaults(run=_reindex)
    saving = commands.add_parser("backup", help="copy the database and its files into DEST, online")
    saving.add_argument("dest", metavar="DEST", help="a new or empty folder")
    saving.set_defaults(run=_backup)
    loading = commands.add_parser("restore", help="bring back a backup folder (SQLite: stop the app first)")
    loading.add_argument("src", metavar="SRC")
    loading.add_argument("--replace", action="store_true", help="overwrite a database that holds accounts or notes")
    loading.set_defaults(run=_restore)
    check = commands.add_parser("check-content", help="render every *.md under DIR, list failures")
    check.add_argument("dir", metavar="DIR")
    check.set_defaults(run=_check_content)
    figures = commands.add_parser("figures", help="draw the summaries' charts (content/figures.yaml)")
    figures.add_argument("--check", action="store_true", help="only say whether the charts are up to date")
    figures.set_defaults(run=_figures)
    user = commands.add_parser("create-user", help="create an account")
    user.add_argument("name")
    user.add_argument("--password-file", required=True, help="file holding the password ('-': stdin)")
    user.add_argument("--admin", action="store_true", help="may hide any annotation")
    user.set_defaults(run=_create_user)
    token = commands.add_parser("create-token", help="print a new API token for a user")
    token.add_argument("name")
    token.add_argument("--label", default="command line", help="the token's name in /settings")
    token.set_defaults(run=_create_token)
    for verb, text in (("train", "train a demo's model and write its weights and card (resumes its run)"),
                       ("evaluate", "recompute a demo's model-card figures from its shipped weights")):
        command = commands.add_parser(verb, help=text, add_help=False)
        command.add_argument("demo", help="the demo's name, as in /demos/<name>")
        command.add_argument("options", nargs=argparse.REMAINDER, help="the demo's own options (--help lists them)")
        command.set_defaults(run=_demo_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
