/* Labeled corpus: allocation results used without a NULL check. `expect: <code>` before each
 * function; `expect: clean` for none. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct point { int x, y; };

static struct point *point_new(int x, int y) {
  struct point *p = malloc(sizeof *p);
  if (!p) return NULL;
  p->x = x;
  p->y = y;
  return p;
}

/* expect: unchecked-alloc */
void ua_index(size_t n) {
  int *v = malloc(n * sizeof *v);
  v[0] = 1;
  free(v);
}

/* expect: unchecked-alloc */
void ua_member(void) {
  struct point *p = malloc(sizeof *p);
  p->x = 1;
  free(p);
}

/* expect: unchecked-alloc */
void ua_deref(void) {
  int *p = calloc(1, sizeof *p);
  *p = 7;
  free(p);
}

/* expect: unchecked-alloc */
char *ua_strcpy(const char *s) {
  char *copy = malloc(strlen(s) + 1);
  strcpy(copy, s);
  return copy;
}

/* expect: unchecked-alloc */
void ua_memset(size_t n) {
  char *buf = malloc(n);
  memset(buf, 0, n);
  free(buf);
}

/* expect: unchecked-alloc */
void ua_strdup(const char *s) {
  char *d = strdup(s);
  d[0] = 'X';
  free(d);
}

/* expect: unchecked-alloc */
int ua_wrapper(void) {
  struct point *p = point_new(1, 2);
  int x = p->x;
  free(p);
  return x;
}

/* expect: unchecked-alloc */
void ua_loop_fill(int n) {
  double *xs = malloc((size_t)n * sizeof *xs);
  for (int i = 0; i < n; i++) xs[i] = 0.5 * i;
  free(xs);
}

/* expect: unchecked-alloc */
void ua_realloc_result(char *buf, size_t n) {
  char *bigger = realloc(buf, n);
  bigger[n - 1] = 0;
  free(bigger);
}

/* expect: unchecked-alloc */
void ua_checked_other(void) {
  char *a = malloc(4);
  char *b = malloc(4);
  if (!a) {
    free(b);
    return;
  }
  a[0] = 1;
  b[0] = 2;
  free(a);
  free(b);
}

/* expect: unchecked-alloc */
void ua_memcpy(const char *src, size_t n) {
  char *dst = malloc(n);
  memcpy(dst, src, n);
  free(dst);
}

/* expect: clean */
void clean_checked_return(size_t n) {
  int *v = malloc(n * sizeof *v);
  if (!v) return;
  v[0] = 1;
  free(v);
}

/* expect: clean */
void clean_checked_eq_null(void) {
  struct point *p = malloc(sizeof *p);
  if (p == NULL) {
    perror("malloc");
    return;
  }
  p->x = 1;
  free(p);
}

/* expect: clean */
void clean_checked_if(void) {
  int *p = calloc(1, sizeof *p);
  if (p) {
    *p = 7;
    free(p);
  }
}

/* expect: clean */
void clean_assert(size_t n) {
  char *buf = malloc(n);
  assert(buf);
  memset(buf, 0, n);
  free(buf);
}

/* expect: clean */
void clean_exit_on_null(size_t n) {
  char *buf = malloc(n);
  if (!buf) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  buf[0] = 0;
  free(buf);
}

/* expect: clean */
int clean_assign_in_condition(size_t n) {
  char *buf;
  if ((buf = malloc(n)) == NULL)
    return -1;
  buf[0] = 0;
  free(buf);
  return 0;
}

/* expect: clean */
int clean_wrapper_checked(void) {
  struct point *p = point_new(1, 2);
  if (!p) return -1;
  int x = p->x;
  free(p);
  return x;
}

/* expect: clean */
void clean_checked_both(void) {
  char *a = malloc(4);
  char *b = malloc(4);
  if (!a || !b) {
    free(a);
    free(b);
    return;
  }
  a[0] = 1;
  b[0] = 2;
  free(a);
  free(b);
}

/* expect: clean */
void clean_not_null_early(size_t n) {
  char *buf = malloc(n);
  if (buf != NULL) {
    memset(buf, 0, n);
  }
  free(buf);
}

/* expect: clean */
size_t clean_only_passed_to_free(size_t n) {
  char *buf = malloc(n);
  free(buf);
  return n;
}

/* expect: clean */
void clean_goto_on_null(size_t n) {
  char *buf = malloc(n);
  if (buf == NULL)
    goto fail;
  buf[0] = 0;
  free(buf);
  return;
fail:
  perror("malloc");
}
