// ShareKeeper's own FUSE addon: libfuse 3's high-level API (fuse.h, path based) served by JavaScript.
// Written for this project against the libfuse 3 headers (fuse.h, fuse_common.h, fuse_lowlevel.h);
// N-API only (node_api.h), no V8 or libuv API, so one build loads in every Node and Electron of the
// same N-API version. Electron packaging still runs it through electron-rebuild (or just copies the
// .node: N-API is ABI-stable) — nothing here depends on Electron's V8.
//
// Threads: mount() starts one loop thread per mount. It runs fuse_mount() then fuse_loop_mt(), whose
// worker threads call the fuse_operations below. Each operation becomes a request: it takes a slot in
// the table, is queued to the JavaScript thread through a napi_threadsafe_function, and its worker
// waits (with a backstop deadline) until JavaScript calls reply(id, result, extra). Every touch of a
// request's memory from the JavaScript thread happens under `table_lock` after checking the id, so a
// request its worker gave up on (backstop, shutdown) is never written to.
//
// Unmounting: JavaScript calls exit(session) (fuse_session_exit: no new work) and then detaches the
// mount point (fusermount3 -u, or -uz when busy). The kernel then ends the connection, the loop
// returns, and the loop thread calls fuse_unmount() (which only closes the device: it is already
// detached) and fuse_destroy(), sends a "closed" event and releases the threadsafe function.
//
// Invalidation: invalidate(session, path) drops the kernel's cached attributes and pages of one path
// (fuse_invalidate_path, fuse.h: fuse_lowlevel_notify_inval_inode underneath) when another client
// changed it. Never on the JavaScript thread or a libfuse worker: under the writeback cache
// inval_inode blocks until the writeback it starts is done (fuse_lowlevel.h), and the kernel drops
// a page only once the read holding it locked is answered; those answers come from the JavaScript
// thread, and a worker may be that very read. So JavaScript only queues the path (bounded, never
// blocking) and one notify thread per mount makes the calls, waiting for nobody but the kernel.
#define FUSE_USE_VERSION 312
#define _GNU_SOURCE
#include <fuse.h>
#include <fuse_lowlevel.h>
#include <node_api.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

// Operation numbers, shared with native-own.ts (OP in that file).
enum {
  OP_GETATTR = 0, OP_READDIR, OP_OPEN, OP_CREATE, OP_READ, OP_WRITE, OP_FLUSH, OP_FSYNC, OP_RELEASE,
  OP_TRUNCATE, OP_FTRUNCATE, OP_UNLINK, OP_MKDIR, OP_RMDIR, OP_RENAME, OP_UTIMENS, OP_STATFS,
  OP_ACCESS, OP_CHMOD, OP_CHOWN,
};
// Events (the handler's first argument is -1 - event).
enum { EV_MOUNTED = 0, EV_FAILED = 1, EV_CLOSED = 2 };

// Numbers per stat in a reply (native-own.ts STAT_FIELDS): mode uid gid size nlink blocks blksize
// atimeMs mtimeMs ctimeMs.
#define STAT_FIELDS 10
#define STATFS_FIELDS 11
// One request per worker thread at a time; libfuse never runs more workers than max_threads.
#define MAX_THREADS 48
#define SLOTS 64
#define BACKSTOP_DEFAULT_MS 150000
// Paths waiting for the notify thread; more than this at once are dropped (their kernel cache
// then lasts its own attr_timeout, as without invalidation).
#define NOTIFY_QUEUE 256
enum { NQ_OFF = 0, NQ_RUNNING, NQ_STOPPING };

typedef struct session session_t;

typedef struct {
  double id;
  session_t *s;
  int op;
  const char *path;
  const char *path2;
  double num[4];
  // read: the kernel's buffer; write: the data.
  char *buf;
  size_t size;
  // replies
  int done;
  int result;
  struct stat *st;
  struct statvfs *stvfs;
  char **names;
  struct stat *stats;
  size_t count;
  pthread_cond_t cond;
} request_t;

