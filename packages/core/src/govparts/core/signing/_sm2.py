"""SM2 digital signatures with SM3: GB/T 32918.2-2016 《信息安全技术 SM2椭圆曲线公钥密码算法 第2部分：
数字签名算法》, on the curve of GB/T 32918.5-2017 (推荐曲线参数).

The point arithmetic is gmssl's (a maintained pure-Python implementation); this module only
computes what the standard hashes (Z_A and e, clause 5.5 and 6.1), draws the nonce ``k`` from
:mod:`secrets`, checks the ranges the standard requires of ``r`` and ``s`` (6.2, B1-B2) and encodes
signatures as DER ``SEQUENCE {INTEGER r, INTEGER s}`` (GB/T 35276-2017 7.3), the form OpenSSL's
``pkeyutl`` reads and writes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from gmssl import sm2 as _gmssl_sm2  # type: ignore[import-untyped]
from gmssl import sm3 as _gmssl_sm3

__all__ = ["CURVE", "DEFAULT_DISTID", "Curve", "der_signature", "parse_der_signature", "sm3"]

DEFAULT_DISTID = b"1234567812345678"
"""The distinguishing identifier (用户身份标识 ID) used when none is agreed: GB/T 35276-2017 10.3."""


@dataclass(frozen=True)
class Curve:
    """A prime-field curve y² = x³ + ax + b with base point (gx, gy) of order n."""

    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int

    def _table(self) -> dict[str, str]:
        return {
            "p": f"{self.p:064X}",
            "a": f"{self.a:064X}",
            "b": f"{self.b:064X}",
            "n": f"{self.n:064X}",
            "g": f"{self.gx:064x}{self.gy:064x}",
        }

    def contains(self, x: int, y: int) -> bool:
        """True when (x, y) is a point of the curve other than the point at infinity."""
        if not (0 <= x < self.p and 0 <= y < self.p):
            return False
        return (y * y - (x * x * x + self.a * x + self.b)) % self.p == 0


CURVE = Curve(
    p=0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFF_00000000_FFFFFFFF_FFFFFFFF,
    a=0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFF_00000000_FFFFFFFF_FFFFFFFC,
    b=0x28E9FA9E_9D9F5E34_4D5A9E4B_CF6509A7_F39789F5_15AB8F92_DDBCBD41_4D940E93,
    gx=0x32C4AE2C_1F198119_5F990446_6A39C994_8FE30BBF_F2660BE1_715A4589_334C74C7,
    gy=0xBC3736A2_F4F6779C_59BDCEE3_6B692153_D0A9877C_C62A4740_02DF32E5_2139F0A0,
    n=0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_7203DF6B_21C6052B_53BBF409_39D54123,
)
"""The recommended 256-bit curve of GB/T 32918.5-2017 (OpenSSL's ``SM2``)."""


def sm3(data: bytes) -> bytes:
    """SM3 (GB/T 32905-2016) of ``data``: OpenSSL's where this Python has it, else gmssl's."""
    try:
        return hashlib.new("sm3", data).digest()
    except ValueError:
        return bytes.fromhex(_gmssl_sm3.sm3_hash(list(data)))


def _bytes32(value: int) -> bytes:
    return value.to_bytes(32, "big")


def z_a(curve: Curve, distid: bytes, x: int, y: int) -> bytes:
    """Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2-2016 5.5)."""
    bits = len(distid) * 8
    if bits >= 1 << 16:
        raise ValueError("the distinguishing identifier is longer than 8191 bytes")
    return sm3(
        bits.to_bytes(2, "big")
        + distid
        + b"".join(_bytes32(v) for v in (curve.a, curve.b, curve.gx, curve.gy, x, y))
    )


def message_digest(curve: Curve, distid: bytes, x: int, y: int, message: bytes) -> bytes:
    """e = SM3(Z_A ‖ M) (GB/T 32918.2-2016 6.1, A1-A2)."""
    return sm3(z_a(curve, distid, x, y) + message)


def _engine(curve: Curve, d: int | None, point: tuple[int, int] | None) -> Any:
    engine = _gmssl_sm2.CryptSM2("" if d is None else f"{d:064x}", "", curve._table())
    # Set after construction: gmssl 3.2.2 strips a leading "04" with str.lstrip, which also eats the
    # x coordinate's own leading 0 and 4 digits.
    engine.public_key = "" if point is None else f"{point[0]:064x}{point[1]:064x}"
    return engine


def public_point(curve: Curve, d: int) -> tuple[int, int]:
    """P = [d]G, computed by gmssl."""
    point = _engine(curve, d, None)._kg(d, curve._table()["g"])
    return int(point[:64], 16), int(point[64:128], 16)


def sign_digest(
    curve: Curve, d: int, point: tuple[int, int], e: bytes, *, nonce: int | None = None
) -> tuple[int, int]:
    """(r, s) over the digest ``e`` with the private key ``d`` (GB/T 32918.2-2016 6.1, A3-A7).

    ``nonce`` is for the standard's worked example only; otherwise ``k`` is drawn from
    :mod:`secrets` afresh, and drawn again in the rare cases the standard says to (r = 0, r + k = n,
    s = 0).
    """
    engine = _engine(curve, d, point)
    while True:
        k = nonce if nonce is not None else secrets.randbelow(curve.n - 1) + 1
        signed = engine.sign(e, f"{k:064x}")
        if signed is not None:
            r, s = int(signed[:64], 16), int(signed[64:128], 16)
            if 1 <= r < curve.n and 1 <= s < curve.n:
                return r, s
        if nonce is not None:
            raise ValueError("the given nonce yields no signature")


def verify_digest(curve: Curve, point: tuple[int, int], e: bytes, signature: tuple[int, int]) -> bool:
    """True when (r, s) is a signature of the digest ``e`` by the key ``point`` (GB/T 32918.2-2016 7.1)."""
    r, s = signature
    if not (1 <= r < curve.n and 1 <= s < curve.n) or (r + s) % curve.n == 0:
        return False
    if not curve.contains(*point):
        return False
    engine = _engine(curve, None, point)
    try:
        return bool(engine.verify(f"{r:064x}{s:064x}", e))
    except (TypeError, ValueError):  # a sum that is the point at infinity: no signature
        return False


def der_signature(r: int, s: int) -> bytes:
    """DER ``SEQUENCE {INTEGER r, INTEGER s}``."""
    from Cryptodome.Util.asn1 import DerSequence

    return bytes(DerSequence([r, s]).encode())


def parse_der_signature(signature: bytes) -> tuple[int, int] | None:
    """(r, s) from a DER signature, or ``None`` when it is not exactly one (strict DER)."""
    from Cryptodome.Util.asn1 import DerSequence

    try:
        sequence: Any = DerSequence().decode(signature, strict=True, nr_elements=2, only_ints_expected=True)
    except (ValueError, TypeError, IndexError, EOFError):
        return None
    r, s = int(sequence[0]), int(sequence[1])
    if der_signature(r, s) != signature:
        return None
    return r, s
