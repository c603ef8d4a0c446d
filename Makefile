# juesuan — the two commands a new user needs:
#   make demo   set everything up, audit the bundled examples and build one full disclosure
#   make test   run the whole test suite (what CI runs)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT := demo-output

.PHONY: setup system demo test lint bench clean serve

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
	$(BIN)/juesuan export examples/putuo-2024.yaml --format xlsx -o $(OUT)/普陀区财政局-2024-底稿.xlsx
	$(BIN)/juesuan export examples/wuhan-2022.yaml --format xlsx -o $(OUT)/武汉江汉区企业服务中心-2022-底稿.xlsx
	@echo; echo "== 1. 审核两份数据底稿"
	$(BIN)/juesuan check $(OUT)/普陀区财政局-2024-底稿.xlsx $(OUT)/武汉江汉区企业服务中心-2022-底稿.xlsx \
	    --format xlsx -o $(OUT)/审核结果.xlsx || true
	$(BIN)/juesuan check $(OUT)/武汉江汉区企业服务中心-2022-底稿.xlsx || true
	@echo; echo "== 2. 由底稿生成完整的公开文件（Word、PDF、网页、Excel）"
	$(BIN)/juesuan build $(OUT)/普陀区财政局-2024-底稿.xlsx -o $(OUT)/普陀区财政局-2024-公开文件
	@echo; echo "== 3. 底稿有错误时不生成（武汉示例）"
	$(BIN)/juesuan build $(OUT)/武汉江汉区企业服务中心-2022-底稿.xlsx -o $(OUT)/武汉-不会生成 > /dev/null || true
	@echo; echo "== 4. 审核已公开的文件（需要 ../shared 中的真实样本）"
	@if [ -f ../shared/samples/2024-shanghai-putuo-czj.pdf ]; then \
	    $(BIN)/juesuan check ../shared/samples/2024-shanghai-putuo-czj.pdf || true; \
	else echo "（没有 ../shared/samples，跳过）"; fi
	@echo
	@echo "演示文件都在 $(OUT)/ 文件夹中：空白底稿、两份示例的数据底稿、审核结果.xlsx，"
	@echo "以及 $(OUT)/普陀区财政局-2024-公开文件/ 中的 Word、PDF、网页和 Excel 公开文件。"

serve: setup
	$(BIN)/juesuan serve

lint: setup
	$(BIN)/ruff check src tests bench

test: setup lint
	JUESUAN_TEST_DATABASE_URL="$${JUESUAN_TEST_DATABASE_URL:-$$(./scripts/test-postgres.sh)}" $(BIN)/pytest

bench: setup
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/read_bench.py
	$(BIN)/python bench/build_bench.py
	$(BIN)/python bench/web_bench.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache .hypothesis test-output