struct session {
  napi_threadsafe_function tsfn;
  struct fuse *fuse;
  pthread_mutex_t lock; // guards fuse (NULL once destroyed) and refs
  int refs;             // the JS external and the threadsafe function
  char *mountpoint;
  pthread_t thread;
  double attr_timeout, entry_timeout;
  unsigned max_write, max_readahead;
  int writeback;
  int max_threads;
  long backstop_ms;
  char error[1100];
  // The notify thread's queue, under `lock`: a ring of owned paths. fuse stays valid while the
  // thread runs (the loop thread joins it before fuse_destroy).
  pthread_t notify_thread;
  pthread_cond_t notify_cond;
  int notify_state;
  char *notify_queue[NOTIFY_QUEUE];
  unsigned notify_head, notify_len;
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static request_t *table[SLOTS];
static double next_seq = 1;

// The last libfuse message (fuse_mount's reason for failing, mostly), kept for the failure event.
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_log[512];

static void on_fuse_log(enum fuse_log_level level, const char *fmt, va_list ap) {
  (void)level;
  pthread_mutex_lock(&log_lock);
  vsnprintf(last_log, sizeof last_log, fmt, ap);
  size_t n = strlen(last_log);
  while (n > 0 && (last_log[n - 1] == '\n' || last_log[n - 1] == '\r')) last_log[--n] = '\0';
  pthread_mutex_unlock(&log_lock);
}

static void session_unref(session_t *s) {
  pthread_mutex_lock(&s->lock);
  int left = --s->refs;
  pthread_mutex_unlock(&s->lock);
  if (left > 0) return;
  pthread_cond_destroy(&s->notify_cond);
  pthread_mutex_destroy(&s->lock);
  free(s->mountpoint);
  free(s);
}

static void free_names(request_t *r) {
  if (r->names) {
    for (size_t i = 0; i < r->count; i++) free(r->names[i]);
    free(r->names);
  }
  free(r->stats);
  r->names = NULL;
  r->stats = NULL;
  r->count = 0;
}

static session_t *current_session(void) {
  return (session_t *)fuse_get_context()->private_data;
}

// Sends one request to JavaScript and waits for its reply. Returns the result (>= 0) or -errno.
static int call_js(request_t *r) {
  session_t *s = current_session();
  r->s = s;
  r->done = 0;
  r->result = -EIO;
  pthread_cond_init(&r->cond, NULL);
  pthread_mutex_lock(&table_lock);
  int slot = -1;
  for (int i = 0; i < SLOTS; i++) {
    if (!table[i]) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    pthread_mutex_unlock(&table_lock);
    pthread_cond_destroy(&r->cond);
    return -EAGAIN;
  }
  r->id = next_seq * SLOTS + slot;
  next_seq += 1;
  table[slot] = r;
  pthread_mutex_unlock(&table_lock);

  napi_status st = napi_call_threadsafe_function(s->tsfn, (void *)(uintptr_t)slot, napi_tsfn_nonblocking);
  pthread_mutex_lock(&table_lock);
  if (st == napi_ok) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += s->backstop_ms / 1000;
    deadline.tv_nsec += (s->backstop_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000L;
    }
    while (!r->done) {
      if (pthread_cond_timedwait(&r->cond, &table_lock, &deadline) == ETIMEDOUT) break;
    }
    if (!r->done) r->result = -ETIMEDOUT;
  }
  // A reply that comes later finds no request with this id and is dropped.
  if (table[slot] == r) table[slot] = NULL;
  pthread_mutex_unlock(&table_lock);
  pthread_cond_destroy(&r->cond);
  return r->result;
}

static void init_request(request_t *r, int op, const char *path) {
  memset(r, 0, sizeof *r);
  r->op = op;
  r->path = path;
}

static int simple(int op, const char *path, double a, double b, double c) {
  request_t r;
  init_request(&r, op, path);
  r.num[0] = a;
  r.num[1] = b;
  r.num[2] = c;
  int res = call_js(&r);
  return res > 0 ? 0 : res;
}

