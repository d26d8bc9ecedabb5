"""Organisations on one PostgreSQL database: each keeps its events, chain and read model
in a schema of its own, and a ledger opened without one is the single-organisation
ledger as it always was."""

from __future__ import annotations

from datetime import date

import pytest

from ledger import open_ledger
from ledger.storage.settings import connect

pytestmark = pytest.mark.postgres

ME = "setup"


def schemas(target: str, *names: str) -> None:
    with connect(target, autocommit=True) as connection:
        for name in names:
            connection.execute(f"CREATE SCHEMA {name}")


def tables_in(target: str, schema: str) -> set[str]:
    with connect(target) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)
        ).fetchall()
    return {row[0] for row in rows}


def test_each_organisation_keeps_its_events_chain_and_read_model_in_its_own_schema(
    postgres: object,
) -> None:
    target = postgres.create_database("ragw_orgs_storage")  # type: ignore[attr-defined]
    schemas(target, "org_wmp", "org_colp")
    published = date(2021, 1, 4)
    for org, code in (("WMP", "ROADS"), ("COLP", "FRAUD")):
        ledger = open_ledger(target, create=True, org=org)
        assert ledger.org == org
        ledger.register_report(
            code, title=code, scope="force", published=published, actor=ME, on=published
        )
        ledger.close()
    wmp = open_ledger(target, create=False, org="wmp")
    assert [e.code for _, e in wmp.read_log()] == ["ROADS"]  # type: ignore[attr-defined]
    wmp.close()
    single = open_ledger(target, create=True)
    assert single.org is None and list(single.read_log()) == []
    single.close()
    assert {"ragw_events", "ragw_chain", "ragw_key"} <= tables_in(target, "org_wmp")
    assert tables_in(target, "org_wmp") == tables_in(target, "org_colp")
