// LeakSanitizer's report at exit: "ERROR: LeakSanitizer: detected memory leaks", each leak
// with its allocation stack, and a SUMMARY line, after an ordinary line.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static char *copy(const char *s) {
    char *p = malloc(strlen(s) + 1);
    strcpy(p, s);
    return p;
}
int main(void) {
    printf("2026-12-03T10:00:00Z INFO caching 1 entry\n");
    fflush(stdout);
    copy("cache entry");
    return 0;
}