// ---- fuse_operations (each called on a libfuse worker thread) ----

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  (void)fi;
  request_t r;
  init_request(&r, OP_GETATTR, path);
  memset(st, 0, sizeof *st);
  r.st = st;
  int res = call_js(&r);
  return res > 0 ? 0 : res;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
  (void)off;
  (void)fi;
  (void)flags;
  request_t r;
  init_request(&r, OP_READDIR, path);
  int res = call_js(&r);
  if (res >= 0) {
    // Offset 0 for every entry: libfuse keeps the whole listing and pages it to the kernel itself.
    for (size_t i = 0; i < r.count; i++) {
      if (filler(buf, r.names[i], r.stats ? &r.stats[i] : NULL, 0, r.stats ? FUSE_FILL_DIR_PLUS : 0) != 0) break;
    }
    res = 0;
  }
  pthread_mutex_lock(&table_lock);
  free_names(&r);
  pthread_mutex_unlock(&table_lock);
  return res;
}

static int op_open(const char *path, struct fuse_file_info *fi) {
  request_t r;
  init_request(&r, OP_OPEN, path);
  r.num[0] = fi->flags;
  int res = call_js(&r);
  if (res < 0) return res;
  fi->fh = (uint64_t)res;
  return 0;
}

static int op_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
  request_t r;
  init_request(&r, OP_CREATE, path);
  r.num[0] = mode;
  r.num[1] = fi->flags;
  int res = call_js(&r);
  if (res < 0) return res;
  fi->fh = (uint64_t)res;
  return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  request_t r;
  init_request(&r, OP_READ, path);
  r.num[0] = (double)fi->fh;
  r.num[1] = (double)off;
  r.buf = buf;
  r.size = size;
  return call_js(&r);
}

static int op_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  request_t r;
  init_request(&r, OP_WRITE, path);
  r.num[0] = (double)fi->fh;
  r.num[1] = (double)off;
  r.buf = (char *)buf;
  r.size = size;
  int res = call_js(&r);
  if (res > (int)size) return -EIO; // never count more than was given
  return res;
}

static int op_flush(const char *path, struct fuse_file_info *fi) {
  return simple(OP_FLUSH, path, (double)fi->fh, 0, 0);
}

static int op_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
  return simple(OP_FSYNC, path, (double)fi->fh, datasync, 0);
}

static int op_release(const char *path, struct fuse_file_info *fi) {
  return simple(OP_RELEASE, path, (double)fi->fh, 0, 0);
}

static int op_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
  if (fi) return simple(OP_FTRUNCATE, path, (double)fi->fh, (double)size, 0);
  return simple(OP_TRUNCATE, path, (double)size, 0, 0);
}

static int op_unlink(const char *path) { return simple(OP_UNLINK, path, 0, 0, 0); }
static int op_rmdir(const char *path) { return simple(OP_RMDIR, path, 0, 0, 0); }
static int op_mkdir(const char *path, mode_t mode) { return simple(OP_MKDIR, path, mode, 0, 0); }
static int op_access(const char *path, int mask) { return simple(OP_ACCESS, path, mask, 0, 0); }

static int op_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  (void)fi;
  return simple(OP_CHMOD, path, mode, 0, 0);
}

static int op_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
  (void)fi;
  // (uid_t)-1 means "leave as is" (chown(2)); passed on as -1.
  return simple(OP_CHOWN, path, uid == (uid_t)-1 ? -1 : (double)uid, gid == (gid_t)-1 ? -1 : (double)gid, 0);
}

static int op_rename(const char *from, const char *to, unsigned int flags) {
  request_t r;
  init_request(&r, OP_RENAME, from);
  r.path2 = to;
  r.num[0] = flags; // RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2 (renameat2(2)); JS decides
  int res = call_js(&r);
  return res > 0 ? 0 : res;
}

// utimensat(2): tv[0] is the access time, tv[1] the modification time; either may be UTIME_NOW
// (now) or UTIME_OMIT (leave it). JavaScript gets milliseconds since the epoch, NaN for "leave it".
static double time_ms(const struct timespec *t) {
  if (t->tv_nsec == UTIME_OMIT) return NAN;
  if (t->tv_nsec == UTIME_NOW) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_sec * 1000.0 + (double)(now.tv_nsec / 1000000L);
  }
  return (double)t->tv_sec * 1000.0 + (double)t->tv_nsec / 1e6;
}

static int op_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
  (void)fi;
  double a, m;
  if (tv == NULL) {
    struct timespec now = {0, UTIME_NOW};
    a = time_ms(&now);
    m = a;
  } else {
    a = time_ms(&tv[0]);
    m = time_ms(&tv[1]);
  }
  return simple(OP_UTIMENS, path, a, m, 0);
}

