"""Text from elsewhere, made safe to print on a terminal.

An API under test chooses its header values, status text and redirect targets, and Chromium's
console lines quote them: an escape sequence among them could redraw the terminal (a fake report
over the real one, a scroll region left set). Every line the doctor prints goes through
``printable``: control characters are shown escaped, very long lines cut with a mark.
"""

import re

# C0 but tab, DEL, and C1: what a terminal may act on rather than show.
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}
MAX_LINE = 2000  # characters of one printed line; a value that long is cut


def escape(character):
    return NAMED.get(character) or f"\\x{ord(character):02x}"


def printable(text, limit=MAX_LINE):
    """``text`` with every control character escaped (``\\e``, ``\\r``, ``\\x9b``...) and cut
    after ``limit`` characters with a mark that says how much was left out."""
    text = CONTROL.sub(lambda found: escape(found[0]), str(text))
    if len(text) > limit:
        text = f"{text[:limit]}… [{len(text) - limit} more characters]"
    return text
