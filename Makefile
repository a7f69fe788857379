PREFIX ?= /usr/local
BIN := .build/debug/kubectl-bifrost

.PHONY: deps build release demo test install uninstall clean readme differential overlay-conformance release-conformance bench fuzz sanitize stress

deps:
	@scripts/install-deps

build: deps
	swift build

# The Swift runtime linked in: a kubectl/helm plugin is one file that runs without a Swift
# toolchain on the machine, and starts with fewer pages touched (about 4 MiB less peak RSS,
# and calls into the runtime skip the dynamic linker's stubs).
release: deps
	swift build -c release --static-swift-stdlib

# Lints the bundled fixtures: the pre-2.1.14 release (findings, exit 1 expected) and the
# migrated 2.1.14 one (clean).
demo: build
	@echo "== charts-fixtures/pre-2.1.14 (before the upgrade) =="
	@$(BIN) lint -R charts-fixtures/pre-2.1.14 || test $$? -eq 1
	@echo
	@echo "== charts-fixtures/2.1.14 (migrated) =="
	@$(BIN) lint -R charts-fixtures/2.1.14

test: deps
	swift test

# Speed and memory on a generated 30 MB stream, against a bare libyaml scan (release build).
bench: release
	cc -O2 -o .build/bench-yamlscan bench/yamlscan.c $$(pkg-config --cflags --libs yaml-0.1)
	python3 bench/run.py

# Issue 17 items 7-11 at full size (descriptors, FIFOs, quadratic cross-resource rules and fixes,
# size limits): time and peak RSS per run. Minutes; not in `make test` or .ci/run.
stress: release
	scripts/stress

# libFuzzer + AddressSanitizer over the YAML layer, lint and fix pipelines; FUZZ_RUNS per target.
fuzz: deps
	scripts/fuzz $${FUZZ_RUNS:-20000}

# The test suite under AddressSanitizer (leak reports off: Foundation's own leaks are not
# memory-safety errors), then ThreadSanitizer, in separate build folders.
sanitize: deps
	ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan
	swift test --sanitize=thread --scratch-path .build-tsan

# compose against Helm's own reader and coalescing (needs: pip install helm-python-sdk).
differential: build
	python3 scripts/helm-differential.py

# the shipped overlays against the real charts in ../shared/real-charts (2.1.14, 2.1.16, 2.1.30).
overlay-conformance: build
	python3 scripts/overlay-conformance.py

# Helm release records and `lint --cluster` (real kubectl, loopback API server) from the real charts.
release-conformance: build
	python3 scripts/release-conformance.py

# The man page, generated from the commands' --help by swift-argument-parser's plugin.
man: deps
	swift package --allow-writing-to-package-directory generate-manual >/dev/null
	cp .build/plugins/GenerateManual/outputs/kubectl-bifrost/kubectl-bifrost.1 .build/kubectl-bifrost.1

install: release man
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/kubectl-bifrost $(DESTDIR)$(PREFIX)/bin/kubectl-bifrost
	install -d $(DESTDIR)$(PREFIX)/share/kubectl-bifrost/overlays
	install -m 0644 overlays/*.yaml $(DESTDIR)$(PREFIX)/share/kubectl-bifrost/overlays/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 .build/kubectl-bifrost.1 $(DESTDIR)$(PREFIX)/share/man/man1/kubectl-bifrost.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kubectl-bifrost
	rm -rf $(DESTDIR)$(PREFIX)/share/kubectl-bifrost
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/kubectl-bifrost.1

clean:
	rm -rf .build

# Regenerates the rule table in README.md from the registry.
readme: build
	@python3 -c 'import re,subprocess,sys; t=subprocess.run([".build/debug/kubectl-bifrost","rules","-o","markdown"],capture_output=True,text=True,check=True).stdout; s=open("README.md").read(); a=s.index("<!-- rules:start"); a=s.index("\n",a)+1; b=s.index("<!-- rules:end -->"); open("README.md","w").write(s[:a]+t+s[b:])'
