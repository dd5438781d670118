#!/usr/bin/env python3
"""Writes the small export files of testdata/load/ (see testdata/README.md).

Run once by hand when they need to change:
    pip install openpyxl xlwt msoffcrypto-tool   # MIT, BSD, MIT
    python3 testdata/load/make.py
Every person is made up; valid numbers get a correct check character.
The tests in tests/load.rs state what each file must give.
"""
import io, os
import openpyxl, xlwt
from openpyxl.styles import Alignment

HERE = os.path.dirname(os.path.abspath(__file__))
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

def idn(first17):
    return first17 + "10X98765432"[sum(int(a) * w for a, w in zip(first17, W)) % 11]

def path(*p):
    return os.path.join(HERE, *p)

# Six women and men of 峄城区 (370404), valid numbers.
P = [
    ("张丽", idn("37040419900101122"), "2", "1990-01-01", "21初婚", "一村"),
    ("王芳", idn("37040419850517042"), "2", "1985/5/17", "20", "一村"),
    ("李强", idn("37040419880808001"), "1", "19880808", "已婚", "二村"),
    ("欧阳娜娜", idn("37040419950312004"), "2", "1995年3月12日", "10 未婚", "二村"),
    ("阿依古丽·买买提", idn("37040419920229006"), "2", "1992.02.29", "21", "三村"),
    ("陈国华", idn("37040419790101003"), "1", "1979-01-01", "22再婚", "三村"),
]
BAD_CHECK = P[0][1][:-1] + ("1" if P[0][1][-1] != "1" else "2")

# --- wis: xlsx with a merged title, a unit line, header on row 3, one sheet per village
wb = openpyxl.Workbook()
wb.remove(wb.active)
for village in ["一村", "二村", "三村"]:
    ws = wb.create_sheet(village)
    ws.append(["峄城区榴园镇全员人口个案信息表"])
    ws.merge_cells("A1:G1")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位：榴园镇计生办", None, None, None, "统计时点：2026-06-30"])
    ws.append(["序号", "姓 名", "公民身份号码", "性别", "出生日期", "婚姻状况", "村(居)委会"])
    n = 0
    for name, num, sex, born, marital, v in P:
        if v == village:
            n += 1
            ws.append([n, name, num, sex, born, marital, v])
    if village == "一村":
        ws.append([n + 1, "赵敏", BAD_CHECK, "女", "1990-01-01", "20", "一村"])
    ws.append(["合计", f"{n}人"])
wb.save(path("wis-title-rows.xlsx"))

# --- wis: the same workbook saved under .xls (web systems do this)
with open(path("wis-title-rows.xlsx"), "rb") as f, open(path("wis-really-xlsx.xls"), "wb") as g:
    g.write(f.read())

# --- household: GBK CSV with public-security field codes, a total and a signature line
rows = [["GMSFHM", "XM", "XB", "MZ", "CSRQ", "HYZK", "YHZGX", "RYZT", "JCWH", "XZJD"]]
for name, num, sex, born, marital, v in P:
    rows.append([num, name.replace("丽", "麗"), sex, "01", born.replace("/", "-"), marital[:2], "02", "0", v, "榴园镇"])
rows.append(["３７０４０４１９９００１０１１２２" + P[0][1][-1], "周　静", "2", "汉族", "19900101", "20", "户主", "2迁出", "一村", "榴园镇"])
rows.append(["370404900101123", "吴军", "1", "汉", "1990-01-01", "20", "01", "正常", "二村", "榴园镇"])
rows.append(["合计：8人"])
rows.append(["制表人：刘某", "", "审核人：孙某"])
text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
with open(path("household-gbk.csv"), "wb") as f:
    f.write(text.encode("gbk"))

# --- household: BIFF xls (xlwt), Chinese headers, an ID stored as a number (damaged)
book = xlwt.Workbook(encoding="utf-8")
sh = book.add_sheet("常住人口")
head = ["户号", "与户主关系", "姓名", "身份证号码", "性别", "民族", "出生日期", "人员状态", "所属村"]
for j, h in enumerate(head):
    sh.write(0, j, h)
for i, (name, num, sex, born, marital, v) in enumerate(P, start=1):
    vals = [f"H{i:04d}", "户主" if i % 2 else "配偶", name, num, "男" if sex == "1" else "女", "汉族", born, "正常", v]
    for j, val in enumerate(vals):
        sh.write(i, j, val)
sh.write(len(P) + 1, 2, "孙丽")
sh.write(len(P) + 1, 3, float(idn("37040419910101203")))
sh.write(len(P) + 1, 4, "女")
sh.write(len(P) + 1, 7, "正常")
book.save(path("household.xls"))

# --- marriage: an HTML table saved as .xls, two-row header 男方 / 女方
html = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>',
        '<table border="1">',
        '<tr><td colspan="8">婚姻登记信息查询结果</td></tr>',
        '<tr><th rowspan="2">登记类别</th><th rowspan="2">登记日期</th><th rowspan="2">结婚证字号</th>'
        '<th colspan="2">男方</th><th colspan="2">女方</th><th rowspan="2">登记机关</th></tr>',
        '<tr><th>姓名</th><th>身份证号</th><th>姓名</th><th>身份证号</th></tr>']
