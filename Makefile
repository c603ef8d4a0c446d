# juesuan — the two commands a new user needs:
#   make demo   set everything up and audit the bundled examples
#   make test   run the whole test suite (what CI runs)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := demo-output

.PHONY: setup system demo test lint bench clean

setup: system $(STAMP)

system:
	@./scripts/system-deps.sh

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/juesuan template --profile shanghai-2024 -o $(OUT)/空白底稿-上海2024.xlsx
	$(BIN)/juesuan export examples/putuo-2024.yaml --format xlsx -o $(OUT)/普陀区财政局-2024.xlsx
	$(BIN)/juesuan export examples/wuhan-2022.yaml --format xlsx -o $(OUT)/武汉江汉区企业服务中心-2022.xlsx
	$(BIN)/juesuan check $(OUT)/普陀区财政局-2024.xlsx || true
	$(BIN)/juesuan check $(OUT)/武汉江汉区企业服务中心-2022.xlsx || true
	$(BIN)/juesuan check $(OUT)/普陀区财政局-2024.xlsx $(OUT)/武汉江汉区企业服务中心-2022.xlsx \
	    --format xlsx -o $(OUT)/审核结果.xlsx || true
	@echo
	@echo "演示文件都在 $(OUT)/ 文件夹中：空白底稿、两个示例的数据底稿和审核结果.xlsx。"

lint: setup
	$(BIN)/ruff check src tests bench

test: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/check_bench.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis
