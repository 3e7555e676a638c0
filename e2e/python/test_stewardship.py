"""Imports of files this project did not write: `.xlsx` files made by openpyxl and a CSV in
GB18030, through HTTP and the command line. Every test leaves the database as it found it
(its imports are reverted), so that the other black-box tests see the demo dataset.

Run: LIANQIAO_URL=http://127.0.0.1:8080 LIANQIAO_BIN=target/debug/lianqiao python -m unittest ...
"""

import csv
import http.cookiejar
import io
import json
import os
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import openpyxl

BASE = os.environ.get("LIANQIAO_URL", "http://127.0.0.1:8080")
BINARY = os.environ.get("LIANQIAO_BIN")


class Client:
    """A signed-in browser: the session cookie is kept between requests."""

    def __init__(self, username, password):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        data = self.graphql(
            "mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { role } }",
            {"u": username, "p": password},
        )
        assert data["login"]["role"] in ("ADMIN", "EDITOR"), data

    def request(self, path, body=None, headers=None):
        request = urllib.request.Request(f"{BASE}{path}", data=body, headers=headers or {})
        try:
            with self.opener.open(request) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def graphql(self, query, variables=None):
        status, body = self.request(
            "/graphql",
            json.dumps({"query": query, "variables": variables or {}}).encode(),
            {"content-type": "application/json"},
        )
        body = json.loads(body)
        assert "errors" not in body, body
        return body["data"]

    def upload(self, table, content, name, **params):
        query = "&".join(f"{key}={value}" for key, value in {"fileName": name, **params}.items())
        status, body = self.request(f"/import/{table}?{query}", content, {"content-type": "application/octet-stream"})
        return status, json.loads(body)


