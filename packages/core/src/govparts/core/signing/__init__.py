"""Electronic signatures between agencies: SM2 with SM3 (GB/T 32918.2-2016), keys, trust files.

The regional plan asks agencies to sign what they send each other (exchange packages, audit
checkpoints, conformance statements). A signature here is SM2 over SM3 as in GB/T 32918.2-2016, on
the curve of GB/T 32918.5-2017, with the distinguishing identifier ``1234567812345678`` unless
another is agreed (GB/T 35276-2017 10.3), DER-encoded: exactly what OpenSSL 3 makes and checks with
``openssl pkeyutl -sign|-verify -rawin -digest sm3 -pkeyopt distid:1234567812345678``. The curve
arithmetic is gmssl's; every nonce comes from :mod:`secrets`.

::

    from govparts.core import signing

    key = signing.generate_key()                      # or signing.read_private_key("private.pem")
    signature = signing.sign_bytes(key, manifest)     # DER bytes
    assert signing.verify_bytes(key.public_key, manifest, signature)

    trust = signing.read_trust("trust.json")          # the agencies whose keys this office accepts
    agency = trust.find(key.key_id, at=now)           # IntegrityViolation: unknown or expired key

Anything with ``algorithm``, ``key_id`` and ``sign(data)`` is a :class:`Signer`, so a key kept in a
hardware module can stand in for :class:`SM2PrivateKey`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ._keys import SIGNATURE_ALGORITHM as SIGNATURE_ALGORITHM
from ._keys import SM2PrivateKey as SM2PrivateKey
from ._keys import SM2PublicKey as SM2PublicKey
from ._keys import generate_key as generate_key
from ._keys import load_private_key as load_private_key
from ._keys import load_public_key as load_public_key
from ._keys import read_private_key as read_private_key
from ._keys import read_public_key as read_public_key
from ._keys import write_key_pair as write_key_pair
from ._sm2 import DEFAULT_DISTID as DEFAULT_DISTID
from ._trust import TRUST_FORMAT as TRUST_FORMAT
from ._trust import TrustedKey as TrustedKey
from ._trust import TrustList as TrustList
from ._trust import read_trust as read_trust

__all__ = [
    # signing and checking
    "DEFAULT_DISTID",
    "SIGNATURE_ALGORITHM",
    "Signer",
    "sign_bytes",
    "verify_bytes",
    # keys
    "SM2PrivateKey",
    "SM2PublicKey",
    "generate_key",
    "load_private_key",
    "load_public_key",
    "read_private_key",
    "read_public_key",
    "write_key_pair",
    # trust
    "TRUST_FORMAT",
    "TrustList",
    "TrustedKey",
    "read_trust",
]


@runtime_checkable
class Signer(Protocol):
    """What signs: an algorithm name (``"sm2-sm3"``), the id of its public key, and ``sign``."""

    @property
    def algorithm(self) -> str: ...

    @property
    def key_id(self) -> str: ...

    def sign(self, data: bytes, *, distid: bytes | str = DEFAULT_DISTID) -> bytes:
        """The DER signature of ``data``."""
        ...


def sign_bytes(key: Signer, data: bytes, *, distid: bytes | str = DEFAULT_DISTID) -> bytes:
    """The DER SM2 signature of exactly ``data`` by ``key`` (GB/T 32918.2-2016 6.1).

    What OpenSSL checks with ``openssl pkeyutl -verify -pubin -inkey public.pem -rawin -digest sm3
    -pkeyopt distid:1234567812345678 -in DATA -sigfile SIG``.
    """
    return key.sign(bytes(data), distid=distid)


def verify_bytes(
    key: SM2PublicKey, data: bytes, signature: bytes, *, distid: bytes | str = DEFAULT_DISTID
) -> bool:
    """True when ``signature`` (DER) is ``key``'s SM2 signature of exactly ``data`` (GB/T 32918.2-2016 7.1).

    Returns False, never raises, for a signature that is malformed, made by another key, under
    another distinguishing identifier, or over other bytes.
    """
    return key.verify(bytes(data), bytes(signature), distid=distid)
