/* Labeled corpus: code shaped like real programs (lists, tables, builders, parsers, cleanup
 * labels, ownership handed around). `expect: <code>` before each function; `expect: clean`. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry { char *key; char *value; struct entry *next; };
struct table { struct entry **buckets; size_t nbuckets; size_t count; };
struct sb { char *data; size_t len, cap; };
struct list { struct entry *head; };

static size_t hash(const char *s) {
  size_t h = 5381;
  while (*s) h = h * 33 + (unsigned char)*s++;
  return h;
}

static struct entry *entry_new(const char *key, const char *value) {
  struct entry *e = malloc(sizeof *e);
  if (!e) return NULL;
  e->key = strdup(key);
  e->value = strdup(value);
  if (!e->key || !e->value) {
    free(e->key);
    free(e->value);
    free(e);
    return NULL;
  }
  e->next = NULL;
  return e;
}

static void entry_free(struct entry *e) {
  if (!e) return;
  free(e->key);
  free(e->value);
  free(e);
}

/* expect: clean */
struct table *table_new(size_t n) {
  struct table *t = malloc(sizeof *t);
  if (!t) return NULL;
  t->buckets = calloc(n, sizeof *t->buckets);
  if (!t->buckets) {
    free(t);
    return NULL;
  }
  t->nbuckets = n;
  t->count = 0;
  return t;
}

/* expect: memory-leak */
struct table *table_new_leaky(size_t n) {
  struct table *t = malloc(sizeof *t);
  if (!t) return NULL;
  t->buckets = calloc(n, sizeof *t->buckets);
  if (!t->buckets)
    return NULL;
  t->nbuckets = n;
  t->count = 0;
  return t;
}

/* expect: clean */
int table_put(struct table *t, const char *key, const char *value) {
  struct entry *e = entry_new(key, value);
  if (!e) return -ENOMEM;
  size_t b = hash(key) % t->nbuckets;
  e->next = t->buckets[b];
  t->buckets[b] = e;
  t->count++;
  return 0;
}

/* expect: clean */
void table_free(struct table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->nbuckets; i++) {
    struct entry *e = t->buckets[i];
    while (e) {
      struct entry *next = e->next;
      entry_free(e);
      e = next;
    }
  }
  free(t->buckets);
  free(t);
}

/* expect: use-after-free */
void table_free_bad(struct table *t) {
  for (size_t i = 0; i < t->nbuckets; i++) {
    struct entry *e = t->buckets[i];
    while (e) {
      entry_free(e);
      e = e->next;
    }
  }
  free(t->buckets);
  free(t);
}

/* expect: clean */
int sb_append(struct sb *b, const char *s) {
  size_t n = strlen(s);
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 16;
    while (cap < b->len + n + 1) cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) return -1;
    b->data = data;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n + 1);
  b->len += n;
  return 0;
}

/* expect: realloc-leak */
int sb_append_bad(struct sb *b, const char *s) {
  size_t n = strlen(s);
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->data = realloc(b->data, b->cap);
    if (b->data == NULL) return -1;
  }
  memcpy(b->data + b->len, s, n + 1);
  b->len += n;
  return 0;
}

/* expect: clean */
char *sb_steal(struct sb *b) {
  char *out = b->data;
  b->data = NULL;
  b->len = b->cap = 0;
  return out;
}

/* expect: clean */
char *read_file(const char *path, size_t *size_out) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *data = NULL;
  size_t len = 0, cap = 0;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (len + got > cap) {
      size_t ncap = cap ? cap * 2 : 8192;
      while (ncap < len + got) ncap *= 2;
      char *ndata = realloc(data, ncap);
      if (!ndata) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = ndata;
      cap = ncap;
    }
    memcpy(data + len, chunk, got);
    len += got;
  }
  fclose(f);
  *size_out = len;
  return data;
}

/* expect: memory-leak */
char *read_file_leaky(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *data = malloc(4096);
  if (!data) {
    fclose(f);
    return NULL;
  }
  size_t got = fread(data, 1, 4095, f);
  if (ferror(f)) {
    fclose(f);
    return NULL;
  }
  data[got] = 0;
  fclose(f);
  return data;
}

/* expect: clean */
char **split_words(const char *text, size_t *count) {
  size_t cap = 8, n = 0;
  char **words = malloc(cap * sizeof *words);
  if (!words) return NULL;
  const char *p = text;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *start = p;
    while (*p && *p != ' ') p++;
    if (n == cap) {
      char **bigger = realloc(words, 2 * cap * sizeof *words);
      if (!bigger) {
        for (size_t i = 0; i < n; i++) free(words[i]);
        free(words);
        return NULL;
      }
      words = bigger;
      cap *= 2;
    }
    words[n] = strndup(start, (size_t)(p - start));
    if (!words[n]) {
      for (size_t i = 0; i < n; i++) free(words[i]);
      free(words);
      return NULL;
    }
    n++;
  }
  *count = n;
  return words;
}

/* expect: clean */
int parse_config(const char *path, struct table *t) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char *line = NULL;
  size_t cap = 0;
  int rc = 0;
  while (getline(&line, &cap, f) != -1) {
    char *eq = strchr(line, '=');
    if (!eq) continue;
    *eq = 0;
    if (table_put(t, line, eq + 1) != 0) {
      rc = -1;
      break;
    }
  }
  free(line);
  fclose(f);
  return rc;
}

