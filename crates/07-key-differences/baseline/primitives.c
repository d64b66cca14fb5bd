/*
 * primitives.c: lesson 07's baseline. The primitives the Rust lessons
 * measure, in plain C, with the same workloads: the same batch sizes, the
 * same transfer sizes and write sizes, the same checksum, the same CPU
 * placement. `just compare --against-c` builds it with the system C
 * compiler and runs it back to back with the Rust figures.
 *
 * One invocation measures one group of primitives, so every fork, exec and
 * spawn happens in a process that has run no other thread (as the Rust
 * side measures creation in a fresh process):
 *
 *   primitives creation REPEATS           fork, exec, spawn, then pthread
 *   primitives pipe-round-trip N one|two  1-byte ping-pong with a child
 *   primitives spin-round-trip BATCH      a shared word, both sides spinning
 *   primitives condvar-round-trip         mutex + condvar, two threads, one CPU
 *   primitives pipe-stream BYTES default|large   checksummed, 64 KiB writes
 *   primitives ring BYTES                 shared-memory ring, 8 x 64 KiB slots
 *   primitives same-work BYTES            the ring's work in one process
 *
 * Output, one line per figure, durations in nanoseconds:
 *   NAME min median max samples calls_per_sample
 *   NAME bytes elapsed_ns checksum_ok
 *   placement one|two|unpinned
 *
 * Build: cc -O2 -pthread -o primitives primitives.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define KiB 1024UL
#define WRITE_SIZE (64 * KiB)  /* a pipe write, a ring slot */
#define SOURCE_BYTES (16UL << 20)
#define SLOTS 8
#define SAMPLES 21              /* round trips: timings per figure */
#define ROUND_TRIP_BATCH 50

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- figures: the median of batch means, as support::timing::Stats ---- */

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void print_stats(const char *name, uint64_t *means, int n, int calls)
{
    qsort(means, n, sizeof means[0], by_value);
    uint64_t median = n % 2 ? means[n / 2] : (means[n / 2 - 1] + means[n / 2]) / 2;
    printf("%s %llu %llu %llu %d %d\n", name, (unsigned long long)means[0],
           (unsigned long long)median, (unsigned long long)means[n - 1], n, calls);
}

/* ---- placement: as support::placement (first allowed CPU, then second) ---- */

static int allowed[2], n_allowed;

static void find_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        die("sched_getaffinity");
    for (int cpu = 0; cpu < CPU_SETSIZE && n_allowed < 2; cpu++)
        if (CPU_ISSET(cpu, &set))
            allowed[n_allowed++] = cpu;
}

static void pin_to(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
}

/* Pins the caller; returns the CPU for the other party, or -1: unpinned. */
static int place(int two)
{
    find_cpus();
    if (two && n_allowed < 2) {
        printf("placement unpinned\n");
        return -1;
    }
    pin_to(allowed[0]);
    printf("placement %s\n", two ? "two" : "one");
    return two ? allowed[1] : allowed[0];
}

/* ---- the checksum of lesson 03 (crates/03-ipc/src/checksum.rs) ---- */

struct sum {
    uint64_t sum, sum_of_sums, bytes;
    uint8_t pending[8];
    size_t pending_len;
};

static inline void add_word(struct sum *s, uint64_t word)
{
    s->sum += word;
    s->sum_of_sums += s->sum;
}

