"""Customers: a stable `customer_id`, the fields last screened and their hash.

The fields are the screening query's: name, schema (person | organization | vessel | aircraft), dob,
country, gender, id_number. They are normalised only as far as screening ignores the difference (Unicode
NFC, surrounding and repeated whitespace, an empty value or schema "any" left out); the sha256 of their
canonical JSON binds good-guy records to exactly what was screened, so any real change to the customer's
data brings the alert back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from ctscreen.matching import Query, QueryError
from ctscreen.store.workflow_tables import customers
from ctscreen.workflow._db import dumps, loads, sha256_text
from ctscreen.workflow.errors import InvalidInput, NotFound

FIELDS = ("name", "schema", "dob", "country", "gender", "id_number")
ALIASES = {"type": "schema", "id": "id_number", "date_of_birth": "dob", "nationality": "country"}
MAX_ID_LENGTH = 100


def check_customer_id(customer_id: str) -> str:
    cleaned = (customer_id or "").strip() if isinstance(customer_id, str) else ""
    if not cleaned:
        raise InvalidInput("customer_id: empty")
    if len(cleaned) > MAX_ID_LENGTH:
        raise InvalidInput(f"customer_id: {len(cleaned)} characters, more than the {MAX_ID_LENGTH} allowed")
    if any(unicodedata.category(c).startswith("C") for c in cleaned):
        raise InvalidInput("customer_id: contains control characters")
    return cleaned


def normalize_fields(fields: Mapping[str, Any] | Query) -> dict[str, str]:
    """The screened fields in canonical form; unknown fields and unusable values are refused by name."""
    raw = {k: v for k, v in fields.__dict__.items()} if isinstance(fields, Query) else dict(fields)
    out: dict[str, str] = {}
    for key, value in raw.items():
        name = ALIASES.get(key, key)
        if name not in FIELDS:
            raise InvalidInput(f"{key}: not a screening field (known: {', '.join(FIELDS)})")
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"{key}: expected text, got {type(value).__name__}")
        text = " ".join(unicodedata.normalize("NFC", value).split())
        if name == "schema":
            text = text.lower()
            if text in ("any", "unknown"):
                text = ""
        if text:
            if name in out and out[name] != text:
                raise InvalidInput(f"{key}: given twice with different values")
            out[name] = text
    if "name" not in out:
        raise InvalidInput("name: empty")
    try:
        to_query(out).validated()
    except QueryError as exc:
        raise InvalidInput(str(exc)) from None
    return dict(sorted(out.items()))


def fields_hash(fields: Mapping[str, str]) -> str:
    return sha256_text(dumps(dict(fields)))


def to_query(fields: Mapping[str, str]) -> Query:
    return Query(**dict(fields))


@dataclass(frozen=True)
class CustomerInfo:
    customer_id: str
    fields: dict[str, str]
    fields_hash: str
    profile: str
    threshold: float | None
    created_at: str
    updated_at: str
    last_screening_id: int | None
    last_screened_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "fields": self.fields,
            "fields_hash": self.fields_hash,
            "profile": self.profile,
            "threshold": self.threshold,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "last_screening_id": self.last_screening_id,
            "last_screened_at": self.last_screened_at,
        }


def customer_from_row(row: Any) -> CustomerInfo:
    return CustomerInfo(
        customer_id=row.customer_id,
        fields=loads(row.fields),
        fields_hash=row.fields_hash,
        profile=row.profile,
        threshold=row.threshold,
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_screening_id=row.last_screening_id,
        last_screened_at=row.last_screened_at,
    )


def get_customer(conn: Connection, customer_id: str) -> CustomerInfo:
    row = conn.execute(select(customers).where(customers.c.customer_id == customer_id)).first()
    if row is None:
        raise NotFound(f"no customer {customer_id!r}")
    return customer_from_row(row)


def list_customers(engine: Engine, *, limit: int = 100, offset: int = 0) -> list[CustomerInfo]:
    query = select(customers).order_by(customers.c.customer_id).limit(limit).offset(offset)
    with engine.connect() as conn:
        return [customer_from_row(r) for r in conn.execute(query)]


def count_customers(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(customers)).scalar_one()
