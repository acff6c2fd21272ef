/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Vietnamese text for the benchmark data: sentences in the register of the office's news and
 * records (after the seed page and the sample data), with slots the generator fills:
 *   {x} a commune, {h} a district, {n} a small number, {y} a year, {p} a person's name,
 *   {s} a product (OCOP), {c} a criterion's name.
 * Earlier sentences are drawn more often than later ones, so that common syllables ("người",
 * "nông thôn") are in nearly every article and the last ones are rare.
 */

static const char * const cn_bench_sentences[] = {
  "Chương trình xây dựng nông thôn mới tại xã {x}, huyện {h} tiếp tục được người dân đồng tình hưởng ứng.",
  "Ban Thường vụ Huyện ủy {h} đã thành lập các đoàn công tác chỉ đạo cơ sở, mỗi xã gắn với một ủy viên Ban Chấp hành.",
  "Người dân xã {x} đã hiến hơn {n} nghìn mét vuông đất để mở rộng đường giao thông nông thôn.",
  "Đến nay, xã {x} đã đạt {n}/19 tiêu chí nông thôn mới, phấn đấu về đích trong năm {y}.",
  "Đoàn công tác đã làm việc với Ban Thường vụ Đảng ủy xã {x} về tiến độ thực hiện các tiêu chí.",
  "Bí thư Huyện ủy {p} nhấn mạnh: cần phát huy vai trò chủ thể của người dân trong xây dựng nông thôn mới.",
  "Các phòng, ngành đỡ đầu đã hỗ trợ xã hoàn thiện hồ sơ, nâng cao chất lượng các tiêu chí đã đạt.",
  "Phong trào xây dựng khu dân cư nông thôn mới kiểu mẫu, vườn mẫu lan tỏa rộng khắp các thôn.",
  "Toàn huyện {h} có {n} sản phẩm được công nhận đạt chuẩn OCOP, trong đó có {s}.",
  "Hội nghị đánh giá kết quả thực hiện Chương trình MTQG xây dựng nông thôn mới giai đoạn 2021 - 2025.",
  "Xã {x} tập trung chỉnh trang đường làng, ngõ xóm, xây dựng hàng rào xanh và cổng ngõ sạch đẹp.",
  "Tiêu chí {c} là tiêu chí khó, đòi hỏi sự vào cuộc quyết liệt của cả hệ thống chính trị.",
  "Đồng chí {p}, Phó Chủ tịch UBND huyện, yêu cầu các xã rà soát, đánh giá lại từng tiêu chí.",
  "Người dân được tuyên truyền, vận động chuyển đổi cơ cấu cây trồng, phát triển sản xuất hàng hóa.",
  "Năm {y}, thu nhập bình quân đầu người của xã {x} đạt {n} triệu đồng, tỷ lệ hộ nghèo giảm mạnh.",
  "Văn phòng Điều phối nông thôn mới tỉnh đã hướng dẫn các địa phương hoàn thiện hồ sơ đề nghị xét công nhận.",
  "Các đoàn công tác phải báo cáo tình hình hoạt động tại phiên họp của Ban Thường vụ Huyện ủy.",
  "Mô hình sản xuất {s} mang lại thu nhập ổn định cho {n} hộ dân trong vùng.",
  "Cấp ủy, chính quyền xã {x} đã chỉ đạo quyết liệt công tác giải phóng mặt bằng các dự án.",
  "Hệ thống thủy lợi nội đồng được kiên cố hóa, đảm bảo tưới tiêu chủ động cho {n} ha lúa.",
  "Các thôn đã tổ chức ra quân tổng vệ sinh môi trường, thu gom rác thải, khơi thông cống rãnh.",
  "Nhà văn hóa thôn được nâng cấp, đáp ứng nhu cầu sinh hoạt văn hóa, thể thao của người dân.",
  "Mỗi ủy viên Ban Chấp hành Đảng bộ huyện tham gia sinh hoạt chi bộ mỗi tháng một lần.",
  "Đoàn đã kiểm tra thực tế tại các thôn, ghi nhận những đổi thay rõ nét của vùng quê.",
  "Tỷ lệ người dân tham gia bảo hiểm y tế của xã {x} đạt trên {n} phần trăm.",
  "Trường mầm non, tiểu học và trung học cơ sở trên địa bàn xã đều đạt chuẩn quốc gia.",
  "Xã đã huy động được {n} tỷ đồng, trong đó nhân dân đóng góp bằng tiền, ngày công và hiến đất.",
  "Công tác bảo vệ môi trường, xử lý rác thải sinh hoạt tại nguồn được các hộ gia đình thực hiện tốt.",
  "Ủy ban nhân dân tỉnh Hà Tĩnh ban hành kế hoạch thực hiện Chương trình mỗi xã một sản phẩm.",
  "Đảng ủy xã {x} đã ban hành nghị quyết chuyên đề về xây dựng nông thôn mới nâng cao.",
  "Các hợp tác xã được củng cố, liên kết với doanh nghiệp tiêu thụ sản phẩm cho nông dân.",
  "Tuyến đường trục xã dài {n} km đã được nhựa hóa, ô tô đi lại thuận tiện quanh năm.",
  "Trạm y tế xã được đầu tư trang thiết bị, đạt chuẩn quốc gia về y tế xã.",
  "Đoàn công tác định hướng phương pháp, cách làm và phân công nhiệm vụ theo từng lĩnh vực.",
  "Hội Liên hiệp Phụ nữ xã phát động phong trào xây dựng gia đình năm không, ba sạch.",
  "Việc dồn điền đổi thửa giúp nông dân cơ giới hóa sản xuất, giảm chi phí, tăng năng suất.",
  "Chi bộ thôn đã họp bàn, thống nhất phương án huy động nguồn lực làm đường bê tông.",
  "Huyện {h} đề nghị tỉnh quan tâm bố trí thêm vốn đầu tư phát triển cho các xã khó khăn.",
  "Ông {p}, trưởng thôn, cho biết bà con rất phấn khởi khi con đường mới hoàn thành.",
  "Đời sống vật chất và tinh thần của người dân ngày càng được nâng lên rõ rệt.",
  "Các tổ chức chính trị - xã hội tích cực tuyên truyền, vận động hội viên tham gia.",
  "Chợ nông thôn xã {x} được xây dựng mới, đáp ứng nhu cầu giao thương của nhân dân.",
  "Nhiều hộ gia đình đã mạnh dạn đầu tư phát triển kinh tế trang trại, gia trại.",
  "Điểm bưu điện văn hóa xã và hệ thống internet đến thôn đáp ứng yêu cầu thông tin.",
  "Công an xã đảm bảo an ninh trật tự, không để xảy ra điểm nóng trên địa bàn.",
  "Đề nghị Sở Nông nghiệp và Phát triển nông thôn hướng dẫn thủ tục công nhận sản phẩm {s}.",
  "Huyện {h} phấn đấu đến năm {y} có thêm {n} xã đạt chuẩn nông thôn mới nâng cao.",
  "Tại buổi làm việc, đại diện các thôn đã nêu những khó khăn, vướng mắc trong quá trình thực hiện.",
  "Đồng chí {p} đề nghị xã tập trung nâng cao chất lượng tiêu chí {c}.",
  "Các vườn mẫu trồng cam, bưởi, rau sạch cho giá trị kinh tế cao trên một đơn vị diện tích.",
  "Hệ thống điện nông thôn được cải tạo, tỷ lệ hộ sử dụng điện thường xuyên, an toàn đạt 100%.",
  "Lễ công bố xã {x} đạt chuẩn nông thôn mới được tổ chức trang trọng tại sân vận động xã.",
  "Cán bộ, công chức xã được phân công phụ trách từng thôn, nắm bắt tình hình cơ sở.",
  "Chương trình đã góp phần thay đổi diện mạo nông thôn, nâng cao đời sống người dân.",
  "Trong {n} tháng đầu năm, toàn tỉnh đã có thêm {n} thôn đạt chuẩn khu dân cư kiểu mẫu.",
  "Các hộ dân ven đường tự nguyện tháo dỡ công trình phụ để mở rộng mặt đường.",
  "Xã phối hợp với Trung tâm khuyến nông tổ chức tập huấn kỹ thuật chăm sóc lúa cho nông dân.",
  "Sản phẩm {s} đã có mặt tại các siêu thị lớn, được người tiêu dùng tin tưởng.",
  "Nghị quyết Đại hội Đảng bộ huyện lần thứ {n} xác định xây dựng nông thôn mới là nhiệm vụ trọng tâm.",
  "Hồ sơ minh chứng các tiêu chí được lưu trữ đầy đủ, khoa học tại Văn phòng Điều phối.",
  "Ban Chỉ đạo huyện đã tổ chức kiểm tra, thẩm định mức độ đạt chuẩn của xã {x}.",
  "Việc xây dựng thiết chế văn hóa cơ sở được quan tâm, các câu lạc bộ dân ca ví, giặm hoạt động sôi nổi.",
  "Nhờ áp dụng khoa học kỹ thuật, năng suất lúa vụ xuân đạt {n} tạ/ha.",
  "Đoàn giám sát của Hội đồng nhân dân tỉnh đã làm việc với huyện {h} về nguồn vốn đối ứng.",
  "Thực hiện đề án phát triển du lịch cộng đồng gắn với xây dựng nông thôn mới tại xã {x}.",
  "Các xã miền núi gặp nhiều khó khăn về tiêu chí thu nhập và hộ nghèo.",
  "Nước sạch nông thôn được đưa về tận hộ gia đình, tỷ lệ hộ dùng nước hợp vệ sinh đạt {n}%.",
  "Xã {x} đã trồng mới {n} nghìn cây xanh dọc các tuyến đường liên thôn.",
  "Hội Nông dân xã hướng dẫn hội viên vay vốn phát triển chăn nuôi bò nhốt chuồng.",
  "Cổng thông tin điện tử của Văn phòng Điều phối đăng tải kịp thời các văn bản chỉ đạo.",
  "Cuộc vận động toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư đạt nhiều kết quả.",
  "Phương châm dân biết, dân bàn, dân làm, dân kiểm tra, dân hưởng thụ được phát huy.",
  "Lò đốt rác mini của xã vận hành hiệu quả, giảm ô nhiễm môi trường ở khu dân cư.",
  "Đồng chí {p} trao giấy chứng nhận sản phẩm OCOP 3 sao cho các chủ thể.",
  "Nông dân xã {x} thu hoạch vụ cam bù với sản lượng ước đạt {n} tấn.",
  "Đề án hỗ trợ xi măng làm đường giao thông nông thôn được triển khai đồng bộ.",
  "Ban Quản lý khu du lịch đã phối hợp đưa sản phẩm nhút Thanh Chương và kẹo cu đơ vào điểm bán.",
  "Chè xanh Hương Đô, mật ong rừng Vũ Quang và bưởi Phúc Trạch là những sản phẩm chủ lực.",
  "Xã phường cát biển ven sông Lam được quy hoạch thành vùng nuôi tôm công nghệ cao trong nhà màng.",
  "Tổ hợp tác sản xuất nấm linh chi đỏ ứng dụng công nghệ tưới nhỏ giọt Israel.",
};

