/* net-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net-test-util.h"

/* Why namespaces cannot be made here, or NULL when they can. */
static char *unavailable;

static gboolean
write_proc_file (const char  *name,
                 const char  *contents,
                 char       **reason)
{
  g_autofree char *path = g_build_filename ("/proc/self", name, NULL);
  g_autoptr(GError) error = NULL;

  if (g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error))
    return TRUE;
  *reason = g_strdup_printf ("cannot write %s: %s", path, error->message);
  return FALSE;
}

/* Without root, a user namespace where we are root makes the rest
 * possible (the kernel lets its owner make bridges and read NFLOG). */
static gboolean
map_to_root (uid_t    uid,
             gid_t    gid,
             char   **reason)
{
  g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (guint) uid);
  g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (guint) gid);

  return write_proc_file ("setgroups", "deny", reason)
         && write_proc_file ("uid_map", uid_map, reason)
         && write_proc_file ("gid_map", gid_map, reason);
}

static gboolean
enter_namespaces (char **reason)
{
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  int flags = CLONE_NEWNET | CLONE_NEWNS | (uid != 0 ? CLONE_NEWUSER : 0);

  if (unshare (flags) < 0)
    {
      *reason = g_strdup_printf ("cannot make network and mount namespaces%s: %s",
                                 uid != 0 ? " (in a user namespace)" : "", g_strerror (errno));
      return FALSE;
    }
  if (uid != 0 && !map_to_root (uid, gid, reason))
    return FALSE;
  /* Nothing mounted below may reach the machine's mount namespace. */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount ("sysfs", "/sys", "sysfs", 0, NULL) < 0
      || mount ("tmpfs", "/run", "tmpfs", 0, "mode=0755") < 0)
    {
      *reason = g_strdup_printf ("cannot mount a private /sys and /run: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

void
net_test_init (void)
{
  pid_t pid;
  int status;

  if (g_test_subprocess ())
    return;
  /* Try once in a throwaway child, so a test can skip with the reason. */
  pid = fork ();
  if (pid == 0)
    {
      g_autofree char *reason = NULL;
      _exit (enter_namespaces (&reason) ? 0 : 1);
    }
  if (pid < 0 || waitpid (pid, &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    unavailable = g_strdup ("cannot make network and mount namespaces here "
                            "(as root, or in a user namespace)");
}

typedef struct
{
  NetTestFunc  body;
  char        *kind;   /* needed, or NULL */
} NetTest;

/* Whether the kernel makes interfaces of that kind, tried in a throwaway
 * network namespace: modules cannot be loaded from one, so a missing
 * driver stays missing. */
static gboolean
kernel_has_kind (const char *kind)
{
  g_autofree char *command = g_strdup_printf ("ip link add palprobe0 type %s", kind);

  return net_run_try (NULL, NULL, "unshare", geteuid () == 0 ? "-n" : "-rn", "sh", "-c", command, NULL);
}

static void
run_test (gconstpointer data)
{
  const NetTest *test = data;

  if (g_test_subprocess ())
    {
      g_autofree char *reason = NULL;

      if (!enter_namespaces (&reason))
        g_error ("%s", reason);
      g_free (net_run ("ip", "link", "set", "lo", "up", NULL));
      test->body ();
      return;
    }
  if (unavailable != NULL)
    {
      g_test_skip (unavailable);
      return;
    }
  if (test->kind != NULL && !kernel_has_kind (test->kind))
    {
      g_autofree char *reason = g_strdup_printf ("this kernel has no %s driver", test->kind);
      g_test_skip (reason);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Every test added, kept reachable for the life of the process: a test
 * subprocess runs one of them, so a teardown would free only that one. */
static GPtrArray *added_tests;

void
net_test_add_with_kind (const char  *path,
                        NetTestFunc  body,
                        const char  *kind)
{
  NetTest *test = g_new0 (NetTest, 1);

  test->body = body;
  test->kind = g_strdup (kind);
  if (added_tests == NULL)
    added_tests = g_ptr_array_new ();
  g_ptr_array_add (added_tests, test);
  g_test_add_data_func (path, test, run_test);
}

void
net_test_add (const char  *path,
              NetTestFunc  body)
{
  net_test_add_with_kind (path, body, NULL);
}

static gboolean
run_argv (GPtrArray  *argv,
          const char *input,
          char      **output,
          char      **error_text)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_bytes = input != NULL ? g_bytes_new (input, strlen (input)) : NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                           | (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0);

  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, stdin_bytes, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (output != NULL)
    *output = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  if (error_text != NULL)
    *error_text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  return g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
}

static GPtrArray *
collect_argv (const char *first,
              va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  return argv;
}

gboolean
net_run_try (char       **output,
             char       **error_text,
             const char  *first,
             ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first);
  argv = collect_argv (first, args);
  va_end (args);
  return run_argv (argv, NULL, output, error_text);
}

char *
net_run (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *command = NULL;
  g_autofree char *error_text = NULL;
  char *output = NULL;
  va_list args;

  va_start (args, first);
  argv = collect_argv (first, args);
  va_end (args);
  if (!run_argv (argv, NULL, &output, &error_text))
    {
      command = g_strjoinv (" ", (char **) argv->pdata);
      g_error ("“%s” failed: %s", command, error_text);
    }
  return output;
}

void
net_nft_script (const char *script)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *output = NULL;
  g_autofree char *error_text = NULL;

  g_ptr_array_add (argv, (gpointer) "nft");
  g_ptr_array_add (argv, (gpointer) "-f");
  g_ptr_array_add (argv, (gpointer) "-");
  if (!run_argv (argv, script, &output, &error_text))
    g_error ("nft -f - failed: %s\n%s", error_text, script);
}

gboolean
net_can_make_tun (void)
{
  return g_access ("/dev/net/tun", R_OK | W_OK) == 0;
}

void
net_test_note (const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("# %s\n", text);
}

gboolean
net_wait_for (NetCondition  condition,
              gpointer      data,
              guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      /* Not blocking: the condition may depend on time alone. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
net_spin (guint msecs)
{
  net_wait_for (never, NULL, msecs);
}