static int op_statfs(const char *path, struct statvfs *out) {
  request_t r;
  init_request(&r, OP_STATFS, path);
  memset(out, 0, sizeof *out);
  r.stvfs = out;
  int res = call_js(&r);
  return res > 0 ? 0 : res;
}

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
  session_t *s = current_session();
  cfg->attr_timeout = s->attr_timeout;
  cfg->entry_timeout = s->entry_timeout;
  cfg->negative_timeout = 0;
  cfg->use_ino = 0;
  cfg->nullpath_ok = 0;
  // libfuse caps both at what the kernel and its own buffer allow (1 MiB with 4 KiB pages).
  conn->max_write = s->max_write;
  conn->max_readahead = s->max_readahead;
  // No splice: the data is copied to JavaScript anyway, and splicing a WRITE through a pipe first
  // only adds system calls.
  conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
  if (s->writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE)) conn->want |= FUSE_CAP_WRITEBACK_CACHE;
  else conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
  napi_call_threadsafe_function(s->tsfn, (void *)(uintptr_t)(SLOTS + EV_MOUNTED), napi_tsfn_nonblocking);
  return s;
}

static const struct fuse_operations OPS = {
    .getattr = op_getattr,
    .mkdir = op_mkdir,
    .unlink = op_unlink,
    .rmdir = op_rmdir,
    .rename = op_rename,
    .chmod = op_chmod,
    .chown = op_chown,
    .truncate = op_truncate,
    .open = op_open,
    .read = op_read,
    .write = op_write,
    .statfs = op_statfs,
    .flush = op_flush,
    .release = op_release,
    .fsync = op_fsync,
    .readdir = op_readdir,
    .init = op_init,
    .access = op_access,
    .create = op_create,
    .utimens = op_utimens,
};

// ---- JavaScript side of a request (runs on the JS thread) ----

#define CHECK(call)                                                                                       \
  do {                                                                                                    \
    if ((call) != napi_ok) goto fail;                                                                     \
  } while (0)

// Delivers a queued request (or an event) to the handler: handler(op, id, path, a, b, c, data|path2).
static void deliver(napi_env env, napi_value handler, void *context, void *data) {
  session_t *s = (session_t *)context;
  uintptr_t slot = (uintptr_t)data;
  if (env == NULL) return; // shutting down: the worker's wait ends by its backstop
  napi_value argv[7], undef;
  napi_get_undefined(env, &undef);
  for (int i = 0; i < 7; i++) argv[i] = undef;
  if (slot >= SLOTS) {
    int ev = (int)(slot - SLOTS);
    napi_create_int32(env, -1 - ev, &argv[0]);
    if (ev == EV_FAILED) napi_create_string_utf8(env, s->error, NAPI_AUTO_LENGTH, &argv[2]);
    napi_call_function(env, undef, handler, 3, argv, NULL);
    return;
  }
  pthread_mutex_lock(&table_lock);
  request_t *r = table[slot];
  if (!r || r->done) {
    pthread_mutex_unlock(&table_lock);
    return;
  }
  napi_create_int32(env, r->op, &argv[0]);
  napi_create_double(env, r->id, &argv[1]);
  napi_create_string_utf8(env, r->path, NAPI_AUTO_LENGTH, &argv[2]);
  for (int i = 0; i < 3; i++) napi_create_double(env, r->num[i], &argv[3 + i]);
  if (r->op == OP_WRITE) {
    void *copy;
    napi_create_buffer_copy(env, r->size, r->buf, &copy, &argv[6]);
  } else if (r->op == OP_READ) {
    napi_create_double(env, (double)r->size, &argv[6]);
  } else if (r->op == OP_RENAME) {
    napi_create_string_utf8(env, r->path2, NAPI_AUTO_LENGTH, &argv[6]);
  }
  pthread_mutex_unlock(&table_lock);
  napi_call_function(env, undef, handler, 7, argv, NULL);
}

