"""Interface language: English strings translated to Arabic through one function.

``tr("Import…")`` returns the string in the current language. The language
is chosen once per window from the settings or the system locale
(``language_for``) and can be switched at run time (``set_language``); the
window then calls its ``retranslate``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator

from annotator.gui.i18n_workspace import WORKSPACE_AR

LANGUAGES = ("ar", "en")

_AR: dict[str, str] = {
    "&Workspace": "&مساحة العمل",
    "&Edit": "&تحرير",
    "&Document": "&مستند",
    "&View": "&عرض",
    "&Labels": "&الوسوم",
    "Import…": "استيراد…",
    "Export…": "تصدير…",
    "Review…": "مراجعة…",
    "Settings…": "الإعدادات…",
    "Quit": "خروج",
    "Undo": "تراجع",
    "Redo": "إعادة",
    "Delete span": "حذف الوسم",
    "Link claim to source": "ربط الادعاء بالمصدر",
    "Mark done and next": "تم، والتالي",
    "Next document": "المستند التالي",
    "Previous document": "المستند السابق",
    "Zoom in": "تكبير",
    "Zoom out": "تصغير",
    "Search documents": "ابحث في المستندات",
    "All": "الكل",
    "todo": "للعمل",
    "in_progress": "قيد العمل",
    "done": "تم",
    "skipped": "متروك",
    "Title": "العنوان",
    "Status": "الحالة",
    "Spans": "الوسوم",
    "Label": "الوسم",
    "Text": "النص",
    "Links": "الروابط",
    "Relations": "العلاقات",
    "Legend": "مفتاح الألوان",
    "{done} / {total} done": "{done} / {total} تم",
    "Curator: {name}": "المحرر: {name}",
    "Settings": "الإعدادات",
    "Language": "اللغة",
    "Arabic": "العربية",
    "English": "الإنجليزية",
    "Font": "الخط",
    "Font size": "حجم الخط",
    "Import files": "استيراد ملفات",
    "Importing…": "جارٍ الاستيراد…",
    "Cancel": "إلغاء",
    "Import refused": "رُفض الاستيراد",
    "Import failed": "فشل الاستيراد",
    "Import finished": "انتهى الاستيراد",
    "Import cancelled: nothing from the unfinished files was stored.": (
        "أُلغي الاستيراد: لم يُحفظ شيء من الملفات غير المكتملة."
    ),
    "Who is annotating?": "من يعمل على التوسيم؟",
    "Your name (your own layer of annotations):": "اسمك (طبقة وسومك الخاصة):",
    "Select some text first.": "حدد نصاً أولاً.",
    "Already tagged.": "موسوم من قبل.",
    "Pick the {kind} to link, then press R again.": "اختر {kind} للربط، ثم اضغط R مرة أخرى.",
    "Linked.": "تم الربط.",
    "claim": "الادعاء",
    "source": "المصدر",
    "Attribute to: {text}": "انسبه إلى: {text}",
    "Attributes: {text}": "ينسب: {text}",
    "Delete {label}: {text}": "احذف {label}: {text}",
    "Entities: background · Claims: underline · Sources: frame": (
        "الكيانات: خلفية · الادعاءات: خط تحتي · المصادر: إطار"
    ),
    "No document": "لا يوجد مستند",
    "Error": "خطأ",
    "Restart not needed: the language changes now.": "تتغير اللغة فوراً.",
    "Shortcut": "الاختصار",
    "Add {label}": "أضف {label}",
    "Remove link": "احذف الرابط",
    "Mark done": "تم",
    "Refresh list": "تحديث القائمة",
    # export dialog
    "Export dataset": "تصدير مجموعة البيانات",
    "Format": "الصيغة",
    "Layer": "الطبقة",
    "Labels": "الوسوم",
    "Split": "التقسيم",
    "Seed": "البذرة",
    "Offsets": "الإزاحات",
    "Output": "المخرجات",
    "Browse…": "استعراض…",
    "Export": "تصدير",
    "any": "أي حالة",
    "Comma-separated labels; empty: the format's default": (
        "وسوم مفصولة بفواصل؛ فارغ: الوسوم الافتراضية للصيغة"
    ),
    "Exporting…": "جارٍ التصدير…",
    "Cancelling…": "جارٍ الإلغاء…",
    "Cancelled: nothing was written.": "أُلغي التصدير: لم يُكتب شيء.",
    "Exported {records} record(s) from {documents} document(s).": (
        "اكتمل التصدير: السجلات {records}، من المستندات {documents}."
    ),
    "Choose an output file or folder": "اختر ملفاً أو مجلداً للمخرجات",
    "Output folder": "مجلد المخرجات",
    "Output file": "ملف المخرجات",
    "Max tokens per record": "أقصى عدد كلمات في السجل",
    "No limit": "بلا حد",
    "hf-bio, CoNLL: cut records at sentence ends to at most this many tokens": (
        "‏hf-bio وCoNLL: تُقطع السجلات عند نهايات الجمل فلا يتجاوز السجل هذا العدد من الكلمات"
    ),
    "Negatives": "الأمثلة السلبية",
    "Claim-free sentences as records too": "الجمل الخالية من الادعاءات سجلاتٍ أيضاً",
    "Licence": "الترخيص",
    "unknown": "غير معروف",
    "The data's licence, written into the manifest and the dataset card": (
        "ترخيص البيانات، ويُكتب في ملف البيان وفي بطاقة مجموعة البيانات"
    ),
    "With a split: the seed of its shuffle": "مع التقسيم: بذرة الخلط العشوائي",
    "doccano, attribution, Label Studio: codepoint (Python) or UTF-16 (JavaScript)": (
        "‏doccano والإسناد وLabel Studio: ‏codepoint (بايثون) أو UTF-16 (جافاسكربت)"
    ),
    "{n} relation(s) or space-only span(s) not written (CoNLL holds tokens and tags only).": (
        "لم يُكتب من الروابط أو الوسوم المكوّنة من فراغات فقط: {n} (لا يحمل CoNLL إلا الكلمات"
        " ووسومها)."
    ),
    "{n} overlapping or empty span(s) dropped (BIO keeps the longest of overlapping spans).": (
        "أُسقط من الوسوم المتداخلة أو الفارغة: {n} (يحتفظ BIO بأطول الوسوم المتداخلة)."
    ),
    "{n} span(s) longer than the token limit cut between records"
    " (re-opened with B- in the next record).": (
        "قُطع بين سجلين من الوسوم الأطول من حد الكلمات: {n} (ويُفتح من جديد بـ B- في السجل التالي)."
    ),
    # Review window, agreement dashboard and suggestions
    "Agreement…": "الاتفاق بين المحررين…",
    "Agreement": "الاتفاق بين المحررين",
    "Conflicts": "الخلافات",
    "Decided {done} / {total} — {status}": "حُسم {done} من {total} — {status}",
    "{done} / {total}": "{done} من {total}",
    "Decided: {what}": "القرار: {what}",
    "Edit": "تعديل",
    "Start": "البداية",
    "End": "النهاية",
    "From selection": "من التحديد",
    "Krippendorff's alpha (tokens, nominal)": "ألفا كريبندورف (الكلمات، اسمي)",
    "No document has two or more curator layers yet.": "لا يوجد بعد مستند وسمه محرران أو أكثر.",
    "Per label (pooled over pairs)": "لكل وسم (مجمّع على الأزواج)",
    "Per pair (precision and recall of b against a)": "لكل زوج (دقة واستدعاء b مقابل a)",
    "Refresh": "تحديث",
    "Review — {name}": "المراجعة — {name}",
    "Select text in a lane first.": "حدد نصاً في أحد المسارات أولاً.",
    "nothing": "لا شيء",
    "{n} document(s) annotated by two or more layers": "المستندات التي وسمها محرران أو أكثر: {n}",
    "{spans} span(s) and {relations} link(s) added to gold": (
        "أضيف إلى الطبقة المرجعية: الوسوم {spans}، الروابط {relations}"
    ),
    "Accept version": "قبول هذه النسخة",
    "Reject all": "رفض الكل",
    "Apply edit": "تطبيق التعديل",
    "Accept everything unanimous": "قبول كل ما اتفق عليه الجميع",
    # review window: conflict panel, undo, navigation, corpus-wide unanimous
    "Accept everything unanimous in all documents…": "قبول كل ما اتفق عليه الجميع في كل المستندات…",
    "Accepting everything unanimous…": "جارٍ قبول كل ما اتفق عليه الجميع…",
    "Counting what all curators agree on…": "جارٍ عدّ ما اتفق عليه جميع المحررين…",
    "Add {spans} span(s) and {relations} link(s) that all curators agree on, "
    "in {documents} document(s), to gold?": (
        "هل تضاف إلى الطبقة المرجعية كل العناصر التي اتفق عليها جميع المحررين؟"
        " الوسوم: {spans}، الروابط: {relations}، في المستندات: {documents}."
    ),
    "{spans} span(s) and {relations} link(s) added to gold in {documents} document(s)": (
        "أضيف إلى الطبقة المرجعية: الوسوم {spans}، الروابط {relations}، في المستندات {documents}"
    ),
    "Nothing unanimous is missing from gold.": "لا ينقص الطبقة المرجعية شيء مما اتفق عليه الجميع.",
    "Stopped.": "توقف العمل.",
    "Next conflict": "الخلاف التالي",
    "Previous conflict": "الخلاف السابق",
    "No further conflict.": "لا خلاف بعد هذا.",
    "No earlier conflict.": "لا خلاف قبل هذا.",
    "Skip decided": "تخطي المحسوم",
    "Take back decision": "سحب القرار",
    "Decision taken back.": "سُحب القرار.",
    "Undone: {what}": "تم التراجع: {what}",
    "Close": "إغلاق",
    "Edit: select words in any lane (or keep the conflict's), pick a label.": (
        "للتعديل: حدد كلمات في أي مسار (أو أبقِ كلمات الخلاف)، ثم اختر وسماً."
    ),
    "version {n}": "النسخة {n}",
    "Version {n}: {side}": "النسخة {n}: {side}",
    "Accept version {n}": "قبول النسخة {n}",
    "the reference layer": "الطبقة المرجعية",
    "decided: {what}": "محسوم: {what}",
    "undecided": "غير محسوم",
    "No conflict here.": "لا خلاف هنا.",
    "Select words of the conflict (framed in red), or nothing.": (
        "حدد كلمات من الخلاف (المؤطر بالأحمر)، أو لا تحدد شيئاً."
    ),
    "unanimous": "إجماع",
    "undo": "تراجع",
    "in gold": "في الطبقة المرجعية",
    "accept": "قبول",
    "reject": "رفض",
    "edit": "تعديل",
    "Layers": "الطبقات",
    "Decided": "محسوم",
    "F1": "F1",
    "Precision": "الدقة",
    "Recall": "الاستدعاء",
    "Matched": "المتطابق",
    "a spans": "وسوم a",
    "b spans": "وسوم b",
    "Kind": "النوع",
    "label": "الوسم",
    "boundary": "الحدود",
    "missing": "ناقص",
    "relation": "الرابط",
    "entity": "كيان",
    "Suggest": "اقتراحات",
    "Accept suggestion": "قبول الاقتراح",
    "Reject suggestion": "رفض الاقتراح",
    "Accept all of this label": "قبول كل اقتراحات هذا الوسم",
    "Reject all of this label": "رفض كل اقتراحات هذا الوسم",
    "No suggestions": "لا اقتراحات",
    "Accept all {label}": "قبول كل {label}",
}

_AR.update(WORKSPACE_AR)

#: English display names of internal values (statuses) where the key is not prose.
_EN: dict[str, str] = {
    "todo": "To do",
    "in_progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
}

_current = "en"


def system_language() -> str:
    """``ar`` when the system locale is Arabic, else ``en``."""
    return "ar" if QLocale.system().language() == QLocale.Language.Arabic else "en"


def language_for(choice: str | None) -> str:
    """A supported language code: ``choice`` if valid, else the system's."""
    return choice if choice in LANGUAGES else system_language()


