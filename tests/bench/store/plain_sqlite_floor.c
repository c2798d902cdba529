/* Floor for bench_store_answer: the same durable single-row transactions
 * into PLAIN SQLite (libsqlite3), same page size, WAL, synchronous=FULL.
 * Usage: bench_store_plain_floor DIR N  -> prints median microseconds. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  char path[4096];
  snprintf(path, sizeof path, "%s/plain.db", argv[1]);
  int n = atoi(argv[2]);
  sqlite3* db;
  if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
  sqlite3_exec(db, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE answers(id INTEGER PRIMARY KEY, attempt TEXT, question INTEGER,"
                   " choice TEXT, elapsed_ms INTEGER, saved_ms INTEGER);", 0, 0, 0);
  sqlite3_stmt* ins;
  sqlite3_prepare_v2(db, "INSERT INTO answers(attempt, question, choice, elapsed_ms, saved_ms) "
                         "VALUES (?, ?, ?, ?, ?)", -1, &ins, 0);
  double* t = malloc(sizeof(double) * (size_t)n);
  for (int i = 0; i < n; ++i) {
    double a = now_us();
    sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
    sqlite3_bind_text(ins, 1, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 2, i % 100);
    sqlite3_bind_text(ins, 3, "ACD", -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 4, 1000 * i);
    sqlite3_bind_int64(ins, 5, 1790000000000LL + i);
    if (sqlite3_step(ins) != SQLITE_DONE) return 1;
    sqlite3_reset(ins);
    if (sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK) return 1;
    t[i] = now_us() - a;
  }
  qsort(t, (size_t)n, sizeof(double), cmp);
  printf("%.1f %.1f\n", t[n / 2], t[(n * 99) / 100]);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return 0;
}