static void sum_update(struct sum *s, const uint8_t *p, size_t n)
{
    s->bytes += n;
    if (s->pending_len > 0) {
        size_t take = 8 - s->pending_len < n ? 8 - s->pending_len : n;
        memcpy(s->pending + s->pending_len, p, take);
        s->pending_len += take;
        p += take;
        n -= take;
        if (s->pending_len < 8)
            return;
        uint64_t word;
        memcpy(&word, s->pending, 8); /* little-endian, as from_le_bytes */
        add_word(s, word);
        s->pending_len = 0;
    }
    /* In locals: `p` may alias `*s` (a uint8_t pointer may point anywhere),
     * so updating s->sum in the loop would store and reload it every word. */
    uint64_t sum = s->sum, sum_of_sums = s->sum_of_sums;
    /* Four words a turn, as rustc (LLVM) unrolls lesson 03's loop. gcc -O2
     * does not unroll it: with one word a turn, the one-process reference
     * ran about 1.3 times slower in C than in Rust on the machine this was
     * written on, a figure of the compilers, not of the transfer. */
    for (; n >= 32; p += 32, n -= 32) {
        uint64_t a, b, c, d;
        memcpy(&a, p, 8);
        memcpy(&b, p + 8, 8);
        memcpy(&c, p + 16, 8);
        memcpy(&d, p + 24, 8);
        sum += a;
        sum_of_sums += sum;
        sum += b;
        sum_of_sums += sum;
        sum += c;
        sum_of_sums += sum;
        sum += d;
        sum_of_sums += sum;
    }
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        sum += word;
        sum_of_sums += sum;
    }
    s->sum = sum;
    s->sum_of_sums = sum_of_sums;
    memcpy(s->pending, p, n);
    s->pending_len = n;
}

static uint64_t sum_value(const struct sum *s)
{
    struct sum copy = *s;
    if (copy.pending_len > 0) {
        memset(copy.pending + copy.pending_len, 0, 8 - copy.pending_len);
        uint64_t word;
        memcpy(&word, copy.pending, 8);
        add_word(&copy, word);
    }
    uint64_t rotated = (copy.sum_of_sums << 32) | (copy.sum_of_sums >> 32);
    return rotated ^ copy.sum ^ copy.bytes;
}

/* ---- the source: 16 MiB of lesson 03's pattern in a mapping of its own ---- */

static uint8_t *pattern_source(uint64_t total, size_t *len)
{
    *len = total < SOURCE_BYTES ? (total ? total : 1) : SOURCE_BYTES;
    uint8_t *p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap source");
    for (size_t i = 0; i < *len; i++)
        p[i] = (uint8_t)(i ^ (i >> 8) ^ (i >> 16));
    return p;
}

static uint64_t stream_checksum(const uint8_t *src, size_t len, uint64_t total)
{
    struct sum s = {0};
    while (s.bytes < total) {
        uint64_t left = total - s.bytes;
        sum_update(&s, src, left < len ? left : len);
    }
    return sum_value(&s);
}

/* The piece of the stream that starts at `sent`, at most `limit` long. */
static size_t next_piece(size_t len, uint64_t sent, uint64_t total, size_t limit, size_t *offset)
{
    *offset = sent % len;
    size_t n = limit < len - *offset ? limit : len - *offset;
    return total - sent < n ? (size_t)(total - sent) : n;
}

/* A 64 KiB working buffer, page-aligned and touched. Not malloc: two
 * 64 KiB mallocs in a row sit 64 KiB + 16 bytes apart, and copying from
 * one to the other (16 bytes past a multiple of 4 KiB) ran about 5 times
 * slower on the machine this was written on than between page-aligned
 * buffers: a figure of where the allocator put them, not of the copy. */
static uint8_t *buffer(void)
{
    uint8_t *p = mmap(NULL, WRITE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap buffer");
    memset(p, 1, WRITE_SIZE);
    return p;
}

/* ---- reading and writing a pipe whole, EINTR retried ---- */

static void write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t done = write(fd, p, n);
        if (done < 0 && errno == EINTR)
            continue;
        if (done < 0)
            die("write");
        p += done;
        n -= (size_t)done;
    }
}

static ssize_t read_some(int fd, void *buf, size_t n)
{
    ssize_t got;
    while ((got = read(fd, buf, n)) < 0 && errno == EINTR)
        ;
    if (got < 0)
        die("read");
    return got;
}

static size_t read_full(int fd, void *buf, size_t n)
{
    size_t filled = 0;
    ssize_t got;
    while (filled < n && (got = read_some(fd, (char *)buf + filled, n - filled)) > 0)
        filled += (size_t)got;
    return filled;
}

