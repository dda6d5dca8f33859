"""Publishing the standard: every artifact generated from the code, fingerprinted and compared.

:func:`build` writes a publication folder (JSON Schemas, code lists, process specs, the AsyncAPI
event catalogue, the golden corpus, the operations catalogue of each part's service Protocol, what
contributors add, and ``index.json``); :func:`diff` compares two publications and classifies each
change for producers and consumers; the gate fails on a breaking change without a major version bump
or a written override.

    >>> from govparts.core.spec import schema_id
    >>> schema_id("govparts.core.refs.PersonRef", "1.0")
    'urn:govparts:schema:govparts.core.refs.PersonRef:1.0'
"""

from ._diff import Change as Change
from ._diff import Deprecation as Deprecation
from ._diff import DiffReport as DiffReport
from ._diff import Override as Override
from ._diff import Severity as Severity
from ._diff import diff as diff
from ._diff import load_overrides as load_overrides
from ._operations import OPERATIONS_SCHEMA as OPERATIONS_SCHEMA
from ._operations import DocProblem as DocProblem
from ._operations import MethodDoc as MethodDoc
from ._operations import docstring_problems as docstring_problems
from ._operations import operations_document as operations_document
from ._operations import parse_docstring as parse_docstring
from ._operations import protocol_methods as protocol_methods
from ._publish import ARTIFACT_KINDS as ARTIFACT_KINDS
from ._publish import CONTRIBUTOR_GROUP as CONTRIBUTOR_GROUP
from ._publish import JSON_SCHEMA_DIALECT as JSON_SCHEMA_DIALECT
from ._publish import STATUSES as STATUSES
from ._publish import WALL_CLOCK_TIME as WALL_CLOCK_TIME
from ._publish import Artifact as Artifact
from ._publish import Contributor as Contributor
from ._publish import GoldenVerdict as GoldenVerdict
from ._publish import Publication as Publication
from ._publish import artifact_sha256 as artifact_sha256
from ._publish import build as build
from ._publish import canonical_csv as canonical_csv
from ._publish import canonical_json as canonical_json
from ._publish import check_golden as check_golden
from ._publish import collect as collect
from ._publish import core_part as core_part
from ._publish import golden_cases as golden_cases
from ._publish import model_schema as model_schema
from ._publish import published_models as published_models
from ._publish import schema_id as schema_id

__all__ = [
    # --- building ---
    "ARTIFACT_KINDS",
    "CONTRIBUTOR_GROUP",
    "JSON_SCHEMA_DIALECT",
    "WALL_CLOCK_TIME",
    "STATUSES",
    "Artifact",
    "Contributor",
    "Publication",
    "artifact_sha256",
    "build",
    "canonical_csv",
    "canonical_json",
    "collect",
    "core_part",
    "model_schema",
    "published_models",
    "schema_id",
    # --- operations catalogue ---
    "OPERATIONS_SCHEMA",
    "DocProblem",
    "MethodDoc",
    "docstring_problems",
    "operations_document",
    "parse_docstring",
    "protocol_methods",
    # --- golden corpus ---
    "GoldenVerdict",
    "check_golden",
    "golden_cases",
    # --- comparing ---
    "Change",
    "Deprecation",
    "DiffReport",
    "Override",
    "Severity",
    "diff",
    "load_overrides",
]
