/* expect: dangling-pointer */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int *p = malloc(4 * sizeof *p);
    if (!p) return 1;
    p[0] = 7;
    int first = p[0];
    if (first > 0) {
        free(p);
    }
    printf("%d\n", first);
    if (first <= 0) {
        free(p);
    }
    return 0;
}
