-- The vendor's own storage of attendance on SQLite (standard library sqlite3).
-- Dates are ISO 8601 text (YYYY-MM-DD); instants are UTC ISO 8601 text with microseconds, so text
-- order is time order. Published models cross the boundary as JSON where stored whole.
CREATE TABLE IF NOT EXISTS settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS enrolment (
    id INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL,
    person TEXT NOT NULL,            -- PersonRef as JSON
    unit TEXT NOT NULL,              -- OrgUnitRef as JSON
    unit_code TEXT NOT NULL,
    first_employment TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    UNIQUE (person_id, start_date)
);
CREATE TABLE IF NOT EXISTS shift (
    code TEXT PRIMARY KEY,
    spec TEXT NOT NULL               -- Shift as JSON
);
CREATE TABLE IF NOT EXISTS shift_assignment (
    id INTEGER PRIMARY KEY,
    shift_code TEXT NOT NULL REFERENCES shift (code),
    unit_code TEXT,
    person_id TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE TABLE IF NOT EXISTS punch (
    person_id TEXT NOT NULL,
    at_utc TEXT NOT NULL,
    device TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (person_id, at_utc, device)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stray_punch (    -- punches of people not enrolled that day, kept aside
    person_id TEXT NOT NULL,
    at_utc TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (person_id, at_utc, device)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS request (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    state TEXT NOT NULL,
    leave_type TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    days INTEGER NOT NULL DEFAULT 0,
    punched_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    levels INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    first_approved_by TEXT
);
CREATE INDEX IF NOT EXISTS request_person ON request (person_id, start_date);
CREATE TABLE IF NOT EXISTS closed_month (
    key TEXT PRIMARY KEY,            -- YYYY-MM
    payload TEXT NOT NULL            -- MonthClosed as JSON
);
CREATE TABLE IF NOT EXISTS closed_result (  -- the final daily results of closed months
    person_id TEXT NOT NULL,
    day TEXT NOT NULL,
    data TEXT NOT NULL,              -- DailyResult as JSON
    PRIMARY KEY (person_id, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS processed_event (
    event_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rest_credit (     -- overtime credited as compensatory rest (调休假)
    person_id TEXT NOT NULL,
    worked TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    kind TEXT NOT NULL,
    last_day TEXT NOT NULL,          -- the last day it may be taken
    granted_by TEXT NOT NULL,
    PRIMARY KEY (person_id, worked)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,       -- UTC ISO 8601
    actor_id TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    details TEXT                     -- JSON
);
CREATE INDEX IF NOT EXISTS audit_log_entity ON audit_log (entity, entity_id);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS published_event (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    envelope TEXT NOT NULL           -- CloudEvent as JSON
);
