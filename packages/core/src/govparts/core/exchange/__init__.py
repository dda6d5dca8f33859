"""The data exchange format of the regional data exchange centre (数据交换中心).

An exchange package is a folder or a zip file holding ``manifest.json`` and one JSON Lines file per
model: the sender organisation (GB 32100-2015 credit code), the creation time (UTC, ISO 8601) and,
per data file, the model's standard id and version, the record count and the file's SHA-256 and SM3
(GB/T 32905-2016) digests. Records are canonical JSON, one per line, so export → import → export
gives byte-identical data files::

    from govparts.core import exchange

    exchange.export_package("out.zip", engine, part=get_part("personnel"), sender=office)
    report = exchange.validate_package("out.zip")        # writes nothing
    report = exchange.import_package("out.zip", other_engine)
    for group in report.summary():
        print(group.code, group.count, [e.message("ug_CN") for _, _, e in group.examples])

A damaged package (a digest or count that does not match, a missing file, a link, an unknown model,
a zip beyond the declared :class:`Limits`) raises :class:`InvalidPackage` before any record is
parsed; validation runs in bounded memory whatever a package holds. Every import leaves one audit
record per batch. Parts take part through an :class:`ExchangeAdapter` named in their descriptor's
``extras["exchange"]``, declaring their model's key as ``record_key`` so that a key repeated within
a file is a rejected line (:class:`DuplicateKey`).
"""

from ._adapter import DuplicateKey as DuplicateKey
from ._adapter import ExchangeAdapter as ExchangeAdapter
from ._adapter import ImportReport as ImportReport
from ._adapter import adapters_by_model as adapters_by_model
from ._adapter import insert_new as insert_new
from ._adapter import part_adapters as part_adapters
from ._adapter import record_key as record_key
from ._format import FORMAT_ID as FORMAT_ID
from ._format import FORMAT_VERSION as FORMAT_VERSION
from ._format import MANIFEST_NAME as MANIFEST_NAME
from ._format import DataFile as DataFile
from ._format import Digests as Digests
from ._format import Manifest as Manifest
from ._format import canonical_line as canonical_line
from ._package import BATCH_SIZE as BATCH_SIZE
from ._package import IMPORT_ACTION as IMPORT_ACTION
from ._package import IMPORT_ACTOR as IMPORT_ACTOR
from ._package import IMPORT_ENTITY as IMPORT_ENTITY
from ._package import LIMITS as LIMITS
from ._package import ErrorGroup as ErrorGroup
from ._package import ExchangeReport as ExchangeReport
from ._package import FileReport as FileReport
from ._package import InvalidPackage as InvalidPackage
from ._package import Limits as Limits
from ._package import Progress as Progress
from ._package import RecordError as RecordError
from ._package import SignatureRefused as SignatureRefused
from ._package import check_package as check_package
from ._package import export_package as export_package
from ._package import import_package as import_package
from ._package import read_manifest as read_manifest
from ._package import reject_path as reject_path
from ._package import sign_package as sign_package
from ._package import validate_package as validate_package
from ._package import verify_package_signature as verify_package_signature
from ._signature import SIGNATURE_FORMAT as SIGNATURE_FORMAT
from ._signature import SIGNATURE_INFO_NAME as SIGNATURE_INFO_NAME
from ._signature import SIGNATURE_NAME as SIGNATURE_NAME
from ._signature import PackageSignature as PackageSignature

__all__ = [
    # the format
    "FORMAT_ID",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "DataFile",
    "Digests",
    "Manifest",
    "canonical_line",
    # parts plug in
    "ExchangeAdapter",
    "ImportReport",
    "adapters_by_model",
    "insert_new",
    "part_adapters",
    "record_key",
    # packages
    "BATCH_SIZE",
    "LIMITS",
    "Limits",
    "Progress",
    "check_package",
    "export_package",
    "import_package",
    "read_manifest",
    "reject_path",
    "validate_package",
    # signatures
    "SIGNATURE_FORMAT",
    "SIGNATURE_INFO_NAME",
    "SIGNATURE_NAME",
    "PackageSignature",
    "SignatureRefused",
    "sign_package",
    "verify_package_signature",
    # audit of imports
    "IMPORT_ACTION",
    "IMPORT_ACTOR",
    "IMPORT_ENTITY",
    # reports and errors
    "DuplicateKey",
    "ErrorGroup",
    "ExchangeReport",
    "FileReport",
    "InvalidPackage",
    "RecordError",
]
