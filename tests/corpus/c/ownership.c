/* Labeled corpus: ownership that moves around — builders with tail pointers, trees freed
 * recursively, helpers defined after their callers, caches, infinite loops with breaks.
 * `expect: <code>` before each function; `expect: clean` for none. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tree { struct tree *left, *right; char *label; };
struct link { struct link *next; int v; };
struct pair_s { char *first; char *second; };

static void tree_free(struct tree *t);
static char *dup_upper(const char *s);

/* expect: clean */
struct link *build_list(int n) {
  struct link *head = NULL;
  struct link **tail = &head;
  for (int i = 0; i < n; i++) {
    struct link *node = malloc(sizeof *node);
    if (!node) break;
    node->v = i;
    node->next = NULL;
    *tail = node;
    tail = &node->next;
  }
  return head;
}

/* expect: clean */
static void tree_free(struct tree *t) {
  if (!t) return;
  tree_free(t->left);
  tree_free(t->right);
  free(t->label);
  free(t);
}

/* expect: clean */
struct tree *tree_leaf(const char *label) {
  struct tree *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->label = strdup(label);
  if (!t->label) {
    tree_free(t);
    return NULL;
  }
  return t;
}

/* expect: use-after-free */
const char *tree_label_after_free(void) {
  struct tree *t = tree_leaf("x");
  if (!t) return NULL;
  tree_free(t);
  return t->label;
}

/* expect: clean */
int use_dup_upper(const char *s) {
  char *u = dup_upper(s);
  if (!u) return -1;
  puts(u);
  free(u);
  return 0;
}

/* expect: memory-leak */
int use_dup_upper_leak(const char *s) {
  char *u = dup_upper(s);
  if (!u) return -1;
  puts(u);
  return 0;
}

/* expect: clean */
static char *dup_upper(const char *s) {
  size_t n = strlen(s);
  char *out = malloc(n + 1);
  if (!out) return NULL;
  for (size_t i = 0; i <= n; i++) out[i] = (char)((s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i]);
  return out;
}

/* expect: clean */
const char *cached_name(void) {
  static char *cache = NULL;
  if (!cache) cache = strdup("name");
  return cache;
}

/* expect: clean */
int read_loop(FILE *f) {
  char *buf = malloc(64);
  if (!buf) return -1;
  int lines = 0;
  for (;;) {
    if (!fgets(buf, 64, f)) break;
    lines++;
  }
  free(buf);
  return lines;
}

/* expect: memory-leak */
int read_loop_leak(FILE *f) {
  char *buf = malloc(64);
  if (!buf) return -1;
  int lines = 0;
  while (1) {
    if (!fgets(buf, 64, f)) return lines;
    lines++;
  }
}

/* expect: clean */
struct pair_s make_pair(void) {
  struct pair_s p = {NULL, NULL};
  p.first = strdup("a");
  p.second = strdup("b");
  return p;
}

/* expect: clean */
void pair_free(struct pair_s *p) {
  free(p->first);
  free(p->second);
  p->first = p->second = NULL;
}

/* expect: clean */
void use_pair(void) {
  struct pair_s p = make_pair();
  pair_free(&p);
}

/* expect: clean */
int tokens(const char *text) {
  char *copy = strdup(text);
  if (!copy) return -1;
  int n = 0;
  for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) n++;
  free(copy);
  return n;
}

/* expect: clean */
void free_all(struct link *l) {
  while (l != NULL) {
    struct link *dead = l;
    l = l->next;
    free(dead);
  }
}

/* expect: double-free */
void free_all_twice(struct link *l) {
  struct link *first = l;
  free_all(l);
  free(first);
}

/* expect: clean */
int retry_alloc(size_t n) {
  char *p = NULL;
  for (int attempt = 0; attempt < 3 && !p; attempt++) p = malloc(n);
  if (!p) return -1;
  p[0] = 0;
  free(p);
  return 0;
}

/* expect: clean */
char *choose(const char *a, const char *b, int first) {
  char *x = strdup(a);
  char *y = strdup(b);
  if (!x || !y) {
    free(x);
    free(y);
    return NULL;
  }
  if (first) {
    free(y);
    return x;
  }
  free(x);
  return y;
}

/* expect: memory-leak */
char *choose_leak(const char *a, const char *b, int first) {
  char *x = strdup(a);
  char *y = strdup(b);
  if (!x || !y) {
    free(x);
    free(y);
    return NULL;
  }
  if (first) return x;
  free(x);
  return y;
}

/* expect: clean */
void array_struct_members(int n) {
  struct pair_s items[4];
  for (int i = 0; i < 4; i++) {
    items[i].first = malloc(8);
    items[i].second = NULL;
  }
  for (int i = 0; i < 4; i++) free(items[i].first);
  (void)n;
}

/* expect: clean */
int pointer_to_pointer(void) {
  char *p = NULL;
  char **pp = &p;
  *pp = malloc(10);
  if (!p) return -1;
  free(p);
  return 0;
}

/* expect: clean */
void conditional_owner(int heap) {
  char stackbuf[32];
  char *buf = heap ? malloc(32) : stackbuf;
  if (!buf) return;
  buf[0] = 0;
  if (heap) free(buf);
}