static void fill_stat(struct stat *st, const double *v) {
  memset(st, 0, sizeof *st);
  st->st_mode = (mode_t)v[0];
  st->st_uid = (uid_t)v[1];
  st->st_gid = (gid_t)v[2];
  st->st_size = (off_t)v[3];
  st->st_nlink = (nlink_t)v[4];
  st->st_blocks = (blkcnt_t)v[5];
  st->st_blksize = (blksize_t)v[6];
  const double *t[3] = {&v[7], &v[8], &v[9]};
  struct timespec *ts[3] = {&st->st_atim, &st->st_mtim, &st->st_ctim};
  for (int i = 0; i < 3; i++) {
    double ms = *t[i];
    if (!(ms == ms)) ms = 0;
    double sec = ms / 1000.0;
    time_t whole = (time_t)sec;
    if ((double)whole > sec) whole -= 1; // floor for times before 1970
    ts[i]->tv_sec = whole;
    long ns = (long)((ms - (double)whole * 1000.0) * 1e6);
    ts[i]->tv_nsec = ns < 0 ? 0 : ns > 999999999L ? 999999999L : ns;
  }
}

static int typed_f64(napi_env env, napi_value v, double **data, size_t *len) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  void *p;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, len, &p, &ab, &off) != napi_ok || type != napi_float64_array) return 0;
  *data = (double *)p;
  return 1;
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

// reply(id, result, extra): finishes a request. Returns true if it was still waiting.
static napi_value js_reply(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_value out;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) return throw_type(env, "reply(id, result, ...)");
  double id;
  int32_t result;
  if (napi_get_value_double(env, argv[0], &id) != napi_ok || napi_get_value_int32(env, argv[1], &result) != napi_ok)
    return throw_type(env, "reply: id and result are numbers");
  if (!(id >= 0) || id > 9007199254740991.0) return throw_type(env, "reply: bad id");
  size_t slot = (size_t)((uint64_t)id % SLOTS);
  bool accepted = false;

  // Names are converted outside the lock (they may be many); checked and moved in under it.
  char **names = NULL;
  struct stat *stats = NULL;
  size_t count = 0;
  pthread_mutex_lock(&table_lock);
  request_t *r = table[slot];
  int op = (r && r->id == id && !r->done) ? r->op : -1;
  pthread_mutex_unlock(&table_lock);
  if (op < 0) goto done;

  if (op == OP_READDIR && result >= 0 && argc >= 4) {
    uint32_t n = 0;
    bool is;
    if (napi_is_array(env, argv[2], &is) != napi_ok || !is || napi_get_array_length(env, argv[2], &n) != napi_ok)
      return throw_type(env, "reply: readdir names are an array");
    double *sv = NULL;
    size_t slen = 0;
    int have_stats = typed_f64(env, argv[3], &sv, &slen) && slen == (size_t)n * STAT_FIELDS;
    names = calloc(n ? n : 1, sizeof *names);
    if (have_stats) stats = calloc(n ? n : 1, sizeof *stats);
    if (!names || (have_stats && !stats)) {
      free(names);
      free(stats);
      result = -ENOMEM;
      goto store;
    }
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      size_t len = 0;
      if (napi_get_element(env, argv[2], i, &e) != napi_ok || napi_get_value_string_utf8(env, e, NULL, 0, &len) != napi_ok) continue;
      char *name = malloc(len + 1);
      if (!name) continue;
      napi_get_value_string_utf8(env, e, name, len + 1, &len);
      // A name the kernel cannot take (empty, with '/' or NUL: JS strings may hold NUL) is skipped.
      if (len == 0 || strlen(name) != len || strchr(name, '/') != NULL) {
        free(name);
        continue;
      }
      if (have_stats) fill_stat(&stats[count], sv + (size_t)i * STAT_FIELDS);
      names[count++] = name;
    }
  }
