# make run  : install what is missing, build, lint samples/ and convert a sample to nginx
# make test : install what is missing, build, run the whole test suite (ctest)
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build run test fuzz bench clean

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@echo "== redirlint check samples/"
	-@$(BUILD)/redirlint check samples/
	@echo
	@echo "== redirlint convert --to nginx samples/site.htaccess"
	-@$(BUILD)/redirlint convert --to nginx samples/site.htaccess

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DREDIRLINT_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@bash tests/fuzz/run.sh build-fuzz $${FUZZ_SECONDS:-30}

bench: build
	@python3 bench/run.py --build $(BUILD)

clean:
	rm -rf $(BUILD) build-fuzz
