# make run  : install what is missing, build, lint samples/ and convert a sample to nginx
# make test : install what is missing, build, run the whole test suite (ctest), then the unit tests again
#             in an ASan+UBSan clang build (test-asan-unit; `make test ASAN=0` skips it). CI's 15 minutes on
#             2 cores hold one sanitized build of the unit tests, not of the whole tree with its fuzzers.
# make test-asan : only the sanitized suite: build-asan (clang, ASan+UBSan -O1) and its ctest, including
#             fuzz.<target> (each libFuzzer target mutating for a few seconds) and fuzz.replay
# make fuzz : build the libFuzzer targets in build-asan and run each for FUZZ_SECONDS (default 30)
BUILD ?= build
ASAN_BUILD ?= build-asan
ASAN_UNIT_BUILD ?= build-asan-unit
JOBS ?= $(shell nproc)
ASAN ?= 1

.PHONY: deps build run test test-asan asan-build test-asan-unit asan-unit-build fuzz bench clean

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# samples/ holds an example of every finding (RL001-RL005 are files broken on purpose), so check exits
# 2 (a file does not parse) and convert exits 1 (a rule approximated): the expected answers, said in
# words instead of make's "Error 1 (ignored)". Exit 3 (usage) or a crash fails `make run`.
run: build
	@echo "== redirlint check samples/"
	@$(BUILD)/redirlint check samples/; rc=$$?; case $$rc in \
	  0|1|2) echo "(exit $$rc, as expected: samples/ shows one file per check, broken ones included)";; \
	  *) exit $$rc;; esac
	@echo
	@echo "== redirlint convert --to nginx samples/site.htaccess"
	@$(BUILD)/redirlint convert --to nginx samples/site.htaccess; rc=$$?; case $$rc in \
	  0|1) echo "(exit $$rc: the report above names every rule not converted exactly)";; \
	  *) exit $$rc;; esac

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600
ifeq ($(ASAN),1)
	@$(MAKE) --no-print-directory test-asan-unit
endif

# The unit tests (every parser, simulator, check and emitter on in-memory inputs) under ASan+UBSan.
asan-unit-build: deps
	@cmake -S . -B $(ASAN_UNIT_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DREDIRLINT_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_UNIT_BUILD) -j $(JOBS) --target unit_tests

test-asan-unit: asan-unit-build
	@bash tests/fuzz/asan_test.sh $(ASAN_UNIT_BUILD) $(JOBS) '^unit\.'


# One clang tree, ASan+UBSan -O1, coverage-instrumented: it runs the whole suite and links the fuzzers.
asan-build: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DREDIRLINT_FUZZ=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

test-asan: asan-build
	@bash tests/fuzz/asan_test.sh $(ASAN_BUILD) $(JOBS)

fuzz: asan-build
	@bash tests/fuzz/run.sh $(ASAN_BUILD) $${FUZZ_SECONDS:-30}

bench: build
	@python3 bench/run.py --build $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(ASAN_UNIT_BUILD) build-fuzz
