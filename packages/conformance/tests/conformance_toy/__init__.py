"""A toy part ("leave-toy": leave requests) that exists only to prove the conformance kit.

It has the shape of a real part: a service protocol, a reference implementation, a requirement
catalogue (``catalogue.toml``), a suite, mutants of the reference and a ``Part`` descriptor. It is
not shipped: it lives in the kit's tests.
"""
