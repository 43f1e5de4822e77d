"""Arabic for the strings of the second workspace (kept apart so the table stays readable)."""

from __future__ import annotations

WORKSPACE_AR: dict[str, str] = {
    "Skip document": "تخطي المستند",
    "Note on document…": "ملاحظة على المستند…",
    "Note on span…": "ملاحظة على المقطع…",
    "Mark span unsure": "وسم المقطع غير مؤكد",
    "Show links as arcs": "إظهار الروابط أقواسًا",
    "Find in document…": "البحث في المستند…",
    "Find next": "النتيجة التالية",
    "Find previous": "النتيجة السابقة",
    "Start one word earlier": "البداية كلمة قبل",
    "Start one word later": "البداية كلمة بعد",
    "End one word later": "النهاية كلمة بعد",
    "End one word earlier": "النهاية كلمة قبل",
    "&Suggestions": "&الاقتراحات",
    "Find in document": "البحث في المستند",
    "{n} of {total}": "{n} من {total}",
    "no hits": "لا نتائج",
    "Put the caret inside one span first.": "ضع المؤشر داخل مقطع واحد أولًا.",
    "The caret is in several spans: pick one in the span list.": (
        "المؤشر داخل عدة مقاطع: اختر واحدًا من قائمة المقاطع."
    ),
    "Waiting for another writer…": "في انتظار برنامج آخر يكتب في قاعدة البيانات…",
    "{n} edit(s) could not be saved: another program kept the database busy."
    " Nothing of them was stored; please do them again.": (
        "تعذّر حفظ {n} من التعديلات: برنامج آخر أبقى قاعدة البيانات مشغولة."
        " لم يُحفظ منها شيء؛ أعد إجراءها من فضلك."
    ),
    "Edit not saved": "لم يُحفظ التعديل",
    "This was the last document: there is no next one.": "هذا آخر مستند: لا مستند بعده.",
    "Reviewer": "مراجع",
    "Curator": "المحرر",
    "{role}: {name}": "{role}: {name}",
    "layer {layer}": "الطبقة {layer}",
    "Note on this document": "ملاحظة على هذا المستند",
    "Note on span": "ملاحظة على المقطع",
    "Note on {label}:": "ملاحظة على {label}:",
    "Note": "ملاحظة",
    "Colours": "الألوان",
    "Follow the system": "حسب النظام",
    "Light": "فاتح",
    "Dark": "داكن",
    "→": "←",
}
