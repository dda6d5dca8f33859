"""The govparts command."""


def main() -> None:
    raise SystemExit(0)
