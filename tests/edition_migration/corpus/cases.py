"""What each document of the 2008 test set must give, written by hand from the text
(texts.py) and the 2008 → 2015 correspondence before the code ran.

For each case:
- file, department, and what the import must read: code, title (the document's
  own, not the letterhead), legacy revision, effective date, stated approval, the
  2008 clause references;
- what the migration must propose: the equivalent 2015 clauses (the draft's
  list), the partial ones (points for decision), lines of the proposed text that
  must appear exactly, lines that must stay exactly as they were;
- flags: (kind, text found, proposal) for every point the tool must raise, and
  nothing else: any other flag is a false flag; `not_flagged` lists wording that
  must never be flagged (a citizen's dossier, references list, applicant papers);
- gap: the 2015 requirements its draft reaches only in part (while a draft) and
  those it covers once approved and effective.
"""

import datetime

D = datetime.date

CASES = [
    {
        "file": "qt-tp-01.docx", "text": "QT_TP_01", "department": "tp",
        "code": "QT-TP-01", "title": "QUY TRÌNH CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH",
        "revision": 3, "effective": D(2016, 6, 1), "approval": "Chủ tịch UBND Nguyễn Văn An",
        "refs": ["4.2.4", "7.2.2", "7.5.1"],
        "to": ["7.5.2", "7.5.3", "8.2.3", "8.2.4", "8.5.1"],
        "partial": {"7.5.1": ["8.5.5"]},
        "lines": [
            "| Mã số: QT-TP-01 | Lần ban hành: 04 | Ngày hiệu lực: |",
            "Quy định trình tự chứng thực bản sao từ bản chính tại Phòng Tư pháp, đáp ứng yêu cầu của TCVN ISO 9001:2015.",
            "4.1 Cán bộ tiếp nhận hồ sơ, kiểm tra thành phần hồ sơ theo mục 8.2.3, 8.2.4.",
            "4.3 Công chức đối chiếu bản sao với bản chính (xem 8.5.1) và trình ký.",
            "Lưu hồ sơ chứng thực tại Phòng Tư pháp theo mục 7.5.2, 7.5.3.",
        ],
        "kept": [
            "- Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước.",
            "4.2 Hồ sơ hợp lệ được chuyển công chức thụ lý trong 0,5 ngày làm việc.",
            "| 2 | Đối chiếu, trình ký |  |",
        ],
        "flags": [("term", "HỒ SƠ", "HỒ SƠ"), ("term", "Lưu hồ sơ", "Lưu hồ sơ")],
        "not_flagged": ["tiếp nhận hồ sơ", "thành phần hồ sơ", "Hồ sơ hợp lệ", "TÀI LIỆU VIỆN DẪN"],
    },
    {
        "file": "qt-tnmt-12.odt", "text": "QT_TNMT_12", "department": "tnmt",
        "code": "QT-TNMT-12", "title": "QUY TRÌNH ĐĂNG KÝ BIẾN ĐỘNG QUYỀN SỬ DỤNG ĐẤT",
        "revision": 2, "effective": D(2017, 8, 15),
        "approval": "Phó Chủ tịch UBND thành phố Phạm Minh Tuấn",
        "refs": ["4.2.4", "7.2.2", "7.5.1", "8.3"],
        "to": ["7.5.2", "7.5.3", "8.2.3", "8.2.4", "8.5.1", "8.7"],
        "partial": {"7.5.1": ["8.5.5"], "8.3": ["10.2"]},
        "lines": [
            "Lần sửa đổi: 03", "Ngày ban hành:",
            "2. Thẩm định hồ sơ theo mục 8.2.3, 8.2.4; trường hợp hồ sơ chưa hợp lệ thì hướng dẫn bổ sung.",
            "3. Cập nhật cơ sở dữ liệu địa chính (xem 8.5.1).",
            "- Sai sót phát hiện sau khi trả kết quả được xử lý theo 8.7.",
            "Kiểm soát hồ sơ theo mục 7.5.2, 7.5.3.",
        ],
        "kept": [
            "Quy định việc đăng ký biến động theo Điều 95 Luật Đất đai 2013 và Nghị định 43/2014/NĐ-CP.",
            "- Khiếu nại của công dân được giải quyết theo Điều 204 Luật Đất đai 2013.",
            "| 2, 3 | Văn phòng đăng ký đất đai (chi nhánh) |  |",
            "1. Tiếp nhận hồ sơ đề nghị đăng ký biến động, kiểm tra thành phần hồ sơ.",
        ],
        "flags": [("term", "HỒ SƠ", "HỒ SƠ"),
                  ("term", "Kiểm soát hồ sơ", "Kiểm soát thông tin dạng văn bản được lưu giữ")],
        "not_flagged": ["hồ sơ đề nghị", "thành phần hồ sơ", "Thẩm định hồ sơ", "hồ sơ chưa hợp lệ"],
    },
    {
        "file": "qt-ldtbxh-03.txt", "text": "QT_LDTBXH_03", "department": "ldtbxh",
        "code": "QT-LDTBXH-03", "title": "QUY TRÌNH GIẢI QUYẾT CHẾ ĐỘ TRỢ CẤP XÃ HỘI HÀNG THÁNG",
        "revision": 1, "effective": D(2018, 1, 10), "approval": "Trưởng phòng Hoàng Thị Mai",
        "refs": ["5.5.2", "7.2.3", "8.5.2", "8.5.3"],
        "to": ["8.2.1", "10.2"],
        "partial": {"5.5.2": ["5.3"], "8.5.3": ["6.1", "10.3"]},
        "lines": [
            "Lần ban hành: 02", "Ngày hiệu lực:",
            "4.2 Kết quả thẩm định được trao đổi với công dân theo mục 8.2.1.",
            "4.3 Hành động khắc phục và phòng ngừa thực hiện theo 10.2 và 8.5.3.",
            "3.1 Đại diện lãnh đạo theo dõi việc thực hiện quy trình (5.5.2).",
        ],
        "kept": [
            "Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước.",
            "Giải quyết kịp thời hồ sơ đề nghị trợ cấp xã hội theo Nghị định 136/2013/NĐ-CP.",
        ],
        "flags": [("term", "Đại diện lãnh đạo", "Người được lãnh đạo phân công"),
                  ("reference", "5.5.2", "5.3"),
                  ("term", "Hành động khắc phục và phòng ngừa", "Hành động khắc phục và giải quyết rủi ro"),
                  ("reference", "8.5.3", "6.1")],
        "not_flagged": ["hồ sơ đề nghị", "hồ sơ trễ hạn", "hồ sơ của tổ chức", "hồ sơ hợp lệ"],
    },
    {
        "file": "qt-kt-02.docx", "text": "QT_KT_02", "department": "kt",
        "code": "QT-KT-02", "title": "QUY TRÌNH ĐĂNG KÝ HỘ KINH DOANH",
        "revision": 2, "effective": D(2017, 3, 20), "approval": "",
        "refs": ["4.2.3", "7.4.1"],
        "to": ["7.5.2", "7.5.3", "8.4.1", "8.4.2"],
        "partial": {},
        "lines": [
            "| Mã số: QT-KT-02 | Lần ban hành: 03 | Ngày ban hành: |",
            "- TCVN ISO 9001:2015 Hệ thống quản lý chất lượng - Các yêu cầu.",
            "- TCVN ISO 9000:2015 Hệ thống quản lý chất lượng - Cơ sở và từ vựng.",
            "3. Các biểu mẫu được kiểm soát tài liệu theo mục 7.5.2, 7.5.3.",
            "Nhà cung cấp dịch vụ chuyển phát được đánh giá hằng năm theo 8.4.1, 8.4.2.",
        ],
        "kept": [
            "1. Kiểm tra tài liệu trong hồ sơ đăng ký hộ kinh doanh.",
            "4.2 Công chức Phòng Kinh tế soạn thảo văn bản trả lời khi từ chối.",
            "- Nghị định 78/2015/NĐ-CP ngày 14/9/2015 về đăng ký doanh nghiệp.",
        ],
        "flags": [("term", "kiểm soát tài liệu", "kiểm soát thông tin dạng văn bản"),
                  ("term", "Nhà cung cấp", "Nhà cung cấp bên ngoài")],
        "not_flagged": ["Kiểm tra tài liệu", "TÀI LIỆU VIỆN DẪN", "hồ sơ đăng ký"],
    },
    {
        "file": "qt-mc-01.txt", "text": "QT_MC_01", "department": "mc",
        "code": "QT-MC-01",
        "title": "QUY TRÌNH TIẾP NHẬN VÀ TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "revision": None, "effective": None, "approval": "",
        "refs": ["7.2.3", "8.2.1"],
        "to": ["8.2.1", "9.1.2"],
        "partial": {},
        "lines": [
            "1.2 Hồ sơ trễ hạn được thông báo xin lỗi tổ chức, công dân (mục 8.2.1).",
            "1.3 Mức độ hài lòng được khảo sát hằng quý theo 9.1.2.",
        ],
        "kept": ["1.1 Công chức tiếp nhận hồ sơ, kiểm tra thành phần hồ sơ và viết giấy biên nhận."],
        "flags": [("term", "HỒ SƠ", "HỒ SƠ"), ("term", "Lưu hồ sơ", "Lưu hồ sơ")],
        "not_flagged": ["tiếp nhận hồ sơ", "thành phần hồ sơ", "Hồ sơ trễ hạn"],
    },
    {
        "file": "qt-vp-04.odt", "text": "QT_VP_04", "department": "vp",
        "code": "QT-VP-04", "title": "QUY TRÌNH KIỂM SOÁT HỒ SƠ",
        "revision": 4, "effective": D(2019, 1, 2), "approval": "",
        "refs": ["4.2.4"],
        "to": ["7.5.2", "7.5.3"],
        "partial": {},
        "lines": [
            "Quy định việc kiểm soát hồ sơ chất lượng theo mục 7.5.2, 7.5.3 và sổ tay chất lượng ST-VP-01.",
        ],
        "kept": ["- Hồ sơ giải quyết thủ tục hành chính được lưu trữ theo Luật Lưu trữ 2011.",
                 "- Tài liệu viện dẫn được cập nhật khi có văn bản mới."],
        "flags": [("term", "KIỂM SOÁT HỒ SƠ", "KIỂM SOÁT THÔNG TIN DẠNG VĂN BẢN ĐƯỢC LƯU GIỮ"),
                  ("term", "kiểm soát hồ sơ chất lượng", "kiểm soát thông tin dạng văn bản được lưu giữ"),
                  ("term", "sổ tay chất lượng", "sổ tay chất lượng"),
                  ("term", "hồ sơ chất lượng", "thông tin dạng văn bản được lưu giữ")],
        "not_flagged": ["Hồ sơ giải quyết thủ tục hành chính", "Tài liệu viện dẫn"],
    },
    {
        "file": "qt-vp-05.md", "text": "QT_VP_05", "department": "vp",
        "code": "QT-VP-05", "title": "QUY TRÌNH ĐÁNH GIÁ NỘI BỘ",
        "revision": 2, "effective": D(2017, 5, 5), "approval": "Chánh Văn phòng HĐND và UBND",
        "refs": ["1.2", "5.6", "7.3", "8.2.2", "8.5.2", "8.5.3"],
        "to": ["8.3", "9.2", "9.3", "10.2"],
        "partial": {"1.2": ["4.3"], "5.6": ["4.1", "4.2"], "8.5.3": ["6.1", "10.3"]},
        "lines": [
            "Áp dụng cho mọi quá trình thuộc phạm vi hệ thống; điều khoản loại trừ: 8.3 (xem mục 1.2 của tiêu chuẩn).",
            "2.1 Chuyên gia đánh giá lập kế hoạch theo điều khoản 9.2.",
            "2.2 Phát hiện được xử lý bằng hành động khắc phục (10.2).",
            "| 1 | Lập chương trình đánh giá | 9.2 |",
            "| 2 | Báo cáo lãnh đạo | 9.3 |",
        ],
        "kept": ["## 1. PHẠM VI ÁP DỤNG"],
        "flags": [("term", "điều khoản loại trừ", "yêu cầu không áp dụng"),
                  ("reference", "1.2", "4.3"),
                  ("term", "hành động phòng ngừa", "hành động giải quyết rủi ro và cơ hội"),
                  ("reference", "8.5.3", "6.1")],
        "not_flagged": ["PHẠM VI ÁP DỤNG"],
    },
    {
        "file": "sop-hr-02.docx", "text": "SOP_HR_02", "department": "vp",
        "code": "SOP-HR-02", "title": "TRAINING PROCEDURE",
        "revision": 4, "effective": D(2016, 7, 1), "approval": "Director of the Home Affairs Office",
        "refs": ["4.2.4", "6.2.2", "6.4", "7.5.1"],
        "to": ["7.1.4", "7.2", "7.3", "7.5.2", "7.5.3", "8.5.1"],
        "partial": {"7.5.1": ["8.5.5"]},
        "lines": [
            "Issue: 05", "Effective date:",
            "To plan training as required by ISO 9001:2015 (see 7.2, 7.3) and Decree No. 101/2017/ND-CP.",
            "- Quality records are kept as in clause 7.5.2, 7.5.3.",
            "- The work environment of trainees is checked (see 7.1.4).",
            "- Training of front-desk staff follows (see 8.5.1).",
        ],
        "kept": ["3.1 The HR officer drafts the annual training plan."],
        "flags": [("term", "Quality records are", "Retained documented information is"),
                  ("term", "work environment", "environment for the operation of processes")],
        "not_flagged": ["training plan"],
    },
    {
        "file": "sop-it-01.odt", "text": "SOP_IT_01", "department": "vp",
        "code": "SOP-IT-01", "title": "IT SERVICE DESK PROCEDURE",
        "revision": 2, "effective": D(2015, 9, 1), "approval": "",
        "refs": ["7.5.4", "7.6", "8.5.3"],
        "to": ["7.1.5", "8.5.3"],
        "partial": {"8.5.3": ["6.1", "10.3"]},
        "lines": [
            "Rev. 3", "Date of issue:",
            "- Monitoring and measuring equipment of the network is calibrated per 7.1.5.",
            "- Customer property (citizens' USB drives) is handled as in 8.5.3.",
            "- Preventive action follows 8.5.3; vocabulary as in ISO 9000:2015.",
            "- Requests are handled as required by ISO 9001:2015.",
        ],
        "kept": [],
        "flags": [("term", "Monitoring and measuring equipment", "Monitoring and measuring resources"),
                  ("term", "Customer property", "Property belonging to customers or external providers"),
                  ("term", "Preventive action", "Action to address risks and opportunities"),
                  ("reference", "8.5.3", "6.1")],
        "not_flagged": ["Requests"],
    },
    {
        "file": "qt-qldt-05.txt", "text": "QT_QLDT_05", "department": "qldt",
        "code": "QT-QLDT-05", "title": "QUY TRÌNH CẤP GIẤY PHÉP XÂY DỰNG NHÀ Ở RIÊNG LẺ",
        "revision": 5, "effective": D(2018, 4, 12), "approval": "",
        "refs": ["7.2.2", "7.2.3"],
        "to": ["8.2.1", "8.2.3", "8.2.4"],
        "partial": {},
        "lines": ["Lần ban hành: 06", "Ngày hiệu lực:",
                  "1.2 Xem xét yêu cầu theo mục 8.2.3, 8.2.4 và 8.2.1."],
        "kept": ["1.1 Công chức kiểm soát hồ sơ đề nghị cấp giấy phép xây dựng theo Điều 95 Luật Xây dựng 2014."],
        "flags": [],
        "not_flagged": ["kiểm soát hồ sơ đề nghị"],
    },
]