pairs = [(P[2], P[0], "结婚登记", "2012-05-20", "J370404-2012-000123"),
         (P[5], P[1], "离婚登记", "2019/10/1", "L370404-2019-000045"),
         (P[5], P[4], "结婚登记", "20200101", "J3704042020000007")]
for man, woman, kind, date, cert in pairs:
    html.append(f"<tr><td>{kind}</td><td>{date}</td><td>{cert}</td><td>{man[0]}</td>"
                f"<td style='mso-number-format:\"\\@\"'>{man[1]}</td><td>{woman[0]}</td><td>{woman[1]}</td><td>峄城区民政局</td></tr>")
html.append("</table></body></html>")
with open(path("marriage-html.xls"), "wb") as f:
    f.write("\r\n".join(html).encode("gbk"))  # declared gb2312, written as GBK, as real exports do

# --- marriage: UTF-8 CSV with BOM, plain headers, certificate numbers without a type column
rows = [["登记日期", "证书编号", "男方姓名", "男方身份证号码", "女方姓名", "女方身份证号码"]]
for man, woman, kind, date, cert in pairs:
    rows.append([date, cert, man[0], "'" + man[1], woman[0], "'" + woman[1]])
with open(path("marriage-bom.csv"), "wb") as f:
    f.write(("\ufeff" + "\r\n".join(",".join(r) for r in rows) + "\r\n").encode("utf-8"))

# --- birth: SpreadsheetML 2003 saved as .xls
def xml_cell(v, t="String", extra=""):
    return f'<Cell{extra}><Data ss:Type="{t}">{v}</Data></Cell>'
xml = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
       '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
       '<Worksheet ss:Name="出生医学证明"><Table>',
       '<Row>' + xml_cell("出生医学证明签发登记", extra=' ss:MergeAcross="6"') + '</Row>',
       '<Row>' + "".join(xml_cell(h) for h in ["出生医学证明编号", "新生儿姓名", "性别", "出生日期", "母亲姓名", "母亲身份证号", "父亲身份证号"]) + '</Row>']
births = [("Q370100001", "之子", "1", "2014-09-25T00:00:00.000", P[0]),
          ("Q370100002", "李想", "2", "2016-03-01T00:00:00.000", P[1]),
          ("Q370100003", "", "男", "2021-12-31T00:00:00.000", P[4])]
for cert, child, sex, born, mother in births:
    t = "DateTime"
    xml.append('<Row>' + xml_cell(cert) + xml_cell(child) + xml_cell(sex) + xml_cell(born, t) +
               xml_cell(mother[0]) + xml_cell(mother[1]) + xml_cell(P[2][1]) + '</Row>')
xml.append('<Row>' + xml_cell("Q370100004") + xml_cell("女婴") + xml_cell("2") + xml_cell("2015-02-30") +
           xml_cell("王芳") + xml_cell("3.70404198505170E+17", "Number") + '</Row>')
xml += ['</Table></Worksheet>', '</Workbook>']
with open(path("birth-spreadsheetml.xls"), "w", encoding="utf-8") as f:
    f.write("\n".join(xml))

# --- birth: xlsx with a two-row header (母亲信息 / 姓名, 身份证号)
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Sheet1"
ws.append(["出生医学证明编号", "新生儿信息", None, None, "母亲信息", None, "父亲信息", None])
ws.append([None, "姓名", "性别", "出生日期", "姓名", "身份证号", "姓名", "身份证号"])
ws.merge_cells("A1:A2"); ws.merge_cells("B1:D1"); ws.merge_cells("E1:F1"); ws.merge_cells("G1:H1")
import datetime
for cert, child, sex, born, mother in births:
    d = datetime.date.fromisoformat(born[:10])
    ws.append([cert, child, sex, d, mother[0], mother[1], P[2][0], P[2][1]])
    ws.cell(ws.max_row, 4).number_format = "yyyy-mm-dd"
wb.save(path("birth-two-row.xlsx"))

# --- birth: hospital delivery records, UTF-8 TSV
rows = [["住院号", "产妇姓名", "产妇身份证号", "分娩日期", "婴儿性别", "男方身份证号", "助产机构"]]
rows.append(["ZY001", P[0][0], P[0][1], "2014-09-25 08:30", "男", P[2][1], "峄城区人民医院"])
rows.append(["ZY002", P[4][0], P[4][1], "2021/12/31", "1", P[5][1], "峄城区妇幼保健院"])
with open(path("birth-delivery.tsv"), "w", encoding="utf-8", newline="") as f:
    f.write("\n".join("\t".join(r) for r in rows) + "\n")

# --- household: UTF-16 tab-separated text, as Excel's "Unicode text" saves it
rows = [["身份证号", "姓名", "性别", "人员状态"]]
for name, num, sex, *_ in P[:3]:
    rows.append([num, name, sex, "0"])
