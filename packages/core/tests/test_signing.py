"""SM2 signatures with SM3 (GB/T 32918): the standard's worked example, OpenSSL both ways, keys, trust."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from govparts.core import signing
from govparts.core.demo import make_office
from govparts.core.errors import IntegrityViolation, InvalidInput
from govparts.core.signing import _sm2

MESSAGE = b"message digest"

# GB/T 32918.2-2016 Annex A (also GM/T 0003.2-2012 Annex A): the worked example of a signature on
# the 256-bit prime-field example curve, signer ALICE123@YAHOO.COM, message "message digest".
EXAMPLE_CURVE = _sm2.Curve(
    p=0x8542D69E_4C044F18_E8B92435_BF6FF7DE_45728391_5C45517D_722EDB8B_08F1DFC3,
    a=0x787968B4_FA32C3FD_2417842E_73BBFEFF_2F3C848B_6831D7E0_EC65228B_3937E498,
    b=0x63E4C6D3_B23B0C84_9CF84241_484BFE48_F61D59A5_B16BA06E_6E12D1DA_27C5249A,
    gx=0x421DEBD6_1B62EAB6_746434EB_C3CC315E_32220B3B_ADD50BDC_4C4E6C14_7FEDD43D,
    gy=0x0680512B_CBB42C07_D47349D2_153B70C4_E5D7FDFC_BFA36EA1_A85841B9_E46E09A2,
    n=0x8542D69E_4C044F18_E8B92435_BF6FF7DD_29772063_0485628D_5AE74EE7_C32E79B7,
)
EXAMPLE = {
    "id": b"ALICE123@YAHOO.COM",
    "d": 0x128B2FA8_BD433C6C_068C8D80_3DFF7979_2A519A55_171B1B65_0C23661D_15897263,
    "x": 0x0AE4C779_8AA0F119_471BEE11_825BE462_02BB79E2_A5844495_E97C04FF_4DF2548A,
    "y": 0x7C0240F8_8F1CD4E1_6352A73C_17B7F16F_07353E53_A176D684_A9FE0C6B_B798E857,
    "z": "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A",
    "e": "B524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76",
    "k": 0x6CB28D99_385C175C_94F94E93_4817663F_C176D925_DD72B727_260DBAAE_1FB2F96F,
    "r": 0x40F1EC59_F793D9F4_9E09DCEF_49130D41_94F79FB1_EED2CAA5_5BACDB49_C4E755D1,
    "s": 0x6FC6DAC3_2C5D5CF1_0C77DFB2_0F7C2EB6_67A45787_2FB09EC5_6327A67E_C7DEEBE7,
}

OPENSSL = shutil.which("openssl")


def test_the_standard_worked_example() -> None:
    """Reproduces GB/T 32918.2-2016 Annex A: the public key, Z_A, e and the signature (r, s)."""
    x, y = _sm2.public_point(EXAMPLE_CURVE, EXAMPLE["d"])
    assert (x, y) == (EXAMPLE["x"], EXAMPLE["y"])
    assert _sm2.z_a(EXAMPLE_CURVE, EXAMPLE["id"], x, y).hex().upper() == EXAMPLE["z"]
    e = _sm2.message_digest(EXAMPLE_CURVE, EXAMPLE["id"], x, y, MESSAGE)
    assert e.hex().upper() == EXAMPLE["e"]
    r, s = _sm2.sign_digest(EXAMPLE_CURVE, EXAMPLE["d"], (x, y), e, nonce=EXAMPLE["k"])
    assert (r, s) == (EXAMPLE["r"], EXAMPLE["s"])
    assert _sm2.verify_digest(EXAMPLE_CURVE, (x, y), e, (r, s))
    assert not _sm2.verify_digest(EXAMPLE_CURVE, (x, y), e, (r, s + 1))


def test_a_vector_on_the_recommended_curve() -> None:
    """Reproduces a published signature on the GB/T 32918.5 curve with the default identifier."""
    # From the test suite of the gmalg project (test_sign2), checked here against OpenSSL too.
    key = signing.SM2PrivateKey.from_secret(
        0x3945208F_7B2144B1_3F36E38A_C6D39F95_88939369_2860B51A_42FB81EF_4DF7C5B8
    )
    assert (key.public_key.x, key.public_key.y) == (
        0x09F9DF31_1E5421A1_50DD7D16_1E4BC5C6_72179FAD_1833FC07_6BB08FF3_56F35020,
        0xCCEA490C_E26775A5_2DC6EA71_8CC1AA60_0AED05FB_F35E084A_6632F607_2DA9AD13,
    )
    point = (key.public_key.x, key.public_key.y)
    e = _sm2.message_digest(_sm2.CURVE, signing.DEFAULT_DISTID, *point, MESSAGE)
    nonce = 0x59276E27_D506861A_16680F3A_D9C02DCC_EF3CC1FA_3CDBE4CE_6D54B80D_EAC1BC21
    r, s = _sm2.sign_digest(_sm2.CURVE, key.d, point, e, nonce=nonce)
    assert (r, s) == (
        0xF5A03B06_48D2C463_0EEAC513_E1BB81A1_5944DA38_27D5B741_43AC7EAC_EEE720B3,
        0xB1B6AA29_DF212FD8_763182BC_0D421CA1_BB9038FD_1F7F42D4_840B69C4_85BBC1AA,
    )
    assert signing.verify_bytes(key.public_key, MESSAGE, _sm2.der_signature(r, s))


def test_the_default_identifier_is_the_standard_one() -> None:
    """Uses 1234567812345678 unless another distinguishing identifier is given (GB/T 35276 10.3)."""
    assert signing.DEFAULT_DISTID == b"1234567812345678"
    key = signing.generate_key()
    signature = signing.sign_bytes(key, MESSAGE)
    assert signing.verify_bytes(key.public_key, MESSAGE, signature, distid="1234567812345678")
    assert not signing.verify_bytes(key.public_key, MESSAGE, signature, distid="ALICE123@YAHOO.COM")
    other = signing.sign_bytes(key, MESSAGE, distid="ALICE123@YAHOO.COM")
    assert signing.verify_bytes(key.public_key, MESSAGE, other, distid=b"ALICE123@YAHOO.COM")


def test_every_signature_draws_its_nonce_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draws k from the secrets module each time, so two signatures of the same bytes differ."""
    import secrets

    key = signing.generate_key()
    drawn: list[int] = []
    real = secrets.randbelow

    def recording(limit: int) -> int:
        drawn.append(limit)
        return real(limit)

    monkeypatch.setattr(secrets, "randbelow", recording)
    first, second = signing.sign_bytes(key, MESSAGE), signing.sign_bytes(key, MESSAGE)
    assert drawn == [_sm2.CURVE.n - 1, _sm2.CURVE.n - 1]
    assert first != second
    assert all(signing.verify_bytes(key.public_key, MESSAGE, sig) for sig in (first, second))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda sig, msg: (sig, msg + b"."),
        lambda sig, msg: (sig[:-1] + bytes([sig[-1] ^ 1]), msg),
        lambda sig, msg: (b"", msg),
        lambda sig, msg: (b"\x30\x00", msg),
        lambda sig, msg: (sig + b"\x00", msg),
        lambda sig, msg: (_sm2.der_signature(0, 1), msg),
        lambda sig, msg: (_sm2.der_signature(1, _sm2.CURVE.n), msg),
        lambda sig, msg: (b"\x30" * 10_000, msg),
    ],
    ids=["other bytes", "flipped bit", "empty", "empty sequence", "trailing byte", "r=0", "s=n", "junk"],
)
def test_a_wrong_signature_does_not_verify(tamper: object) -> None:
    """Returns False, without raising, for other bytes or a malformed, flipped or out-of-range signature."""
    key = signing.generate_key()
    signature, message = tamper(signing.sign_bytes(key, MESSAGE), MESSAGE)  # type: ignore[operator]
    assert signing.verify_bytes(key.public_key, message, signature) is False