static const char * const cn_bench_products[] = {
  "bưởi Phúc Trạch", "cam bù Hương Sơn", "kẹo cu đơ", "mật ong Vũ Quang", "nước mắm Cẩm Nhượng",
  "chè xanh Hương Đô", "hươu sao Hương Sơn", "gạo hữu cơ Thạch Hà", "nhung hươu", "cam Khe Mây",
  "tinh dầu sả", "mực một nắng Kỳ Anh", "rượu Kim Lũ", "bánh đa vừng", "dầu lạc Nghi Xuân",
};

static const char * const cn_bench_criteria[] = {
  "Quy hoạch", "Giao thông", "Thủy lợi và phòng chống thiên tai", "Điện", "Trường học",
  "Cơ sở vật chất văn hóa", "Cơ sở hạ tầng thương mại nông thôn", "Thông tin và Truyền thông",
  "Nhà ở dân cư", "Thu nhập", "Nghèo đa chiều", "Lao động", "Tổ chức sản xuất và phát triển kinh tế nông thôn",
  "Y tế", "Giáo dục và Đào tạo", "Văn hóa", "Môi trường và an toàn thực phẩm",
  "Hệ thống chính trị và tiếp cận pháp luật", "Quốc phòng và An ninh",
};

static const char * const cn_bench_family_names[] = {
  "Nguyễn", "Trần", "Lê", "Phan", "Võ", "Hoàng", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
  "Phạm", "Thái", "Đinh",
};

