# Tenure: thin wrapper over CMake + Ninja. See README.md.
BUILD_DIR ?= build
JOBS ?= 2
DB ?= demo.db
DEMO_CUSTOMERS ?= 20000
TENURE = $(BUILD_DIR)/src/cli/tenure

.PHONY: all deps configure build test run bench clean

all: build

deps:
	@./scripts/deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

run: build
	./scripts/run-demo.sh $(TENURE) $(DB) $(DEMO_CUSTOMERS)

bench: build
	./bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
