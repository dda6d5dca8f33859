"""SM2 key pairs and their PEM files, in the forms OpenSSL 3 reads and writes.

A private key is PKCS#8 (RFC 5208, ``-----BEGIN PRIVATE KEY-----``) holding an ``ECPrivateKey``
(RFC 5915) on the SM2 curve; OpenSSL's older ``-----BEGIN EC PRIVATE KEY-----`` form is read too. A
public key is a SubjectPublicKeyInfo (RFC 5280, ``-----BEGIN PUBLIC KEY-----``). Both name the
curve by its object identifier 1.2.156.10197.1.301 (GB/T 33560-2017, ``sm2``) with the algorithm
id-ecPublicKey (1.2.840.10045.2.1), as OpenSSL does.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..i18n import N_
from . import _sm2
from ._sm2 import CURVE, DEFAULT_DISTID

__all__ = [
    "SIGNATURE_ALGORITHM",
    "SM2PrivateKey",
    "SM2PublicKey",
    "generate_key",
    "load_private_key",
    "load_public_key",
    "read_private_key",
    "read_public_key",
    "write_key_pair",
]

SIGNATURE_ALGORITHM = "sm2-sm3"
"""The name govparts gives SM2 signatures with SM3 (GB/T 32918.2) in what it writes."""

_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
_SM2_CURVE = "1.2.156.10197.1.301"
_PEM = re.compile(rb"-----BEGIN ([A-Z ]+)-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END \1-----")
_MAX_PEM = 64 * 1024


def _distid(distid: bytes | str) -> bytes:
    return distid.encode("utf-8") if isinstance(distid, str) else bytes(distid)


@dataclass(frozen=True)
class SM2PublicKey:
    """An SM2 public key: the point (x, y) of the GB/T 32918.5 curve."""

    x: int
    y: int

    def __post_init__(self) -> None:
        if not CURVE.contains(self.x, self.y):
            raise InvalidInput(N_("{field}: not a point of the SM2 curve"), field="public_key")

    def point(self) -> bytes:
        """The uncompressed point 04 ‖ x ‖ y (GB/T 32918.1-2016 4.2.9)."""
        return b"\x04" + self.x.to_bytes(32, "big") + self.y.to_bytes(32, "big")

    def der(self) -> bytes:
        """The SubjectPublicKeyInfo, DER."""
        from Cryptodome.Util.asn1 import DerBitString, DerObjectId, DerSequence

        algorithm = DerSequence([DerObjectId(_EC_PUBLIC_KEY), DerObjectId(_SM2_CURVE)])
        return bytes(DerSequence([algorithm, DerBitString(self.point())]).encode())

    def pem(self) -> bytes:
        """The SubjectPublicKeyInfo as PEM (``-----BEGIN PUBLIC KEY-----``)."""
        return _pem("PUBLIC KEY", self.der())

    @property
    def key_id(self) -> str:
        """SM3 of the DER SubjectPublicKeyInfo, in hexadecimal: how signatures name their key."""
        return _sm2.sm3(self.der()).hex()

    def verify(self, data: bytes, signature: bytes, *, distid: bytes | str = DEFAULT_DISTID) -> bool:
        """True when ``signature`` (DER) is this key's SM2 signature of ``data`` under ``distid``.

        Never raises for a malformed signature: it is simply not a valid one.
        """
        parsed = _sm2.parse_der_signature(signature)
        if parsed is None:
            return False
        e = _sm2.message_digest(CURVE, _distid(distid), self.x, self.y, data)
        return _sm2.verify_digest(CURVE, (self.x, self.y), e, parsed)


@dataclass(frozen=True, repr=False)
class SM2PrivateKey:
    """An SM2 private key d (1 ≤ d ≤ n − 2) with its public key; it is a :class:`Signer`."""

    d: int
    public_key: SM2PublicKey = field(compare=False)
    algorithm: str = field(default=SIGNATURE_ALGORITHM, init=False, compare=False)

    def __repr__(self) -> str:
        return f"SM2PrivateKey(key_id={self.key_id!r})"

    @classmethod
    def from_secret(cls, d: int) -> SM2PrivateKey:
        """The key with secret ``d``, its public key computed."""
        if not 1 <= d <= CURVE.n - 2:
            raise InvalidInput(N_("{field}: the private key is out of range"), field="private_key")
        return cls(d, SM2PublicKey(*_sm2.public_point(CURVE, d)))

    @property
    def key_id(self) -> str:
        """The public key's :attr:`SM2PublicKey.key_id`."""
        return self.public_key.key_id

    def sign(self, data: bytes, *, distid: bytes | str = DEFAULT_DISTID) -> bytes:
        """The DER SM2 signature of ``data`` (GB/T 32918.2-2016 6.1), its nonce from :mod:`secrets`."""
        key = self.public_key
        e = _sm2.message_digest(CURVE, _distid(distid), key.x, key.y, data)
        return _sm2.der_signature(*_sm2.sign_digest(CURVE, self.d, (key.x, key.y), e))

    def der(self) -> bytes:
        """The PKCS#8 PrivateKeyInfo, DER, as OpenSSL writes it."""
        from Cryptodome.Util.asn1 import DerBitString, DerObjectId, DerOctetString, DerSequence

        inner = DerSequence(
            [1, DerOctetString(self.d.to_bytes(32, "big")), DerBitString(self.public_key.point(), explicit=1)]
        ).encode()
        algorithm = DerSequence([DerObjectId(_EC_PUBLIC_KEY), DerObjectId(_SM2_CURVE)])
        return bytes(DerSequence([0, algorithm, DerOctetString(inner)]).encode())

    def pem(self) -> bytes:
        """The PKCS#8 PrivateKeyInfo as PEM (``-----BEGIN PRIVATE KEY-----``)."""
        return _pem("PRIVATE KEY", self.der())