static int reap(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die("waitpid");
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* ---- creation: as crates/05-creation-cost (part1_threads.rs, part2_processes.rs) ---- */

#define THREAD_BATCH 200
#define FORK_BATCH 30
#define EXEC_BATCH 10

static void *empty_thread(void *arg)
{
    return arg;
}

static void thread_once(void)
{
    pthread_t thread;
    int e = pthread_create(&thread, NULL, empty_thread, NULL);
    if (e != 0) {
        errno = e;
        die("pthread_create");
    }
    pthread_join(thread, NULL);
}

static void fork_exit_once(void)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        _exit(0);
    if (!reap(pid))
        die("fork child");
}

static char *true_argv[] = {"/bin/true", NULL};

static void fork_exec_once(void)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        execv(true_argv[0], true_argv);
        _exit(127);
    }
    if (!reap(pid))
        die("/bin/true");
}

static void spawn_once(void)
{
    pid_t pid;
    int e = posix_spawn(&pid, true_argv[0], NULL, NULL, true_argv, environ);
    if (e != 0) {
        errno = e;
        die("posix_spawn");
    }
    if (!reap(pid))
        die("/bin/true");
}

/* One warm-up call, then `repeats` batches (support::timing::try_measure). */
static void batches(const char *name, void (*once)(void), int repeats, int batch)
{
    uint64_t means[1000];
    once();
    for (int r = 0; r < repeats; r++) {
        uint64_t start = now_ns();
        for (int i = 0; i < batch; i++)
            once();
        means[r] = (now_ns() - start) / (uint64_t)batch;
    }
    print_stats(name, means, repeats, batch);
}

// ANCHOR: creation
/* Processes first, in a process that has run no thread; then threads. */
static void creation(int repeats)
{
    batches("fork", fork_exit_once, repeats, FORK_BATCH);
    batches("exec", fork_exec_once, repeats, EXEC_BATCH);
    batches("spawn", spawn_once, repeats, EXEC_BATCH);
    uint64_t means[1000];
    for (int round = 0; round <= repeats; round++) { /* round 0 warms up */
        uint64_t start = now_ns();
        for (int i = 0; i < THREAD_BATCH; i++)
            thread_once();
        if (round > 0)
            means[round - 1] = (now_ns() - start) / THREAD_BATCH;
    }
    print_stats("pthread", means, repeats, THREAD_BATCH);
}
// ANCHOR_END: creation

/* ---- round trips: as lesson 03 (part3_round_trip.rs, part3_round_trips.rs) ---- */

static void pipe_round_trip(int round_trips, int two)
{
    int ping[2], pong[2];
    if (pipe(ping) || pipe(pong))
        die("pipe");
    int other = place(two);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) { /* the echo: read a byte, write it back, until EOF */
        if (other >= 0)
            pin_to(other);
        close(ping[1]);
        close(pong[0]);
        char byte;
        while (read_some(ping[0], &byte, 1) > 0)
            write_all(pong[1], &byte, 1);
        _exit(0);
    }
    close(ping[0]);
    close(pong[1]);
    int batch = round_trips < ROUND_TRIP_BATCH ? round_trips : ROUND_TRIP_BATCH;
    batch = batch < 1 ? 1 : batch;
    int samples = round_trips / batch < 1 ? 1 : round_trips / batch;
    uint64_t *means = malloc(sizeof *means * (size_t)samples);
    char byte = 'x';
    for (int r = -1; r < samples; r++) { /* r == -1: one warm-up batch */
        uint64_t start = now_ns();
        for (int i = 0; i < batch; i++) {
            write_all(ping[1], &byte, 1);
            if (read_some(pong[0], &byte, 1) != 1)
                die("the echo closed its pipe");
        }
        if (r >= 0)
            means[r] = (now_ns() - start) / (uint64_t)batch;
    }
    close(ping[1]);
    if (!reap(pid))
        die("echo child");
    print_stats(two ? "pipe_two" : "pipe_one", means, samples, batch);
}

/* Lesson 03's wait.rs, step for step: look once, and return with no
 * clock read when the word is there already; otherwise read the clock to
 * start the spin timer, and read it again to ask how long it has spun
 * before every 64 looks (a pause after each), as `while started.elapsed()
 * < SPIN_FOR` does, for 20 us; then look, sched_yield, until 20 ms; then
 * sleep 100 us between looks. Rust reads the clock through std's Instant,
 * one call into std per read, a few ns dearer than now_ns here: the
 * chapter's section 4 measures what that costs a round trip. */
