// ThreadSanitizer's data race report: "WARNING: ThreadSanitizer: data race", the two
// accesses with their stacks, where the thread was created, and a SUMMARY line, after an
// ordinary line.
#include <pthread.h>
#include <stdio.h>
static int hits;
static void *count(void *arg) { hits++; return arg; }
int main(void) {
    printf("2026-12-03T10:00:00Z INFO counting hits\n");
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, count, NULL);
    hits++;
    pthread_join(t, NULL);
    printf("2026-12-03T10:00:01Z INFO hits=%d\n", hits);
    return 0;
}
