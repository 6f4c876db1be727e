/*
 * tundelay: a fixed one-way delay for every IPv4/IPv6 packet routed into a TUN device (a stand-in for
 * `tc qdisc ... netem delay`, for kernels without netem).
 *
 * Usage:   tundelay [-q CAPACITY] [-f CONTROL_FILE] IFNAME DELAY_MS
 *   IFNAME        the TUN device to attach to (created if missing, non-persistent then; scripts/netns/clusters.sh
 *                 creates it persistent first with `ip tuntap add dev IFNAME mode tun`)
 *   DELAY_MS      the delay in milliseconds, a decimal (0, 10, 0.5); 0 passes packets straight through
 *   -q CAPACITY   how many packets may wait at once (default 65536); more are dropped, as a full queue would
 *   -f FILE       on SIGHUP, read the new delay (milliseconds, as DELAY_MS) from FILE
 * Signals: SIGHUP re-reads the control file; SIGUSR1 prints counters on stderr; SIGTERM/SIGINT end it (queued
 * packets are dropped). It prints "tundelay: ready ..." on stderr once the device is attached.
 *
 * Every packet read from the TUN device is written back to the same descriptor DELAY_MS later, so the kernel
 * receives it again with iif = IFNAME and routes it on by its main table. Packets leave in the order they came
 * (a FIFO; when the delay shrinks, later packets wait behind earlier ones). One thread, ppoll() with a nanosecond
 * timeout until the next packet is due, no busy loop.
 *
 * Build:   gcc -O2 -o tundelay tundelay.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_PACKET 65536
#define READ_BATCH 256 /* packets read per wake-up, so that due packets are not starved by a flood */

struct packet {
    int64_t due_ns;
    uint32_t len;
    unsigned char *data;
};

static volatile sig_atomic_t got_hup, got_usr1, got_term;
static void on_signal(int sig) {
    if (sig == SIGHUP) got_hup = 1;
    else if (sig == SIGUSR1) got_usr1 = 1;
    else got_term = 1;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Parses milliseconds (a non-negative decimal) into nanoseconds; -1 if it is not one. */
static int64_t parse_ms(const char *s) {
    char *end;
    errno = 0;
    double ms = strtod(s, &end);
    while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t') end++;
    if (errno || end == s || *end || ms < 0 || ms > 600000) return -1;
    return (int64_t)(ms * 1e6 + 0.5);
}

static int64_t read_control(const char *path) {
    char buf[64] = {0};
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return parse_ms(buf);
}

static void usage(void) {
    fprintf(stderr, "usage: tundelay [-q CAPACITY] [-f CONTROL_FILE] IFNAME DELAY_MS\n");
    exit(2);
}

int main(int argc, char **argv) {
    size_t cap = 65536;
    const char *control = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "q:f:")) != -1) {
        if (opt == 'q') cap = strtoul(optarg, NULL, 10);
        else if (opt == 'f') control = optarg;
        else usage();
    }
    if (argc - optind != 2 || cap < 16) usage();
    const char *ifname = argv[optind];
    int64_t delay = parse_ms(argv[optind + 1]);
    if (delay < 0 || strlen(ifname) >= IFNAMSIZ) usage();

    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "tundelay: cannot open /dev/net/tun: %s\n", strerror(errno));
        return 1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tundelay: cannot attach to TUN device %s: %s\n", ifname, strerror(errno));
        return 1;
    }
    prctl(PR_SET_TIMERSLACK, 1000UL); /* 1 us instead of the default 50 us */

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Signals are blocked except inside ppoll(), so none is missed between a check and the wait. */
    sigset_t blocked, during_poll;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGHUP);
    sigaddset(&blocked, SIGUSR1);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigprocmask(SIG_BLOCK, &blocked, &during_poll);

    struct packet *q = calloc(cap, sizeof *q);
    unsigned char *buf = malloc(MAX_PACKET);
    if (!q || !buf) {
        fprintf(stderr, "tundelay: out of memory\n");
        return 1;
    }
    size_t head = 0, count = 0, peak = 0;
    unsigned long long in = 0, out = 0, dropped_full = 0, write_errors = 0;

    fprintf(stderr, "tundelay: ready on %s, delay %.3f ms, capacity %zu packets\n", ifr.ifr_name, delay / 1e6, cap);
    fflush(stderr);

    while (!got_term) {
        if (got_hup) {
            got_hup = 0;
            int64_t d = control ? read_control(control) : -1;
            if (d >= 0) {
                delay = d;
                fprintf(stderr, "tundelay: delay now %.3f ms\n", delay / 1e6);
            } else {
                fprintf(stderr, "tundelay: SIGHUP ignored: no valid delay in %s\n", control ? control : "(no -f)");
            }
            fflush(stderr);
        }
        if (got_usr1) {
            got_usr1 = 0;
            fprintf(stderr, "tundelay: delay=%.3fms in=%llu out=%llu queued=%zu peak=%zu dropped_full=%llu write_errors=%llu\n",
                    delay / 1e6, in, out, count, peak, dropped_full, write_errors);
            fflush(stderr);
        }

        /* Send everything that is due. */
        int64_t now = now_ns();
        while (count > 0 && q[head].due_ns <= now) {
            struct packet *p = &q[head];
            if (write(fd, p->data, p->len) < 0) write_errors++;
            else out++;
            free(p->data);
            p->data = NULL;
            head = (head + 1) % cap;
            count--;
        }

        /* Wait for a packet to read, the next due time, or a signal. */
        struct timespec ts, *timeout = NULL;
        if (count > 0) {
            int64_t wait = q[head].due_ns - now;
            if (wait < 0) wait = 0;
            ts.tv_sec = wait / 1000000000LL;
            ts.tv_nsec = wait % 1000000000LL;
            timeout = &ts;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int r = ppoll(&pfd, 1, timeout, &during_poll);
        if (r < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "tundelay: poll: %s\n", strerror(errno));
            return 1;
        }
        if (r == 0 || !(pfd.revents & POLLIN)) continue;

        for (int i = 0; i < READ_BATCH; i++) {
            ssize_t n = read(fd, buf, MAX_PACKET);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
                fprintf(stderr, "tundelay: read: %s\n", strerror(errno));
                return 1;
            }
            if (n == 0) break;
            in++;
            int64_t t = now_ns();
            if (delay == 0 && count == 0) { /* nothing ahead of it: straight through */
                if (write(fd, buf, (size_t)n) < 0) write_errors++;
                else out++;
                continue;
            }
            if (count == cap) {
                dropped_full++;
                continue;
            }
            unsigned char *copy = malloc((size_t)n);
            if (!copy) {
                dropped_full++;
                continue;
            }
            memcpy(copy, buf, (size_t)n);
            struct packet *p = &q[(head + count) % cap];
            p->due_ns = t + delay;
            p->len = (uint32_t)n;
            p->data = copy;
            count++;
            if (count > peak) peak = count;
        }
    }
    fprintf(stderr, "tundelay: stopping: in=%llu out=%llu queued=%zu peak=%zu dropped_full=%llu write_errors=%llu\n",
            in, out, count, peak, dropped_full, write_errors);
    return 0;
}