#define SPIN_NS 20000
#define YIELD_NS 20000000
static const struct timespec nap = {0, 100000};
#define STOP UINT32_MAX

/* What std::hint::spin_loop() emits: x86's pause (a hint that this CPU is
 * spinning), aarch64's isb sy (what Rust uses there, a barrier that stalls
 * for some cycles), and nothing where Rust has no hint either. */
#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("isb sy" ::: "memory")
#else
#define CPU_RELAX() do { } while (0)
#endif

#define WAIT_UNTIL(ready)                                                    \
    do {                                                                     \
        if (ready)                                                           \
            goto done_;                                                      \
        uint64_t start_ = now_ns();                                          \
        while (now_ns() - start_ < SPIN_NS)                                  \
            for (int i_ = 0; i_ < 64; i_++) {                                \
                if (ready)                                                   \
                    goto done_;                                              \
                CPU_RELAX();                                                 \
            }                                                                \
        while (!(ready)) {                                                   \
            if (now_ns() - start_ < YIELD_NS)                                \
                sched_yield();                                               \
            else                                                             \
                nanosleep(&nap, NULL);                                       \
        }                                                                    \
    done_:;                                                                  \
    } while (0)

/* One look at the word: one load, as lesson 03's `arrived` closure. */
static inline int arrived(atomic_uint *word, unsigned want, int or_stop)
{
    unsigned seen = atomic_load_explicit(word, memory_order_acquire);
    return seen == want || (or_stop && seen == STOP);
}

static void spin_until(atomic_uint *word, unsigned want, int or_stop)
{
    WAIT_UNTIL(arrived(word, want, or_stop));
}

static void spin_round_trip(int batch)
{
    int fd = memfd_create("baseline-word", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, 4096) != 0)
        die("memfd_create");
    atomic_uint *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (word == MAP_FAILED)
        die("mmap MAP_SHARED");
    int other = place(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) { /* the echo: answer each odd number with the next even one */
        if (other >= 0)
            pin_to(other);
        for (unsigned expected = 1;; expected += 2) {
            spin_until(word, expected, 1);
            if (atomic_load_explicit(word, memory_order_acquire) == STOP)
                _exit(0);
            atomic_store_explicit(word, expected + 1, memory_order_release);
        }
    }
    unsigned next = 1;
    uint64_t means[SAMPLES];
    for (int r = -1; r < SAMPLES; r++) {
        uint64_t start = now_ns();
        for (int i = 0; i < batch; i++, next += 2) {
            atomic_store_explicit(word, next, memory_order_release);
            spin_until(word, next + 1, 0);
        }
        if (r >= 0)
            means[r] = (now_ns() - start) / (uint64_t)batch;
    }
    atomic_store_explicit(word, STOP, memory_order_release);
    if (!reap(pid))
        die("echo child");
    print_stats("spin", means, SAMPLES, batch);
}

/* Mutex + condvar between two threads on one CPU (lesson 02's slot). */
enum { EMPTY, PING, PONG, CLOSED };
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int state;
    uint64_t value;
} slot = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, EMPTY, 0};

static void *condvar_echo(void *arg)
{
    pthread_mutex_lock(&slot.lock);
    for (;;) {
        if (slot.state == PING) {
            slot.state = PONG;
            slot.value += 1;
            pthread_cond_signal(&slot.changed);
        } else if (slot.state == CLOSED) {
            break;
        } else {
            pthread_cond_wait(&slot.changed, &slot.lock);
        }
    }
    pthread_mutex_unlock(&slot.lock);
    return arg;
}

