"""``ragw serve``: the web service over the ledger at ``--db`` (with ``--org``, that
organisation's ledger in a store shared by many: its users, its items, its sessions)."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
import socket

import click

#: Where the secret that signs sessions comes from; otherwise one is made at each start.
SECRET_VARIABLE = "RAGW_SECRET_KEY"
KEY_VARIABLE = "RAGW_ENCRYPTION_KEY"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="The port to listen on (0: any free port, printed at start).",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="How many worker processes answer requests at once.",
)
@click.option(
    "--secure-cookies/--no-secure-cookies",
    "secure",
    default=None,
    help="Send the session cookie over HTTPS only. Default: on, unless --host is a "
    "loopback address (127.0.0.1, ::1, localhost), where it is off so a browser on the "
    "same machine can use plain http://; behind a TLS proxy on the same machine, give "
    "--secure-cookies.",
)
@click.option(
    "--base-url",
    "base_url",
    metavar="URL",
    help="The address people reach the service at (https://ragw.example.org), used for "
    "the calendar addresses it hands out; without it, the address the browser asked for.",
)
@click.option(
    "--session-minutes",
    "minutes",
    default=8 * 60.0,
    show_default=True,
    type=click.FloatRange(min=0.01, max=7 * 24 * 60),
    help="How long a sign-in lasts; then the user signs in again.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Serve the public register instead (the pages `ragw publish` writes), read-only "
    "and without sign-in; as at today, or ?as_at=YYYY-MM-DD.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    workers: int,
    secure: bool | None,
    base_url: str | None,
    minutes: float,
    public: bool,
) -> None:
    """Serve the ledger on the web: people sign in and read and record as themselves.

    A production server (gunicorn) with WORKERS processes, over the same --db as every
    command (a SQLite file or a PostgreSQL URL; RAGW_ENCRYPTION_KEY as for every
    command). Users are added with `ragw user add`; what they may do is the roles
    granted with `ragw role grant`. Prints the address it listens on; Ctrl-C or SIGTERM
    stops it.

    Sessions are signed with RAGW_SECRET_KEY when it is set (the same for every start
    and every machine serving the ledger); otherwise with a secret made at start, so
    everyone signs in again after a restart. For an organisation, run it on 127.0.0.1
    behind its TLS proxy, with --secure-cookies.

    In a store shared by many organisations, `ragw --org CODE serve` (or RAGW_ORG) serves
    that organisation's ledger alone: one service per organisation. Its users and
    passwords are its own (`ragw --org CODE user add`), a session signed in on one
    organisation's service is refused by another's even with the same RAGW_SECRET_KEY,
    and an item of another organisation is not found (404).

    \b
    Examples:
      ragw --db ragw.db serve
      ragw --db ragw.db serve --port 8000 --workers 4
      RAGW_SECRET_KEY=... ragw --db postgresql://web@db/ragw serve --secure-cookies
      ragw --db postgresql://web@db/ragw --org WMP serve --port 8001
      ragw --db postgresql://register@db/ragw serve --public --port 8002
    """
    target = ctx.find_root().params["target"]
    org = ctx.find_root().params.get("org") or None
    key = os.environ.get(KEY_VARIABLE)
    if public:
        serve_public(target, key, org, host=host, port=port, workers=workers)
        return
    org = check_ledger(target, key, org)
    check_address(host, port)
    given = os.environ.get(SECRET_VARIABLE)
    if given is not None and len(given) < SHORTEST_SECRET:
        raise click.ClickException(
            f"{SECRET_VARIABLE} is {len(given)} characters long; a session secret is at least "
            f"{SHORTEST_SECRET} (make one with: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))')"
        )
    # sessions of one ledger are never good on another served with the same secret
    secret = session_secret(given or secrets.token_hex(32), target, org)
    cookies = not is_loopback(host) if secure is None else secure
    base = checked_base_url(base_url)
    if not is_loopback(host):
        click.echo(
            f"note: listening on {host}, not a loopback address: put a TLS proxy that buffers "
            "requests (nginx, Apache) in front of it; gunicorn's workers wait on slow clients",
            err=True,
        )
    if not cookies:
        click.echo(
            "note: session cookies go over plain http:// too; behind a TLS proxy, give "
            "--secure-cookies",
            err=True,
        )

    def build() -> object:
        from web.app import create_app

        return create_app(
            target,
            org=org,
            encryption_key=key,
            secret_key=secret,
            session_minutes=minutes,
            secure_cookies=cookies,
            base_url=base,
        )

    from web.server import run

    run(build, host=host, port=port, workers=workers)


def serve_public(
    target: str, key: str | None, org: str | None, *, host: str, port: int, workers: int
) -> None:
    """``serve --public``: every organisation's public register, so no --org."""
    if org is not None:
        raise click.ClickException(
            "--public serves the register of every organisation in the store; "
            "leave out --org (RAGW_ORG)"
        )
    from web.public import check_public, create_public_app

    check_public(target, key)
    check_address(host, port)
    from web.server import run

    run(
        lambda: create_public_app(target, encryption_key=key), host=host, port=port, workers=workers
    )


