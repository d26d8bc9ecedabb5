"""Committee papers: the list of committees and meetings, and the paper for any meeting
as the same HTML and Word documents ``ragw pack`` writes."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Blueprint, Response, render_template
from flask_login import login_required

from web.context import other_session, uses
from web.pages import day_given

blueprint = Blueprint("papers", __name__)
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@blueprint.route("/papers")
@login_required
def listing() -> Any:
    from projections.usecases.papers import committees

    return render_template("papers.html", committees=committees(uses(), as_known_at=None))


@blueprint.route("/papers/<committee>/<day>")
@login_required
def paper(committee: str, day: str) -> Any:
    """The paper as HTML, or (``DATE.docx``) as a Word document."""
    from projections.usecases.papers import paper as paper_read

    word = day.endswith(".docx")
    meeting = day_given(day.removesuffix(".docx"), "The meeting's date")
    if meeting is None:
        return render_template("refused.html", refusal="A meeting's date is needed."), 404
    read = paper_read(uses(), committee, meeting, open_org=other_session)
    if word:
        from render.docx import write_docx

        out = io.BytesIO()
        write_docx(read.paper, out)
        return Response(
            out.getvalue(),
            mimetype=WORD,
            headers={
                "Content-Disposition": f'attachment; filename="{re.sub(r"[^A-Za-z0-9_-]", "_", committee)}-{meeting}.docx"'
            },
        )
    from render.html import render_html

    return Response(render_html(read.paper), mimetype="text/html")