static void condvar_round_trip(void)
{
    place(0); /* the echo thread inherits this CPU */
    pthread_t echo;
    if (pthread_create(&echo, NULL, condvar_echo, NULL) != 0)
        die("pthread_create");
    uint64_t means[SAMPLES], value = 0;
    for (int r = -1; r < SAMPLES; r++) {
        uint64_t start = now_ns();
        for (int i = 0; i < ROUND_TRIP_BATCH; i++) {
            pthread_mutex_lock(&slot.lock);
            slot.state = PING;
            slot.value = value;
            pthread_cond_signal(&slot.changed);
            while (slot.state != PONG)
                pthread_cond_wait(&slot.changed, &slot.lock);
            if (slot.value != ++value)
                die("the echo answered wrong");
            pthread_mutex_unlock(&slot.lock);
        }
        if (r >= 0)
            means[r] = (now_ns() - start) / ROUND_TRIP_BATCH;
    }
    pthread_mutex_lock(&slot.lock);
    slot.state = CLOSED;
    pthread_cond_signal(&slot.changed);
    pthread_mutex_unlock(&slot.lock);
    pthread_join(echo, NULL);
    print_stats("condvar", means, SAMPLES, ROUND_TRIP_BATCH);
}

/* ---- bulk data: as lesson 03 (part2_stream.rs, part2_ring.rs, part2_reference.rs) ---- */

static void print_transfer(const char *name, uint64_t bytes, uint64_t elapsed, int ok)
{
    printf("%s %llu %llu %d\n", name, (unsigned long long)bytes, (unsigned long long)elapsed, ok);
}

/* Length, data in 64 KiB writes, checksum; the child answers (bytes, ok). */
static void pipe_stream(uint64_t total, int large)
{
    size_t len, offset;
    uint8_t *src = pattern_source(total, &len);
    uint64_t expected = stream_checksum(src, len, total); /* before the clock */
    int data[2], answer[2];
    if (pipe(data) || pipe(answer))
        die("pipe");
    if (large && fcntl(data[1], F_SETPIPE_SZ, 1 << 20) < 0)
        die("fcntl F_SETPIPE_SZ");
    int other = place(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) { /* the reader: length, data (checksummed as it comes), checksum */
        if (other >= 0)
            pin_to(other);
        close(data[1]);
        close(answer[0]);
        uint64_t announced = 0, trailer = 0;
        uint8_t *into = buffer();
        struct sum got = {0};
        if (read_full(data[0], &announced, 8) == 8) {
            while (got.bytes < announced) {
                uint64_t left = announced - got.bytes;
                ssize_t n = read_some(data[0], into, left < WRITE_SIZE ? left : WRITE_SIZE);
                if (n == 0)
                    break;
                sum_update(&got, into, (size_t)n);
            }
        }
        int ok = got.bytes == announced && read_full(data[0], &trailer, 8) == 8 &&
                 trailer == sum_value(&got);
        uint8_t reply[9];
        memcpy(reply, &got.bytes, 8);
        reply[8] = (uint8_t)ok;
        write_all(answer[1], reply, 9);
        _exit(ok ? 0 : 1);
    }
    close(data[0]);
    close(answer[1]);
    uint64_t start = now_ns();
    write_all(data[1], &total, 8);
    for (uint64_t sent = 0; sent < total;) {
        size_t n = next_piece(len, sent, total, WRITE_SIZE, &offset);
        write_all(data[1], src + offset, n);
        sent += n;
    }
    write_all(data[1], &expected, 8);
    close(data[1]);
    uint8_t reply[9];
    size_t got = read_full(answer[0], reply, 9);
    uint64_t elapsed = now_ns() - start;
    int ok = reap(pid) && got == 9 && reply[8] == 1;
    uint64_t received;
    memcpy(&received, reply, 8);
    print_transfer(large ? "pipe_large" : "pipe_default", received, elapsed, ok && received == total);
}

/* The ring: head counts slots filled, tail slots emptied, 128 bytes apart. */
struct ring {
    atomic_ulong head;
    char pad1[120];
    atomic_ulong tail;
    char pad2[120];
    uint64_t received_bytes, received_checksum;
    char pad3[4096 - 272];
    uint8_t slot[SLOTS][WRITE_SIZE];
};

static void wait_slot(atomic_ulong *word, uint64_t at_least, uint64_t plus)
{
    WAIT_UNTIL(atomic_load_explicit(word, memory_order_acquire) + plus >= at_least);
}

