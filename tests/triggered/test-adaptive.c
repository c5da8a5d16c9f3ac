/* test-adaptive.c — the adaptive firewall against the real nf_tables and
 * a real sshd: sshd's messages counted once per attempt, bans after the
 * Nth failure and not before, doubling bans for repeat offenders, and
 * trusted, loopback and own addresses never banned. Each test in network
 * namespaces of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kernel-test-util.h"
#include "pal-adaptive.h"
#include "pal-triggered.h"

#define SSH_PORT 2222

static PalAdaptiveSettings *
settings_new (guint failures)
{
  PalAdaptiveSettings *settings = pal_adaptive_settings_new ();
  const char *services[] = { "sshd", NULL };

  settings->enabled = TRUE;
  settings->failures = failures;
  settings->window = 60;
  settings->duration = 15 * 60;
  settings->max_duration = 60 * 60;
  g_strfreev (settings->services);
  settings->services = g_strdupv ((char **) services);
  return settings;
}

typedef struct
{
  PalFirewall  *firewall;
  PalTriggered *triggered;
  PalAdaptive  *adaptive;
} Setup;

static void
setup_init (Setup              *setup,
            guint               failures,
            const char * const *trusted)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalAdaptiveSettings) settings = settings_new (failures);
  g_autoptr(GError) error = NULL;
  PalRule *banned = kernel_rule ("00000000-0000-4000-8000-000000000001", "listed-in", "is", "triggered", "drop", "");

  pal_document_set_enabled (document, TRUE);
  pal_document_append_rule (document, banned);
  g_object_unref (banned);
  setup->firewall = kernel_firewall ();
  kernel_apply (setup->firewall, document);
  setup->triggered = pal_triggered_new (&error);
  g_assert_no_error (error);
  setup->adaptive = pal_adaptive_new (setup->triggered);
  pal_adaptive_configure (setup->adaptive, settings, trusted);
}

static void
setup_clear (Setup *setup)
{
  g_clear_object (&setup->adaptive);
  g_clear_object (&setup->triggered);
  g_clear_object (&setup->firewall);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Setup, setup_clear)

static PalTriggeredEntry *
banned_entry (Setup      *setup,
              const char *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = pal_triggered_list (setup->triggered, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      PalTriggeredEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->address, address))
        {
          PalTriggeredEntry *copy = g_new0 (PalTriggeredEntry, 1);

          *copy = *entry;
          copy->address = g_strdup (entry->address);
          copy->reason = g_strdup (entry->reason);
          return copy;
        }
    }
  return NULL;
}

static gboolean
is_banned (Setup      *setup,
           const char *address)
{
  g_autoptr(PalTriggeredEntry) entry = banned_entry (setup, address);

  return entry != NULL;
}

/* ------------------------------------------------------------ messages */

static void
test_messages (void)
{
  g_auto(Setup) setup = { 0 };
  g_autoptr(PalTriggeredEntry) entry = NULL;

  setup_init (&setup, 3, NULL);
  /* One attempt of an invalid user: three lines, one failure. */
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd", "Invalid user bob from 192.0.2.7 port 4001"));
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                     "Failed password for invalid user bob from 192.0.2.7 port 4001 ssh2"));
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                     "Connection closed by invalid user bob 192.0.2.7 port 4001 [preauth]"));
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.7"), ==, 1);
  /* A client that gives up before a password: one failure. */
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                     "Connection closed by authenticating user root 192.0.2.7 port 4002 [preauth]"));
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.7"), ==, 2);
  /* A success resets the count. */
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                     "Accepted publickey for alice from 192.0.2.7 port 4003 ssh2: ED25519 SHA256:x"));
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.7"), ==, 0);

  /* A user name cannot frame another address: the last one counts. */
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                     "Invalid user x from 198.51.100.9 port 1 from 192.0.2.8 port 4004"));
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "198.51.100.9"), ==, 0);
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.8"), ==, 1);
  /* Other services and other words are not counted. */
  g_assert_false (pal_adaptive_feed (setup.adaptive, "cron", "Failed password for root from 192.0.2.9 port 1 ssh2"));
  g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd", "Server listening on 0.0.0.0 port 22."));
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.9"), ==, 0);

  /* Three failed passwords on one connection: banned at the third. */
  for (guint i = 0; i < 2; i++)
    g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                       "Failed password for root from 2001:db8::5 port 5000 ssh2"));
  g_assert_false (is_banned (&setup, "2001:db8::5"));
  g_assert_true (pal_adaptive_feed (setup.adaptive, "sshd", "Failed password for root from 2001:db8::5 port 5000 ssh2"));
  entry = banned_entry (&setup, "2001:db8::5");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->reason, ==, "sshd: 3 failed logins");
  g_assert_cmpuint (entry->timeout, ==, 15 * 60);
  g_clear_pointer (&entry, pal_triggered_entry_free);

  /* Again: the ban doubles, and says so; then the cap. */
  for (guint i = 0; i < 3; i++)
    pal_adaptive_feed (setup.adaptive, "sshd", "Failed password for root from 2001:db8::5 port 5001 ssh2");
  entry = banned_entry (&setup, "2001:db8::5");
  g_assert_cmpstr (entry->reason, ==, "sshd: 3 failed logins (2nd ban, 30m)");
  g_assert_cmpuint (entry->timeout, ==, 30 * 60);
  g_clear_pointer (&entry, pal_triggered_entry_free);
  for (guint b = 0; b < 2; b++)
    for (guint i = 0; i < 3; i++)
      pal_adaptive_feed (setup.adaptive, "sshd", "Failed password for root from 2001:db8::5 port 5002 ssh2");
  entry = banned_entry (&setup, "2001:db8::5");
  g_assert_cmpstr (entry->reason, ==, "sshd: 3 failed logins (4th ban, 1h)");
  g_assert_cmpuint (entry->timeout, ==, 60 * 60);

  /* Loopback is never banned. */
  for (guint i = 0; i < 3; i++)
    g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd", "Failed password for root from 127.0.0.1 port 1 ssh2"));
  g_assert_false (is_banned (&setup, "127.0.0.1"));
}

