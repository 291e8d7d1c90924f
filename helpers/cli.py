"""Command line: ``python -m helpers validate | render | county | template | export | import``.

Exit status: 0 done; 2 the input is invalid (nothing rendered or written); 1 a render failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.config import DATA_DIR, DEFAULT_TOWNSHIP, OUTPUTS_DIR
from helpers.exceptions import DataValidationError, ReportError

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed English phrases in Chinese, and exit 2 on a usage error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="python -m helpers", description="乡镇工作月报：校验数据、生成报告、导入导出 Excel。"
    )
    sub = parser.add_subparsers(dest="command", required=True, title="子命令", parser_class=ChineseArgumentParser)

    p = sub.add_parser("validate", help="校验乡镇数据，列出全部问题")
    p.add_argument("--data-dir", type=Path, default=DATA_DIR, help="数据目录（默认：%(default)s）")
    p.add_argument("--township", default=DEFAULT_TOWNSHIP, help="乡镇目录名（默认：%(default)s）")
    p.add_argument("--month", help="同时检查该月（YYYY-MM）是否有数据")

    p = sub.add_parser("render", help="生成月度报告（HTML、Word、Excel 汇总）")
    p.add_argument("--data-dir", type=Path, default=DATA_DIR, help="数据目录（默认：%(default)s）")
    p.add_argument("--township", action="append", help="乡镇目录名，可重复；all 表示全部（默认：sample）")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--month", help="报告月份 YYYY-MM（默认：数据中最新的月份）")
    when.add_argument("--months", help="月份范围 YYYY-MM:YYYY-MM")
    p.add_argument("--out", type=Path, default=OUTPUTS_DIR, help="输出目录（默认：%(default)s）")
    p.add_argument("--jobs", type=int, default=None, help="并行进程数（默认：CPU 核数）")
    p.add_argument("--force", action="store_true", help="即使输入未变也重新生成")
    p.add_argument("--scheduler", help="Dask 调度器地址（如 tcp://10.0.0.5:8786）：各月份交给集群的工作节点生成")

    p = sub.add_parser("county", help="生成县级汇总（同一县各乡镇的对比，链接到各乡镇报告）")
    p.add_argument("--county", required=True, help="县名（township.yaml 中的 county）")
    p.add_argument("--month", help="报告月份 YYYY-MM（默认：各乡镇数据中最新的月份）")
    p.add_argument("--data-dir", type=Path, default=DATA_DIR, help="数据目录（默认：%(default)s）")
    p.add_argument("--out", type=Path, default=OUTPUTS_DIR, help="输出目录（默认：%(default)s）")

    p = sub.add_parser("template", help="生成空白的数据录入工作簿（中文表头、示例行）")
    p.add_argument("file", type=Path, help="要写入的 .xlsx 文件")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖它")

    p = sub.add_parser("export", help="把乡镇现有数据导出为填好的录入工作簿（每月在其上追加）")
    p.add_argument("file", type=Path, help="要写入的 .xlsx 文件")
    p.add_argument("--township", required=True, help="乡镇目录名")
    p.add_argument("--data-dir", type=Path, default=DATA_DIR, help="数据目录（默认：%(default)s）")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖它")

    p = sub.add_parser("import", help="把填好的工作簿导入为乡镇数据（先校验，有误则不写入）")
    p.add_argument("file", type=Path, help="填好的 .xlsx 文件")
    p.add_argument("--township", required=True, help="乡镇目录名")
    p.add_argument("--month", help="只导入该月（YYYY-MM）的数据和新增的村、指标、项目等，合并到现有数据")
    p.add_argument("--data-dir", type=Path, default=DATA_DIR, help="数据目录（默认：%(default)s）")
    return parser


def cmd_validate(args) -> int:
    from helpers.analysis.progress import township_village_mismatches
    from helpers.data.township import load_township
    from helpers.report.wording import count

    township = load_township(args.data_dir, args.township, args.month)
    months = township.months
    print(f"数据校验通过：{township.name}（{args.township}），月度数据 {months[0]} 至 {months[-1]}。")
    for r in township_village_mismatches(township).itertuples():
        print(f"警告：文件 monthly.csv，{r.month}，指标 {r.indicator}（{r.name}）：全镇数{count(r.township, r.unit)}"
              f"与各村合计{count(r.villages, r.unit)}不一致，报告采用全镇数，请核实。")
    return EXIT_OK


def cmd_render(args) -> int:
    from helpers.pipeline.render import render_command

    return render_command(args)


def cmd_county(args) -> int:
    from helpers.pipeline.county import render_county
    from helpers.pipeline.index_page import write_index
    from helpers.pipeline.publish import display_path

    result = render_county(args.county, args.month, args.data_dir, args.out)
    write_index(args.out)
    print(f"已生成县级汇总：{display_path(result.path)}")
    return EXIT_OK


def cmd_template(args) -> int:
    from helpers.data.workbook.writing import write_template

    write_template(args.file, force=args.force)
    print(f"已生成空白录入工作簿：{args.file}")
    return EXIT_OK


def cmd_export(args) -> int:
    from helpers.data.workbook.writing import export_township

    export_township(args.data_dir, args.township, args.file, force=args.force)
    print(f"已把 {args.township} 的现有数据导出到：{args.file}")
    return EXIT_OK


def cmd_import(args) -> int:
    from helpers.data.workbook.importing import import_book

    report = import_book(args.file, args.data_dir, args.township, args.month)
    what = f"{args.month} 的数据" if args.month else "整本工作簿"
    print(f"已导入 {args.file}（{what}）到 {report.target}")
    for line in report.lines:
        print(f"  - {line}")
    return EXIT_OK


COMMANDS = {"validate": cmd_validate, "render": cmd_render, "county": cmd_county, "template": cmd_template,
            "export": cmd_export, "import": cmd_import}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("已中断（Ctrl-C）。", file=sys.stderr)
        return 130
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
