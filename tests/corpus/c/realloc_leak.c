/* Labeled corpus: realloc that loses the only pointer on failure. `expect: <code>` before each
 * function; `expect: clean` for none. */
#include <stdlib.h>
#include <string.h>

struct vec { int *items; size_t len, cap; };

/* expect: realloc-leak */
int rl_grow(int *arr, size_t n) {
  arr = realloc(arr, n * sizeof *arr);
  if (!arr) return -1;
  free(arr);
  return 0;
}

/* expect: realloc-leak */
int rl_member(struct vec *v) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = realloc(v->items, v->cap * sizeof *v->items);
    if (!v->items) return -1;
  }
  v->items[v->len++] = 0;
  return 0;
}

/* expect: realloc-leak */
char *rl_local(size_t n) {
  char *buf = malloc(n);
  if (!buf) return NULL;
  buf = realloc(buf, 2 * n);
  return buf;
}

/* expect: realloc-leak */
int rl_loop(int count) {
  char *s = malloc(1);
  if (!s) return -1;
  s[0] = 0;
  for (int i = 0; i < count; i++) {
    s = realloc(s, (size_t)i + 2);
    if (!s) return -1;
    s[i] = 'a';
    s[i + 1] = 0;
  }
  free(s);
  return 0;
}

/* expect: realloc-leak */
void rl_indexed(char **lines, size_t n) {
  lines[0] = realloc(lines[0], n);
}

/* expect: clean */
int clean_temp(struct vec *v) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    int *items = realloc(v->items, cap * sizeof *items);
    if (!items) return -1;
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = 0;
  return 0;
}

/* expect: clean */
char *clean_temp_free_old(char *buf, size_t n) {
  char *grown = realloc(buf, n);
  if (grown == NULL) {
    free(buf);
    return NULL;
  }
  return grown;
}

/* expect: clean */
int clean_temp_loop(int count) {
  char *s = malloc(1);
  if (!s) return -1;
  for (int i = 0; i < count; i++) {
    char *t = realloc(s, (size_t)i + 2);
    if (!t) {
      free(s);
      return -1;
    }
    s = t;
    s[i] = 'a';
  }
  free(s);
  return 0;
}

/* expect: clean */
void *clean_realloc_fresh(size_t n) {
  void *p = realloc(NULL, n);
  return p;
}