store:
  pthread_mutex_lock(&table_lock);
  r = table[slot];
  if (!r || r->id != id || r->done) {
    pthread_mutex_unlock(&table_lock);
    if (names) {
      for (size_t i = 0; i < count; i++) free(names[i]);
    }
    free(names);
    free(stats);
    goto done;
  }
  if (result >= 0) {
    double *v;
    size_t len;
    if (r->op == OP_READ) {
      void *data;
      size_t blen;
      bool isbuf = false;
      napi_is_buffer(env, argv[2], &isbuf);
      if (argc < 3 || !isbuf || napi_get_buffer_info(env, argv[2], &data, &blen) != napi_ok) result = -EIO;
      else {
        // Never more than the kernel asked for, never more than the buffer holds.
        if ((size_t)result > r->size) result = (int)r->size;
        if ((size_t)result > blen) result = (int)blen;
        memcpy(r->buf, data, (size_t)result);
      }
    } else if (r->op == OP_GETATTR) {
      if (argc >= 3 && typed_f64(env, argv[2], &v, &len) && len >= STAT_FIELDS) fill_stat(r->st, v);
      else result = -EIO;
    } else if (r->op == OP_STATFS) {
      if (argc >= 3 && typed_f64(env, argv[2], &v, &len) && len >= STATFS_FIELDS) {
        struct statvfs *o = r->stvfs;
        o->f_bsize = (unsigned long)v[0];
        o->f_frsize = (unsigned long)v[1];
        o->f_blocks = (fsblkcnt_t)v[2];
        o->f_bfree = (fsblkcnt_t)v[3];
        o->f_bavail = (fsblkcnt_t)v[4];
        o->f_files = (fsfilcnt_t)v[5];
        o->f_ffree = (fsfilcnt_t)v[6];
        o->f_favail = (fsfilcnt_t)v[7];
        o->f_fsid = (unsigned long)v[8];
        o->f_flag = (unsigned long)v[9];
        o->f_namemax = (unsigned long)v[10];
      } else result = -EIO;
    } else if (r->op == OP_READDIR) {
      r->names = names;
      r->stats = stats;
      r->count = count;
      names = NULL;
    }
  }
  if (names) {
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
    free(stats);
  }
  r->result = result;
  r->done = 1;
  pthread_cond_signal(&r->cond);
  pthread_mutex_unlock(&table_lock);
  accepted = true;
done:
  napi_get_boolean(env, accepted, &out);
  return out;
}

// ---- kernel cache invalidation (the notify thread) ----

static void *notify_main(void *arg) {
  session_t *s = (session_t *)arg;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (s->notify_len == 0 && s->notify_state == NQ_RUNNING) pthread_cond_wait(&s->notify_cond, &s->lock);
    if (s->notify_state != NQ_RUNNING) break;
    char *path = s->notify_queue[s->notify_head];
    s->notify_queue[s->notify_head] = NULL;
    s->notify_head = (s->notify_head + 1) % NOTIFY_QUEUE;
    s->notify_len--;
    struct fuse *f = s->fuse;
    pthread_mutex_unlock(&s->lock);
    // -ENOENT: the kernel holds nothing for that path (never looked up, or forgotten): nothing to drop.
    fuse_invalidate_path(f, path);
    free(path);
    pthread_mutex_lock(&s->lock);
  }
  while (s->notify_len > 0) {
    free(s->notify_queue[s->notify_head]);
    s->notify_queue[s->notify_head] = NULL;
    s->notify_head = (s->notify_head + 1) % NOTIFY_QUEUE;
    s->notify_len--;
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

static void notify_start(session_t *s) {
  pthread_mutex_lock(&s->lock);
  if (pthread_create(&s->notify_thread, NULL, notify_main, s) == 0) s->notify_state = NQ_RUNNING;
  pthread_mutex_unlock(&s->lock);
}

// The kernel connection is gone (the loop returned), so a call in progress cannot wait long.
static void notify_stop(session_t *s) {
  pthread_mutex_lock(&s->lock);
  int running = s->notify_state == NQ_RUNNING;
  s->notify_state = NQ_STOPPING;
  pthread_cond_signal(&s->notify_cond);
  pthread_mutex_unlock(&s->lock);
  if (running) pthread_join(s->notify_thread, NULL);
}

static void *loop_thread(void *arg) {
  session_t *s = (session_t *)arg;
  if (fuse_mount(s->fuse, s->mountpoint) != 0) {
    pthread_mutex_lock(&log_lock);
    snprintf(s->error, sizeof s->error, "cannot mount %s: %s", s->mountpoint, last_log[0] ? last_log : "fuse_mount failed");
    pthread_mutex_unlock(&log_lock);
    napi_call_threadsafe_function(s->tsfn, (void *)(uintptr_t)(SLOTS + EV_FAILED), napi_tsfn_nonblocking);
  } else {
    notify_start(s);
    struct fuse_loop_config *cfg = fuse_loop_cfg_create();
    if (cfg) {
      fuse_loop_cfg_set_max_threads(cfg, (unsigned)s->max_threads);
      // Idle workers stay (each holds a 1 MiB request buffer; a new thread would fault a new one in).
      fuse_loop_cfg_set_idle_threads(cfg, (unsigned)s->max_threads);
      fuse_loop_cfg_set_clone_fd(cfg, 0);
      fuse_loop_mt(s->fuse, cfg);
      fuse_loop_cfg_destroy(cfg);
    }
    notify_stop(s);
    // Already detached by then (or detached lazily here if the loop ended on its own).
    fuse_unmount(s->fuse);
    napi_call_threadsafe_function(s->tsfn, (void *)(uintptr_t)(SLOTS + EV_CLOSED), napi_tsfn_nonblocking);
  }
  pthread_mutex_lock(&s->lock);
  struct fuse *f = s->fuse;
  s->fuse = NULL;
  pthread_mutex_unlock(&s->lock);
  fuse_destroy(f);
  napi_release_threadsafe_function(s->tsfn, napi_tsfn_release);
  return NULL;
}

static void tsfn_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  session_unref((session_t *)data);
}

