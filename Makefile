# 乡镇工作月报 — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
TOWNSHIP ?= sample
PORT ?= 8888
IP ?= 127.0.0.1

.PHONY: help report test fast validate lab lint sample bench clean

help: ## 列出所有目标 / list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/township_report.pth", "w").write(sys.argv[1] + chr(10))' "$(CURDIR)"
	@touch $@

report: $(STAMP) ## 生成示例乡镇最新月份的报告 / render the sample township's latest month
	$(BIN)/python -m helpers render --township $(TOWNSHIP)

validate: $(STAMP) ## 校验示例乡镇的数据 / validate the sample data
	$(BIN)/python -m helpers validate --township $(TOWNSHIP)

# The tests need the lab extras too: one of them starts the real Jupyter server that `make lab` starts.
test: $(LAB_STAMP) ## 运行全部测试 / run the whole test suite
	$(BIN)/python -m pytest

# The fast subset: no notebook executions, no whole renders or imports; two processes (pytest-xdist).
fast: $(STAMP) ## 只运行快速测试（约 2 分钟）/ the fast subset, in two processes
	$(BIN)/python -m pytest -m "not notebook and not e2e" -n 2

lint: $(STAMP) ## 代码检查 / ruff
	$(BIN)/python -m ruff check helpers tests data/generate_sample.py benchmarks

$(LAB_STAMP): $(STAMP) requirements-lab.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	@touch $@

lab: $(LAB_STAMP) ## 在 notebooks/ 启动 JupyterLab（PORT=8888 IP=127.0.0.1）/ JupyterLab on notebooks/
	$(BIN)/python -m helpers.pipeline.lab --port $(PORT) --ip $(IP)

sample: $(STAMP) ## 重新生成两个示例乡镇的数据 / regenerate data/sample and data/qingshi from their seeded scripts
	$(BIN)/python data/generate_sample.py
	$(BIN)/python data/generate_qingshi.py

bench: $(STAMP) ## 渲染性能基准 / time the render pipeline
	$(BIN)/python benchmarks/render_bench.py

clean: ## 删除虚拟环境和输出 / remove .venv and outputs
	rm -rf $(VENV) outputs/*/ outputs/index.html
