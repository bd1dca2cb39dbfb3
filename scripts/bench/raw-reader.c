/*
 * The machine's floor for alignment, without Node: a blocking read(2) loop on agent.sock that
 * stamps CLOCK_MONOTONIC as each read returns and does nothing else. raw-reader.ts does the same
 * from Node's event loop; if this program shows the same tail, the tail is the kernel's and the
 * hypervisor's wake-up latency, not Node's. Prints {"rows","p50Us","p99Us","maxUs"} at EOF.
 * Built by the benchmark suite with `cc -O2` (scripts/bench/c-raw-reader.ts).
 */
#define _GNU_SOURCE /* memrchr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char STAMP_KEY[] = "\"t_guest_mono_ns\":";

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int compare_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile p (0 < p <= 100) of n sorted values, as scripts/bench/stats.ts. */
static double percentile_us(const long long *sorted, size_t n, double p) {
  if (n == 0) return 0;
  size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return (double)sorted[rank - 1] / 1e3;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: raw-reader SOCKET\n");
    return 2;
  }
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  strncpy(address.sun_path, argv[1], sizeof(address.sun_path) - 1);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) != 0) {
    perror("connect");
    return 1;
  }
  size_t capacity = 1 << 16, count = 0;
  long long *alignment_ns = malloc(capacity * sizeof *alignment_ns);
  /* A stamp can be cut between two reads: keep the unfinished tail of a read for the next. */
  static char buffer[(1 << 16) + 64];
  size_t kept = 0;
  for (;;) {
    ssize_t got = read(fd, buffer + kept, sizeof(buffer) - 1 - kept);
    long long read_ns = now_ns();
    if (got <= 0) break;
    size_t length = kept + (size_t)got;
    buffer[length] = '\0';
    char *cursor = buffer, *found;
    char *last_newline = memrchr(buffer, '\n', length);
    size_t whole = last_newline == NULL ? 0 : (size_t)(last_newline - buffer) + 1;
    while ((found = strstr(cursor, STAMP_KEY)) != NULL && (size_t)(found - buffer) < whole) {
      long long sent_ns = strtoll(found + sizeof(STAMP_KEY) - 1, &cursor, 10);
      if (count == capacity) alignment_ns = realloc(alignment_ns, (capacity *= 2) * sizeof *alignment_ns);
      alignment_ns[count++] = read_ns - sent_ns;
    }
    kept = length - whole;
    memmove(buffer, buffer + whole, kept);
    if (kept > sizeof(buffer) / 2) kept = 0; /* never a row this long: drop it */
  }
  qsort(alignment_ns, count, sizeof *alignment_ns, compare_ll);
  printf("{\"rows\":%zu,\"p50Us\":%.3f,\"p99Us\":%.3f,\"maxUs\":%.3f}\n", count, percentile_us(alignment_ns, count, 50),
         percentile_us(alignment_ns, count, 99), percentile_us(alignment_ns, count, 100));
  return 0;
}