static void ring(uint64_t total)
{
    size_t len, offset;
    uint8_t *src = pattern_source(total, &len);
    uint64_t expected = stream_checksum(src, len, total);
    uint64_t chunks = (total + WRITE_SIZE - 1) / WRITE_SIZE;
    int fd = memfd_create("baseline-ring", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, sizeof(struct ring)) != 0)
        die("memfd_create");
    struct ring *r = mmap(NULL, sizeof *r, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
    if (r == MAP_FAILED)
        die("mmap MAP_SHARED");
    int other = place(1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) { /* the consumer: copy each slot out, hand it back, checksum */
        if (other >= 0)
            pin_to(other);
        uint8_t *local = buffer();
        struct sum got = {0};
        for (uint64_t chunk = 0; chunk < chunks; chunk++) {
            wait_slot(&r->head, chunk + 1, 0);
            size_t n = total - chunk * WRITE_SIZE < WRITE_SIZE ? total - chunk * WRITE_SIZE : WRITE_SIZE;
            memcpy(local, r->slot[chunk % SLOTS], n);
            atomic_store_explicit(&r->tail, chunk + 1, memory_order_release);
            sum_update(&got, local, n);
        }
        r->received_bytes = got.bytes;
        r->received_checksum = sum_value(&got);
        _exit(0);
    }
    uint64_t start = now_ns();
    for (uint64_t chunk = 0; chunk < chunks; chunk++) { /* the producer */
        wait_slot(&r->tail, chunk + 1, SLOTS); /* a free slot: tail + SLOTS > chunk */
        size_t n = next_piece(len, chunk * WRITE_SIZE, total, WRITE_SIZE, &offset);
        memcpy(r->slot[chunk % SLOTS], src + offset, n);
        atomic_store_explicit(&r->head, chunk + 1, memory_order_release);
    }
    wait_slot(&r->tail, chunks, 0); /* the last slot emptied */
    uint64_t elapsed = now_ns() - start;
    int ok = reap(pid) && r->received_bytes == total && r->received_checksum == expected;
    print_transfer("ring", r->received_bytes, elapsed, ok);
}

static void same_work(uint64_t total)
{
    size_t len, offset;
    uint8_t *src = pattern_source(total, &len);
    uint64_t expected = stream_checksum(src, len, total);
    uint8_t *slot_copy = buffer(), *local = buffer();
    struct sum got = {0};
    uint64_t start = now_ns();
    for (uint64_t done = 0; done < total;) {
        size_t n = next_piece(len, done, total, WRITE_SIZE, &offset);
        memcpy(slot_copy, src + offset, n); /* the producer's copy in */
        memcpy(local, slot_copy, n);        /* the consumer's copy out */
        sum_update(&got, local, n);         /* the consumer's checksum */
        done += n;
    }
    uint64_t elapsed = now_ns() - start;
    print_transfer("same_work", got.bytes, elapsed, sum_value(&got) == expected);
}

static long number(const char *text, long most)
{
    char *end;
    long n = text ? strtol(text, &end, 10) : 0;
    if (!text || *end || n < 1 || n > most) {
        fprintf(stderr, "primitives: expected a number from 1 to %ld, got %s\n", most,
                text ? text : "nothing");
        exit(2);
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    const char *arg = argc > 2 ? argv[2] : NULL;
    const char *how = argc > 3 ? argv[3] : "";
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(what, "creation") == 0)
        creation((int)number(arg, 1000));
    else if (strcmp(what, "pipe-round-trip") == 0)
        pipe_round_trip((int)number(arg, 10000000), strcmp(how, "two") == 0);
    else if (strcmp(what, "spin-round-trip") == 0)
        spin_round_trip((int)number(arg, 10000000));
    else if (strcmp(what, "condvar-round-trip") == 0)
        condvar_round_trip();
    else if (strcmp(what, "pipe-stream") == 0)
        pipe_stream((uint64_t)number(arg, 1L << 40), strcmp(how, "large") == 0);
    else if (strcmp(what, "ring") == 0)
        ring((uint64_t)number(arg, 1L << 40));
    else if (strcmp(what, "same-work") == 0)
        same_work((uint64_t)number(arg, 1L << 40));
    else {
        fprintf(stderr, "usage: primitives creation|pipe-round-trip|spin-round-trip|"
                        "condvar-round-trip|pipe-stream|ring|same-work [N] [one|two|default|large]\n");
        return 2;
    }
    return 0;
}