def workbook(rows, hidden_rows=None, merge=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if hidden_rows:
        hidden = book.create_sheet("old")
        for row in hidden_rows:
            hidden.append(row)
        hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Valid unified social credit codes (GB 32100 check characters) of enterprises not in the demo.
def credit_code(serial):
    """A valid code for the Lu'an division 341500 and an organisation serial."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights_org = [3, 7, 9, 10, 5, 8, 4, 2]
    body = f"{serial:08d}"
    check = 11 - sum(int(c) * w for c, w in zip(body, weights_org)) % 11
    org = body + ("0" if check == 11 else "X" if check == 10 else str(check))
    code = "91" + "341500" + org
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(alphabet.index(c) * w for c, w in zip(code, weights))
    return code + alphabet[(31 - total % 31) % 31]


HEADERS = ["企业名称", "统一社会信用代码", "县区", "规上企业", "重点企业", "职工人数", "成立年份"]


def enterprise_count(client):
    return client.graphql("{ enterprises { totalCount } }")["enterprises"]["totalCount"]


class Imports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = Client("admin", "lianqiao-admin-demo")

    def test_an_openpyxl_workbook_dry_run_commit_reimport_and_revert(self):
        client = self.client
        before = enterprise_count(client)
        good = [
            ["导入测试甲有限公司", credit_code(90000001), "霍山县", "是", "否", 120, 2015],
            ["导入测试乙有限公司", credit_code(90000002), "JINAN_DISTRICT", "否", "否", 42, 2020],
        ]
        planted = [
            ["导入测试丙有限公司", "91341500MA2N0Q1U0X", "霍山县", "是", "否", 10, 2001],  # bad check character
            ["导入测试丁有限公司", credit_code(90000004), "火星区", "是", "否", 10, 2001],  # unknown county
            ["导入测试戊有限公司", credit_code(90000005), "裕安区", "也许", "否", 10, 2001],  # not a yes/no
            ["导入测试己有限公司", credit_code(90000001), "裕安区", "否", "否", 10, 2001],  # duplicate in file
        ]
        content = workbook([HEADERS, *good, *planted], hidden_rows=[["ignored"]])
        status, report = client.upload("enterprises", content, "register.xlsx", dryRun="true")
        self.assertEqual(status, 200, report)
        found = sorted((p["row"], p["code"]) for p in report["problems"])
        self.assertEqual(
            found,
            [(4, "INVALID_CREDIT_CODE"), (5, "INVALID_VALUE"), (6, "INVALID_VALUE"), (7, "DUPLICATE_KEY")],
        )
        self.assertEqual((report["created"], report["rejected"], report["committed"]), (2, 4, False))
        self.assertTrue(any("hidden" in note for note in report["notes"]), report["notes"])
        self.assertEqual(enterprise_count(client), before, "a dry run writes nothing")

        # All or nothing: the file with problems is refused as a whole.
        status, report = client.upload("enterprises", content, "register.xlsx")
        self.assertEqual((status, report["committed"]), (422, False))
        self.assertEqual(enterprise_count(client), before)

        # Fixed: only the good rows.
        fixed = workbook([HEADERS, *good])
        status, report = client.upload("enterprises", fixed, "register.xlsx")
        self.assertEqual(status, 200, report)
        self.assertEqual((report["created"], report["updated"], report["committed"]), (2, 0, True))
        self.assertEqual(enterprise_count(client), before + 2)
        listed = client.graphql(
            '{ enterprises(filter: { name: { startsWith: "导入测试" } }, orderBy: [{ field: NAME, direction: ASC }])'
            " { nodes { name county employees foundedYear aboveScale } } }"
        )["enterprises"]["nodes"]
        self.assertEqual(
            [(n["name"], n["county"], n["employees"]) for n in listed],
            [("导入测试乙有限公司", "JINAN_DISTRICT", 42), ("导入测试甲有限公司", "HUOSHAN_COUNTY", 120)],
        )

        # The same file again changes nothing, and says so.
        status, again = client.upload("enterprises", fixed, "register.xlsx")
        self.assertEqual((again["created"], again["updated"], again["unchanged"], again["committed"]), (0, 0, 2, False))

        imports = client.graphql("{ imports(limit: 5) { id fileName created revertedAt } }")["imports"]
        self.assertEqual(imports[0]["id"], report["importId"])
        reverted = client.graphql(
            "mutation ($id: ID!) { revertImport(id: $id) { revertedAt } }", {"id": report["importId"]}
        )
        self.assertIsNotNone(reverted["revertImport"]["revertedAt"])
        self.assertEqual(enterprise_count(client), before)

    def test_a_gb18030_csv_updates_exactly_the_edited_rows_of_an_export(self):
        client = self.client
        status, exported = client.request("/export/institutions.csv?header=zh")
        self.assertEqual(status, 200)
        rows = list(csv.reader(io.StringIO(exported.decode("utf-8"))))
        header, first, second = rows[0], rows[1], rows[2]
        # Edit one cell of the first row (its city), keep the second as it is, save as GB18030.
        city = header.index("城市")
        original_city = first[city]
        first = [*first[:city], "六安市", *first[city + 1 :]]
        text = io.StringIO()
        csv.writer(text).writerows([header, first, second])
        edited = text.getvalue().encode("gb18030")
        self.assertNotEqual(edited, text.getvalue().encode("utf-8"))
        status, report = client.upload("institutions", edited, "institutions.csv")
        self.assertEqual(status, 200, report)
        expected_updates = 0 if original_city == "六安市" else 1
        self.assertEqual((report["updated"], report["unchanged"], report["created"]), (expected_updates, 2 - expected_updates, 0))
        if report["committed"]:
            client.graphql("mutation ($id: ID!) { revertImport(id: $id) { id } }", {"id": report["importId"]})

    def test_an_xlsx_export_edited_in_a_spreadsheet_imports_back_exactly(self):
        client = self.client
        filter_ = urllib.parse.quote(json.dumps({"county": {"eq": "YEJI_DISTRICT"}}))
        status, exported = client.request(f"/export/enterprises.xlsx?header=zh&filter={filter_}")
        self.assertEqual(status, 200)
        book = openpyxl.load_workbook(io.BytesIO(exported))
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        rows = sheet.max_row - 1
        self.assertGreater(rows, 1)
        employees = headers.index("职工人数") + 1
        original = sheet.cell(row=2, column=employees).value
        self.assertIsInstance(original, int, "numbers stay numbers")
        sheet.cell(row=2, column=employees).value = original + 1
        added = [None] * len(headers)
        for label, value in zip(HEADERS, ["往返测试新增企业", credit_code(90000031), "叶集区", "否", "否", 9, 2021]):
            added[headers.index(label)] = value
        sheet.append(added)
        buffer = io.BytesIO()
        book.save(buffer)
        status, report = client.upload("enterprises", buffer.getvalue(), "enterprises.xlsx")
        self.assertEqual(status, 200, report)
        self.assertEqual((report["updated"], report["created"], report["unchanged"]), (1, 1, rows - 1))
        client.graphql("mutation ($id: ID!) { revertImport(id: $id) { id } }", {"id": report["importId"]})

    def test_hostile_files_are_refused_with_their_codes(self):
        client = self.client
        before = enterprise_count(client)
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
        cases = [
            (bomb.getvalue(), "FILE_TOO_LARGE", 413),
            (b"\xff\xfeU\x00T\x00F\x00", "UNKNOWN_ENCODING", 422),
            (b"PK\x03\x04 not really a workbook", "UNREADABLE_FILE", 422),
            ("企业名称\n".encode() + b"x\n" * 200_001, "TOO_MANY_ROWS", 422),
            (b"0" * (21 * 1024 * 1024), "FILE_TOO_LARGE", 413),
        ]
        for content, code, expected in cases:
            status, body = client.upload("enterprises", content, "hostile")
            self.assertEqual((status, body["error"]["code"]), (expected, code), body)
        # Merged cells and an unknown header are reported, and nothing is written.
        merged = workbook([HEADERS, ["合并测试", credit_code(90000009), "霍山县", "是", "否", 1, 2000]], merge="A2:B2")
        status, report = client.upload("enterprises", merged, "merged.xlsx")
        self.assertEqual(status, 422)
        self.assertIn("INVALID_VALUE", {p["code"] for p in report["problems"]})
        status, report = client.upload("enterprises", "名称X\n甲\n".encode(), "unknown.csv")
        self.assertEqual([p["code"] for p in report["problems"]], ["UNKNOWN_COLUMN"])
        # A ledger row for an enterprise the register does not have.
        ledger = f"企业,年份,缺工人数,纳入调查\n{credit_code(90000041)},2023,5,是\n".encode()
        status, report = client.upload("employment_needs", ledger, "ledger.csv")
        self.assertEqual((status, [(p["row"], p["code"]) for p in report["problems"]]), (422, [(2, "UNKNOWN_REFERENCE")]))
        self.assertEqual(enterprise_count(client), before)

    def test_the_template_has_the_headers_and_drop_down_lists(self):
        status, content = self.client.request("/import/projects/template.xlsx")
        self.assertEqual(status, 200)
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        self.assertIn("项目名称", headers)
        self.assertIn("参与高校院所", headers)
        lists = [v.formula1 for v in sheet.data_validations.dataValidation]
        self.assertTrue(any("联合研发" in (formula or "") or "拟立项" in (formula or "") for formula in lists), lists)

    @unittest.skipUnless(BINARY, "LIANQIAO_BIN names the server binary")
    def test_the_command_line_reports_as_http_does(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "register.xlsx")
            with open(path, "wb") as file:
                file.write(
                    workbook(
                        [
                            HEADERS,
                            ["命令行甲", credit_code(90000021), "霍山县", "是", "否", 5, 2010],
                            ["命令行乙", "bad", "霍山县", "是", "否", 5, 2010],
                        ]
                    )
                )
            url = f"sqlite://{directory}/cli.db?mode=rwc"
            report_path = os.path.join(directory, "report.json")
            run = subprocess.run(
                [BINARY, "import", "enterprises", path, "--dry-run", "--report", report_path, "--database-url", url],
                capture_output=True,
            )
            self.assertNotEqual(run.returncode, 0, "a file with problems exits non-zero")
            with open(report_path, encoding="utf-8") as file:
                report = json.load(file)
            self.assertEqual((report["created"], report["rejected"]), (1, 1))
            self.assertEqual([(p["row"], p["code"]) for p in report["problems"]], [(3, "INVALID_CREDIT_CODE")])
            run = subprocess.run(
                [BINARY, "import", "enterprises", path, "--valid-only", "--report", report_path, "--database-url", url],
                capture_output=True,
            )
            with open(report_path, encoding="utf-8") as file:
                report = json.load(file)
            self.assertEqual((report["created"], report["committed"]), (1, True))
