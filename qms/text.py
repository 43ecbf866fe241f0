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


# Abbreviations kept in capitals when an all-capitals title is put in sentence case.
ABBREVIATIONS = {
    "UBND", "HĐND", "TCVN", "ISO", "CNTT", "QSDĐ", "GCN", "GCNQSDĐ", "TTHC", "BHXH", "BHYT",
    "KT-XH", "TNMT", "QLĐT", "LĐTBXH", "TP", "MTTQ", "CCCD", "CMND", "VP", "QĐ", "NĐ-CP",
    "TT", "BTP", "BXD", "TW", "HTX", "ĐKKD", "IT", "QMS", "SOP", "HR", "KPI",
}


def sentence_case(text: str) -> str:
    """"QUY TRÌNH CẤP GIẤY PHÉP XÂY DỰNG TẠI UBND" -> "Quy trình cấp giấy phép xây dựng
    tại UBND". Only a title written in capitals changes (a mixed-case title is the
    author's choice); abbreviations and codes (with digits or dashes) stay."""
    text = nfc(text).strip()
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or sum(ch.isupper() for ch in letters) < 0.8 * len(letters):
        return text[:1].upper() + text[1:]
    words = []
    for word in text.split(" "):
        core = word.strip("()[],.;:\"'“”")
        if core.upper() in ABBREVIATIONS or any(ch.isdigit() for ch in core) or (
            "-" in core and len(core) <= 12 and core.upper() == core
        ):
            words.append(word)
        else:
            words.append(word.lower())
    result = " ".join(words)
    return result[:1].upper() + result[1:]
