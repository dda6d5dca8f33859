"""The trust file: which agencies' SM2 public keys this deployment accepts, and when.

UTF-8 JSON::

    {"format": "govparts-trust/1",
     "keys": [{"credit_code": "12650102MB1234567X", "name": "乌鲁木齐市某区人力资源和社会保障局",
               "public_key": "-----BEGIN PUBLIC KEY-----\\n…\\n-----END PUBLIC KEY-----\\n",
               "valid_from": "2026-01-01", "valid_to": "2028-12-31"}]}

``credit_code`` is the agency's unified social credit code (GB 32100-2015); a key is valid from the
start of ``valid_from`` to the end of ``valid_to``, both dates in Beijing time (Asia/Shanghai). A key
may be listed once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import IntegrityViolation, InvalidInput
from ..i18n import N_
from ._keys import SM2PublicKey, load_public_key

__all__ = ["TRUST_FORMAT", "TrustList", "TrustedKey", "read_trust"]

TRUST_FORMAT = "govparts-trust/1"
_BEIJING = ZoneInfo("Asia/Shanghai")
_MAX_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class TrustedKey:
    """One agency's public key and the dates it may sign on (inclusive, Beijing time)."""

    credit_code: str
    name: str
    public_key: SM2PublicKey
    valid_from: date
    valid_to: date

    def valid_at(self, moment: datetime) -> bool:
        """True when ``moment`` (aware) falls within the key's validity."""
        start = datetime.combine(self.valid_from, time(), _BEIJING)
        end = datetime.combine(self.valid_to + timedelta(days=1), time(), _BEIJING)
        return start <= moment < end

    def to_json(self) -> dict[str, Any]:
        """The entry as the trust file holds it."""
        return {
            "credit_code": self.credit_code,
            "name": self.name,
            "public_key": self.public_key.pem().decode("ascii"),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
        }


def _date(value: Any, where: str) -> date:
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            N_("{field}: expected a date like {expected}, got {got}"),
            field=where,
            expected="2026-12-31",
            got=str(value)[:40],
        ) from None


def _text(value: Any, where: str) -> str:
    from ..text import check_text

    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise InvalidInput(
            N_("{field}: expected text of 1 to {limit} characters, got {got}"),
            field=where,
            limit=200,
            got=str(value)[:40],
        )
    check_text(value, field=where)
    return value


@dataclass(frozen=True)
class TrustList:
    """The keys of a trust file, found by key id."""

    keys: tuple[TrustedKey, ...]

    def to_json(self) -> bytes:
        """The trust file's bytes."""
        members = {"format": TRUST_FORMAT, "keys": [key.to_json() for key in self.keys]}
        return (json.dumps(members, ensure_ascii=False, indent=2) + "\n").encode()

    def find(self, key_id: str, at: datetime) -> TrustedKey:
        """The agency whose key has ``key_id`` and was valid at ``at``.

        Raises :class:`IntegrityViolation` (field ``signature``) for a key the file does not list,
        or one not valid at ``at`` (not yet, or expired).
        """
        for key in self.keys:
            if key.public_key.key_id == key_id:
                if key.valid_at(at):
                    return key
                raise IntegrityViolation(
                    N_(
                        "{field}: the key of {name} ({credit_code}) is valid from {valid_from} "
                        "to {valid_to}, not at {at}"
                    ),
                    field="signature",
                    name=key.name,
                    credit_code=key.credit_code,
                    valid_from=key.valid_from,
                    valid_to=key.valid_to,
                    at=at,
                )
        raise IntegrityViolation(
            N_("{field}: signed with key {got}, which the trust file does not list"),
            field="signature",
            got=key_id,
        )

    @classmethod
    def from_json(cls, data: bytes, *, where: str = "trust") -> TrustList:
        """Read a trust file's bytes; :class:`InvalidInput` naming the entry and member if it is not one."""
        from ..ids import credit_code

        members: Any = None
        if len(data) <= _MAX_BYTES:
            try:
                members = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                members = None
        if (
            not isinstance(members, dict)
            or members.get("format") != TRUST_FORMAT
            or not isinstance(members.get("keys"), list)
        ):
            raise InvalidInput(
                N_(
                    "{field}: not a govparts trust file "
                    "(expected JSON with format {expected} and a list of keys)"
                ),
                field=where,
                expected=TRUST_FORMAT,
            )
        keys: list[TrustedKey] = []
        seen: set[str] = set()
        for index, entry in enumerate(members["keys"]):
            at = f"{where}.keys[{index}]"
            if not isinstance(entry, dict):
                raise InvalidInput(
                    N_("{field}: expected a JSON object, got {got}"), field=at, got=type(entry).__name__
                )
            code = entry.get("credit_code")
            if not isinstance(code, str) or not credit_code.is_valid(code):
                raise InvalidInput(
                    N_("{field}: not a valid unified social credit code (GB 32100-2015)"),
                    field=f"{at}.credit_code",
                )
            pem = entry.get("public_key")
            key = load_public_key(
                pem.encode("utf-8") if isinstance(pem, str) else b"", where=f"{at}.public_key"
            )
            trusted = TrustedKey(
                credit_code=credit_code.compact(code),
                name=_text(entry.get("name"), f"{at}.name"),
                public_key=key,
                valid_from=_date(entry.get("valid_from"), f"{at}.valid_from"),
                valid_to=_date(entry.get("valid_to"), f"{at}.valid_to"),
            )
            if trusted.valid_to < trusted.valid_from:
                raise InvalidInput(
                    N_("{field}: ends before it starts ({valid_from} to {valid_to})"),
                    field=f"{at}.valid_to",
                    valid_from=trusted.valid_from,
                    valid_to=trusted.valid_to,
                )
            if key.key_id in seen:
                raise InvalidInput(N_("{field}: this key is listed twice"), field=f"{at}.public_key")
            seen.add(key.key_id)
            keys.append(trusted)
        return cls(tuple(keys))


def read_trust(path: str | Path) -> TrustList:
    """The trust file at ``path`` (:class:`InvalidInput` naming it if it cannot be read or is not one)."""
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(
            N_("{field}: the trust file cannot be read ({reason})"),
            field=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None
    return TrustList.from_json(data, where=str(path))