static void external_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  session_unref((session_t *)data);
}

static int get_prop_double(napi_env env, napi_value obj, const char *name, double dflt, double *out) {
  napi_value v;
  bool has = false;
  *out = dflt;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok || !has) return 1;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok) return 0;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_undefined) return 1;
  if (t == napi_boolean) {
    bool b;
    napi_get_value_bool(env, v, &b);
    *out = b ? 1 : 0;
    return 1;
  }
  return napi_get_value_double(env, v, out) == napi_ok;
}

static char *get_string(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  if (strlen(s) != len) {
    free(s);
    return NULL;
  }
  return s;
}

// mount(mountPoint, options, config, handler) -> session. `options` is libfuse's -o list
// (fsname=..,subtype=..); config: attrTimeout, entryTimeout, maxWrite, maxReadahead, writeback,
// maxThreads, backstopMs. The handler hears requests and the events mounted/failed/closed.
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], result, name;
  char *mnt = NULL, *opts = NULL;
  session_t *s = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) return throw_type(env, "mount(mountPoint, options, config, handler)");
  mnt = get_string(env, argv[0]);
  opts = get_string(env, argv[1]);
  if (!mnt || !opts) {
    free(mnt);
    free(opts);
    return throw_type(env, "mount: mountPoint and options are strings without NUL");
  }
  s = calloc(1, sizeof *s);
  if (!s) goto fail;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->notify_cond, NULL);
  s->mountpoint = mnt;
  mnt = NULL;
  double d;
  get_prop_double(env, argv[2], "attrTimeout", 1, &s->attr_timeout);
  get_prop_double(env, argv[2], "entryTimeout", 1, &s->entry_timeout);
  get_prop_double(env, argv[2], "maxWrite", 1 << 20, &d);
  s->max_write = d < 4096 ? 4096 : d > (1 << 20) ? (1 << 20) : (unsigned)d;
  get_prop_double(env, argv[2], "maxReadahead", 1 << 20, &d);
  s->max_readahead = d < 0 ? 0 : d > (1 << 20) ? (1 << 20) : (unsigned)d;
  get_prop_double(env, argv[2], "writeback", 0, &d);
  s->writeback = d != 0;
  get_prop_double(env, argv[2], "maxThreads", 16, &d);
  s->max_threads = d < 2 ? 2 : d > MAX_THREADS ? MAX_THREADS : (int)d;
  get_prop_double(env, argv[2], "backstopMs", BACKSTOP_DEFAULT_MS, &d);
  s->backstop_ms = d < 1000 ? 1000 : (long)d;

  fuse_set_log_func(on_fuse_log);
  char *fargv[] = {"sharekeeper", "-o", opts, NULL};
  struct fuse_args args = FUSE_ARGS_INIT(opts[0] ? 3 : 1, fargv);
  pthread_mutex_lock(&log_lock);
  last_log[0] = '\0';
  pthread_mutex_unlock(&log_lock);
  s->fuse = fuse_new(&args, &OPS, sizeof OPS, s);
  fuse_opt_free_args(&args);
  if (!s->fuse) {
    char msg[600];
    pthread_mutex_lock(&log_lock);
    snprintf(msg, sizeof msg, "fuse_new failed: %s", last_log[0] ? last_log : "bad options");
    pthread_mutex_unlock(&log_lock);
    free(opts);
    free(s->mountpoint);
    pthread_cond_destroy(&s->notify_cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  free(opts);
  opts = NULL;
  s->refs = 2;
  napi_create_string_utf8(env, "sharekeeper-fuse", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_threadsafe_function(env, argv[3], NULL, name, 0, 1, s, tsfn_finalize, s, deliver, &s->tsfn));
  CHECK(napi_create_external(env, s, external_finalize, NULL, &result));
  if (pthread_create(&s->thread, NULL, loop_thread, s) != 0) {
    napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
    fuse_destroy(s->fuse);
    s->fuse = NULL;
    napi_throw_error(env, NULL, "cannot start the FUSE thread");
    return NULL;
  }
  pthread_detach(s->thread);
  return result;
fail:
  free(mnt);
  free(opts);
  napi_throw_error(env, NULL, "mount: out of memory or N-API failure");
  return NULL;
}

// exit(session): no new requests are served; the loop ends once the mount point is detached.
static napi_value js_exit(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *p = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_external(env, argv[0], &p) != napi_ok || !p)
    return throw_type(env, "exit(session)");
  session_t *s = (session_t *)p;
  pthread_mutex_lock(&s->lock);
  if (s->fuse) fuse_session_exit(fuse_get_session(s->fuse));
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

// invalidate(session, path) -> whether the path was queued for the notify thread (false: not
// mounted yet or any more, the queue full, or a path the kernel cannot name). Never blocks.
static napi_value js_invalidate(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  void *p = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_external(env, argv[0], &p) != napi_ok || !p)
    return throw_type(env, "invalidate(session, path)");
  session_t *s = (session_t *)p;
  char *path = get_string(env, argv[1]);
  bool queued = false;
  if (path && path[0] == '/') {
    pthread_mutex_lock(&s->lock);
    if (s->notify_state == NQ_RUNNING && s->notify_len < NOTIFY_QUEUE) {
      // A path already waiting is not queued twice (a burst of changes to one file).
      int waiting = 0;
      for (unsigned i = 0; i < s->notify_len && !waiting; i++) waiting = strcmp(s->notify_queue[(s->notify_head + i) % NOTIFY_QUEUE], path) == 0;
      if (!waiting) {
        s->notify_queue[(s->notify_head + s->notify_len) % NOTIFY_QUEUE] = path;
        s->notify_len++;
        path = NULL;
        pthread_cond_signal(&s->notify_cond);
      }
      queued = true;
    }
    pthread_mutex_unlock(&s->lock);
  }
  free(path);
  napi_get_boolean(env, queued, &out);
  return out;
}

