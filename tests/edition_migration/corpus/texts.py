"""The texts of the 2008 test set (issue 9 point 17): what each file says.

Word and ODT files are built from these lines by build_corpus.py: a line "# X" is
a heading, "**X**" a bold paragraph, "- X" a bulleted item, "1. X" a numbered
item, "|a|b|" a table row ("|=" a merged cell continuing the one on its left),
"@LETTERHEAD a / b" the two-column letterhead table. Text files keep the lines.
"""

QT_TP_01 = """@LETTERHEAD UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH / PHÒNG TƯ PHÁP || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc
**QUY TRÌNH**
**CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH**
|Mã số: QT-TP-01|Lần ban hành: 03|Ngày hiệu lực: 01/06/2016|
|Người soạn thảo|Người xem xét|Người phê duyệt|
|Chuyên viên Lê Thị Hoa|Trưởng phòng Trần Văn Bình|Chủ tịch UBND Nguyễn Văn An|
**1. MỤC ĐÍCH**
Quy định trình tự chứng thực bản sao từ bản chính tại Phòng Tư pháp, đáp ứng yêu cầu của TCVN ISO 9001:2008.
**2. PHẠM VI ÁP DỤNG**
Áp dụng cho công chức Phòng Tư pháp và Bộ phận tiếp nhận và trả kết quả.
**3. TÀI LIỆU VIỆN DẪN**
- Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính.
- Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước.
**4. NỘI DUNG**
4.1 Cán bộ tiếp nhận hồ sơ, kiểm tra thành phần hồ sơ theo mục 7.2.2.
4.2 Hồ sơ hợp lệ được chuyển công chức thụ lý trong 0,5 ngày làm việc.
4.3 Công chức đối chiếu bản sao với bản chính (xem 7.5.1) và trình ký.
|Bước|Nội dung|Thời gian|
|1|Tiếp nhận hồ sơ|0,5 ngày|
|2|Đối chiếu, trình ký|=|
Kết quả được trả cho công dân tại Bộ phận tiếp nhận và trả kết quả.
**5. HỒ SƠ**
Lưu hồ sơ chứng thực tại Phòng Tư pháp theo mục 4.2.4.
"""

QT_TNMT_12 = """UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH
PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG
# QUY TRÌNH ĐĂNG KÝ BIẾN ĐỘNG QUYỀN SỬ DỤNG ĐẤT
Mã số: QT-TNMT-12
Lần sửa đổi: 02
Ngày ban hành: 15/08/2017
Người phê duyệt: Phó Chủ tịch UBND thành phố Phạm Minh Tuấn
# 1. MỤC ĐÍCH
Quy định việc đăng ký biến động theo Điều 95 Luật Đất đai 2013 và Nghị định 43/2014/NĐ-CP.
# 2. NỘI DUNG
1. Tiếp nhận hồ sơ đề nghị đăng ký biến động, kiểm tra thành phần hồ sơ.
2. Thẩm định hồ sơ theo mục 7.2.2; trường hợp hồ sơ chưa hợp lệ thì hướng dẫn bổ sung.
3. Cập nhật cơ sở dữ liệu địa chính (xem 7.5.1).
- Sai sót phát hiện sau khi trả kết quả được xử lý theo 8.3.
- Khiếu nại của công dân được giải quyết theo Điều 204 Luật Đất đai 2013.
|Bước|Trách nhiệm|Thời hạn|
|1|Bộ phận một cửa|01 ngày|
|2, 3|Văn phòng đăng ký đất đai (chi nhánh)|=|
# 3. HỒ SƠ
Kiểm soát hồ sơ theo mục 4.2.4.
"""

QT_LDTBXH_03 = """UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH
PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI
-------
QUY TRÌNH GIẢI QUYẾT CHẾ ĐỘ TRỢ CẤP XÃ HỘI HÀNG THÁNG
Mã hiệu: QT-LĐTBXH-03
Lần ban hành: 01
Ngày hiệu lực: ngày 10 tháng 1 năm 2018
Người phê duyệt: Trưởng phòng Hoàng Thị Mai

1. MỤC ĐÍCH
Giải quyết kịp thời hồ sơ đề nghị trợ cấp xã hội theo Nghị định 136/2013/NĐ-CP.

2. CĂN CỨ
Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước.

3. TRÁCH NHIỆM
3.1 Đại diện lãnh đạo theo dõi việc thực hiện quy trình (5.5.2).
3.2 Công chức thụ lý báo cáo hồ sơ trễ hạn hằng tuần.

4. NỘI DUNG
4.1 Tiếp nhận hồ sơ của tổ chức, công dân; hồ sơ hợp lệ được ghi sổ theo dõi.
4.2 Kết quả thẩm định được trao đổi với công dân theo mục 7.2.3.
4.3 Hành động khắc phục và phòng ngừa thực hiện theo 8.5.2 và 8.5.3.
"""