def test_another_key_does_not_verify() -> None:
    """Refuses a signature checked with another agency's key."""
    signature = signing.sign_bytes(signing.generate_key(), MESSAGE)
    assert not signing.verify_bytes(signing.generate_key().public_key, MESSAGE, signature)


def test_keys_round_trip_through_pem(tmp_path: Path) -> None:
    """Writes PKCS#8 and SubjectPublicKeyInfo PEM files that read back as the same keys, private one 0600."""
    key = signing.generate_key()
    private, public = signing.write_key_pair(key, tmp_path / "keys")
    assert private.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    assert os.stat(private).st_mode & 0o777 == 0o600
    assert signing.read_private_key(private) == key
    assert signing.read_public_key(public) == key.public_key
    assert repr(key) == f"SM2PrivateKey(key_id={key.key_id!r})"  # never the secret


def test_keys_are_never_overwritten(tmp_path: Path) -> None:
    """Refuses to write a key pair where a key file already is."""
    signing.write_key_pair(signing.generate_key(), tmp_path)
    before = (tmp_path / "private.pem").read_bytes()
    with pytest.raises(InvalidInput) as caught:
        signing.write_key_pair(signing.generate_key(), tmp_path)
    assert caught.value.field == "out"
    assert (tmp_path / "private.pem").read_bytes() == before


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a key",
        b"-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN PRIVATE KEY-----\n" + b"A" * 100_000 + b"\n-----END PRIVATE KEY-----\n",
    ],
)
def test_what_is_not_a_private_key_is_refused(data: bytes) -> None:
    """Refuses text that is not an SM2 private key with a message naming where it came from."""
    with pytest.raises(InvalidInput) as caught:
        signing.load_private_key(data, where="KEY")
    assert caught.value.field == "KEY"
    assert "SM2 private key" in caught.value.message("en")


