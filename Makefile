# The two commands that matter are in the README: go run ./cmd/mattran demo,
# and go test ./... . These targets are shortcuts.
PG ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run demo build test test-pg lint bench fuzz faults derive ci

run demo:
	go run ./cmd/mattran demo

build:
	go build -o mattran ./cmd/mattran

test:
	go test ./...

test-pg:
	MATTRAN_TEST_POSTGRES='$(PG)' go test -count=1 ./...

lint:
	@test -z "$$(gofmt -l .)" || (gofmt -l .; exit 1)
	go vet ./...

bench:
	MATTRAN_TEST_POSTGRES='$(PG)' go test -run XXX -bench . -benchtime 5x -timeout 60m ./internal/store/

# Every parser and importer has a fuzz target; make fuzz runs each for
# FUZZTIME. (go test ./... runs only their seed inputs.)
FUZZTIME ?= 60s
FUZZ = \
	./internal/value:FuzzParse ./internal/value:FuzzParseNumber ./internal/value:FuzzParseTyped \
	./internal/sheet:FuzzParse ./internal/sheet:FuzzParseCell \
	./internal/unit:FuzzParse \
	./internal/program:FuzzParse \
	./internal/period:FuzzParse \
	./internal/vn:FuzzParseNumber ./internal/vn:FuzzParseDate ./internal/vn:FuzzFold \
	./internal/store:FuzzImportValues ./internal/store:FuzzImportUnits ./internal/store:FuzzSaveProgram \
	./internal/imports:FuzzScanValues ./internal/csvsafe:FuzzCell \
	./internal/calendar:FuzzParseDate ./internal/calendar:FuzzLunarRoundTrip \
	./internal/casework:FuzzParseIntake ./internal/fund:FuzzReadStatement \
	./internal/evaluation:FuzzParseGuide

fuzz:
	@for t in $(FUZZ); do \
		echo "== $$t ($(FUZZTIME))"; \
		go test -run XXX -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) $${t%%:*} || exit 1; \
	done

# The fault and load checks: a private PostgreSQL restarted under load, SQLite
# on a full tmpfs, three imports at once (root; RELIABILITY.md).
faults:
	MATTRAN_FAULTS=1 go test -run 'TestFault|TestLoad' -v -timeout 30m ./cmd/mattran/

derive:
	go run ./tools/derivedata -shared ../shared/data

ci:
	.ci/run
