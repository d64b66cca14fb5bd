# Threads vs processes, by running and reading Rust code.
# Every recipe is one or two plain cargo lines: copy them if you prefer.

# List the recipes
default:
    @just --list --unsorted

# Lesson 01: a program is a file; a process is that file running
demo-program-vs-process *ARGS:
    cargo run --release -q -p program-vs-process -- {{ARGS}}

# Lesson 02: threads share one address space, and sharing needs synchronisation
demo-threads *ARGS:
    cargo run --release -q -p shared-memory-threads --bin shared-memory-threads -- {{ARGS}}

# Lesson 03: processes talk through pipes: the raw calls, a measured stream, round trips
demo-pipes *ARGS:
    cargo run --release -q -p ipc --bin pipes -- {{ARGS}}

# Lesson 03: processes talk through shared memory: mappings, a ring, a named object
demo-shared-memory *ARGS:
    cargo run --release -q -p ipc --bin shared-memory -- {{ARGS}}

# Lesson 04: a panicking thread, a crashing thread, a crashed child, a supervisor
demo-fault-isolation *ARGS:
    cargo run --release -q -p fault-isolation --bin fault-isolation -- {{ARGS}}

# Lesson 05: what a thread and a process cost to start, in time and memory
demo-creation-cost *ARGS:
    cargo run --release -q -p creation-cost --bin creation-cost -- {{ARGS}}

# Lesson 06: waiting, computing, break-even and address-space work on threads and processes
demo-workloads *ARGS:
    cargo run --release -q -p when-to-use-which --bin when-to-use-which -- {{ARGS}}

# Lesson 07: the Key Differences table, every cell measured here (--against-c: beside plain C)
[no-cd]
[positional-arguments]
compare *ARGS:
    cargo run --release -q -p key-differences \
        --manifest-path "{{justfile_directory()}}/Cargo.toml" -- "$@"

# Lesson 08: 10 to 10_000 waiting tasks on threads, processes, one epoll loop and async tasks
demo-many-waits *ARGS:
    cargo run --release -q -p many-waits --bin many-waits -- {{ARGS}}

# Every lesson in order, then the Key Differences table measured on this machine
tour *ARGS:
    cargo run --release -q -p tour -- {{ARGS}}

# Run one listing, the short program that shows one idea: just listing 02b-lost-update-broken
listing NAME:
    cargo run -q --example {{NAME}}

# List the listings, lesson by lesson
listings:
    @for dir in crates/*/examples; do echo "${dir%/examples}:"; ls "$dir" | sed 's/\.rs$//; s/^/    /'; done

# List the exercises: small programs to fix, each graded by `just check N`
exercises:
    @cargo run -q -p exercise-check -- list

# Grade exercise N and say what it did (--solution: grade the solution)
[no-exit-message]
check N *FLAGS:
    @cargo run -q -p exercise-check -- check {{N}} {{FLAGS}}

# A hint for exercise N (`just hint N 2`: a second one)
hint N LEVEL="1":
    @cargo run -q -p exercise-check -- hint {{N}} {{LEVEL}}

# Every solution passes, every starting version and fixture is graded as it should be
[no-exit-message]
check-solutions:
    @cargo run -q -p exercise-check -- verify

# Check every lesson's claims
test:
    cargo test --workspace

# What CI runs: format, lints, API docs, tests, every demo, the help texts, the book
ci:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
    cargo test --workspace
    just demo-program-vs-process
    just demo-threads --increments 500000
    just demo-pipes --mib 64
    just demo-shared-memory --mib 64
    just demo-fault-isolation
    just demo-creation-cost --repeats 5 --workers 4 --jobs 100
    just demo-workloads --tasks 4 --wait-ms 20 --size 300000 --repeats 1
    just demo-many-waits --quick
    just compare --against-c
    just tour
    just check-solutions
    python3 .ci/check-help
    mdbook build docs

# Build the book and open it in a browser
book:
    mdbook build docs --open
