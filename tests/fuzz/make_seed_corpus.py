#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into tests/fuzz/corpus/TARGET/.

Small, realistic inputs: Korean and English profiles, CP949 bytes, a BOM with
CRLF line ends, broken quoting, bad enums and numbers. Re-run it after
changing a seed; the files are checked in. scripts/fuzz.sh runs each target
on a copy of these, so the checked-in corpus never grows.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BOM = b"\xef\xbb\xbf"


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)


def crlf(text):
    return text.replace("\n", "\r\n")


# --- firms -----------------------------------------------------------------
FIRM_EN = {
    "id": "GV-0001", "name": "Daesung Energy Inc.",
    "description": "Solar ESS systems.\nLooking for recycling partners.",
    "kind": "FIRM_KIND_COMPANY", "clusters": ["G-Valley"], "mini_cluster": "Green IT",
    "industries": ["C28 electrical equipment"], "technologies": ["PCS inverters", "BMS"],
    "products": ["industrial ESS"], "offers": ["energy storage system integration"],
    "needs": ["embedded software partner"], "roles": ["ROLE_DEVELOPMENT", "ROLE_PRODUCTION"],
    "materials": ["lithium-ion cells"], "markets": ["USA"], "region": "Seoul Geumcheon-gu",
    "employees": 8, "founded": 2015, "visibility": "VISIBILITY_MEMBERS",
}
FIRM_KO = {
    "id": "GV-0002", "name": "하나이노텍 (Hana Innotech)",
    "description": "기술 사업화, 현장 실증 전문 기업입니다.",
    "kind": "company", "clusters": ["G-Valley", "판교"], "mini_cluster": "IMT",
    "technologies": ["정밀계측", "광학 설계"], "offers": ["연구성과 양산·상용화 연계"],
    "needs": ["정부 지원사업 공동 신청"], "roles": ["planning", "marketing"],
    "region": "서울 금천구", "employees": 42, "founded": 2009, "visibility": "public",
}
FIRM_MIN = {"id": "U-1", "kind": "FIRM_KIND_UNIVERSITY"}


def jsonl(*firms):
    return "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in firms)


write("firm_jsonl", "two_firms.jsonl", jsonl(FIRM_EN, FIRM_KO))
write("firm_jsonl", "minimal.jsonl", jsonl(FIRM_MIN))
write("firm_jsonl", "bom_crlf_blank.jsonl", BOM + crlf(jsonl(FIRM_KO) + "\n" + jsonl(FIRM_MIN)).encode())
write("firm_jsonl", "duplicate_id.jsonl", jsonl(FIRM_EN, FIRM_EN))
write("firm_jsonl", "unknown_enum.jsonl", jsonl(dict(FIRM_MIN, kind="FIRM_KIND_SPACESHIP")))
write("firm_jsonl", "negative_employees.jsonl", jsonl(dict(FIRM_MIN, employees=-3)))
write("firm_jsonl", "float_founded.jsonl", '{"id":"X","founded":1999.5}\n')
write("firm_jsonl", "nan.jsonl", '{"id":"X","employees":NaN}\n')
write("firm_jsonl", "unknown_field.jsonl", '{"id":"X","colour":"red"}\n')
write("firm_jsonl", "truncated.jsonl", jsonl(FIRM_KO)[:57])
write("firm_jsonl", "invalid_utf8.jsonl", b'{"id":"X","name":"\xc0\xaf"}\n')
write("firm_jsonl", "control_char.jsonl", '{"id":"X","name":"a\\u0007b"}\n')
write("firm_jsonl", "escaped_unicode.jsonl", '{"id":"\\ud55c-1","name":"\\u0048\\u0041","roles":[1,"ROLE_PRODUCTION"]}\n')
write("firm_jsonl", "empty_lists.jsonl", '{"id":"E","clusters":[],"needs":[""]}\n')
write("firm_jsonl", "not_object.jsonl", '["id","X"]\n42\n')