static const char * const cn_bench_middle_names[] = {
  "Văn", "Thị", "Hồng", "Quang", "Đình", "Xuân", "Huy", "Minh", "Thanh", "Đức", "Hữu", "Kim",
};

static const char * const cn_bench_given_names[] = {
  "Hải", "Quý", "Cường", "Thanh", "Lan", "Hương", "Tuấn", "Hùng", "Nga", "Sơn", "Tâm", "Bình",
  "Dũng", "Hòa", "Phương", "Trung", "Việt", "Lộc", "Thắng", "Yến", "Đông", "Khánh", "Long",
};

/* Hà Tĩnh's district-level units and the first syllable their communes' names often share. */
static const struct {
  const char *name;
  const char *kind;
  const char *prefix;
} cn_bench_districts[] = {
  { "Thành phố Hà Tĩnh", "district", "Thạch" },
  { "Thị xã Hồng Lĩnh", "district", "Thuận" },
  { "Thị xã Kỳ Anh", "district", "Kỳ" },
  { "Can Lộc", "district", NULL },
  { "Đức Thọ", "district", "Đức" },
  { "Hương Sơn", "district", "Sơn" },
  { "Hương Khê", "district", "Hương" },
  { "Vũ Quang", "district", "Đức" },
  { "Nghi Xuân", "district", "Xuân" },
  { "Lộc Hà", "district", "Thạch" },
  { "Thạch Hà", "district", "Thạch" },
  { "Cẩm Xuyên", "district", "Cẩm" },
  { "Kỳ Anh", "district", "Kỳ" },
};

