"""The size limits on untrusted input, in one place (documented in docs/security.md).

Each limit is about ten times the largest honest file we know of, so no real municipality or
consultant meets it, while a hostile or broken file is refused early, in bounded time and memory.
"""

from __future__ import annotations

# Bytes of one input file: answer file, questionnaire, catalogue, workbook or CSV table. The largest
# honest answer file is a merged Digital-Check of a few dozen respondents with comments (under 1 MB);
# the Digital-Check questionnaire is 0.4 MB, its workshop workbook for 50 people 0.12 MB.
MAX_FILE_BYTES = 10 * 1024 * 1024
# What a workbook may unpack to: the Digital-Check workbook for 50 people unpacks to 0.6 MB.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# How far one part of a workbook may be compressed (unpacked size ÷ packed size), for parts over
# 1 MB: spreadsheet XML packs about 5 to 30 fold; a zip bomb packs a thousand fold and more.
MAX_PACK_RATIO = 200
PACK_RATIO_FROM = 1024 * 1024
# Nesting depth of a YAML/JSON file: far deeper than any questionnaire; guards the recursive readers.
MAX_DEPTH = 50
# Values (scalars, lists, mappings) in one file, aliases (*name) expanded: the Digital-Check has ~20,000.
MAX_NODES = 200_000
# Characters of text a file may expand to through aliases (a 10 MB file written out holds 10 million).
MAX_EXPANDED_CHARS = 20_000_000
# Rows, columns and cells of a workshop table (per sheet; cells for the whole workbook or CSV file).
# The Digital-Check has about 350 rows in all (30 at most on one sheet); 50 people give 54 columns.
MAX_ROWS = 10_000
MAX_SHEETS = 100  # the Digital-Check workbook has 14
MAX_COLUMNS = 200
MAX_CELLS = 500_000
# Characters in one cell: Python's csv limit (128 KiB), kept for workbooks as well.
MAX_CELL_CHARS = 131_072
# Problems printed for one file or run; the rest is counted ("… and 999,990 more"). A printed problem
# is cut at MAX_SHOWN_CHARS characters, so a huge value quoted in a message cannot flood the screen.
MAX_SHOWN_PROBLEMS = 50
MAX_SHOWN_CHARS = 1_000


def count(n: int):
    """A whole number for a bilingual message: 131.072 in German, 131,072 in English."""
    from assess.bilingual import Text
    from assess.i18n import number

    return Text(number(n, "de"), number(n, "en"))


def megabytes(n: int) -> str:
    """A byte count in MB, as the messages give the limits."""
    return f"{n // (1024 * 1024)} MB"
