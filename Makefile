# Tenure: thin wrapper over CMake + Ninja. See README.md.
BUILD_DIR ?= build
JOBS ?= 2
DB ?= demo.db
DEMO_CUSTOMERS ?= 20000
# make run NEW=1: a new demo company in DB instead of the one already there.
NEW ?=
# make install PREFIX=... (DESTDIR=... for a staging root).
PREFIX ?= /usr/local
TENURE = $(BUILD_DIR)/src/cli/tenure
# A fresh `make build` on two cores, the Debian packages already installed
# (docs/benchmarks.md, Build time); make run says it before a first build.
FIRST_BUILD_MINUTES = 5
# The sanitizer tree: clang, AddressSanitizer and UndefinedBehaviorSanitizer,
# the fuzz targets (docs/reliability.md).
SAN_DIR ?= build-asan
FUZZ_SECONDS ?= 60
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

.PHONY: all deps configure build check sanitized test run first-build-notice install \
	package bench fuzz clean

all: build

deps:
	@./scripts/deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

$(SAN_DIR)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(SAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
	  -DTENURE_SANITIZE=ON -DTENURE_BUILD_BENCH=OFF

sanitized: deps $(SAN_DIR)/build.ninja
	cmake --build $(SAN_DIR) -j $(JOBS)

# The tests of the release build only (quick, while working).
check: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Every test twice: in the release build, then in the sanitizer tree, where
# each fuzz target also runs on its corpus for a few seconds.
test: check sanitized
	cd $(SAN_DIR) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS)

# Each fuzz target for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=3600).
fuzz: sanitized
	$(SAN_ENV) ./tests/fuzz/run.sh $(SAN_DIR) $(FUZZ_SECONDS)

# `tenure` under PREFIX/bin, the web app, the default settings and the docs
# (packaging/CMakeLists.txt).
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX) --strip

# The Debian package, $(BUILD_DIR)/tenure_VERSION_ARCH.deb (packaging/).
package: build
	cd $(BUILD_DIR) && cpack -G DEB

# Keeps the demo company already in DB; NEW=1 makes a new one.
run: first-build-notice build
	NEW_DEMO=$(NEW) ./scripts/run-demo.sh $(TENURE) $(DB) $(DEMO_CUSTOMERS)

first-build-notice:
	@[ -d $(BUILD_DIR) ] || echo "tenure: the first build takes about $(FIRST_BUILD_MINUTES) minutes on two cores (later ones only what changed)."

bench: build
	./bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR)