def generate_key() -> SM2PrivateKey:
    """A new SM2 key pair, the secret drawn from :mod:`secrets` (GB/T 32918.1-2016 6.1)."""
    return SM2PrivateKey.from_secret(secrets.randbelow(CURVE.n - 2) + 1)


def _pem(label: str, der: bytes) -> bytes:
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        b"\n".join([f"-----BEGIN {label}-----".encode(), *lines, f"-----END {label}-----".encode()]) + b"\n"
    )


def _not_a_key(where: str, kind: str) -> InvalidInput:
    return InvalidInput(
        N_("{field}: not an SM2 {kind} in PEM (expected what openssl genpkey -algorithm SM2 writes)"),
        field=where,
        kind=kind,
    )


def _unpem(data: bytes, labels: tuple[str, ...], where: str, kind: str) -> tuple[str, bytes]:
    if len(data) > _MAX_PEM:
        raise _not_a_key(where, kind)
    for match in _PEM.finditer(data):
        label = match.group(1).decode("ascii")
        if label in labels:
            try:
                return label, base64.b64decode(b"".join(match.group(2).split()), validate=True)
            except (binascii.Error, ValueError):
                raise _not_a_key(where, kind) from None
    raise _not_a_key(where, kind)


def _elements(der: Any) -> list[Any]:
    """The elements of a DER SEQUENCE: integers as ints, anything else as its encoding."""
    from Cryptodome.Util.asn1 import DerSequence

    sequence: Any = DerSequence().decode(der, strict=True)
    return [sequence[i] for i in range(len(sequence))]


def _payload(der: Any, codec: Any) -> Any:
    decoded: Any = codec().decode(der, strict=True)
    return decoded


def _sm2_algorithm(der: Any) -> bool:
    from Cryptodome.Util.asn1 import DerObjectId

    algorithm = _elements(der)
    if len(algorithm) != 2:
        return False
    return [_payload(part, DerObjectId).value for part in algorithm] == [_EC_PUBLIC_KEY, _SM2_CURVE]


def _point(encoded: bytes) -> SM2PublicKey:
    if len(encoded) != 65 or encoded[0] != 4:
        raise ValueError("not an uncompressed point")
    return SM2PublicKey(int.from_bytes(encoded[1:33], "big"), int.from_bytes(encoded[33:], "big"))


