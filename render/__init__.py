"""The documents ragw writes, for every front end alike: the committee paper as one HTML
page (``html``, with its ``chart``) and as a Word document (``docx``), and the cells they
print alike (``cells``). The command line writes them to files; the web serves the same
ones. (The terminal's tables of a paper are the command line's own.)"""

from __future__ import annotations