QT_KT_02 = """@LETTERHEAD UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH / PHÒNG KINH TẾ || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc
# QUY TRÌNH ĐĂNG KÝ HỘ KINH DOANH
|Mã số: QT-KT-02|Lần ban hành: 02|Ngày ban hành: 20/03/2017|
# 1. TÀI LIỆU VIỆN DẪN
- TCVN ISO 9001:2008 Hệ thống quản lý chất lượng - Các yêu cầu.
- TCVN ISO 9000:2007 Hệ thống quản lý chất lượng - Cơ sở và từ vựng.
- Nghị định 78/2015/NĐ-CP ngày 14/9/2015 về đăng ký doanh nghiệp.
# 2. NỘI DUNG
1. Kiểm tra tài liệu trong hồ sơ đăng ký hộ kinh doanh.
2. Cấp giấy chứng nhận trong 03 ngày làm việc.
3. Các biểu mẫu được kiểm soát tài liệu theo mục 4.2.3.
4.2 Công chức Phòng Kinh tế soạn thảo văn bản trả lời khi từ chối.
Nhà cung cấp dịch vụ chuyển phát được đánh giá hằng năm theo 7.4.1.
"""

QT_MC_01 = """UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH
BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ
QUY TRÌNH TIẾP NHẬN VÀ TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH
Mã số: QT-MC-01

1. NỘI DUNG
1.1 Công chức tiếp nhận hồ sơ, kiểm tra thành phần hồ sơ và viết giấy biên nhận.
1.2 Hồ sơ trễ hạn được thông báo xin lỗi tổ chức, công dân (mục 7.2.3).
1.3 Mức độ hài lòng được khảo sát hằng quý theo 8.2.1.

5. HỒ SƠ
Lưu hồ sơ theo quy định của pháp luật về lưu trữ.
"""

QT_VP_04 = """UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH
VĂN PHÒNG HĐND VÀ UBND
# QUY TRÌNH KIỂM SOÁT HỒ SƠ
Mã số: QT-VP-04
Lần ban hành: 04
Ngày hiệu lực: 02/01/2019
# 1. MỤC ĐÍCH
Quy định việc kiểm soát hồ sơ chất lượng theo mục 4.2.4 và sổ tay chất lượng ST-VP-01.
# 2. NỘI DUNG
- Các phòng lập danh mục hồ sơ chất lượng hằng năm.
- Hồ sơ giải quyết thủ tục hành chính được lưu trữ theo Luật Lưu trữ 2011.
- Tài liệu viện dẫn được cập nhật khi có văn bản mới.
"""

QT_VP_05 = """# QUY TRÌNH ĐÁNH GIÁ NỘI BỘ
Mã số: QT-VP-05
Lần ban hành: 02
Ngày hiệu lực: 05/05/2017
Phê duyệt: Chánh Văn phòng HĐND và UBND

## 1. PHẠM VI ÁP DỤNG
Áp dụng cho mọi quá trình thuộc phạm vi hệ thống; điều khoản loại trừ: 7.3 (xem mục 1.2 của tiêu chuẩn).

## 2. NỘI DUNG
2.1 Chuyên gia đánh giá lập kế hoạch theo điều khoản 8.2.2.
2.2 Phát hiện được xử lý bằng hành động khắc phục (8.5.2).
2.3 Rủi ro tiềm ẩn được xử lý bằng hành động phòng ngừa theo mục 8.5.3.
| Bước | Nội dung | Căn cứ |
|---|---|---|
| 1 | Lập chương trình đánh giá | 8.2.2 |
| 2 | Báo cáo lãnh đạo | 5.6 |
"""

SOP_HR_02 = """@LETTERHEAD CITY PEOPLE'S COMMITTEE / HOME AFFAIRS OFFICE || SOCIALIST REPUBLIC OF VIETNAM / Independence - Freedom - Happiness
**TRAINING PROCEDURE**
Document No.: SOP-HR-02
Issue: 04
Effective date: 01/07/2016
Approved by: Director of the Home Affairs Office
**1. PURPOSE**
To plan training as required by ISO 9001:2008 (see 6.2.2) and Decree No. 101/2017/ND-CP.
**2. PROCEDURE**
3.1 The HR officer drafts the annual training plan.
- Quality records are kept as in clause 4.2.4.
- The work environment of trainees is checked (see 6.4).
- Training of front-desk staff follows (see 7.5.1).
"""

SOP_IT_01 = """# IT SERVICE DESK PROCEDURE
Code: SOP-IT-01
Rev. 2
Date of issue: 2015-09-01
# 1. PROCEDURE
- Monitoring and measuring equipment of the network is calibrated per 7.6.
- Customer property (citizens' USB drives) is handled as in 7.5.4.
- Preventive action follows 8.5.3; vocabulary as in ISO 9000:2005.
- Requests are handled as required by ISO 9001:2008.
"""

QT_QLDT_05 = """UỶ BAN NHÂN DÂN THÀNH PHỐ HÒA BÌNH
PHÒNG QUẢN LÝ ĐÔ THỊ
QUY TRÌNH CẤP GIẤY PHÉP XÂY DỰNG NHÀ Ở RIÊNG LẺ
Mã số: QT-QLĐT-05
Lần ban hành: 05
Ngày hiệu lực: 12.04.2018

1. NỘI DUNG
1.1 Công chức kiểm soát hồ sơ đề nghị cấp giấy phép xây dựng theo Điều 95 Luật Xây dựng 2014.
1.2 Xem xét yêu cầu theo mục 7.2.2 và 7.2.3.
Bảng thời hạn:
| Bước | Thời hạn |
|---|---|
| Thẩm định | 10 ngày |
| Trình ký | 02 ngày |
1.3 Giấy phép được trả cho chủ đầu tư.
"""
