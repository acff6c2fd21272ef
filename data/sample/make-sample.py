#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes caunoi-sample.json, the sample data of Cầu Nối (see README.md).

Run it from this directory after changing it: ./make-sample.py > caunoi-sample.json
The ids are UUIDs derived from stable names, so a re-run keeps every id.
"""
import hashlib
import json
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, 'https://caunoi.invalid/sample')
UPDATED_AT = '2024-04-01T00:00:00Z'

records = []


def uid(name):
    return str(uuid.uuid5(NAMESPACE, name))


def add(collection, name, data):
    records.append({
        'collection': collection,
        'id': uid(collection + ':' + name),
        'rev': 0,
        'deleted': False,
        'updated_at': UPDATED_AT,
        'updated_by': 'sample',
        'data': data,
    })
    return uid(collection + ':' + name)


def shipped_file(sha256):
    path = os.path.join(HERE, 'files', sha256)
    with open(path, 'rb') as f:
        content = f.read()
    assert hashlib.sha256(content).hexdigest() == sha256, path
    return len(content)


# From the seed page (baohatinh.vn, 01/07/2015)
LEAD = ('Với 23 xã, thị trấn trực thuộc, lại là địa phương hội tụ nhiều yếu tố địa hình khác nhau, thời gian qua, để nắm chắc tình hình, đặc điểm của từng địa phương, đơn vị, bên cạnh triển khai các giải pháp khác, BTV Huyện ủy Can Lộc đã thành lập các đoàn công tác chỉ đạo cơ sở. Những đổi thay tại các địa phương này cho thấy, đoàn công tác đã thực sự là cầu nối hiệu quả giữa cấp ủy huyện và cơ sở.')
CAPTION = ('Ðoàn công tác của Huyện ủy Can Lộc làm việc với BTV Đảng ủy xã Tiến Lộc về chương trình xây dựng nông thôn mới tại địa phương.')
BODY = [
    'Huyện ủy đã thành lập 5 đoàn công tác gồm 1-2 ủy viên BTV Huyện ủy, mỗi xã gắn với 1 ủy viên BCH Đảng bộ huyện, mỗi phòng, ngành đỡ đầu, nắm bắt tình hình 1 xã. Bí thư Huyện ủy Võ Hồng Hải cho hay: “Cách thành lập đoàn công tác ở Can Lộc có điểm đáng nói là kết hợp giữa cụm các xã theo vùng với cụm an toàn làm chủ - sẵn sàng chiến đấu. Theo đó, các đoàn công tác được phân công chỉ đạo 5 vùng: trung tâm, vùng thượng, trà sơn đông, trà sơn tây và vùng giữa. Mỗi vùng phân công ít nhất một đồng chí thành viên đoàn phụ trách 1 xã, chịu trách nhiệm chính về nắm bắt thông tin, thông báo tình hình”.',
    'Là nơi tổng hợp thông tin các hoạt động, lãnh đạo Văn phòng Huyện ủy Can Lộc cho biết thêm: Bên cạnh cách thức phân công như trên, hiệu quả hoạt động của đoàn còn được khẳng định nhờ những quy định trong sinh hoạt. Cụ thể, ngoài việc mỗi ủy viên BTV tham gia sinh hoạt thường kỳ ở cấp ủy xã, thị trấn, mỗi ủy viên BCH Đảng bộ huyện tham gia sinh hoạt chi bộ mỗi tháng 1 lần, thì trong các phiên họp của BTV Huyện ủy, các đoàn công tác phải báo cáo tình hình hoạt động của đoàn mình, thực tiễn tại các xã thuộc điểm chỉ đạo và đề xuất giải pháp trong thời gian tới. Các vấn đề này được lưu lại trong văn bản để phục vụ công tác điều hành, lãnh đạo của thường trực, BTV, BCH Đảng bộ và là cơ sở để đánh giá hiệu quả hoạt động của các đoàn.',
    'Với cách tổ chức trên, các đoàn công tác của huyện đã góp phần quan trọng trong việc nâng cao năng lực lãnh đạo của cấp ủy huyện, là cầu nối giữa cấp trên với đội ngũ cán bộ ở cơ sở, đảng viên và người dân; mang lại nhiều kết quả tích cực trong chỉ đạo thực hiện chương trình xây dựng nông thôn mới, phát triển sản xuất, chuyển đổi mùa vụ, giải phóng mặt bằng các dự án, các giải pháp xây dựng Đảng, đặc biệt là công tác chỉ đạo đại hội đảng bộ cấp cơ sở vừa qua. Đối với đại hội đảng bộ cấp cơ sở, các đoàn công tác đã làm việc tích cực, bám sát tình hình tại các đơn vị. Các đoàn công tác chịu trách nhiệm chính trong khâu kiểm tra các nội dung phục vụ đại hội, tổ chức duyệt trước, sau đó, BTV Huyện ủy sẽ tổ chức duyệt tại cụm.',
    'Bí thư Huyện ủy Võ Hồng Hải nhấn mạnh: “Qua theo dõi tại cơ sở, nhiều thành viên đoàn công tác có thể đọc vanh vách đặc điểm địa bàn, chỉ tiêu KT-XH, đánh giá cụ thể năng lực từng cán bộ, hiểu rõ mối quan hệ nhiều bên giữa những cá nhân dự kiến tham gia cấp ủy. Nhiều đoàn công tác đã đề xuất điều chỉnh cơ cấu nhân sự ở một số địa phương trên cơ sở quy hoạch cán bộ do cơ sở xây dựng; khi thấy có một số bất cập, chẳng hạn như cơ cấu nữ vào cấp ủy thấp, các đoàn công tác đã làm việc để định hướng lại và báo cáo đầy đủ với thường trực”.',
    'Trao đổi với chúng tôi về cuộc làm việc của đoàn công tác do 2 đồng chí Trần Quý - Chủ nhiệm Ủy ban Kiểm tra Huyện ủy và Bùi Huy Cường - Phó Chủ tịch UBND huyện làm trưởng và phó đoàn tại xã vào ngày 6/6/2015, Bí thư Đảng ủy xã Tiến Lộc - Nguyễn Hồng Thanh cho biết: “Chúng tôi thống nhất cao với định hướng của BTV Huyện ủy, tinh thần của đoàn công tác. Trước khi có cuộc làm việc của huyện, đoàn công tác đã làm việc với chúng tôi để bàn bạc, căn cứ thực tiễn tình hình, xác định tư tưởng xem có đề ra mục tiêu về đích nông thôn mới năm 2015 được không. Chúng tôi rất phấn khởi và quyết tâm. Đoàn công tác đã định hướng phương pháp, cách làm, phân công nhiệm vụ cho các thành viên, cán bộ, công chức đối với từng lĩnh vực, tiêu chí và tập trung tuyên truyền tới người dân”.',
    'Tiếp xúc và nghe lãnh đạo huyện, xã kể về hoạt động của các đoàn công tác qua từng câu chuyện, từ chỉ đạo đại hội đến giải phóng mặt bằng các dự án như đường tránh Khu di tích Ngã ba Đồng Lộc, đến chỉ đạo dứt điểm xóa bỏ giống IR 1820…, chúng tôi cảm nhận rõ tinh thần trách nhiệm của các đồng chí được cấp ủy huyện giao nhiệm vụ. Không chỉ góp phần lãnh đạo, chỉ đạo, thực hiện thắng lợi các mục tiêu, chỉ tiêu KT-XH, các đoàn công tác còn là cầu nối tâm tình giữa cán bộ các cấp với nhau. “Từ mừng tân gia, đến hiếu hỉ, anh em đoàn công tác và cán bộ xã đều chia sẻ tình cảm với nhau”, đồng chí Bùi Huy Cường - Phó Chủ tịch UBND huyện cho hay.',
]

# Units ---------------------------------------------------------------------------------------

province = add('unit', 'ha-tinh', {'name': 'Hà Tĩnh', 'kind': 'province', 'code': '42'})
district = add('unit', 'can-loc', {'name': 'Can Lộc', 'kind': 'district', 'parent_id': province})

# The five regions of the article; which commune lies in which region is illustrative.
REGIONS = [
    ('trung tâm', [('Nghèn', 'town'), ('Tiến Lộc', 'commune'), ('Thiên Lộc', 'commune'),
                   ('Vượng Lộc', 'commune')]),
    ('vùng thượng', [('Thượng Lộc', 'commune'), ('Phú Lộc', 'commune'), ('Sơn Lộc', 'commune')]),
    ('trà sơn đông', [('Khánh Lộc', 'commune'), ('Vĩnh Lộc', 'commune'),
                      ('Trường Lộc', 'commune')]),
    ('trà sơn tây', [('Đồng Lộc', 'commune'), ('Mỹ Lộc', 'commune'), ('Thường Nga', 'commune')]),
    ('vùng giữa', [('Kim Lộc', 'commune'), ('Trung Lộc', 'commune'), ('Xuân Lộc', 'commune')]),
]

commune = {}
for region, units in REGIONS:
    for name, kind in units:
        commune[name] = add('unit', name, {'name': name, 'kind': kind, 'parent_id': district,
                                           'region': region})

# People --------------------------------------------------------------------------------------

person = {}


def add_person(name, position, organization, unit):
    person[name] = add('person', name, {'full_name': name, 'position': position,
                                        'organization': organization, 'unit_id': unit})


# Named in the seed article and on the seed page
add_person('Võ Hồng Hải', 'Bí thư Huyện ủy', 'Huyện ủy Can Lộc', district)
add_person('Trần Quý', 'Chủ nhiệm Ủy ban Kiểm tra Huyện ủy', 'Huyện ủy Can Lộc', district)
add_person('Bùi Huy Cường', 'Phó Chủ tịch UBND huyện', 'UBND huyện Can Lộc', district)
add_person('Nguyễn Hồng Thanh', 'Bí thư Đảng ủy xã', 'Đảng ủy xã Tiến Lộc', commune['Tiến Lộc'])
add_person('Nguyễn Văn Việt', 'Chánh Văn phòng', 'Văn phòng Điều phối NTM tỉnh Hà Tĩnh', province)
add_person('Ngô Đình Long', 'Phó Chánh Văn phòng', 'Văn phòng Điều phối NTM tỉnh Hà Tĩnh',
           province)

# Invented for the sample: the other delegation leaders and the members in charge of communes
INVENTED = [
    ('Phan Đình Sơn', 'Phó Bí thư Thường trực Huyện ủy', 'Huyện ủy Can Lộc'),
    ('Lê Thị Hoa', 'Trưởng Ban Tổ chức Huyện ủy', 'Huyện ủy Can Lộc'),
    ('Hoàng Văn Minh', 'Trưởng Ban Tuyên giáo Huyện ủy', 'Huyện ủy Can Lộc'),
    ('Đặng Thị Lan', 'Trưởng Ban Dân vận Huyện ủy', 'Huyện ủy Can Lộc'),
    ('Trần Văn Hùng', 'Chánh Văn phòng Huyện ủy', 'Huyện ủy Can Lộc'),
    ('Nguyễn Thị Mai', 'Trưởng phòng Nông nghiệp và PTNT', 'UBND huyện Can Lộc'),
    ('Lê Văn Dũng', 'Trưởng phòng Tài chính - Kế hoạch', 'UBND huyện Can Lộc'),
    ('Võ Văn Tâm', 'Trưởng phòng Kinh tế - Hạ tầng', 'UBND huyện Can Lộc'),
    ('Phạm Thị Thu', 'Trưởng phòng Giáo dục và Đào tạo', 'UBND huyện Can Lộc'),
    ('Đinh Văn Quang', 'Trưởng phòng Tài nguyên và Môi trường', 'UBND huyện Can Lộc'),
    ('Nguyễn Đình Phúc', 'Chủ tịch Hội Nông dân huyện', 'Hội Nông dân huyện Can Lộc'),
    ('Trần Thị Hằng', 'Chủ tịch Hội Liên hiệp Phụ nữ huyện', 'Hội LHPN huyện Can Lộc'),
    ('Lê Đình Khánh', 'Bí thư Huyện đoàn', 'Huyện đoàn Can Lộc'),
    ('Bùi Văn Thắng', 'Chủ tịch Ủy ban MTTQ huyện', 'Ủy ban MTTQ huyện Can Lộc'),
    ('Hồ Thị Nga', 'Trưởng phòng Văn hóa - Thông tin', 'UBND huyện Can Lộc'),
    ('Nguyễn Văn Lợi', 'Trưởng phòng Lao động - TB&XH', 'UBND huyện Can Lộc'),
    ('Nguyễn Văn Bình', 'Trưởng phòng Nội vụ', 'UBND huyện Can Lộc'),
    ('Trần Thị Ngọc', 'Trưởng phòng Tư pháp', 'UBND huyện Can Lộc'),
    ('Phan Văn Hòa', 'Trưởng phòng Y tế', 'UBND huyện Can Lộc'),
]
for name, position, organization in INVENTED:
    add_person(name, 'Ủy viên BCH Đảng bộ huyện, ' + position, organization, district)

# Documents ----------------------------------------------------------------------------------

PDF_SHA256 = '16bd24988741c1695576ee04d310a21833eecf682aff2ec1277fef513462805f'
IMAGE_SHA256 = '4669ec71135b0a5670edb1d4fa326d8a06d0f961e81e8e0ceb1f13020cf293dd'

doc = {}


def add_document(number, doc_type, issuer, field, title, **extra):
    data = {'number': number, 'title': title, 'doc_type': doc_type, 'issuer': issuer,
            'field': field, 'summary': title}
    data.update(extra)
    doc[number] = add('document', number, data)


add_document('4414/UBND-NL5', 'Công văn', 'UBND tỉnh Hà Tĩnh', 'OCOP',
             'Về việc tăng cường lãnh đạo, chỉ đạo thực hiện Chương trình OCOP trong thời gian tới',
             attachments=[{'name': '4414-UBND-NL5.pdf', 'sha256': PDF_SHA256,
                           'size': shipped_file(PDF_SHA256), 'mime': 'application/pdf'}])
add_document('4305/UBND-NL5', 'Công văn', 'UBND tỉnh Hà Tĩnh', 'Ban Chỉ đạo các Chương trình MTQG',
             'Hướng dẫn thành lập BCĐ cấp huyện và bộ phận giúp việc BCĐ cấp huyện, BCĐ đạo cấp xã, '
             'BQL cấp xã, Ban Phát triển thôn, tổ dân phố')
add_document('15/2024/QĐ-UBND', 'Quyết định', 'UBND tỉnh Hà Tĩnh', 'Bộ tiêu chí NTM',
             'Sửa đổi một số tiêu chí, chỉ tiêu của các Bộ tiêu chí ban hành kèm theo Quyết định số '
             '36 và Quyết định số 37 ngày 09/12/2022 của UBND tỉnh')
add_document('3608/UBND-NL5', 'Công văn', 'UBND tỉnh Hà Tĩnh', 'Ban Chỉ đạo các Chương trình MTQG',
             'Giao hướng dẫn thành lập Ban Chỉ đạo các Chương trình MTQG cấp huyện, cấp xã')
add_document('211/QĐ-TTg', 'Quyết định', 'Thủ tướng Chính phủ', 'Bộ tiêu chí NTM',
             'Sửa đổi một số tiêu chí, chỉ tiêu của Bộ tiêu chí quốc gia về xã NTM, Bộ tiêu chí quốc '
             'gia về xã NTM nâng cao, Bộ tiêu chí quốc gia về huyện NTM và Bộ tiêu chí quốc gia về '
             'huyện NTM nâng cao giai đoạn 2021 - 2025',
             signed_on='2024-03-01')

# Criteria set --------------------------------------------------------------------------------

CRITERIA = [
    ('1', 'Quy hoạch', [
        ('Có quy hoạch chung xây dựng xã được phê duyệt và được công bố công khai đúng thời hạn',
         'Đạt'),
        ('Ban hành quy định quản lý quy hoạch chung xây dựng xã và tổ chức thực hiện theo quy hoạch',
         'Đạt')]),
    ('2', 'Giao thông', [
        ('Tỷ lệ đường xã được nhựa hóa hoặc bê tông hóa, đảm bảo ô tô đi lại thuận tiện quanh năm',
         '100%'),
        ('Tỷ lệ đường thôn và đường liên thôn ít nhất được cứng hóa, đảm bảo ô tô đi lại thuận tiện '
         'quanh năm', '≥ 85%'),
        ('Tỷ lệ đường ngõ, xóm sạch và đáp ứng yêu cầu đi lại của người dân', '100%'),
        ('Tỷ lệ đường trục chính nội đồng đảm bảo vận chuyển hàng hóa', '≥ 85%')]),
    ('3', 'Thủy lợi', [
        ('Tỷ lệ diện tích đất sản xuất nông nghiệp được tưới và tiêu nước chủ động', '≥ 80%'),
        ('Đảm bảo yêu cầu chủ động về phòng chống thiên tai theo phương châm 4 tại chỗ', 'Đạt')]),
    ('4', 'Điện', [
        ('Hệ thống điện đạt chuẩn', 'Đạt'),
        ('Tỷ lệ hộ có đăng ký trực tiếp và được sử dụng điện sinh hoạt, sản xuất đảm bảo an toàn, '
         'tin cậy và ổn định', '≥ 98%')]),
    ('5', 'Trường học', [
        ('Tỷ lệ trường học các cấp (mầm non, tiểu học, THCS) có cơ sở vật chất và thiết bị dạy học '
         'đạt chuẩn quốc gia', '≥ 80%')]),
    ('6', 'Cơ sở vật chất văn hóa', [
        ('Xã có nhà văn hóa hoặc hội trường đa năng và sân thể thao phục vụ sinh hoạt văn hóa, thể '
         'thao của toàn xã', 'Đạt'),
        ('Xã có điểm vui chơi, giải trí và thể thao cho trẻ em và người cao tuổi theo quy định',
         'Đạt'),
        ('Tỷ lệ thôn có nhà văn hóa hoặc nơi sinh hoạt văn hóa, thể thao phục vụ cộng đồng',
         '100%')]),
    ('7', 'Cơ sở hạ tầng thương mại nông thôn', [
        ('Xã có chợ nông thôn hoặc nơi mua bán, trao đổi hàng hóa', 'Đạt')]),
    ('8', 'Thông tin và Truyền thông', [
        ('Xã có điểm phục vụ bưu chính', 'Đạt'),
        ('Xã có dịch vụ viễn thông, internet', 'Đạt'),
        ('Xã có đài truyền thanh và hệ thống loa đến các thôn', 'Đạt'),
        ('Xã có ứng dụng công nghệ thông tin trong công tác quản lý, điều hành', 'Đạt')]),
    ('9', 'Nhà ở dân cư', [
        ('Nhà tạm, dột nát', 'Không'),
        ('Tỷ lệ hộ có nhà ở kiên cố hoặc bán kiên cố', '≥ 80%')]),
    ('10', 'Thu nhập', [
        ('Thu nhập bình quân đầu người khu vực nông thôn', 'Theo mức quy định cho vùng Bắc Trung Bộ')]),
    ('11', 'Hộ nghèo', [
        ('Tỷ lệ hộ nghèo đa chiều giai đoạn 2021 - 2025', 'Theo mức quy định cho vùng Bắc Trung Bộ')]),
    ('12', 'Lao động có việc làm', [
        ('Tỷ lệ người có việc làm trên dân số trong độ tuổi lao động có khả năng tham gia lao động',
         '≥ 90%')]),
    ('13', 'Tổ chức sản xuất', [
        ('Xã có hợp tác xã hoạt động hiệu quả theo quy định của Luật Hợp tác xã', 'Đạt'),
        ('Xã có mô hình liên kết sản xuất gắn với tiêu thụ nông sản chủ lực đảm bảo bền vững',
         'Đạt'),
        ('Có sản phẩm OCOP hoặc sản phẩm chủ lực được truy xuất nguồn gốc', 'Đạt')]),
    ('14', 'Giáo dục và Đào tạo', [
        ('Phổ cập giáo dục mầm non cho trẻ em 5 tuổi; xóa mù chữ; phổ cập giáo dục tiểu học; phổ cập '
         'giáo dục trung học cơ sở', 'Đạt'),
        ('Tỷ lệ học sinh tốt nghiệp trung học cơ sở được tiếp tục học trung học', '≥ 85%'),
        ('Tỷ lệ lao động có việc làm qua đào tạo', '≥ 70%')]),
    ('15', 'Y tế', [
        ('Tỷ lệ người dân tham gia bảo hiểm y tế', '≥ 90%'),
        ('Xã đạt tiêu chí quốc gia về y tế', 'Đạt')]),
    ('16', 'Văn hóa', [
        ('Tỷ lệ thôn đạt chuẩn văn hóa theo quy định', '≥ 70%')]),
    ('17', 'Môi trường và an toàn thực phẩm', [
        ('Tỷ lệ hộ được sử dụng nước sạch theo quy chuẩn', 'Theo mức quy định cho vùng Bắc Trung Bộ'),
        ('Tỷ lệ chất thải rắn sinh hoạt và chất thải rắn không nguy hại trên địa bàn được thu gom, '
         'xử lý theo quy định', '≥ 80%'),
        ('Tỷ lệ cơ sở sản xuất, kinh doanh thực phẩm tuân thủ các quy định về đảm bảo an toàn thực '
         'phẩm', '100%')]),
    ('18', 'Hệ thống chính trị và tiếp cận pháp luật', [
        ('Cán bộ, công chức xã đạt chuẩn', 'Đạt'),
        ('Đảng bộ, chính quyền xã được xếp loại chất lượng hoàn thành tốt nhiệm vụ trở lên', 'Đạt'),
        ('Xã đạt chuẩn tiếp cận pháp luật', 'Đạt')]),
    ('19', 'Quốc phòng và An ninh', [
        ('Xây dựng lực lượng dân quân vững mạnh, rộng khắp và hoàn thành các chỉ tiêu quốc phòng',
         'Đạt'),
        ('Xã đạt chuẩn an toàn về an ninh, trật tự xã hội và đảm bảo bình yên', 'Đạt')]),
]

criteria_set = add('criteria_set', 'xa-ntm-2021-2025', {
    'name': 'Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2021 - 2025',
    'level': 'commune',
    'variant': 'standard',
    'document_id': doc['211/QĐ-TTg'],
    'items': [{'code': code, 'name': name,
               'indicators': [{'code': '%s.%d' % (code, i + 1), 'text': text, 'target': target}
                              for i, (text, target) in enumerate(indicators)]}
              for code, name, indicators in CRITERIA],
})

# Article -------------------------------------------------------------------------------------


def html_escape(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


add('article', 'cau-noi-giua-cap-uy-huyen-va-co-so', {
    'title': 'Cầu nối giữa cấp ủy huyện và cơ sở',
    'lead': LEAD,
    'body_html': ''.join('<p>%s</p>' % html_escape(p) for p in BODY),
    'category': 'Học tập đạo đức HCM',
    'author': 'Mạnh Hà',
    'source': 'baohatinh.vn',
    'published_at': '2015-07-01T16:20:00Z',
    'tags': ['địa phương'],
    'images': [{'sha256': IMAGE_SHA256, 'caption': CAPTION}],
})
shipped_file(IMAGE_SHA256)

# Delegations and assignments -----------------------------------------------------------------

DELEGATIONS = [
    # region, leaders (leader first, then deputy), members in charge of the region's communes
    ('trung tâm', ['Trần Quý', 'Bùi Huy Cường'],
     ['Trần Văn Hùng', 'Bùi Huy Cường', 'Nguyễn Thị Mai', 'Lê Văn Dũng']),
    ('vùng thượng', ['Phan Đình Sơn'], ['Võ Văn Tâm', 'Phạm Thị Thu', 'Đinh Văn Quang']),
    ('trà sơn đông', ['Lê Thị Hoa'], ['Nguyễn Đình Phúc', 'Trần Thị Hằng', 'Lê Đình Khánh']),
    ('trà sơn tây', ['Hoàng Văn Minh'], ['Bùi Văn Thắng', 'Hồ Thị Nga', 'Nguyễn Văn Lợi']),
    ('vùng giữa', ['Đặng Thị Lan'], ['Nguyễn Văn Bình', 'Trần Thị Ngọc', 'Phan Văn Hòa']),
]
DEPARTMENTS = [
    'Phòng Kinh tế - Hạ tầng', 'Phòng Nông nghiệp và PTNT', 'Văn phòng HĐND - UBND huyện',
    'Phòng Tài chính - Kế hoạch', 'Phòng Tài nguyên và Môi trường', 'Phòng Giáo dục và Đào tạo',
    'Phòng Văn hóa - Thông tin', 'Phòng Lao động - TB&XH', 'Phòng Y tế', 'Phòng Nội vụ',
    'Phòng Tư pháp', 'Ban Tuyên giáo Huyện ủy', 'Ban Dân vận Huyện ủy', 'Hội Nông dân huyện',
    'Hội Liên hiệp Phụ nữ huyện', 'Huyện đoàn',
]

delegation = {}
department = iter(DEPARTMENTS)
for number, (region, leaders, in_charge) in enumerate(DELEGATIONS, 1):
    units = [name for name, _ in dict(REGIONS)[region]]
    members = [m for m in in_charge if m not in leaders]
    delegation[region] = add('delegation', region, {
        'name': 'Đoàn công tác số %d - %s' % (number, region[0].upper() + region[1:]),
        'unit_id': district,
        'term': '2010 - 2015',
        'leader_ids': [person[p] for p in leaders],
        'member_ids': [person[p] for p in members],
        'region': region,
        'commune_ids': [commune[u] for u in units],
    })
    for unit, member in zip(units, in_charge):
        add('assignment', unit + ':member', {
            'person_id': person[member], 'commune_id': commune[unit],
            'role': 'member_in_charge', 'since': '2015-01-01'})
        add('assignment', unit + ':department', {
            'organization': next(department), 'commune_id': commune[unit],
            'role': 'sponsoring_department', 'since': '2015-01-01'})

# The working session at Tiến Lộc, its report and follow-up ------------------------------------

visit = add('visit', 'tien-loc-2015-06-06', {
    'delegation_id': delegation['trung tâm'],
    'commune_id': commune['Tiến Lộc'],
    'date': '2015-06-06',
    'led_by': [person['Trần Quý'], person['Bùi Huy Cường']],
    'participants': 'Đoàn công tác của Huyện ủy Can Lộc: đồng chí Trần Quý - Chủ nhiệm Ủy ban '
                    'Kiểm tra Huyện ủy (trưởng đoàn), đồng chí Bùi Huy Cường - Phó Chủ tịch UBND '
                    'huyện (phó đoàn) và các thành viên; BTV Đảng ủy xã Tiến Lộc do đồng chí '
                    'Nguyễn Hồng Thanh - Bí thư Đảng ủy xã chủ trì; cán bộ, công chức xã.',
    'topics': [
        'Mục tiêu về đích nông thôn mới năm 2015',
        'Phương pháp, cách làm và phân công nhiệm vụ theo từng lĩnh vực, tiêu chí',
        'Tuyên truyền tới người dân',
    ],
    'notes': 'Trước buổi làm việc của huyện, đoàn công tác đã làm việc với xã để bàn bạc, căn cứ '
             'thực tiễn tình hình, xác định tư tưởng xem có đề ra mục tiêu về đích nông thôn mới '
             'năm 2015 được không.\n'
             'Bí thư Đảng ủy xã Nguyễn Hồng Thanh: “Chúng tôi thống nhất cao với định hướng của BTV '
             'Huyện ủy, tinh thần của đoàn công tác. Chúng tôi rất phấn khởi và quyết tâm.”',
    'conclusions': 'Xã Tiến Lộc đặt mục tiêu về đích nông thôn mới năm 2015. Đoàn công tác định '
                   'hướng phương pháp, cách làm; phân công nhiệm vụ cho các thành viên, cán bộ, '
                   'công chức đối với từng lĩnh vực, tiêu chí; tập trung tuyên truyền tới người '
                   'dân.',
})

report = add('report', 'trung-tam-2015-06', {
    'delegation_id': delegation['trung tâm'],
    'meeting_date': '2015-06-30',
    'period': 'Tháng 6/2015',
    'situation': 'Đoàn công tác đã làm việc với BTV Đảng ủy xã Tiến Lộc ngày 06/06/2015; xã thống '
                 'nhất mục tiêu về đích nông thôn mới năm 2015. Các xã trong vùng tập trung giải '
                 'phóng mặt bằng các dự án, chuyển đổi mùa vụ và chuẩn bị đại hội đảng bộ cơ sở.',
    'proposals': 'Đề nghị BTV Huyện ủy chỉ đạo các phòng, ngành đỡ đầu hỗ trợ xã Tiến Lộc hoàn '
                 'thành các tiêu chí còn thiếu; chỉ đạo dứt điểm xóa bỏ giống lúa IR 1820; quan '
                 'tâm nâng tỷ lệ cán bộ nữ trong cơ cấu cấp ủy.',
    'status': 'submitted',
})
add('report', 'vung-giua-2015-07', {
    'delegation_id': delegation['vùng giữa'],
    'period': 'Tháng 7/2015',
    'situation': 'Đang tổng hợp tình hình các xã Kim Lộc, Trung Lộc, Xuân Lộc.',
    'status': 'draft',
})

TASKS = [
    # key, title, commune, source, owner, due, status, events [(at, from, to, comment)]
    ('ra-soat', 'Rà soát, đánh giá lại 19 tiêu chí và lập kế hoạch về đích năm 2015', 'Tiến Lộc',
     visit, 'Nguyễn Hồng Thanh', '2015-06-20', 'done',
     [('2015-06-06T10:00:00Z', None, 'open', 'Giao tại buổi làm việc ngày 06/06/2015'),
      ('2015-06-19T08:00:00Z', 'open', 'done', 'Đã có kế hoạch về đích')]),
    ('giao-thong', 'Cứng hóa các tuyến đường thôn còn lại (tiêu chí Giao thông)', 'Tiến Lộc',
     visit, 'Nguyễn Hồng Thanh', '2015-09-30', 'in_progress',
     [('2015-06-06T10:00:00Z', None, 'open', None),
      ('2015-07-10T02:00:00Z', 'open', 'in_progress', 'Đã khởi công 2 tuyến')]),
    ('tuyen-truyen', 'Tập trung tuyên truyền tới người dân về xây dựng nông thôn mới', 'Tiến Lộc',
     visit, 'Bùi Huy Cường', '2015-07-31', 'done',
     [('2015-06-06T10:00:00Z', None, 'open', None),
      ('2015-07-30T09:00:00Z', 'open', 'done', None)]),
    ('ho-so', 'Hoàn thiện hồ sơ đề nghị xét công nhận xã đạt chuẩn nông thôn mới', 'Tiến Lộc',
     visit, 'Nguyễn Hồng Thanh', '2015-11-30', 'open',
     [('2015-06-06T10:00:00Z', None, 'open', None)]),
    ('ir-1820', 'Chỉ đạo dứt điểm xóa bỏ giống lúa IR 1820', 'Tiến Lộc', report,
     'Nguyễn Thị Mai', '2015-08-15', 'done',
     [('2015-06-30T09:00:00Z', None, 'open', 'Theo kiến nghị tại phiên họp BTV'),
      ('2015-08-10T09:00:00Z', 'open', 'done', None)]),
    ('gpmb-dong-loc', 'Giải phóng mặt bằng đường tránh Khu di tích Ngã ba Đồng Lộc', 'Đồng Lộc',
     report, 'Bùi Huy Cường', '2015-08-31', 'in_progress',
     [('2015-06-30T09:00:00Z', None, 'open', None),
      ('2015-07-15T09:00:00Z', 'open', 'in_progress', None)]),
    ('can-bo-nu', 'Đề xuất nâng tỷ lệ cán bộ nữ trong cơ cấu cấp ủy các xã', None, report,
     'Lê Thị Hoa', None, 'proposed',
     [('2015-06-30T09:00:00Z', None, 'proposed', None)]),
    ('hoi-thao', 'Tổ chức hội thảo chuyển đổi mùa vụ cấp xã', 'Tiến Lộc', report, 'Nguyễn Thị Mai',
     '2015-07-15', 'dropped',
     [('2015-06-30T09:00:00Z', None, 'proposed', None),
      ('2015-07-05T09:00:00Z', 'proposed', 'dropped', 'Lồng ghép vào hội nghị của huyện')]),
    ('duy-tri', 'Duy trì, nâng cao chất lượng các tiêu chí sau khi đạt chuẩn', 'Tiến Lộc', visit,
     'Nguyễn Hồng Thanh', '2030-12-31', 'open',
     [('2015-06-06T10:00:00Z', None, 'open', None)]),
]

for key, title, unit, source, owner, due, status, events in TASKS:
    data = {'title': title, 'source_id': source, 'owner_id': person[owner], 'status': status}
    if unit:
        data['commune_id'] = commune[unit]
    if due:
        data['due_on'] = due
    task = add('task', key, data)
    assert events[-1][2] == status, key
    for n, (at, from_status, to_status, comment) in enumerate(events):
        event = {'task_id': task, 'at': at, 'to_status': to_status}
        if from_status:
            event['from_status'] = from_status
        if comment:
            event['comment'] = comment
        add('task_event', '%s:%d' % (key, n), event)

# Assessment of Tiến Lộc on the day of the working session (illustrative)
NOT_MET = {'7'}
IN_PROGRESS = {'2', '10', '17'}
for code, name, _ in CRITERIA:
    status = 'not_met' if code in NOT_MET else 'in_progress' if code in IN_PROGRESS else 'met'
    data = {'commune_id': commune['Tiến Lộc'], 'criteria_set_id': criteria_set,
            'criterion_code': code, 'status': status, 'assessed_on': '2015-06-06'}
    if status != 'met':
        data['note'] = 'Đoàn công tác đánh giá tại buổi làm việc ngày 06/06/2015'
    add('assessment', 'tien-loc:' + code, data)

# Monthly party cell attendance of three members in charge
for name in ['Bùi Huy Cường', 'Trần Văn Hùng', 'Nguyễn Thị Mai']:
    for month in ['2015-04', '2015-05', '2015-06']:
        attended = not (name == 'Trần Văn Hùng' and month == '2015-05')
        data = {'person_id': person[name], 'month': month, 'attended': attended}
        if not attended:
            data['note'] = 'Vắng có lý do: đi công tác'
        add('attendance', '%s:%s' % (name, month), data)

ids = [r['id'] for r in records]
assert len(ids) == len(set(ids))
json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write('\n')
