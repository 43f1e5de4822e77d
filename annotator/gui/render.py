"""Drawing the annotated article view to a PNG, headless (``annotator render``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.gui import i18n, settings
from annotator.gui.app import ensure_app, register_fonts
from annotator.gui.article_view import ArticleView
from annotator.gui.main_window import DEFAULT_FAMILY
from annotator.gui.palette import LabelPalette
from annotator.services import annotate, browse
from annotator.services.project import Project


def render_png(
    project: Project, doc_id: str, layer: str, out: str | Path, *, width: int = 900
) -> Path:
    """Draw document ``doc_id`` with the spans of ``layer`` (and a legend) into ``out``.

    Raises UserError for an unknown document. The height follows the text.
    """
    app = ensure_app()
    doc = browse.get_document(project, doc_id)
    spans = annotate.layer_spans(project, doc_id, layer)
    rels = annotate.layer_relations(project, doc_id, layer)
    i18n.set_language(i18n.language_for(settings.language_choice()))
    labels = list(project.schema.labels)
    page = QWidget()
    layout = QVBoxLayout(page)
    palette = LabelPalette(labels)
    view = ArticleView({lab.name: (lab.kind, lab.color, lab.shortcut) for lab in labels})
    family = DEFAULT_FAMILY if DEFAULT_FAMILY in register_fonts() else app.font().family()
    view.set_font(family, settings.font_size())
    view.load(doc.id, doc.text, spans, rels)
    view.setVerticalScrollBarPolicy(view.verticalScrollBarPolicy().ScrollBarAlwaysOff)
    layout.addWidget(palette)
    layout.addWidget(view, 1)
    page.resize(width, 400)
    page.show()
    app.processEvents()
    text_height = view.document().size().height() * view.fontMetrics().lineSpacing()
    page.resize(width, min(int(text_height) + palette.sizeHint().height() + 60, 6000))
    app.processEvents()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not page.grab().save(str(out), "PNG"):
        from annotator.core.errors import UserError

        raise UserError(f"{out}: cannot write the image")
    page.close()
    return out
