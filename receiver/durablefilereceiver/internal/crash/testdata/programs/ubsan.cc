// Undefined behaviour caught by UBSan with a stack: a signed overflow, reported with its
// frames (UBSAN_OPTIONS=print_stacktrace=1), then the program goes on.
#include <climits>
#include <cstdio>

static int add(int a, int b) { return a + b; }

int main() {
    std::printf("2026-12-03T10:00:00Z INFO summing counters\n");
    std::fflush(stdout);
    int total = add(INT_MAX, 1);
    std::fflush(stderr);
    std::printf("2026-12-03T10:00:00Z INFO total %d\n", total);
}
