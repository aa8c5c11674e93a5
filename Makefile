# The README's two commands: `make run` and `make test`. Both install what is missing
# (scripts/bootstrap.sh: Debian packages and the npm packages of package-lock.json), configure
# and build Release, then run or test. `make install PREFIX=DIR` installs the binary and the
# built-in data (default PREFIX /usr/local).
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
PREFIX ?= /usr/local

.PHONY: all bootstrap configure build run test bench install clean test-asan fuzz

all: build

bootstrap:
	@bash scripts/bootstrap.sh

$(BUILD_DIR)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: bootstrap $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/apps/cli/cadena run --report

install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The sanitizer suite (docs/reliability.md): clang, AddressSanitizer + LeakSanitizer +
# UndefinedBehaviorSanitizer, every report fatal, the libFuzzer targets and a short run of each.
# ASAN_CTEST_ARGS narrows it (e.g. ASAN_CTEST_ARGS="-LE slow"); empty runs every test.
ASAN_BUILD_DIR ?= build-asan
ASAN_CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
	-DCADENA_SANITIZE=ON -DCADENA_FUZZ=ON -DCADENA_BUILD_BENCH=OFF
ASAN_CTEST_ARGS ?=
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

test-asan: bootstrap
	@test -f $(ASAN_BUILD_DIR)/CMakeCache.txt || CXX=clang++ CC=clang cmake -S . -B $(ASAN_BUILD_DIR) $(ASAN_CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	cd $(ASAN_BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(ASAN_CTEST_ARGS)

# Long fuzzing runs: make fuzz RUNS=10000000 TARGETS="minelib block_csv" (scripts/fuzz.sh).
RUNS ?= 1000000
TARGETS ?= tables dataset_toml scenario project fiscal minelib block_values block_csv
fuzz: bootstrap
	@test -f $(ASAN_BUILD_DIR)/CMakeCache.txt || CXX=clang++ CC=clang cmake -S . -B $(ASAN_BUILD_DIR) $(ASAN_CMAKE_FLAGS)
	bash scripts/fuzz.sh $(ASAN_BUILD_DIR) $(RUNS) $(TARGETS)

bench: build
	bash bench/run_all.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
