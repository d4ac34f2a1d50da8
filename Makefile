# Sightline: the two commands a fresh machine needs are `make run` and `make test`.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run test build bench assets fuzz

## run: install the front-end libraries, build, and serve on http://localhost:3000 with the embedded defaults
run: build
	./bin/sightline serve

## test: install what the tests need (Chromium too) and run the whole suite
test:
	./scripts/setup.sh --test
	go test -count=1 -timeout 20m ./...
	FUZZTIME=5s ./scripts/fuzz.sh

## build: the single binary at bin/sightline
build: assets
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/sightline ./cmd/sightline

assets:
	./scripts/setup.sh

## bench: the benchmarks whose figures the docs quote, then the dashboard load test (BENCH_USERS, BENCH_DURATION)
bench: assets
	go test -run '^$$' -bench . -benchmem ./...
	go run ./cmd/sightline bench-load -users $${BENCH_USERS:-10} -duration $${BENCH_DURATION:-15s}

## fuzz: every fuzz target for longer than the test run gives them (FUZZTIME, default 2m each)
fuzz:
	FUZZTIME=$${FUZZTIME:-2m} ./scripts/fuzz.sh
