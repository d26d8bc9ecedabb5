"""The committee paper rendered: its summary and appendix as tables (``tables``), the
whole paper as one HTML page (``html``, with its ``chart``) and as a Word document
(``docx``), and the cells they print alike (``cells``)."""

from __future__ import annotations