CSV_HEADER = "id,name,description,kind,clusters,mini_cluster,offers,needs,roles,region,employees,founded,visibility\n"
CSV_ROWS = (
    'GV-0001,Daesung Energy,"Solar ESS, BMS\nand recycling",company,G-Valley;Pangyo,Green IT,'
    'ESS integration,firmware partner;EMC lab,development;production,Seoul,8,2015,members\n'
    'GV-0002,하나이노텍,"기술 사업화, ""현장"" 실증",FIRM_KIND_COMPANY,G-Valley,IMT,'
    '연구성과 상용화,정부 지원사업,planning,서울 금천구,42,2009,\n'
    ',,,,,,,,,,,,\n'
)
write("firm_csv", "utf8.csv", CSV_HEADER + CSV_ROWS)
write("firm_csv", "bom_crlf.csv", BOM + crlf(CSV_HEADER + CSV_ROWS).encode())
write("firm_csv", "cp949.csv", ("id,name,region,needs\nK-1,대성에너지,서울 금천구,배터리 재활용;펌웨어\n"
                                "K-2,한빛정밀,경기 성남시,\n").encode("cp949"))
write("firm_csv", "cp949_extended.csv", "id,name\nK-3,똠양꿍 샵\n".encode("cp949"))
write("firm_csv", "broken_quote.csv", 'id,name\nX,"open quote\n')
write("firm_csv", "quote_inside.csv", 'id,name\nX,ab"c\n')
write("firm_csv", "after_quote.csv", 'id,name\nX,"ab"c\n')
write("firm_csv", "unknown_column.csv", "id,colour\nX,red\n")
write("firm_csv", "bad_number.csv", "id,employees,founded\nX,12a,1700\n")
write("firm_csv", "duplicate.csv", "id\nA1\nB2\nA1\n")
write("firm_csv", "lone_cr.csv", "id,name\rX,Y\rZ,W\r")
write("firm_csv", "only_header.csv", "ID , Name \n")
write("firm_csv", "invalid_utf8_bom.csv", BOM + b"id,name\nX,\xff\xfe\n")
write("firm_csv", "enum_names.csv", "id,kind,roles,visibility\nR,research-institute,Planning;ROLE_MARKETING,VISIBILITY_HIDDEN\n")

# --- relations -------------------------------------------------------------
write("relation_csv", "header_context.csv", "a,b,kind,date,context\nGV-0001,GV-0002,partnered,2021-03-15,R&D 과제\nGV-0002,GV-0003,met,2022,\n")
write("relation_csv", "no_header.csv", "A,B,do-not-match,2020-01-01\nB,C,RELATION_KIND_ACCEPTED,2019\n")
write("relation_csv", "bom_crlf.csv", BOM + crlf("A,B,kind,date\n").replace("A,B", "a,b").encode() + b"X,Y,declined,2020-02-29\r\n")
write("relation_csv", "cp949.csv", "a,b,kind,date,context\n가,나,competitor,2018-12-31,판교 행사\n".encode("cp949"))
write("relation_csv", "bad_date.csv", "x,y,met,2023-02-29\nx,y,met,1799\n")
write("relation_csv", "unknown_kind.csv", "x,y,friend,2020\n")
write("relation_csv", "same_ids.csv", "x,x,met,2020\n")
write("relation_csv", "short_row.csv", "a,b,kind,date\nx,y,met\n")
write("relation_csv", "broken_quote.csv", 'x,"y,met,2020\n')
write("relation_csv", "blank_rows.csv", ",,,\n\n , , , \nx,y,met,2020-01-01, ctx \n")
write("relation_csv", "extra_column.csv", "a,b,kind,date,context,extra\nx,y,met,2020,c,d\n")

# --- event attendees --------------------------------------------------------
with open(os.path.join(HERE, "..", "..", "data", "sample", "gvalley_event_attendees.csv"), "rb") as f:
    sample = f.read()
write("event_attendees", "sample_head.csv", b"\n".join(sample.split(b"\n")[:8]) + b"\n")
with open(os.path.join(HERE, "..", "..", "data", "sample", "gvalley_event_attendees_cp949.csv"), "rb") as f:
    write("event_attendees", "sample_cp949.csv", f.read())