#: The shortest RAGW_SECRET_KEY taken: 128 bits as hexadecimal.
SHORTEST_SECRET = 32


def session_secret(secret: str, target: str, org: str | None = None) -> str:
    """The key that signs this ledger's sessions: the service's secret bound to the
    ledger it serves (the store, and the organisation's ledger in it), so a session
    signed in on one ledger (a copy for training, another organisation's) is never taken
    by another served with the same secret."""
    import hashlib
    import hmac

    # NUL ends the store's name: no file name or URL holds one, so no store can be named
    # to give another organisation's key.
    bound = f"ragw sessions of {target}" + (f"\0organisation {org}" if org else "")
    return hmac.new(secret.encode(), bound.encode(), hashlib.sha256).hexdigest()


def checked_base_url(url: str | None) -> str | None:
    """``url`` without a trailing slash, when it is an http(s) address with no query or
    fragment; refused in one line otherwise."""
    if url is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise click.ClickException(
            f"--base-url {url[:80]!r} is not an http(s) address without a query or fragment; "
            "give one like https://ragw.example.org"
        )
    return url.strip().rstrip("/")


def check_ledger(target: str, key: str | None, org: str | None = None) -> str | None:
    """Open the ledger once before serving it: a ledger that cannot be opened (an
    organisation the store does not hold), or one whose writes the database would
    record as its own login, is refused now, with one line, rather than on each
    request. Returns the organisation's code as the store keeps it."""
    from ledger import open_ledger
    from ledger.errors import LedgerError
    from ledger.storage.opening import OrganisationMissingError
    from projections.usecases.serving import recorded_as_login
    from projections.usecases.session import LedgerSession

    session = LedgerSession(
        target,
        "serve",
        open_ledger=lambda write: open_ledger(target, create=False, encryption_key=key, org=org),
        org=org,
    )
    try:
        try:
            org = session.ledger(write=False).org
        except OrganisationMissingError as error:
            raise click.ClickException(
                f"{error.target} holds no organisation {error.org} to serve; add it with "
                f"`ragw org add {error.org} --name TEXT --kind KIND`, or check --org (RAGW_ORG)"
            ) from None
        if recorded_as_login(session):
            raise LedgerError(
                "this PostgreSQL ledger is under access control (its database roles were "
                "set up), so the database would record each change as the service's login "
                "rather than as the person signed in; the web service cannot serve it yet"
            )
    finally:
        session.close()
    return org


#: A host name as DNS spells one: labels of letters, digits and hyphens, with a letter.
HOST_NAME = re.compile(
    r"(?=.{1,253}\Z)(?=.*[A-Za-z])[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\Z"
)


def check_address(host: str, port: int) -> None:
    """Whether ``host``:``port`` can be listened on, said in one line if not: an IP
    address or a host name, nothing the resolver would read some other way (an empty
    host is every address; a bare number is an IPv4 address to it)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if not HOST_NAME.match(host):
            raise click.ClickException(
                f"--host {host[:80]!r} is neither an IP address nor a host name; give one, "
                "e.g. 127.0.0.1"
            ) from None
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = found[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except (OSError, UnicodeError, ValueError) as error:
        raise click.ClickException(
            f"cannot listen on {host[:80]!r} port {port}: {getattr(error, 'strerror', None) or error}"
        ) from None