def load_public_key(data: bytes, *, where: str = "public_key") -> SM2PublicKey:
    """The SM2 public key in a PEM SubjectPublicKeyInfo (:class:`InvalidInput` naming ``where``)."""
    from Cryptodome.Util.asn1 import DerBitString

    _, der = _unpem(data, ("PUBLIC KEY",), where, "public key")
    try:
        spki = _elements(der)
        if len(spki) != 2 or not _sm2_algorithm(spki[0]):
            raise ValueError("not an SM2 key")
        return _point(_payload(spki[1], DerBitString).value)
    except (ValueError, TypeError, IndexError, EOFError, InvalidInput):
        raise _not_a_key(where, "public key") from None


def _ec_private_key(der: bytes, *, params_required: bool) -> SM2PrivateKey:
    from Cryptodome.Util.asn1 import DerBitString, DerObject, DerObjectId, DerOctetString

    sequence = _elements(der)
    if len(sequence) < 2 or sequence[0] != 1:
        raise ValueError("not an ECPrivateKey")
    secret = _payload(sequence[1], DerOctetString).payload
    key = SM2PrivateKey.from_secret(int.from_bytes(secret, "big"))
    seen_params = False
    for element in sequence[2:]:
        payload = _payload(element, DerObject).payload
        if element[0] == 0xA0:  # [0] parameters: the curve
            if _payload(payload, DerObjectId).value != _SM2_CURVE:
                raise ValueError("another curve")
            seen_params = True
        elif element[0] == 0xA1 and _point(_payload(payload, DerBitString).value) != key.public_key:
            raise ValueError("the public key does not belong to the private key")
    if params_required and not seen_params:
        raise ValueError("no curve named")
    return key


def load_private_key(data: bytes, *, where: str = "private_key") -> SM2PrivateKey:
    """The SM2 private key in PEM: PKCS#8 ``PRIVATE KEY`` or OpenSSL's ``EC PRIVATE KEY``.

    An encrypted key, another curve or algorithm, or a key whose embedded public key does not
    belong to it is refused with :class:`InvalidInput` naming ``where`` (never echoing the key).
    """
    from Cryptodome.Util.asn1 import DerOctetString

    label, der = _unpem(data, ("PRIVATE KEY", "EC PRIVATE KEY"), where, "private key")
    try:
        if label == "EC PRIVATE KEY":
            return _ec_private_key(der, params_required=True)
        info = _elements(der)
        if len(info) < 3 or info[0] != 0 or not _sm2_algorithm(info[1]):
            raise ValueError("not an SM2 PrivateKeyInfo")
        return _ec_private_key(_payload(info[2], DerOctetString).payload, params_required=False)
    except (ValueError, TypeError, IndexError, EOFError, InvalidInput):
        raise _not_a_key(where, "private key") from None


def _read(path: str | Path, kind: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(_MAX_PEM + 1)
    except OSError as exc:
        raise InvalidInput(
            N_("{field}: the {kind} file cannot be read ({reason})"),
            field=str(path),
            kind=kind,
            reason=exc.strerror or type(exc).__name__,
        ) from None


def read_private_key(path: str | Path) -> SM2PrivateKey:
    """The SM2 private key in the PEM file at ``path`` (see :func:`load_private_key`)."""
    return load_private_key(_read(path, "private key"), where=str(path))


def read_public_key(path: str | Path) -> SM2PublicKey:
    """The SM2 public key in the PEM file at ``path`` (see :func:`load_public_key`)."""
    return load_public_key(_read(path, "public key"), where=str(path))


def write_key_pair(key: SM2PrivateKey, folder: str | Path) -> tuple[Path, Path]:
    """Write ``private.pem`` (readable by its owner only) and ``public.pem`` into ``folder``.

    Neither file may exist already: a key is never overwritten. Returns their paths.
    """
    folder = Path(folder)
    private, public = folder / "private.pem", folder / "public.pem"
    for path in (private, public):
        if path.exists():
            raise InvalidInput(
                N_("{field}: {got} already exists; a key is never overwritten"), field="out", got=str(path)
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key.pem())
        try:
            with public.open("xb") as file:
                file.write(key.public_key.pem())
        except OSError:
            private.unlink()
            raise
    except OSError as exc:
        raise InvalidInput(
            N_("{field}: cannot write the key files in {got} ({reason})"),
            field="out",
            got=str(folder),
            reason=exc.strerror or type(exc).__name__,
        ) from None
    return private, public
