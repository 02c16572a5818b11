"""Click commands for answer capture: interview, offline HTML form, spreadsheets, merging."""


def register(group) -> None:
    """Add the capture commands to the `assess` group."""
