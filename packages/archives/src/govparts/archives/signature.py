"""Electronic signatures of issued official documents (发文的电子签名): SM2 with SM3, GB/T 32918.2-2016.

When an official document is issued (核发), the issuing organ signs its canonical content with its
SM2 key (:mod:`govparts.core.signing`). What is signed is not the database row but a small,
documented byte form of the elements that make the document what it is, so anyone can rebuild
the bytes from an archival package and check the signature with their own tools:

``canonical content`` (format ``govparts.archives.signed-content/1``)
    A JSON object with exactly these members, all strings:

    ``body_sm3``        SM3 (GB/T 32905-2016) of the 正文 (body text) encoded as UTF-8, lowercase hex
    ``date``            成文日期 (date of writing), ISO 8601 ``YYYY-MM-DD`` (GB/T 9704-2012 7.3.5.4)
    ``document_number`` 发文字号 (GB/T 9704-2012 7.2.5), e.g. ``天政数发〔2023〕1号``
    ``format``          ``govparts.archives.signed-content/1``
    ``issuing_organ``   发文机关 (GB/T 9704-2012 7.2.3)
    ``title``           标题 (GB/T 9704-2012 7.3.1)

    encoded as UTF-8 with the keys sorted, no whitespace between tokens (``,`` and ``:``), other
    characters written as themselves (no ``\\u`` escapes) and no trailing newline. For this object
    (ASCII keys, string values without control characters, which documents refuse) that is exactly
    the JSON Canonicalization Scheme of RFC 8785.

The signature is DER, with the distinguishing identifier ``1234567812345678`` (GB/T 35276-2017
10.3) unless another is recorded, so OpenSSL 3 checks it::

    openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678 \\
        -pubin -inkey signer.pem -in canonical.json -sigfile document.sig

Archival packages (:mod:`govparts.archives._package`) carry, per signed item, these files under
``signatures/<item folder>/``: ``canonical.json`` (the signed bytes), ``document.sig`` (the DER
signature), ``signer.pem`` (the public key) and ``verification.json`` (the verification made at
export). A change of title or body after signing changes the canonical content, and the
signature no longer verifies.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_
from govparts.core.signing import DEFAULT_DISTID, SIGNATURE_ALGORITHM, load_public_key, verify_bytes

from ._i18n import DOMAIN

if TYPE_CHECKING:
    from .models import Document, DocumentSignature

__all__ = [
    "CONTENT_FORMAT",
    "body_sm3",
    "canonical_content",
    "content_of",
    "parse_content",
    "signature_files",
    "verify_content",
    "verify_document",
]

CONTENT_FORMAT = "govparts.archives.signed-content/1"
"""The id and version of the canonical content form above."""

_KEYS = frozenset({"body_sm3", "date", "document_number", "format", "issuing_organ", "title"})


def body_sm3(body: str) -> str:
    """SM3 (GB/T 32905-2016) of the body text in UTF-8, lowercase hex."""
    return hashlib.new("sm3", body.encode("utf-8")).hexdigest()


def canonical_content(
    *, document_number: str, title: str, issuing_organ: str, written_on: date, body: str
) -> bytes:
    """The bytes an issued document's signature covers (format :data:`CONTENT_FORMAT`, see above).

    >>> canonical_content(document_number="新政发〔2003〕17号", title="通知", issuing_organ="某厅",
    ...                   written_on=date(2003, 5, 1), body="")[:40].decode()
    '{"body_sm3":"1ab21d8355cfa17f8e61194831e81a8f'
    """
    content = {
        "body_sm3": body_sm3(body),
        "date": written_on.isoformat(),
        "document_number": document_number,
        "format": CONTENT_FORMAT,
        "issuing_organ": issuing_organ,
        "title": title,
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_of(document: Document) -> bytes:
    """The canonical content of ``document`` as it stands now; it must be numbered and dated.

    Raises :class:`~govparts.core.errors.InvalidInput` (``document_number`` or ``written_on``) for a
    document that has no number or no date of writing yet: only an issued document is signed.
    """
    if not document.document_number:
        raise InvalidInput(
            N_("{field}: only a numbered document can be signed or checked"),
            field="document_number",
            domain=DOMAIN,
        )
    if document.written_on is None:
        raise InvalidInput(
            N_("{field}: only a document with a date of writing can be signed or checked"),
            field="written_on",
            domain=DOMAIN,
        )
    return canonical_content(
        document_number=document.document_number,
        title=document.title,
        issuing_organ=document.issuing_organ,
        written_on=document.written_on,
        body=document.body,
    )


def verify_content(
    content: bytes, signature: bytes, public_key_pem: bytes, *, distid: bytes | str = DEFAULT_DISTID
) -> bool:
    """True when ``signature`` (DER) is the SM2 signature of exactly ``content`` by the PEM public key.

    False, never an exception, for a malformed signature, another key, or other bytes; a public key
    that is not an SM2 SubjectPublicKeyInfo raises :class:`~govparts.core.errors.InvalidInput`.
    """
    return verify_bytes(load_public_key(public_key_pem), content, signature, distid=distid)


def verify_document(document: Document) -> bool:
    """True when ``document`` carries a signature that verifies over its current canonical content.

    False for an unsigned document, a signature by a key other than the one it names, or a
    document whose title, body, number, organ or date changed after signing.
    """
    signed = document.signature
    if signed is None or signed.algorithm != SIGNATURE_ALGORITHM or signed.content_format != CONTENT_FORMAT:
        return False
    try:
        key = load_public_key(signed.public_key.encode("ascii"))
        value = base64.b64decode(signed.value, validate=True)
        content = content_of(document)
    except (InvalidInput, ValueError):
        return False
    if key.key_id != signed.key_id:
        return False
    return verify_bytes(key, content, value, distid=signed.distid)


def signature_files(
    signature: DocumentSignature, content: bytes, verification: dict[str, Any]
) -> dict[str, bytes]:
    """The files an archival package keeps for one signed item (names as in the module docstring)."""
    return {
        "canonical.json": content,
        "document.sig": base64.b64decode(signature.value),
        "signer.pem": signature.public_key.encode("ascii"),
        "verification.json": (
            json.dumps(verification, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        ).encode("utf-8"),
    }


def parse_content(content: bytes) -> dict[str, str]:
    """The members of a canonical content, checked to be exactly that form (else ``InvalidInput``)."""
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if (
        not isinstance(data, dict)
        or set(data) != _KEYS
        or not all(isinstance(v, str) for v in data.values())
        or data["format"] != CONTENT_FORMAT
        or json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        != content
    ):
        raise InvalidInput(
            N_("{field}: not a canonical document content of format {allowed}"),
            field="canonical.json",
            allowed=CONTENT_FORMAT,
            domain=DOMAIN,
        )
    return {str(k): str(v) for k, v in data.items()}
