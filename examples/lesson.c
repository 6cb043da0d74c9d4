/* The C side of the lesson "Memory Management: how memory is allocated and freed".
 * Open it beside lesson.py and hover the allocations. */
#include <stdlib.h>
#include <string.h>

int main(void) {
    /* Stack allocation: automatic */
    int x = 42; /* freed when function returns */

    /* Heap allocation: manual */
    int *arr = malloc(10 * sizeof(int));
    if (!arr) {
        return 1; /* handle allocation failure */
    }
    arr[0] = 1;
    arr[1] = 2;

    /* Resize */
    arr = realloc(arr, 20 * sizeof(int));

    /* Must free to avoid memory leak */
    free(arr);
    arr = NULL; /* avoid dangling pointer */

    /* Dynamic string */
    char *s = strdup("hello");
    free(s);
    return x - 42;
}
