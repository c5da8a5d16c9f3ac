/* ctl-confirm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ctl-common.h"
#include "ctl-confirm.h"

/* How long to wait past the helper's clock for its RolledBack. */
#define GRACE_SECONDS 15

typedef enum
{
  ANSWER_NONE,      /* no answer yet */
  ANSWER_YES,
  ANSWER_NO,        /* "n", anything else, or the end of the input */
} Answer;

typedef struct
{
  GMainLoop *loop;
  GString   *line;
  Answer     answer;
  char      *rolled_back;   /* the reason, once RolledBack came */
  gboolean   gave_up;       /* the grace time passed without RolledBack */
} Wait;

GDBusConnection *
pal_ctl_confirm_connect (const char  *address,
                         GError     **error)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_dbus_connection_new_for_address_sync (address,
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, error);
}

static Answer
parse_answer (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  g_strstrip (folded);
  if (g_str_equal (folded, "y") || g_str_equal (folded, "yes"))
    return ANSWER_YES;
  return ANSWER_NO;
}

static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  Wait *wait = user_data;
  char buffer[256];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n <= 0)
    {
      /* End of input: no answer is "no", and the clock decides. */
      wait->answer = ANSWER_NO;
      g_main_loop_quit (wait->loop);
      return G_SOURCE_REMOVE;
    }
  g_string_append_len (wait->line, buffer, n);
  if (strchr (wait->line->str, '\n') == NULL && wait->line->len < 1024)
    return G_SOURCE_CONTINUE;
  wait->answer = parse_answer (wait->line->str);
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

static void
on_rolled_back (PalDBusFirewall1 *listener,
                const char       *reason,
                Wait             *wait)
{
  g_free (wait->rolled_back);
  wait->rolled_back = g_strdup (reason);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_grace_over (gpointer user_data)
{
  Wait *wait = user_data;

  wait->gave_up = TRUE;
  g_main_loop_quit (wait->loop);
  return G_SOURCE_REMOVE;
}

static void
say_rolled_back (const char *reason)
{
  g_autofree char *safe = pal_ctl_text_sanitize (reason, 0);

  g_print (_("Rolled back: %s. The previous firewall settings are active again.\n"), safe);
}

/* Without a yes: waits for the helper's RolledBack (it comes at once if
 * the apply connection was closed, else when the clock runs out). */
static gboolean
wait_for_rollback (Wait     *wait,
                   guint     seconds)
{
  guint grace = g_timeout_add_seconds (seconds + GRACE_SECONDS, on_grace_over, wait);

  while (wait->rolled_back == NULL && !wait->gave_up)
    g_main_loop_run (wait->loop);
  if (!wait->gave_up)
    g_source_remove (grace);
  if (wait->rolled_back != NULL)
    say_rolled_back (wait->rolled_back);
  else
    pal_ctl_error (_("The helper did not say that it rolled back; check with “palisadectl status”"));
  return FALSE;
}

static gboolean
confirm (PalDBusFirewall1 *apply_proxy,
         Wait             *wait)
{
  g_autoptr(GError) error = NULL;

  if (pal_dbus_firewall1_call_confirm_sync (apply_proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error))
    {
      g_print (_("Kept the new firewall settings.\n"));
      return TRUE;
    }
  g_dbus_error_strip_remote_error (error);
  pal_ctl_error (_("Could not keep the settings: %s"), error->message);
  return FALSE;
}

gboolean
pal_ctl_confirm_ask (PalDBusFirewall1 *apply_proxy,
                     PalDBusFirewall1 *listener,
                     guint             seconds)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GString) line = g_string_new (NULL);
  Wait wait = { loop, line, ANSWER_NONE, NULL, FALSE };
  gboolean kept = FALSE;
  gulong handler;
  guint input;

  g_return_val_if_fail (PAL_DBUS_IS_FIREWALL1 (apply_proxy), FALSE);
  g_return_val_if_fail (PAL_DBUS_IS_FIREWALL1 (listener), FALSE);

  handler = g_signal_connect (listener, "rolled-back", G_CALLBACK (on_rolled_back), &wait);
  g_print (_("Keep these firewall settings? [y/N] (rolls back in %u s) "), seconds);
  fflush (stdout);
  input = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &wait);
  while (wait.answer == ANSWER_NONE && wait.rolled_back == NULL)
    g_main_loop_run (loop);
  if (wait.answer == ANSWER_NONE)
    g_source_remove (input);
  g_print ("\n");

  if (wait.rolled_back != NULL)
    say_rolled_back (wait.rolled_back);
  else if (wait.answer == ANSWER_YES)
    kept = confirm (apply_proxy, &wait);
  if (!kept && wait.rolled_back == NULL)
    {
      /* Leaving the bus is the quickest way back. */
      g_dbus_connection_close_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (apply_proxy)), NULL, NULL);
      wait_for_rollback (&wait, seconds);
    }
  g_signal_handler_disconnect (listener, handler);
  g_free (wait.rolled_back);
  return kept;
}
