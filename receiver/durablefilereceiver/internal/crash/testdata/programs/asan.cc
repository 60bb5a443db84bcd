// AddressSanitizer finds a heap use after free and reports it, then the program dies.
#include <cstdio>
static int read_after_free() { int *p = new int[4]; delete[] p; return p[1]; }
int main() {
    std::printf("2026-12-03 10:00:00 INFO decoding frame\n");
    std::fflush(stdout);
    return read_after_free();
}
