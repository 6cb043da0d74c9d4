/* Labeled corpus: free of memory that malloc did not return. `expect: <code>` before each
 * function; `expect: clean` for none. */
#include <stdlib.h>
#include <string.h>

struct pair { int a, b; };

/* expect: free-non-heap */
void fnh_stack_array(void) {
  char buf[64];
  strcpy(buf, "x");
  free(buf);
}

/* expect: free-non-heap */
void fnh_literal(void) {
  char *s = "constant";
  free(s);
}

/* expect: free-non-heap */
void fnh_address_of_local(void) {
  int x = 3;
  int *p = &x;
  free(p);
}

/* expect: free-non-heap */
void fnh_interior_increment(void) {
  char *p = malloc(16);
  if (!p) return;
  p++;
  free(p);
}

/* expect: free-non-heap */
void fnh_interior_offset(void) {
  int *v = malloc(10 * sizeof *v);
  if (!v) return;
  free(v + 2);
}

/* expect: free-non-heap */
void fnh_struct_local(void) {
  struct pair pr = {1, 2};
  free(&pr);
}

/* expect: free-non-heap */
void fnh_array_element(void) {
  int nums[8] = {0};
  free(&nums[1]);
}

/* expect: free-non-heap */
void fnh_walked_pointer(const char *src) {
  char *s = strdup(src);
  if (!s) return;
  while (*s == ' ')
    s++;
  free(s);
}

/* expect: free-non-heap */
void fnh_literal_direct(void) {
  free("text");
}

/* expect: free-non-heap */
void fnh_stack_alias(int big) {
  char small[16];
  char *p = small;
  if (big) {
    p = malloc(1024);
    if (!p) return;
  }
  free(p);
}

/* expect: clean */
void clean_heap_start(void) {
  char *p = malloc(16);
  if (!p) return;
  char *cursor = p;
  cursor++;
  *cursor = 0;
  free(p);
}

/* expect: clean */
void clean_stack_no_free(void) {
  char buf[64];
  strcpy(buf, "x");
}

/* expect: clean */
void clean_choose_heap(int big) {
  char small[16];
  char *p = small;
  if (big) {
    p = malloc(1024);
    if (!p) return;
  }
  p[0] = 0;
  if (p != small) free(p);
}

/* expect: clean */
void clean_param_free(char *owned) {
  free(owned);
}

/* expect: clean */
void clean_back_to_start(void) {
  char *p = malloc(8);
  if (!p) return;
  char *start = p;
  p += 4;
  *p = 0;
  free(start);
}

/* expect: clean */
void clean_free_array_element(char **items, int n) {
  for (int i = 0; i < n; i++) free(items[i]);
  free(items);
}
