/* Labeled corpus: memory leaks. Each function is preceded by its label:
 * `expect: <code>[, <code>]` for the diagnostics it must get, or `expect: clean`. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item { char *name; int *values; int count; };

/* expect: memory-leak */
int leak_early_return(int n) {
  char *buf = malloc(64);
  if (!buf) return -1;
  if (n < 0)
    return -2;
  snprintf(buf, 64, "%d", n);
  puts(buf);
  free(buf);
  return 0;
}

/* expect: memory-leak */
void leak_never_freed(size_t n) {
  int *data = calloc(n, sizeof *data);
  if (data == NULL) return;
  for (size_t i = 0; i < n; i++) data[i] = (int)i;
  printf("%d\n", data[0]);
}

/* expect: memory-leak */
char *leak_second_alloc(const char *a, const char *b) {
  char *x = strdup(a);
  if (!x) return NULL;
  char *y = strdup(b);
  if (!y) return NULL;
  free(y);
  return x;
}

/* expect: memory-leak */
void leak_overwritten(void) {
  char *p = malloc(16);
  if (!p) return;
  strcpy(p, "first");
  p = malloc(32);
  if (!p) return;
  strcpy(p, "second");
  free(p);
}

/* expect: memory-leak */
int leak_in_loop(int rounds) {
  for (int i = 0; i < rounds; i++) {
    char *line = malloc(128);
    if (!line) return -1;
    if (i % 2)
      continue;
    free(line);
  }
  return 0;
}

/* expect: memory-leak */
int leak_goto_skips(int n) {
  char *a = malloc(8);
  if (!a) goto fail;
  char *b = malloc(8);
  if (!b) goto fail;
  if (n > 10) goto fail;
  free(b);
  free(a);
  return 0;
fail:
  free(a);
  return -1;
}

/* expect: memory-leak */
void leak_struct_member(void) {
  struct item *it = malloc(sizeof *it);
  if (!it) return;
  it->name = strdup("x");
  free(it);
}

/* expect: memory-leak */
int leak_switch(int kind) {
  char *msg = malloc(32);
  if (!msg) return -1;
  switch (kind) {
    case 0:
      strcpy(msg, "zero");
      break;
    case 1:
      return 1;
    default:
      strcpy(msg, "other");
  }
  puts(msg);
  free(msg);
  return 0;
}

/* expect: memory-leak */
void leak_set_null(void) {
  int *v = malloc(10 * sizeof(int));
  if (!v) return;
  v[0] = 1;
  v = NULL;
}

/* expect: memory-leak */
int leak_discarded_result(void) {
  malloc(100);
  return 0;
}

/* expect: memory-leak */
int leak_while_error(FILE *f) {
  char *buf = malloc(256);
  if (!buf) return -1;
  while (fgets(buf, 256, f)) {
    if (buf[0] == '#')
      return 1;
  }
  free(buf);
  return 0;
}

/* expect: memory-leak */
int leak_asprintf(int n) {
  char *s;
  if (asprintf(&s, "%d", n) < 0) return -1;
  puts(s);
  return 0;
}

/* expect: memory-leak */
void leak_alias_reassigned(void) {
  char *p = malloc(4);
  if (!p) return;
  char *q = p;
  p = NULL;
  q = NULL;
}

/* expect: memory-leak */
int leak_do_while(int n) {
  int *acc = malloc(sizeof(int));
  if (!acc) return -1;
  *acc = 0;
  do {
    *acc += n;
    if (*acc > 100) return *acc;
    n--;
  } while (n > 0);
  int r = *acc;
  free(acc);
  return r;
}

/* expect: clean */
int clean_all_paths(int n) {
  char *buf = malloc(64);
  if (!buf) return -1;
  if (n < 0) {
    free(buf);
    return -2;
  }
  snprintf(buf, 64, "%d", n);
  free(buf);
  return 0;
}

/* expect: clean */
char *clean_returned(size_t n) {
  char *p = malloc(n + 1);
  if (!p) return NULL;
  memset(p, 0, n + 1);
  return p;
}

/* expect: clean */
int clean_goto_cleanup(int n) {
  int rc = -1;
  char *a = NULL, *b = NULL;
  a = malloc(8);
  if (!a) goto out;
  b = malloc(8);
  if (!b) goto out;
  if (n > 10) goto out;
  rc = 0;
out:
  free(b);
  free(a);
  return rc;
}

/* expect: clean */
void clean_stored_in_struct(struct item *it) {
  char *name = strdup("item");
  if (!name) return;
  it->name = name;
}

/* expect: clean */
int clean_out_param(char **out) {
  char *p = malloc(10);
  if (!p) return -1;
  *out = p;
  return 0;
}

/* expect: clean */
void clean_loop_free(int rounds) {
  for (int i = 0; i < rounds; i++) {
    char *line = malloc(128);
    if (!line) continue;
    if (i % 2) {
      free(line);
      continue;
    }
    free(line);
  }
}

/* expect: clean */
int clean_switch(int kind) {
  char *msg = malloc(32);
  if (!msg) return -1;
  switch (kind) {
    case 0:
      strcpy(msg, "zero");
      break;
    case 1:
      free(msg);
      return 1;
    default:
      strcpy(msg, "other");
  }
  puts(msg);
  free(msg);
  return 0;
}

static char *global_buffer;

/* expect: clean */
void clean_global(void) {
  char *p = malloc(100);
  if (!p) return;
  global_buffer = p;
}

/* expect: clean */
void clean_exit_path(int fatal) {
  char *p = malloc(100);
  if (!p) exit(1);
  if (fatal) {
    fprintf(stderr, "fatal\n");
    exit(2);
  }
  free(p);
}

/* expect: clean */
void clean_members_freed(void) {
  struct item *it = malloc(sizeof *it);
  if (!it) return;
  it->name = strdup("x");
  it->values = malloc(4 * sizeof(int));
  free(it->name);
  free(it->values);
  free(it);
}

/* expect: clean */
void clean_correlated(int keep) {
  char *p = NULL;
  if (keep)
    p = malloc(10);
  if (keep)
    free(p);
}

/* expect: clean */
int clean_asprintf(int n) {
  char *s;
  if (asprintf(&s, "%d", n) < 0) return -1;
  puts(s);
  free(s);
  return 0;
}

/* expect: clean */
void clean_unknown_takes(void (*sink)(void *)) {
  void *p = malloc(10);
  if (!p) return;
  sink(p);
}

/* expect: clean */
void clean_array_of_pointers(char **table, int n) {
  for (int i = 0; i < n; i++) {
    table[i] = malloc(16);
  }
}

/* expect: clean */
int clean_conditional_free(int flag) {
  char *p = malloc(16);
  if (!p) return -1;
  if (flag) {
    free(p);
    p = NULL;
  }
  if (p) free(p);
  return 0;
}
