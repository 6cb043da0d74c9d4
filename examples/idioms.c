/* More of the lesson in C: the idioms c2py-lsp explains beyond lesson.c, with two deliberate
 * mistakes (marked "mistake") so that its diagnostics show too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    int value;
    struct node *next;
};

static struct node *push(struct node *head, int value) {
    struct node *n = malloc(sizeof(struct node));
    if (n == NULL) {
        return head;
    }
    n->value = value;
    n->next = head;
    return n;
}

int main(void) {
    int counts[10];
    memset(counts, 0, 10 * sizeof(int));
    counts[10] = 1; /* mistake: one past the end */

    double *xs = calloc(100, sizeof(double));
    if (!xs) {
        return 1;
    }
    memcpy(xs, xs + 50, 50 * sizeof(double));

    char *greeting = malloc(strlen("hello") + strlen(" world") + 1);
    if (!greeting) {
        free(xs);
        return 1;
    }
    strcpy(greeting, "hello");
    strcat(greeting, " world");
    char *prefix = strndup(greeting, 5);

    struct node *list = push(NULL, 1);
    list = push(list, 2);

    int keep = counts[0] != 0;
    if (!keep) {
        free(xs); /* mistake: freed on one path only, and not reset to NULL */
    }
    printf("%s %s %d\n", greeting, prefix ? prefix : "", counts[0]);
    if (keep) {
        free(xs);
        xs = NULL;
    }
    free(greeting);
    free(prefix);
    while (list) {
        struct node *next = list->next;
        free(list);
        list = next;
    }
    return 0;
}
