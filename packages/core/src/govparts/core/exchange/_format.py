"""The exchange package format: canonical JSON Lines, digests and the manifest.

A package is a folder or a zip file holding ``manifest.json`` and one JSON Lines data file per
model. Every data file holds one record per line, UTF-8, in canonical JSON (keys sorted, no spaces,
non-ASCII characters as themselves), each line ending with ``\\n``; so the same records always make
the same bytes, and export → import → export gives byte-identical data files.

The manifest names the sender (an :class:`~govparts.core.refs.OrganizationRef`, GB 32100-2015
credit code), the time the package was made (UTC, ISO 8601) and, per data file, its model id and
version, its record count and its SHA-256 and SM3 (GB/T 32905-2016) digests.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_serializer

from ..errors import ConfigurationError
from ..i18n import N_
from ..refs import OrganizationRef

__all__ = [
    "FORMAT_ID",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "DataFile",
    "Digests",
    "Manifest",
    "canonical_line",
]

FORMAT_ID: Final = "govparts-exchange"
FORMAT_VERSION: Final = "1.0"
MANIFEST_NAME = "manifest.json"


def canonical_line(record: Any) -> bytes:
    """``record`` (JSON-ready data) as one canonical JSON line: sorted keys, no spaces, UTF-8, ``\\n``."""
    return (json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


class Digests:
    """SHA-256 and SM3 (GB/T 32905-2016) digests and the line count of a byte stream, fed in chunks."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        try:
            self._sm3 = hashlib.new("sm3")
        except ValueError as exc:
            raise ConfigurationError(
                N_("{field}: this Python's OpenSSL does not offer {got}; packages cannot be checked here"),
                field="sm3",
                got="sm3",
            ) from exc
        self.lines = 0
        self.size = 0
        self._last = b"\n"

    def update(self, chunk: bytes) -> None:
        """Feed the next ``chunk`` of the stream."""
        if chunk:
            self._sha256.update(chunk)
            self._sm3.update(chunk)
            self.lines += chunk.count(b"\n")
            self.size += len(chunk)
            self._last = chunk[-1:]

    @property
    def complete(self) -> bool:
        """Whether the stream ends with a line end (a cut file usually does not)."""
        return self._last == b"\n"

    @property
    def sha256(self) -> str:
        """The SHA-256 digest, lower-case hex."""
        return self._sha256.hexdigest()

    @property
    def sm3(self) -> str:
        """The SM3 digest (GB/T 32905-2016), lower-case hex."""
        return self._sm3.hexdigest()


def _relative_path(value: str) -> str:
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or any(p in ("", ".", "..") for p in parts):
        raise ValueError("a data file path is relative, with '/' between names and no '.' or '..'")
    if value in (MANIFEST_NAME, "manifest.sig", "manifest.sig.json"):
        raise ValueError("a data file cannot be the manifest or its signature")
    return value


Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class DataFile(BaseModel):
    """One data file of a package: where it is, which model its records follow, count and digests."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: Annotated[str, AfterValidator(_relative_path)]
    model_id: Annotated[str, Field(min_length=1, max_length=200)]
    model_version: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+$")]
    records: Annotated[int, Field(ge=0)]
    sha256: Hex64
    sm3: Hex64


class Manifest(BaseModel):
    """``manifest.json``: the format, the sender, the creation time and the data files, in import order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["govparts-exchange"] = FORMAT_ID
    format_version: Literal["1.0"] = FORMAT_VERSION
    sender: OrganizationRef
    created_at: AwareDatetime
    files: tuple[DataFile, ...]

    @field_serializer("created_at")
    def _utc(self, value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def to_bytes(self) -> bytes:
        """The manifest as canonical, indented-free JSON bytes with a final line end."""
        return canonical_line(self.model_dump(mode="json"))