def test_a_public_key_is_not_a_private_key() -> None:
    """Refuses a public key PEM given where the private key belongs, and the other way round."""
    key = signing.generate_key()
    with pytest.raises(InvalidInput):
        signing.load_private_key(key.public_key.pem())
    with pytest.raises(InvalidInput):
        signing.load_public_key(key.pem())


def test_a_point_off_the_curve_is_refused() -> None:
    """Refuses a public key whose point does not lie on the SM2 curve."""
    key = signing.generate_key().public_key
    with pytest.raises(InvalidInput):
        signing.SM2PublicKey(key.x, key.y + 1)


# OpenSSL 3, both ways.

needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command (OpenSSL 3)")


def _openssl(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert OPENSSL is not None
    return subprocess.run([OPENSSL, *args], input=data, capture_output=True, check=False, timeout=60)


@needs_openssl
def test_openssl_verifies_our_signature(tmp_path: Path) -> None:
    """Has openssl pkeyutl -verify -rawin -digest sm3 accept our signature, and refuse it over other bytes."""
    key = signing.generate_key()
    _, public = signing.write_key_pair(key, tmp_path)
    (tmp_path / "data").write_bytes(MESSAGE)
    (tmp_path / "other").write_bytes(MESSAGE + b".")
    (tmp_path / "sig").write_bytes(signing.sign_bytes(key, MESSAGE))
    common = ["pkeyutl", "-verify", "-pubin", "-inkey", str(public), "-rawin", "-digest", "sm3"]
    common += ["-pkeyopt", "distid:1234567812345678", "-sigfile", str(tmp_path / "sig")]
    done = _openssl(*common, "-in", str(tmp_path / "data"))
    assert done.returncode == 0, done.stderr
    assert b"Signature Verified Successfully" in done.stdout
    assert _openssl(*common, "-in", str(tmp_path / "other")).returncode != 0


@needs_openssl
def test_we_verify_openssls_signature_with_its_key(tmp_path: Path) -> None:
    """Reads a key pair openssl generated, byte for byte as we write it, and verifies its signature."""
    private = tmp_path / "private.pem"
    assert _openssl("genpkey", "-algorithm", "SM2", "-out", str(private)).returncode == 0
    public = _openssl("pkey", "-in", str(private), "-pubout").stdout
    key = signing.read_private_key(private)
    assert key.pem() == private.read_bytes()
    assert signing.load_public_key(public) == key.public_key
    assert key.public_key.pem() == public
    (tmp_path / "data").write_bytes(MESSAGE)
    signed = _openssl(
        "pkeyutl", "-sign", "-inkey", str(private), "-rawin", "-digest", "sm3",
        "-pkeyopt", "distid:1234567812345678", "-in", str(tmp_path / "data"),
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    assert signing.verify_bytes(key.public_key, MESSAGE, signed.stdout)
    assert not signing.verify_bytes(key.public_key, MESSAGE + b".", signed.stdout)


@needs_openssl
def test_a_key_of_another_curve_is_refused(tmp_path: Path) -> None:
    """Refuses a P-256 key openssl made: only SM2 keys sign here."""
    private = tmp_path / "p256.pem"
    made = _openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(private)
    )
    assert made.returncode == 0
    with pytest.raises(InvalidInput):
        signing.read_private_key(private)


# Trust files.


def _entry(key: signing.SM2PublicKey, code: str, name: str, start: str, end: str) -> dict[str, str]:
    return {
        "credit_code": code,
        "name": name,
        "public_key": key.pem().decode(),
        "valid_from": start,
        "valid_to": end,
    }


def _trust(*entries: dict[str, str]) -> bytes:
    return json.dumps({"format": "govparts-trust/1", "keys": list(entries)}, ensure_ascii=False).encode()


OFFICE, CLINIC = make_office(1), make_office(2, "institution")


def test_a_trust_file_finds_an_agency_by_key() -> None:
    """Reads agencies' keys and finds the one that signed, while its key is valid (Beijing dates)."""
    first, second = signing.generate_key(), signing.generate_key()
    trust = signing.TrustList.from_json(
        _trust(
            _entry(
                first.public_key, OFFICE.credit_code, "天山区政务服务和数据管理局", "2026-01-01", "2026-12-31"
            ),
            _entry(second.public_key, CLINIC.credit_code, "喀什市疾控中心", "2026-01-01", "2027-12-31"),
        )
    )
    found = trust.find(second.key_id, at=datetime(2027, 6, 1, tzinfo=UTC))
    assert (found.credit_code, found.name) == (CLINIC.credit_code, "喀什市疾控中心")
    assert trust.find(first.key_id, at=datetime(2026, 12, 31, 15, 59, tzinfo=UTC)).valid_to == date(
        2026, 12, 31
    )
    assert signing.TrustList.from_json(trust.to_json()) == trust


def test_an_expired_or_unknown_key_is_refused() -> None:
    """Refuses a key outside its validity (the day ends at Beijing midnight) and a key not listed."""
    key = signing.generate_key()
    trust = signing.TrustList.from_json(
        _trust(
            _entry(
                key.public_key, OFFICE.credit_code, "天山区政务服务和数据管理局", "2026-01-01", "2026-12-31"
            )
        )
    )
    for moment in (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), datetime(2025, 12, 31, 15, 59, tzinfo=UTC)):
        with pytest.raises(IntegrityViolation) as caught:
            trust.find(key.key_id, at=moment)
        assert "valid from 2026-01-01" in caught.value.message("en")
    with pytest.raises(IntegrityViolation) as caught:
        trust.find(signing.generate_key().key_id, at=datetime(2026, 6, 1, tzinfo=UTC))
    assert "does not list" in caught.value.message("en")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credit_code": "91350100M000100Y44"}, "trust.keys[0].credit_code"),
        ({"name": ""}, "trust.keys[0].name"),
        ({"name": "局\u202e"}, "trust.keys[0].name"),
        ({"public_key": "not a key"}, "trust.keys[0].public_key"),
        ({"valid_from": "2026-02-30"}, "trust.keys[0].valid_from"),
        ({"valid_to": "2025-01-01"}, "trust.keys[0].valid_to"),
    ],
)
def test_a_malformed_trust_entry_is_refused_naming_it(change: dict[str, str], field: str) -> None:
    """Refuses a trust file whose entry has a bad credit code, name, key or dates, naming the member."""
    entry = _entry(signing.generate_key().public_key, OFFICE.credit_code, "局", "2026-01-01", "2026-12-31")
    with pytest.raises(InvalidInput) as caught:
        signing.TrustList.from_json(_trust(entry | change))
    assert caught.value.field == field