static const char * const cn_bench_syllables[] = {
  "Tiến", "Thiên", "Vượng", "Thượng", "Phú", "Sơn", "Trung", "Mỹ", "Quang", "Hòa", "Bình",
  "Long", "Thịnh", "Hưng", "Lạc", "Vĩnh", "Xuân", "Tân", "An", "Thanh", "Hà", "Châu", "Lĩnh",
  "Đông", "Tây", "Nam", "Bắc", "Hải", "Giang", "Lâm", "Thủy", "Kim", "Ngọc", "Yên", "Phong",
};

static const char * const cn_bench_doc_kinds[][3] = {
  /* doc_type, number suffix, title start */
  { "Công văn", "UBND-NL5", "Về việc" },
  { "Quyết định", "QĐ-UBND", "Quyết định về việc" },
  { "Kế hoạch", "KH-UBND", "Kế hoạch thực hiện" },
  { "Hướng dẫn", "HD-VPĐP", "Hướng dẫn" },
  { "Công văn", "VPĐP-NV", "Về việc" },
  { "Nghị quyết", "NQ-HĐND", "Nghị quyết về" },
};

static const char * const cn_bench_doc_topics[] = {
  "tăng cường lãnh đạo, chỉ đạo thực hiện Chương trình OCOP trong thời gian tới",
  "ban hành Bộ tiêu chí xã nông thôn mới nâng cao giai đoạn 2021 - 2025",
  "xét công nhận xã đạt chuẩn nông thôn mới",
  "phân bổ vốn ngân sách thực hiện Chương trình MTQG xây dựng nông thôn mới",
  "xây dựng khu dân cư nông thôn mới kiểu mẫu, vườn mẫu",
  "đánh giá, phân hạng sản phẩm OCOP",
  "hướng dẫn thực hiện tiêu chí môi trường và an toàn thực phẩm",
  "kiện toàn Ban Chỉ đạo các Chương trình mục tiêu quốc gia",
  "hỗ trợ xi măng làm đường giao thông nông thôn",
  "tổ chức tổng kết 15 năm thực hiện Chương trình",
};

static const char * const cn_bench_categories[] = {
  "Tin tức - Sự kiện", "Nông thôn mới", "OCOP", "Gương điển hình", "Chỉ đạo - Điều hành",
  "Khoa học - Công nghệ", "Thời sự",
};

static const char * const cn_bench_tags[] = {
  "nông thôn mới", "OCOP", "đoàn công tác", "giao thông", "môi trường", "khu dân cư kiểu mẫu",
  "vườn mẫu", "thủy lợi", "hợp tác xã", "Can Lộc", "Hương Sơn", "Thạch Hà",
};