write("event_attendees", "windows.csv",
      "firm_id,representatives,max_meetings,side,available,must_meet,never_meet\n"
      "A,2,10,buyer,10:00-12:00;11:30-13:00;14:00-17:00,B;C,D\n"
      "B,1,,공급자,,A,\nC,20,1920,supplier,09:00-24:00,,A\nD,,,,,,\n")
write("event_attendees", "from_to.csv", "id,available_from,available_to,side\nA,10:00,,구매\nB,,15:30,\n")
write("event_attendees", "inline_profile.csv",
      "firm_id,name,kind,needs,offers,employees\nNEW-1,새로운 기업,company,센서;배터리,금형,12\nNEW-2,,,,,\n")
write("event_attendees", "bom_crlf.csv", BOM + crlf("firm_id,side,must_meet\nA,buyer,B\nB,supplier,A\n").encode())
write("event_attendees", "bad_window.csv", "firm_id,available\nA,12:00-10:00\nB,9h-10:00\n")
write("event_attendees", "bad_reps.csv", "firm_id,representatives\nA,0\nB,21\n")
write("event_attendees", "self_pair.csv", "firm_id,must_meet,never_meet\nA,A,\nB,,B\n")
write("event_attendees", "both_columns.csv", "firm_id,available,available_from\nA,10:00-11:00,10:00\n")
write("event_attendees", "broken_quote.csv", 'firm_id,name\nA,"x\n')
write("event_attendees", "duplicate.csv", "firm_id\nA\nB\nA\n")

# --- text encoding -----------------------------------------------------------
write("text_encoding", "ascii.txt", "id,name\nA,Acme\n")
write("text_encoding", "korean_utf8.txt", "대성에너지, 서울 금천구\n")
write("text_encoding", "bom_crlf.txt", BOM + "가나다\r\nabc\r\n".encode())
write("text_encoding", "cp949.txt", "한빛정밀 똠방각하 쀍\n".encode("cp949"))
write("text_encoding", "euc_kr.txt", "가나다라\n".encode("euc-kr"))
write("text_encoding", "overlong.txt", b"a\xc0\xafb\xe0\x80\x80")
write("text_encoding", "surrogate.txt", b"\xed\xa0\x80\xed\xbf\xbf")
write("text_encoding", "above_max.txt", b"\xf4\x90\x80\x80\xf5")
write("text_encoding", "truncated.txt", "한".encode()[:2])
write("text_encoding", "bom_then_cp949.txt", BOM + "한글".encode("cp949"))
write("text_encoding", "four_byte.txt", "😀 𠜎\n".encode())
write("text_encoding", "bad_cp949.txt", b"\x81\x20\xfe\xff\x80")

# --- tokenizer -----------------------------------------------------------------
write("tokenizer", "english.txt", "Precision machining of aluminium parts for the automotive industry")
write("tokenizer", "korean_particles.txt", "빅데이터연구회에서 디스플레이 전문가와 정밀도 높은 회로를 개발합니다")
write("tokenizer", "mixed_script.txt", "ai솔루션 5g통신 b2b iso9001 3D프린팅")
write("tokenizer", "fullwidth.txt", "ＣＮＣ　가공 ＡＩ")
write("tokenizer", "jamo.txt", "\u1100\u1161\u11a8 \u1112\u1161\u11ab")
write("tokenizer", "zero_width.txt", "ab\u200bcd\u200d\ufeffef \u3000 \u2028 x")
write("tokenizer", "han_kana.txt", "半導體 センサー 製造")
write("tokenizer", "glossary.txt", "배터리 battery 이차전지 lithium-ion cells 금형 mould")
write("tokenizer", "invalid_utf8.txt", b"abc\xff\xfe\xc3def\xed\xa0\x80")
write("tokenizer", "digits.txt", "2024 123456789012345678901234567890")
write("tokenizer", "controls.txt", "a\x01b\tc\nd\r\n\x7fe\u0085f")
write("tokenizer", "long_word.txt", "가" * 60 + " " + "x" * 200)

