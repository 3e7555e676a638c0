"""Writes the import benchmark's files with software this project did not write: a
100,000-row enterprise workbook (openpyxl, write-only) and a 1,000,000-row project CSV whose
projects name those enterprises as participants.

Usage: python bench/import_files.py OUT_DIR [ENTERPRISES] [PROJECTS]
"""

import csv
import os
import sys

import openpyxl

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
COUNTIES = ["金安区", "裕安区", "叶集区", "霍邱县", "舒城县", "金寨县", "霍山县"]
KINDS = ["联合研发", "技术转移", "共建实验室", "咨询服务"]
STATUSES = ["已提出", "洽谈中", "已签约", "实施中", "已完成"]


def credit_code(serial):
    """A valid unified social credit code (GB 32100) for the division 341500."""
    code = "91341500" + f"{serial:09d}"[-9:]
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(ALPHABET.index(c) * w for c, w in zip(code, weights))
    return code + ALPHABET[(31 - total % 31) % 31]


def main():
    out = sys.argv[1]
    enterprises = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    projects = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    os.makedirs(out, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append(["企业名称", "统一社会信用代码", "县区", "规上企业", "重点企业", "职工人数", "成立年份"])
    for index in range(enterprises):
        sheet.append([f"基准测试企业{index:06d}", credit_code(700_000_000 + index), COUNTIES[index % 7],
                      "是" if index % 3 else "否", "否", 20 + index % 900, 1990 + index % 34])
    book.save(os.path.join(out, "enterprises.xlsx"))
    with open(os.path.join(out, "projects.csv"), "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["外部编号", "项目名称", "所属工程", "合作类型", "状态", "开始日期", "专利数", "参与企业"])
        for index in range(projects):
            writer.writerow([f"BENCH-{index:07d}", f"基准测试项目{index:07d}", "校企合作", KINDS[index % 4],
                             STATUSES[index % 5], f"20{18 + index % 7}-0{1 + index % 9}-15", index % 5,
                             credit_code(700_000_000 + index % enterprises)])


if __name__ == "__main__":
    main()
