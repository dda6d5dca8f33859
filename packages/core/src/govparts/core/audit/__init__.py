"""The append-only, hash-chained audit log (审计日志).

Every change of state and every read of classified material is recorded: who (actor and unit),
what (action, entity and id, the state before and after as JSON, details), when. Records are
numbered 1, 2, 3… and each carries the hash of its canonical form (:func:`canonical_form`), which
includes the previous record's hash, so that editing, deleting or reordering any record breaks the
chain from there on. The hash is SM3 (GB/T 32905-2016 《信息安全技术 SM3密码杂凑算法》) where this
Python's OpenSSL offers it, SHA-256 otherwise; each record names its own algorithm.

Appends happen inside the caller's transaction, so a record exists exactly when the change it
describes was committed::

    from govparts.core import audit
    from govparts.core.db import session_scope

    with session_scope(engine) as session:
        ...  # the change itself
        audit.append(session, action="update", entity="employee", entity_id="42",
                     actor=clerk, before={"title": "科员"}, after={"title": "副科长"})

Concurrent appends queue on the single chain-head row (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite writers are serialised by ``BEGIN IMMEDIATE``), so the chain never forks. On both databases
triggers refuse ``UPDATE``, ``DELETE``, ``REPLACE`` and ``TRUNCATE`` of records
(:func:`govparts.core.db.append_only_ddl`, the one mechanism of every append-only table) and let
the head only advance to a record that exists with that hash; :func:`verify` finds what someone
with the power to bypass them changed anyway, and a checkpoint kept outside the database catches a
chain rewritten with recomputed hashes::

    report = audit.verify(engine)
    if not report.ok:
        print(report.seq, report.kind, report.message("en"))

A checkpoint of the head, kept where the database's owner cannot rewrite it, catches a chain
rewritten with recomputed hashes or cut short::

    Path("audit-2026-12.json").write_bytes(audit.take_checkpoint(engine).to_json())
    ...
    report = audit.verify(engine, checkpoint=audit.read_checkpoint("audit-2026-12.json"))

``govparts audit verify`` prints the same report; ``govparts audit checkpoint`` writes the file.
"""

from ._chain import ALGORITHMS as ALGORITHMS
from ._chain import CANONICAL_FIELDS as CANONICAL_FIELDS
from ._chain import AuditEntry as AuditEntry
from ._chain import AuditStamp as AuditStamp
from ._chain import append as append
from ._chain import append_many as append_many
from ._chain import canonical_form as canonical_form
from ._chain import digest as digest
from ._chain import hash_algorithm as hash_algorithm
from ._chain import history as history
from ._checkpoint import CHECKPOINT_FORMAT as CHECKPOINT_FORMAT
from ._checkpoint import Checkpoint as Checkpoint
from ._checkpoint import check_checkpoint_signature as check_checkpoint_signature
from ._checkpoint import read_checkpoint as read_checkpoint
from ._checkpoint import sign_checkpoint as sign_checkpoint
from ._tables import GENESIS_HASH as GENESIS_HASH
from ._tables import AuditHead as AuditHead
from ._tables import AuditRecord as AuditRecord
from ._trail import TrailEntry as TrailEntry
from ._trail import trail as trail
from ._verify import ProblemKind as ProblemKind
from ._verify import VerifyReport as VerifyReport
from ._verify import take_checkpoint as take_checkpoint
from ._verify import verify as verify
from ._verify import verify_or_raise as verify_or_raise

__all__ = [
    # writing
    "AuditEntry",
    "AuditStamp",
    "append",
    "append_many",
    # reading
    "TrailEntry",
    "history",
    "trail",
    # checking
    "ProblemKind",
    "VerifyReport",
    "verify",
    "verify_or_raise",
    # checkpoints kept outside the database
    "CHECKPOINT_FORMAT",
    "Checkpoint",
    "check_checkpoint_signature",
    "read_checkpoint",
    "sign_checkpoint",
    "take_checkpoint",
    # the chain's definition
    "ALGORITHMS",
    "CANONICAL_FIELDS",
    "GENESIS_HASH",
    "canonical_form",
    "digest",
    "hash_algorithm",
    # tables
    "AuditHead",
    "AuditRecord",
]
