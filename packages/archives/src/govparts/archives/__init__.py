"""govparts.archives: official documents and their archiving (公文与档案).

Official documents per 党政机关公文处理工作条例 (中办发〔2012〕14号) and GB/T 9704-2012: the 15 kinds
of document, their elements, document numbers (发文字号, §7.2.5) allocated gap-free per organ code
and year; outgoing (发文) and incoming (收文) documents as processes; items (件) filed under archival
codes (档号) per DA/T 22-2015 with retention periods from a retention schedule; appraisal and
destruction with legal holds; BagIt archival packages (RFC 8493) with SM3 (GB/T 32905-2016) and
SHA-256 manifests; clearance-aware reads, listings and full-text search.

>>> from govparts.archives import format_document_number, parse_archival_code
>>> format_document_number("新政发", 2003, 17)
'新政发〔2003〕17号'
>>> parse_archival_code("J001-WS·2016-Y-BGS-0005").item_number
5
"""

from . import archival_code as archival_code
from . import document_number as document_number
from .archival_code import ArchivalCode as ArchivalCode
from .archival_code import compact as compact_archival_code
from .archival_code import format as normalize_archival_code
from .archival_code import format_parts as format_archival_code
from .archival_code import is_valid as is_valid_archival_code
from .archival_code import parse as parse_archival_code
from .document_number import DocumentNumber as DocumentNumber
from .document_number import compact as compact_document_number
from .document_number import format as normalize_document_number
from .document_number import format_parts as format_document_number
from .document_number import is_valid as is_valid_document_number
from .document_number import parse as parse_document_number

__all__ = [
    # document numbers, GB/T 9704-2012 7.2.5
    "DocumentNumber",
    "compact_document_number",
    "document_number",
    "format_document_number",
    "is_valid_document_number",
    "normalize_document_number",
    "parse_document_number",
    # archival codes, DA/T 22-2015
    "ArchivalCode",
    "archival_code",
    "compact_archival_code",
    "format_archival_code",
    "is_valid_archival_code",
    "normalize_archival_code",
    "parse_archival_code",
]