static napi_value js_ref(napi_env env, napi_callback_info info, int ref) {
  size_t argc = 1;
  napi_value argv[1];
  void *p = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_external(env, argv[0], &p) != napi_ok || !p)
    return throw_type(env, "ref(session)");
  session_t *s = (session_t *)p;
  pthread_mutex_lock(&s->lock);
  int alive = s->fuse != NULL;
  pthread_mutex_unlock(&s->lock);
  // The threadsafe function is released only by the loop thread, after the last event.
  if (alive) {
    if (ref) napi_ref_threadsafe_function(env, s->tsfn);
    else napi_unref_threadsafe_function(env, s->tsfn);
  }
  return NULL;
}

static napi_value js_unref(napi_env env, napi_callback_info info) { return js_ref(env, info, 0); }

static napi_value init_module(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"mount", NULL, js_mount, NULL, NULL, NULL, napi_enumerable, NULL},
      {"reply", NULL, js_reply, NULL, NULL, NULL, napi_enumerable, NULL},
      {"exit", NULL, js_exit, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unref", NULL, js_unref, NULL, NULL, NULL, napi_enumerable, NULL},
      {"invalidate", NULL, js_invalidate, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  napi_value v;
  napi_create_int32(env, FUSE_USE_VERSION, &v);
  napi_set_named_property(env, exports, "fuseApi", v);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init_module)
