"""Vietnamese text: one normal form for storage, one folded form for search."""

import unicodedata


def nfc(text: str) -> str:
    """NFC form: what is stored, compared and drawn in PDFs."""
    return unicodedata.normalize("NFC", text or "")


def fold(text: str) -> str:
    """Lower case without diacritics, đ→d: "Quy trình ĐẤT đai" -> "quy trinh dat dai".

    U+0111 (đ) has no decomposition, so it is mapped by hand after the marks go.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D").casefold()
