/* Labeled corpus: other coding styles — typedefs, macros, do/while(0), ternaries, nested loops,
 * flags, arrays of pointers, out-parameters. `expect: <code>` before each function; `expect: clean`. */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Buffer { unsigned char *bytes; size_t size; } Buffer;
typedef struct Person { char *name; int age; struct Person *friend_; } Person;

#define NEW(T) ((T *)malloc(sizeof(T)))
#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

static void die(const char *msg) {
  fprintf(stderr, "%s\n", msg);
  exit(1);
}

static void *checked_malloc(size_t n) {
  void *p = malloc(n);
  if (!p) die("out of memory");
  return p;
}

static void person_destroy(Person *p) {
  if (p == NULL) return;
  free(p->name);
  free(p);
}

/* expect: clean */
Buffer *buffer_new(size_t size) {
  Buffer *b = NEW(Buffer);
  if (!b) return NULL;
  b->bytes = calloc(size, 1);
  if (!b->bytes) {
    free(b);
    return NULL;
  }
  b->size = size;
  return b;
}

/* expect: memory-leak */
Buffer *buffer_new_leak(size_t size) {
  Buffer *b = NEW(Buffer);
  if (!b) return NULL;
  b->bytes = calloc(size, 1);
  if (!b->bytes || size == 0) {
    free(b);
    return NULL;
  }
  b->size = size;
  return b;
}

/* expect: clean */
void buffer_free(Buffer *b) {
  if (!b) return;
  free(b->bytes);
  free(b);
}

/* expect: clean */
int use_checked_malloc(size_t n) {
  char *p = checked_malloc(n);
  p[0] = 0;
  free(p);
  return 0;
}

/* expect: memory-leak */
int use_checked_malloc_leak(size_t n) {
  char *p = checked_malloc(n);
  p[0] = 0;
  if (n > 100) return 1;
  free(p);
  return 0;
}

/* expect: clean */
void macro_free_null(void) {
  char *p = malloc(10);
  if (!p) return;
  FREE_AND_NULL(p);
  free(p);
}

/* expect: clean */
Person *person_new(const char *name, int age) {
  Person *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->name = strdup(name);
  if (!p->name) {
    free(p);
    return NULL;
  }
  p->age = age;
  return p;
}

/* expect: double-free */
void person_pair_bad(void) {
  Person *a = person_new("a", 1);
  if (!a) return;
  Person *b = a;
  person_destroy(a);
  person_destroy(b);
}

/* expect: use-after-free */
int person_age_after_destroy(void) {
  Person *a = person_new("a", 30);
  if (!a) return -1;
  person_destroy(a);
  return a->age;
}

/* expect: clean */
int person_age(void) {
  Person *a = person_new("a", 30);
  if (!a) return -1;
  int age = a->age;
  person_destroy(a);
  return age;
}

/* expect: memory-leak */
void person_leak(void) {
  Person *a = person_new("a", 30);
  if (!a) return;
  printf("%s\n", a->name);
}

/* expect: clean */
char *ternary_alloc(int big) {
  char *p = big ? malloc(1024) : malloc(16);
  return p;
}

/* expect: clean */
int nested_loops(int rows, int cols) {
  int total = 0;
  for (int r = 0; r < rows; r++) {
    int *row = malloc((size_t)cols * sizeof *row);
    if (!row) return -1;
    for (int c = 0; c < cols; c++) {
      row[c] = r * c;
      if (row[c] < 0) break;
      total += row[c];
    }
    free(row);
  }
  return total;
}

/* expect: memory-leak */
int nested_loops_leak(int rows, int cols) {
  int total = 0;
  for (int r = 0; r < rows; r++) {
    int *row = malloc((size_t)cols * sizeof *row);
    if (!row) return -1;
    for (int c = 0; c < cols; c++) {
      row[c] = r * c;
      if (row[c] > 1000) return total;
      total += row[c];
    }
    free(row);
  }
  return total;
}

/* expect: clean */
bool out_param_ok(const char *s, char **out) {
  char *copy = strdup(s);
  if (copy == NULL) return false;
  *out = copy;
  return true;
}

/* expect: clean */
void array_of_pointers(void) {
  char *names[3] = {NULL, NULL, NULL};
  names[0] = strdup("a");
  names[1] = strdup("b");
  names[2] = strdup("c");
  for (int i = 0; i < 3; i++) free(names[i]);
}

/* expect: clean */
int flag_owned(const char *arg) {
  bool owned = false;
  char *s = (char *)arg;
  if (arg == NULL) {
    s = strdup("default");
    if (!s) return -1;
    owned = true;
  }
  puts(s);
  if (owned) free(s);
  return 0;
}

/* expect: double-free */
int flag_owned_wrong(const char *arg) {
  char *s = strdup(arg ? arg : "default");
  if (!s) return -1;
  bool done = false;
  if (strlen(s) > 3) {
    free(s);
    done = true;
  }
  puts(done ? "long" : "short");
  free(s);
  return 0;
}

/* expect: unchecked-alloc */
void unchecked_macro(void) {
  Person *p = NEW(Person);
  p->age = 1;
  p->name = NULL;
  person_destroy(p);
}

/* expect: clean */
void checked_assert(void) {
  Person *p = NEW(Person);
  assert(p != NULL);
  p->age = 1;
  p->name = NULL;
  person_destroy(p);
}

/* expect: use-after-free */
void uaf_after_many_iterations(void) {
  int *counts = calloc(64, sizeof *counts);
  if (!counts) return;
  free(counts);
  int sum = 0;
  for (int i = 0; i < 64; i++) sum += i;
  counts[0] = sum;
}

/* expect: double-free */
void double_free_struct_copy(void) {
  Buffer a = {0};
  a.bytes = malloc(16);
  if (!a.bytes) return;
  a.size = 16;
  Buffer copy = a;
  free(copy.bytes);
  free(a.bytes);
}

/* expect: clean */
void struct_copy_then_null(void) {
  Buffer a = {0};
  a.bytes = malloc(16);
  if (!a.bytes) return;
  Buffer copy = a;
  a.bytes = NULL;
  free(copy.bytes);
  free(a.bytes);
}

/* expect: clean */
void do_while_zero(int fail) {
  char *p = malloc(8);
  do {
    if (!p) break;
    if (fail) break;
    p[0] = 1;
  } while (0);
  free(p);
}

/* expect: memory-leak */
int early_continue_leak(int n) {
  int count = 0;
  while (n-- > 0) {
    char *s = malloc(32);
    if (!s) break;
    snprintf(s, 32, "%d", n);
    if (s[0] == '7') continue;
    count++;
    free(s);
  }
  return count;
}

/* expect: free-non-heap */
void free_field_of_stack_struct(void) {
  Buffer local;
  unsigned char storage[32];
  local.bytes = storage;
  local.size = sizeof storage;
  free(local.bytes);
}

/* expect: clean */
void free_field_heap(void) {
  Buffer local;
  local.bytes = malloc(32);
  local.size = 32;
  free(local.bytes);
}

/* expect: unchecked-alloc */
size_t unchecked_strlen(const char *s) {
  char *d = strdup(s);
  size_t n = strlen(d);
  free(d);
  return n;
}

/* expect: clean */
size_t checked_strlen(const char *s) {
  char *d = strdup(s);
  if (!d) return 0;
  size_t n = strlen(d);
  free(d);
  return n;
}
