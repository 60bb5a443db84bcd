// A SIGSEGV handler that prints glibc's backtrace_symbols_fd before dying: one line a frame,
// "binary(+0x1189)[0x55...]", after the handler's own message and an ordinary line.
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void on_segv(int sig) {
    void *frames[32];
    int n = backtrace(frames, 32);
    fprintf(stderr, "fatal: signal %d (SIGSEGV), backtrace:\n", sig);
    backtrace_symbols_fd(frames, n, 2);
    _exit(139);
}
static int deref(int *p) { return *p; }
int main(void) {
    signal(SIGSEGV, on_segv);
    printf("2026-12-03T10:00:00Z INFO reading config\n");
    fflush(stdout);
    return deref(NULL);
}