with open(path("household-utf16.txt"), "wb") as f:
    f.write(b"\xff\xfe" + ("\r\n".join("\t".join(r) for r in rows) + "\r\n").encode("utf-16-le"))

# --- bad input
open(path("bad", "empty.csv"), "wb").close()
with open(path("bad", "header-only.csv"), "w", encoding="utf-8") as f:
    f.write("身份证号,姓名,性别\n")
with open(path("bad", "garbage.xls"), "wb") as f:
    f.write(bytes((i * 37 + 11) % 256 for i in range(4096)))
with open(path("wis-title-rows.xlsx"), "rb") as f:
    whole = f.read()
with open(path("bad", "truncated.xlsx"), "wb") as f:
    f.write(whole[: len(whole) // 2])
with open(path("bad", "ragged.csv"), "w", encoding="utf-8") as f:
    f.write(f"身份证号,姓名,性别\n{P[0][1]},张丽,2\n{P[1][1]},王芳\n{P[2][1]},李强,1,多余\n")
with open(path("bad", "no-header.csv"), "w", encoding="utf-8") as f:
    f.write("甲,乙,丙\n1,2,3\n4,5,6\n")
with open(path("bad", "duplicate-headers.csv"), "w", encoding="utf-8") as f:
    f.write(f"身份证号,姓名,身份证号码\n{P[0][1]},张丽,{P[1][1]}\n")
with open(path("bad", "missing-name.csv"), "w", encoding="utf-8") as f:
    f.write(f"身份证号,性别,出生日期\n{P[0][1]},2,1990-01-01\n")
with open(path("bad", "photo.xls"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + bytes(64))
import msoffcrypto
src = io.BytesIO(whole)
office = msoffcrypto.OfficeFile(src)
with open(path("bad", "encrypted.xlsx"), "wb") as f:
    office.encrypt("1234", f)
print("written to", HERE)

# --- matrix/: every register in every format and encoding, the same records,
# so that tests/load.rs can check that each loads to the same table.
os.makedirs(path("matrix"), exist_ok=True)
MATRIX = {
    "wis": (["姓名", "身份证号", "性别", "出生日期", "婚姻状况", "村委会"],
            [[n, i, s, b, m, v] for n, i, s, b, m, v in P]),
    "household": (["公民身份号码", "姓名", "性别", "民族", "人员状态", "与户主关系", "户号"],
                  [[i, n, s, "汉族", "0", "户主", f"H{k:03d}"] for k, (n, i, s, *_rest) in enumerate(P)]),
    "marriage": (["登记类别", "登记日期", "男方姓名", "男方身份证号", "女方姓名", "女方身份证号"],
                 [[k, d, m[0], m[1], w[0], w[1]] for m, w, k, d, _c in pairs]),
    "birth": (["出生医学证明编号", "新生儿姓名", "新生儿性别", "出生日期", "母亲姓名", "母亲身份证号"],
              [[c, ch, sx, b[:10], mo[0], mo[1]] for c, ch, sx, b, mo in births]),
}
def html_table(header, rows):
    cells = lambda r, tag: "".join(f"<{tag}>{x}</{tag}>" for x in r)
    return ("<html><head><meta charset=\"utf-8\"></head><body><table>"
            + f"<tr>{cells(header, 'th')}</tr>" + "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
            + "</table></body></html>")
def spreadsheet_ml(header, rows):
    row = lambda r: "<Row>" + "".join(f'<Cell><Data ss:Type="String">{x}</Data></Cell>' for x in r) + "</Row>"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table>'
            + row(header) + "".join(row(r) for r in rows) + "</Table></Worksheet></Workbook>")
for kind, (header, rows) in MATRIX.items():
    csv_text = "\r\n".join(",".join(r) for r in [header] + rows) + "\r\n"
    with open(path("matrix", f"{kind}-utf8.csv"), "wb") as f:
        f.write(csv_text.encode("utf-8"))
    with open(path("matrix", f"{kind}-utf8-bom.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + csv_text.encode("utf-8"))
    with open(path("matrix", f"{kind}-gbk.csv"), "wb") as f:
        f.write(csv_text.encode("gbk"))
    with open(path("matrix", f"{kind}-utf8.tsv"), "wb") as f:
        f.write(("\n".join("\t".join(r) for r in [header] + rows) + "\n").encode("utf-8"))
    wb = openpyxl.Workbook(); ws = wb.active
    for r in [header] + rows:
        ws.append(r)
    wb.save(path("matrix", f"{kind}.xlsx"))
    book = xlwt.Workbook(encoding="utf-8"); sh = book.add_sheet("Sheet1")
    for i, r in enumerate([header] + rows):
        for j, x in enumerate(r):
            sh.write(i, j, x)
    book.save(path("matrix", f"{kind}-biff.xls"))
    with open(path("matrix", f"{kind}-html.xls"), "w", encoding="utf-8") as f:
        f.write(html_table(header, rows))
    with open(path("matrix", f"{kind}-xml.xls"), "w", encoding="utf-8") as f:
        f.write(spreadsheet_ml(header, rows))
print("matrix written")