def test_a_key_listed_twice_and_what_is_not_a_trust_file_are_refused() -> None:
    """Refuses the same key listed twice, and files that are not trust files."""
    key = signing.generate_key().public_key
    entry = _entry(key, OFFICE.credit_code, "局", "2026-01-01", "2026-12-31")
    with pytest.raises(InvalidInput):
        signing.TrustList.from_json(_trust(entry, entry | {"credit_code": CLINIC.credit_code}))
    for data in (b"", b"[]", b'{"format": "govparts-trust/1"}', b"{" * 100_000):
        with pytest.raises(InvalidInput) as caught:
            signing.TrustList.from_json(data)
        assert caught.value.field == "trust"


def test_a_missing_trust_file_is_refused(tmp_path: Path) -> None:
    """Refuses a trust file path that cannot be read, naming it."""
    with pytest.raises(InvalidInput) as caught:
        signing.read_trust(tmp_path / "none.json")
    assert caught.value.field == str(tmp_path / "none.json")


def test_a_private_key_is_a_signer() -> None:
    """Satisfies the Signer interface that sign_bytes takes, naming its algorithm and key."""
    key = signing.generate_key()
    assert isinstance(key, signing.Signer)
    assert (key.algorithm, len(key.key_id)) == ("sm2-sm3", 64)