static void
test_own_and_trusted (void)
{
  const char *trusted[] = { "203.0.113.0/24", NULL };
  g_auto(Setup) setup = { 0 };

  setup_init (&setup, 2, trusted);
  /* An address of ours that is not a loopback address. */
  g_free (kernel_run ("ip address add 198.51.100.1/32 dev lo"));
  for (guint i = 0; i < 4; i++)
    {
      g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                         "Failed password for root from 203.0.113.77 port 1 ssh2"));
      g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                         "Failed password for root from 198.51.100.1 port 1 ssh2"));
    }
  g_assert_false (is_banned (&setup, "203.0.113.77"));
  g_assert_false (is_banned (&setup, "198.51.100.1"));

  /* Switched off: nothing is counted. */
  {
    g_autoptr(PalAdaptiveSettings) off = settings_new (2);

    off->enabled = FALSE;
    pal_adaptive_configure (setup.adaptive, off, NULL);
    for (guint i = 0; i < 3; i++)
      g_assert_false (pal_adaptive_feed (setup.adaptive, "sshd",
                                         "Failed password for root from 192.0.2.50 port 1 ssh2"));
    g_assert_false (is_banned (&setup, "192.0.2.50"));
  }
}

/* A log file followed as it grows, rotated and truncated. */
static void
test_log_file (void)
{
  g_auto(Setup) setup = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("palisade-authlog-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "auth.log", NULL);
  g_autofree char *rotated = g_build_filename (directory, "auth.log.1", NULL);
  const char *line = "Nov 22 03:00:00 host sshd[123]: Failed password for root from 192.0.2.60 port 7 ssh2\n";
  gint64 deadline;

  setup_init (&setup, 3, NULL);
  /* Old failures are not counted: the file is followed from its end. */
  g_assert_true (g_file_set_contents (path, line, -1, &error));
  g_assert_true (pal_adaptive_watch_file (setup.adaptive, path, FALSE, &error));
  g_assert_no_error (error);
  {
    FILE *file = fopen (path, "a");

    fputs (line, file);
    fputs ("Nov 22 03:00:01 host sshd[123]: Failed password for root from 192.0.2.60 port 8", file);
    fclose (file);
  }
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (pal_adaptive_get_failures (setup.adaptive, "192.0.2.60") < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.60"), ==, 1);

  /* Rotation: the new file is read from its start, with the third. */
  g_assert_cmpint (g_rename (path, rotated), ==, 0);
  g_assert_true (g_file_set_contents (path, "host sshd[9]: Failed password for root from 192.0.2.60 port 9 ssh2\n"
                                            "host sshd[9]: Failed password for root from 192.0.2.60 port 9 ssh2\n",
                                      -1, &error));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!is_banned (&setup, "192.0.2.60") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_true (is_banned (&setup, "192.0.2.60"));
  pal_adaptive_stop (setup.adaptive);
  g_unlink (path);
  g_unlink (rotated);
  g_rmdir (directory);
}

/* ------------------------------------------------------------ journal */

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"

/* Appends entries of sshd's to the journal file with journal-remote
 * (journald does not run here: a journal of our own). */
static void
journal_write (const char *file,
               const char *message,
               guint       count)
{
  g_autoptr(GString) export = g_string_new (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = NULL;

  for (guint i = 0; i < count; i++)
    g_string_append_printf (export,
                            "__REALTIME_TIMESTAMP=%" G_GINT64_FORMAT "\n__MONOTONIC_TIMESTAMP=%" G_GINT64_FORMAT "\n"
                            "_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=sshd\n_COMM=sshd\n"
                            "MESSAGE=%s\n\n",
                            g_get_real_time () + i, g_get_monotonic_time () + i, message);
  input = g_bytes_new (export->str, export->len);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              JOURNAL_REMOTE, "-o", file, "-", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (process, input, NULL, NULL, NULL, &error));
  g_assert_true (g_subprocess_get_successful (process));
}

static void
test_journal (void)
{
  g_auto(Setup) setup = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *file = NULL;
  g_autofree char *command = NULL;
  gint64 deadline;

  if (!g_file_test (JOURNAL_REMOTE, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("systemd-journal-remote is needed to write a journal (tools/debian-packages.txt)");
      return;
    }
  directory = g_dir_make_tmp ("palisade-journal-XXXXXX", &error);
  file = g_build_filename (directory, "remote.journal", NULL);
  setup_init (&setup, 3, NULL);
  /* Before the helper follows: not counted. */
  journal_write (file, "Failed password for root from 192.0.2.88 port 1 ssh2", 2);
  g_assert_true (pal_adaptive_watch_journal (setup.adaptive, directory, &error));
  g_assert_no_error (error);
  journal_write (file, "Failed password for root from 192.0.2.88 port 2 ssh2", 2);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (pal_adaptive_get_failures (setup.adaptive, "192.0.2.88") < 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "192.0.2.88"), ==, 2);
  g_assert_false (is_banned (&setup, "192.0.2.88"));
  journal_write (file, "Failed password for root from 192.0.2.88 port 3 ssh2", 1);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!is_banned (&setup, "192.0.2.88") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_true (is_banned (&setup, "192.0.2.88"));
  pal_adaptive_stop (setup.adaptive);
  command = g_strdup_printf ("rm -rf %s", directory);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

/* ------------------------------------------------------------ real sshd */

typedef struct
{
  char       *directory;
  char       *log;
  GSubprocess *sshd;
} Sshd;

static void
sshd_stop (Sshd *sshd)
{
  if (sshd->sshd != NULL)
    {
      g_subprocess_send_signal (sshd->sshd, SIGTERM);
      g_subprocess_wait (sshd->sshd, NULL, NULL);
    }
  g_clear_object (&sshd->sshd);
  /* sshd's children of closing connections may still write its log. */
  for (guint i = 0; sshd->directory != NULL && i < 20 && g_file_test (sshd->directory, G_FILE_TEST_EXISTS); i++)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf %s", sshd->directory);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
      g_usleep (50 * 1000);
    }
  g_clear_pointer (&sshd->directory, g_free);
  g_clear_pointer (&sshd->log, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sshd, sshd_stop)

static gboolean
have_sshd (void)
{
  g_autofree char *sshpass = g_find_program_in_path ("sshpass");
  g_autofree char *ssh = g_find_program_in_path ("ssh");

  if (g_file_test ("/usr/sbin/sshd", G_FILE_TEST_IS_EXECUTABLE) && sshpass != NULL && ssh != NULL)
    return TRUE;
  g_test_skip ("openssh-server, openssh-client and sshpass are needed (tools/debian-packages.txt)");
  return FALSE;
}

/* sshd on 10.99.0.1:SSH_PORT logging to a file, password logins on. */
static void
sshd_start (Sshd *sshd)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *keygen = NULL;

  sshd->directory = g_dir_make_tmp ("palisade-sshd-XXXXXX", &error);
  g_assert_no_error (error);
  sshd->log = g_build_filename (sshd->directory, "sshd.log", NULL);
  config_path = g_build_filename (sshd->directory, "sshd_config", NULL);
  keygen = g_strdup_printf ("ssh-keygen -q -t ed25519 -N '' -f %s/host_key", sshd->directory);
  g_free (kernel_run (keygen));
  config = g_strdup_printf ("Port %u\nListenAddress 10.99.0.1\nHostKey %s/host_key\nPidFile %s/sshd.pid\n"
                            "PasswordAuthentication yes\nKbdInteractiveAuthentication no\nUsePAM no\n"
                            "PermitRootLogin yes\nStrictModes no\nMaxStartups 100\n",
                            SSH_PORT, sshd->directory, sshd->directory);
  g_assert_true (g_file_set_contents (config_path, config, -1, &error));
  g_assert_true (g_file_set_contents (sshd->log, "", 0, &error));
  g_mkdir_with_parents ("/run/sshd", 0755);
  sshd->sshd = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/usr/sbin/sshd", "-D", "-f", config_path,
                                 "-E", sshd->log, NULL);
  g_assert_no_error (error);
  /* Listening when it says so. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (sshd->log, &log, NULL, NULL) && strstr (log, "Server listening") != NULL)
        return;
      g_usleep (100 * 1000);
    }
  g_assert_not_reached ();
}

/* Whether a TCP connection from the peer to sshd is answered (1 s). */
static gboolean
peer_connects (const char *peer)
{
  g_autofree char *command = g_strdup_printf ("ip netns exec %s nc -z -w 1 10.99.0.1 %u", peer, SSH_PORT);
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  return g_spawn_check_wait_status (status, NULL);
}

/* One password login from the peer, wrong: the client's exit status. */
static int
failed_login (const char *peer)
{
  g_autofree char *command = g_strdup_printf (
    "ip netns exec %s sshpass -p wrong-password ssh -o PreferredAuthentications=password "
    "-o PubkeyAuthentication=no -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
    "-o NumberOfPasswordPrompts=1 -o ConnectTimeout=2 -o LogLevel=ERROR -p %u root@10.99.0.1 true",
    peer, SSH_PORT);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, NULL));
  return status;
}