# --- proto conversion ----------------------------------------------------------
# Hand-encoded protobuf wire format, so that this script needs no generated
# code. The first byte picks the message (fuzz_proto.cc): 0 ImportFirmsRequest,
# 1 RecordRelationsRequest, 2 RecommendRequest, 3 ScheduleEventRequest,
# 4/10/16/22 the group requests, 5 ListFirmsRequest (page token).


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value


def firm_proto(id_, name="", kind=None, clusters=(), needs=(), roles=(), employees=None,
               founded=None, visibility=None, region=""):
    out = field(1, id_)
    if name:
        out += field(2, name)
    if kind is not None:
        out += field(4, kind)
    for c in clusters:
        out += field(5, c)
    for n in needs:
        out += field(11, n)
    for r in roles:
        out += field(12, r)
    if region:
        out += field(15, region)
    if employees is not None:
        out += field(16, employees)
    if founded is not None:
        out += field(17, founded)
    if visibility is not None:
        out += field(18, visibility)
    return out


def relation_proto(a, b, kind, date="", context=""):
    out = field(1, a) + field(2, b) + field(3, kind)
    if date:
        out += field(4, date)
    if context:
        out += field(5, context)
    return out


write("proto_convert", "firms.bin", b"\x00" + field(1, firm_proto("GV-1", "대성에너지", 1, ["G-Valley"], ["배터리"], [1, 2], 8, 2015, 2, "서울"))
      + field(1, firm_proto("U-2", "KAIST", 2)))
write("proto_convert", "firm_bad_enum.bin", b"\x00" + field(1, firm_proto("X", kind=99, roles=[0])))
write("proto_convert", "firm_negative.bin", b"\x00" + field(1, firm_proto("X", employees=-1, founded=1700)))
write("proto_convert", "relations.bin", b"\x01" + field(1, relation_proto("A", "B", 1, "2021-03-15", "행사"))
      + field(1, relation_proto("A", "A", 0)) + field(1, relation_proto("A", "B", 77, "2023-02-29")))
FILTER = field(1, "G-Valley") + field(2, "Pangyo") + field(5, 1) + field(5, 42) + field(6, "서울")
write("proto_convert", "recommend_id.bin", b"\x02" + field(1, "GV-1") + field(3, 1) + field(4, 10) + field(5, FILTER) + field(6, 2))
write("proto_convert", "recommend_profile.bin", b"\x02" + field(2, firm_proto("", "방문 기업", needs=["센서"])) + field(3, 9) + field(6, -1))
ATTENDEE = field(1, "A") + field(2, 2) + field(3, 10)
PLAN = field(1, "2026-05-20") + field(2, "09:30") + field(4, 8) + field(5, 20) + field(6, "12:00-13:00") + field(7, 3)
write("proto_convert", "event.bin", b"\x03" + field(1, ATTENDEE) + field(1, field(1, "B")) + field(2, PLAN) + field(3, 4))
write("proto_convert", "event_empty.bin", b"\x03")
write("proto_convert", "sigs.bin", b"\x04" + field(1, FILTER) + field(3, 3) + field(4, 5) + field(6, 2))
write("proto_convert", "founders.bin", b"\x0a" + field(1, "스마트 팩토리 센서") + field(2, 4) + field(4, 2) + field(6, "ko"))
write("proto_convert", "consortium.bin", b"\x10" + field(1, "배터리 재활용") + field(3, 4))
write("proto_convert", "pools.bin", b"\x16" + field(1, FILTER) + field(2, 3))
write("proto_convert", "page_token.bin", b"\x05" + field(1, 50) + field(2, "AQID") + field(3, FILTER))
write("proto_convert", "page_token_forged.bin", b"\x05" + field(2, "!!!not-base64" + "A" * 40))
write("proto_convert", "garbage.bin", b"\x00\xff\xff\xff\xff\x0f\x0a\x80")
print("seed corpora written", file=sys.stderr)
