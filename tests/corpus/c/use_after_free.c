/* Labeled corpus: use after free. `expect: <code>` before each function; `expect: clean` for none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; int value; char *name; };

static void destroy(struct node *n) { free(n); }

/* expect: use-after-free */
int uaf_read(void) {
  int *p = malloc(sizeof *p);
  if (!p) return -1;
  *p = 42;
  free(p);
  return *p;
}

/* expect: use-after-free */
void uaf_write(void) {
  char *s = malloc(8);
  if (!s) return;
  free(s);
  s[0] = 'x';
}

/* expect: use-after-free */
void uaf_passed(void) {
  char *s = strdup("hello");
  if (!s) return;
  free(s);
  printf("%s\n", s);
}

/* expect: use-after-free */
int uaf_member(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return -1;
  n->value = 1;
  free(n);
  return n->value;
}

/* expect: use-after-free */
void uaf_list_bad_free(struct node *head) {
  struct node *n = malloc(sizeof *n);
  if (!n) return;
  n->next = head;
  for (struct node *it = n; it; it = it->next) {
    free(it);
  }
}

/* expect: use-after-free */
void uaf_after_loop(int count) {
  int *v = malloc(16 * sizeof *v);
  if (!v) return;
  for (int i = 0; i < 16; i++) v[i] = i;
  free(v);
  for (int i = 0; i < count; i++) {
    if (i > 8) printf("%d\n", v[i]);
  }
}

/* expect: use-after-free */
void uaf_alias(void) {
  char *a = malloc(10);
  if (!a) return;
  char *b = a;
  free(a);
  strcpy(b, "x");
}

/* expect: use-after-free */
int uaf_wrapper(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return 0;
  n->value = 3;
  destroy(n);
  return n->value;
}

/* expect: use-after-free */
void uaf_conditional(int flag) {
  char *p = malloc(10);
  if (!p) return;
  if (flag)
    free(p);
  p[0] = 0;
  if (!flag) free(p);
}

/* expect: use-after-free */
void uaf_realloc_old(size_t n) {
  char *p = malloc(n);
  if (!p) return;
  char *q = realloc(p, n * 2);
  if (!q) {
    free(p);
    return;
  }
  p[0] = 'a';
  free(q);
}

/* expect: use-after-free */
void uaf_memcpy(const char *src) {
  char *dst = malloc(32);
  if (!dst) return;
  free(dst);
  memcpy(dst, src, 8);
}

/* expect: use-after-free */
int uaf_long_loop(void) {
  int *p = malloc(100 * sizeof(int));
  if (!p) return 0;
  int sum = 0;
  for (int i = 0; i < 100; i++) p[i] = i;
  free(p);
  for (int i = 0; i < 10; i++) sum += i;
  return sum + p[0];
}

/* expect: clean */
int clean_read_then_free(void) {
  int *p = malloc(sizeof *p);
  if (!p) return -1;
  *p = 42;
  int v = *p;
  free(p);
  return v;
}

/* expect: clean */
void clean_list_free_next(struct node *head) {
  struct node *it = head;
  while (it) {
    struct node *next = it->next;
    free(it);
    it = next;
  }
}

/* expect: clean */
void clean_reassign_after_free(void) {
  char *s = malloc(8);
  if (!s) return;
  free(s);
  s = malloc(8);
  if (!s) return;
  s[0] = 'x';
  free(s);
}

/* expect: clean */
void clean_null_compare_after_free(void) {
  char *p = malloc(8);
  if (!p) return;
  free(p);
  if (p == NULL) puts("never");
}

/* expect: clean */
void clean_conditional_exclusive(int flag) {
  char *p = malloc(10);
  if (!p) return;
  if (flag) {
    free(p);
    return;
  }
  p[0] = 0;
  free(p);
}

/* expect: clean */
void clean_realloc_new(size_t n) {
  char *p = malloc(n);
  if (!p) return;
  char *q = realloc(p, n * 2);
  if (!q) {
    free(p);
    return;
  }
  p = q;
  p[0] = 'a';
  free(p);
}

/* expect: clean */
int clean_copy_before_free(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return 0;
  n->value = 3;
  int v = n->value;
  destroy(n);
  return v;
}

/* expect: clean */
void clean_loop_fresh(int rounds) {
  for (int i = 0; i < rounds; i++) {
    char *p = malloc(4);
    if (!p) break;
    p[0] = (char)i;
    free(p);
  }
}

/* expect: clean */
void clean_free_member_then_struct(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return;
  n->name = strdup("n");
  free(n->name);
  n->name = NULL;
  free(n);
}

/* expect: clean */
void clean_sizeof_after_free(void) {
  int *p = malloc(sizeof *p);
  if (!p) return;
  free(p);
  p = malloc(sizeof *p);
  if (p) free(p);
}
