"""attendance_sqlite3: a second vendor's attendance part on the standard library's ``sqlite3``.

An independent implementation of the published ``AttendanceService`` protocol, written as another
vendor would: it imports govparts core, the published attendance models, error types and message
catalogue, and the conformance kit's ``Capabilities`` — never the reference implementation
(``govparts.attendance._service``, ``_compute``, ``_day_rules``, ``_leave_rules``, ``_tables``) —
and keeps its data in a SQLite file of its own, with no SQLAlchemy or SQLModel.
"""

from .service import VENDOR as VENDOR
from .service import SqliteAttendanceService as SqliteAttendanceService
from .service import vendor_factory as vendor_factory

__all__ = ["VENDOR", "SqliteAttendanceService", "vendor_factory"]