/* Until the log has been read as far as the failures expected. */
static void
wait_for_failures (Setup      *setup,
                   const char *address,
                   guint       expected)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (pal_adaptive_get_failures (setup->adaptive, address) < expected && !is_banned (setup, address)
         && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
}

static void
test_sshd_bans (void)
{
  g_auto(Setup) setup = { 0 };
  g_auto(Sshd) sshd = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PalTriggeredEntry) entry = NULL;
  const guint failures = 3;

  if (!have_sshd ())
    return;
  kernel_peer_setup ();
  setup_init (&setup, failures, NULL);
  sshd_start (&sshd);
  g_assert_true (pal_adaptive_watch_file (setup.adaptive, sshd.log, FALSE, &error));
  g_assert_no_error (error);

  for (guint i = 1; i < failures; i++)
    {
      g_assert_cmpint (failed_login (kernel_peer_name ()), !=, 0);
      wait_for_failures (&setup, "10.99.0.2", i);
      g_assert_cmpuint (pal_adaptive_get_failures (setup.adaptive, "10.99.0.2"), ==, i);
      g_assert_false (is_banned (&setup, "10.99.0.2"));
    }
  g_assert_true (peer_connects (kernel_peer_name ()));

  /* The Nth failure bans. */
  g_assert_cmpint (failed_login (kernel_peer_name ()), !=, 0);
  wait_for_failures (&setup, "10.99.0.2", failures);
  entry = banned_entry (&setup, "10.99.0.2");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->reason, ==, "sshd: 3 failed logins");
  g_assert_false (peer_connects (kernel_peer_name ()));
}

