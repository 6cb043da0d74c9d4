/* Labeled corpus: double free. `expect: <code>` before each function; `expect: clean` for none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buffer { char *data; size_t len; };
struct node { struct node *next; char *text; };

static void release(char *p) { free(p); }

static void node_free(struct node *n) {
  if (!n) return;
  free(n->text);
  free(n);
}

/* expect: double-free */
void df_simple(void) {
  char *p = malloc(10);
  if (!p) return;
  free(p);
  free(p);
}

/* expect: double-free */
void df_alias(void) {
  char *p = malloc(10);
  if (!p) return;
  char *q = p;
  free(p);
  free(q);
}

/* expect: double-free */
void df_struct_copy(void) {
  struct buffer a;
  a.data = malloc(32);
  a.len = 32;
  struct buffer b = a;
  free(a.data);
  free(b.data);
}

/* expect: double-free */
void df_struct_assign(void) {
  struct buffer a, b;
  a.data = malloc(32);
  a.len = 32;
  b = a;
  free(b.data);
  free(a.data);
}

/* expect: double-free */
int df_error_path(int n) {
  char *p = malloc(10);
  if (!p) return -1;
  if (n < 0) {
    free(p);
  }
  free(p);
  return 0;
}

/* expect: double-free */
void df_wrapper(void) {
  char *p = malloc(10);
  if (!p) return;
  release(p);
  free(p);
}

/* expect: double-free, memory-leak */
void df_loop(int n) {
  char *p = malloc(10);
  if (!p) return;
  for (int i = 0; i < n; i++) {
    free(p);
  }
}

/* expect: double-free */
void df_goto_cleanup(int n) {
  char *p = malloc(10);
  if (!p) return;
  if (n > 3) {
    free(p);
    goto out;
  }
  puts("ok");
out:
  free(p);
}

/* expect: double-free */
void df_member(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return;
  n->text = strdup("t");
  free(n->text);
  free(n->text);
  free(n);
}

/* expect: double-free */
void df_node_free_twice(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return;
  n->text = NULL;
  node_free(n);
  node_free(n);
}

/* expect: double-free */
void df_switch_fallthrough(int k) {
  char *p = malloc(10);
  if (!p) return;
  switch (k) {
    case 1:
      free(p);
      /* fall through */
    case 2:
      free(p);
      break;
    default:
      free(p);
      break;
  }
}

/* expect: double-free */
void df_realloc_then_free_old(size_t n) {
  char *p = malloc(n);
  if (!p) return;
  char *q = realloc(p, 2 * n);
  if (!q) {
    free(p);
    return;
  }
  free(q);
  free(p);
}

/* expect: clean */
void clean_free_reset(void) {
  char *p = malloc(10);
  if (!p) return;
  free(p);
  p = NULL;
  free(p);
}

/* expect: clean */
void clean_reassigned_after_free(void) {
  char *p = malloc(10);
  if (!p) return;
  free(p);
  p = malloc(20);
  if (!p) return;
  free(p);
}

/* expect: clean */
int clean_error_path_else(int n) {
  char *p = malloc(10);
  if (!p) return -1;
  if (n < 0) {
    free(p);
    return -1;
  }
  free(p);
  return 0;
}

/* expect: clean */
void clean_two_blocks(void) {
  char *p = malloc(10);
  char *q = malloc(10);
  free(p);
  free(q);
}

/* expect: clean */
void clean_switch_break(int k) {
  char *p = malloc(10);
  if (!p) return;
  switch (k) {
    case 1:
      free(p);
      break;
    case 2:
      free(p);
      break;
    default:
      free(p);
  }
}

/* expect: clean */
void clean_loop_realloc(int n) {
  for (int i = 0; i < n; i++) {
    char *p = malloc(10);
    if (!p) return;
    free(p);
  }
}

/* expect: clean */
void clean_struct_copy_one_free(void) {
  struct buffer a;
  a.data = malloc(32);
  a.len = 32;
  struct buffer b = a;
  b.len = 0;
  free(a.data);
}

/* expect: clean */
void clean_list_free(struct node *head) {
  while (head) {
    struct node *next = head->next;
    free(head->text);
    free(head);
    head = next;
  }
}

/* expect: clean */
void clean_realloc_success(size_t n) {
  char *p = malloc(n);
  if (!p) return;
  char *q = realloc(p, 2 * n);
  if (!q) {
    free(p);
    return;
  }
  free(q);
}

/* expect: clean */
void clean_flag_guarded(int owned) {
  char *p = malloc(8);
  if (!p) return;
  int freed = 0;
  if (owned) {
    free(p);
    freed = 1;
  }
  if (!freed) free(p);
}

/* expect: clean */
void clean_node_free_once(void) {
  struct node *n = malloc(sizeof *n);
  if (!n) return;
  n->text = strdup("x");
  node_free(n);
}