def set_language(lang: str) -> None:
    """Make ``lang`` (``ar`` or ``en``) the language of ``tr``."""
    global _current
    _current = language_for(lang)


def language() -> str:
    """The current interface language."""
    return _current


def direction() -> Qt.LayoutDirection:
    """The layout direction of the whole window for the current language."""
    return Qt.LayoutDirection.RightToLeft if _current == "ar" else Qt.LayoutDirection.LeftToRight


def add_translations(arabic: dict[str, str]) -> None:
    """Register the Arabic of strings a module brings (e.g. the hub sync's)."""
    _AR.update(arabic)


def tr(text: str, /, **fields: object) -> str:
    """``text`` in the current language, with ``{name}`` fields filled in."""
    out = _AR.get(text, text) if _current == "ar" else _EN.get(text, text)
    return out.format(**fields) if fields else out


_qt_translator: list[QTranslator] = []


def install_qt_translation() -> bool:
    """Load Qt's own translation (``qtbase_ar`` from the PySide6 wheel) for Arabic.

    Qt's dialogs and standard buttons (OK, Cancel, file dialogs) then speak
    the interface language; English removes it. Returns True when loaded.
    """
    app = QCoreApplication.instance()
    if app is None:
        return False
    for old in _qt_translator:
        app.removeTranslator(old)
    _qt_translator.clear()
    if _current != "ar":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_ar", folder):
        return False
    app.installTranslator(translator)
    _qt_translator.append(translator)
    return True


def label_name(label: object) -> str:
    """A label's display name (``name_ar`` / ``name_en``) in the current language."""
    return getattr(label, "name_ar" if _current == "ar" else "name_en", str(label))