static void
test_sshd_trusted (void)
{
  const char *trusted[] = { "10.99.0.0/24", NULL };
  g_auto(Setup) setup = { 0 };
  g_auto(Sshd) sshd = { 0 };
  g_autoptr(GError) error = NULL;

  if (!have_sshd ())
    return;
  kernel_peer_setup ();
  setup_init (&setup, 2, trusted);
  sshd_start (&sshd);
  g_assert_true (pal_adaptive_watch_file (setup.adaptive, sshd.log, FALSE, &error));
  for (guint i = 1; i <= 4; i++)
    {
      g_assert_cmpint (failed_login (kernel_peer_name ()), !=, 0);
      wait_for_failures (&setup, "10.99.0.2", i % 2);
    }
  /* Let the helper read everything sshd wrote. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (20 * 1000);
  g_assert_false (is_banned (&setup, "10.99.0.2"));
  g_assert_true (peer_connects (kernel_peer_name ()));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kernel_test_init ();

  kernel_test_add ("/triggered/adaptive/messages", test_messages);
  kernel_test_add ("/triggered/adaptive/own-and-trusted", test_own_and_trusted);
  kernel_test_add ("/triggered/adaptive/log-file", test_log_file);
  kernel_test_add ("/triggered/adaptive/journal", test_journal);
  kernel_test_add_root ("/triggered/adaptive/sshd-bans", test_sshd_bans);
  kernel_test_add_root ("/triggered/adaptive/sshd-trusted", test_sshd_trusted);
  return g_test_run ();
}
