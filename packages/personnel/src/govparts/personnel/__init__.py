"""govparts.personnel: the personnel part (人事).

The public API lives in its modules, which this package does not import (the part descriptor is
loaded at every part discovery and must stay light):

* :mod:`govparts.personnel.models` — the published models, the exchange record ``EmployeeRecord``;
* :mod:`govparts.personnel.rules` — pure rules: statutory retirement, service years, identity agreement;
* :mod:`govparts.personnel.processes` — the ``personnel.employee`` and ``personnel.org_unit`` processes;
* :mod:`govparts.personnel.events` — the event types and payloads the part emits;
* :mod:`govparts.personnel.service` — the ``PersonnelService`` protocol and ``ReferenceService``;
* :mod:`govparts.personnel.conformance` — the requirement catalogue, suite and mutants;
* :mod:`govparts.personnel.synthetic` — synthetic people for tests, demos and benchmarks.
"""
