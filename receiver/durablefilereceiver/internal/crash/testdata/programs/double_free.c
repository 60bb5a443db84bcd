// A double free: glibc prints one line and aborts.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("2026-12-03T10:00:00Z INFO freeing buffers\n");
    fflush(stdout);
    char *p = malloc(32);
    free(p);
    free(p);
    return 0;
}