/* expect: memory-leak */
int parse_config_leaky(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char *line = NULL;
  size_t cap = 0;
  int lines = 0;
  while (getline(&line, &cap, f) != -1) lines++;
  fclose(f);
  return lines;
}

/* expect: clean */
int process(const char *name) {
  int rc = -1;
  char *copy = NULL;
  char *upper = NULL;
  copy = strdup(name);
  if (!copy) goto done;
  upper = malloc(strlen(name) + 1);
  if (!upper) goto done;
  for (size_t i = 0; copy[i]; i++) upper[i] = (char)(copy[i] & ~0x20);
  upper[strlen(copy)] = 0;
  puts(upper);
  rc = 0;
done:
  free(upper);
  free(copy);
  return rc;
}

/* expect: double-free */
int process_double(const char *name) {
  int rc = -1;
  char *copy = strdup(name);
  if (!copy) goto done;
  if (strlen(copy) > 10) {
    free(copy);
    goto done;
  }
  puts(copy);
  rc = 0;
done:
  free(copy);
  return rc;
}

/* expect: clean */
void list_push(struct list *l, struct entry *e) {
  e->next = l->head;
  l->head = e;
}

/* expect: clean */
int list_add(struct list *l, const char *k) {
  struct entry *e = entry_new(k, "");
  if (!e) return -1;
  list_push(l, e);
  return 0;
}

/* expect: clean */
struct entry *list_pop(struct list *l) {
  struct entry *e = l->head;
  if (e) l->head = e->next;
  return e;
}

/* expect: clean */
void list_clear(struct list *l) {
  struct entry *e;
  while ((e = list_pop(l)) != NULL) entry_free(e);
}

/* expect: use-after-free */
const char *list_first_key(struct list *l) {
  struct entry *e = list_pop(l);
  if (!e) return NULL;
  entry_free(e);
  return e->key;
}

/* expect: clean */
int with_callback(void (*cb)(char *, void *), void *ctx) {
  char *msg = strdup("event");
  if (!msg) return -1;
  cb(msg, ctx);
  free(msg);
  return 0;
}

/* expect: clean */
bool try_alloc_pair(char **a, char **b) {
  *a = malloc(8);
  *b = malloc(8);
  if (!*a || !*b) {
    free(*a);
    free(*b);
    return false;
  }
  return true;
}

/* expect: unchecked-alloc */
struct entry *make_blank(void) {
  struct entry *e = malloc(sizeof *e);
  e->key = NULL;
  e->value = NULL;
  e->next = NULL;
  return e;
}

/* expect: clean */
int sum_squares(int n) {
  int *sq = malloc((size_t)n * sizeof *sq);
  if (sq == NULL) return -1;
  int total = 0;
  for (int i = 0; i < n; i++) {
    sq[i] = i * i;
    total += sq[i];
  }
  free(sq);
  return total;
}

/* expect: memory-leak */
int sum_squares_early(int n, int limit) {
  int *sq = malloc((size_t)n * sizeof *sq);
  if (sq == NULL) return -1;
  int total = 0;
  for (int i = 0; i < n; i++) {
    sq[i] = i * i;
    total += sq[i];
    if (total > limit) return limit;
  }
  free(sq);
  return total;
}

/* expect: clean */
char *join_path(const char *dir, const char *file) {
  size_t n = strlen(dir) + strlen(file) + 2;
  char *out = malloc(n);
  if (!out) return NULL;
  snprintf(out, n, "%s/%s", dir, file);
  return out;
}

/* expect: clean */
void use_join(void) {
  char *p = join_path("/tmp", "x");
  if (!p) return;
  puts(p);
  free(p);
}

/* expect: memory-leak */
void use_join_leak(void) {
  char *p = join_path("/tmp", "x");
  if (!p) return;
  puts(p);
}

/* expect: free-non-heap */
void free_default_name(int custom) {
  char *name = "default";
  if (custom) {
    name = strdup("custom");
    if (!name) return;
  }
  puts(name);
  free(name);
}

/* expect: clean */
void free_custom_name(int custom) {
  char *name = "default";
  char *owned = NULL;
  if (custom) {
    owned = strdup("custom");
    if (!owned) return;
    name = owned;
  }
  puts(name);
  free(owned);
}

/* expect: clean */
int matrix_sum(int rows, int cols) {
  int **m = malloc((size_t)rows * sizeof *m);
  if (!m) return -1;
  for (int r = 0; r < rows; r++) {
    m[r] = calloc((size_t)cols, sizeof **m);
    if (!m[r]) {
      while (r-- > 0) free(m[r]);
      free(m);
      return -1;
    }
  }
  int s = 0;
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++) s += m[r][c];
    free(m[r]);
  }
  free(m);
  return s;
}

/* expect: clean */
void swap_buffers(char **a, char **b) {
  char *t = *a;
  *a = *b;
  *b = t;
}

/* expect: clean */
int state_machine(const char *input) {
  char *token = NULL;
  int state = 0;
  for (const char *p = input; *p; p++) {
    switch (state) {
      case 0:
        if (*p == '<') {
          token = malloc(64);
          if (!token) return -1;
          state = 1;
        }
        break;
      case 1:
        if (*p == '>') {
          free(token);
          token = NULL;
          state = 0;
        }
        break;
    }
  }
  free(token);
  return state;
}
