/* fuzz-triggered.c — ImportTriggered: a caller's text, parsed by root.
 *
 * The bytes are the text of pal_triggered_import() (IPNetSentryX's
 * tab-separated lines). It runs against the real kernel, in a network
 * namespace of its own made at start (so root is needed, and the host's
 * firewall is never touched), where an empty document was applied so the
 * triggered sets exist; what an input added is flushed after it. Oracles:
 * a refusal's message is valid UTF-8 (it goes back over D-Bus) and says
 * which line; trusted lines come back as valid UTF-8; no more addresses
 * are added than the limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "pal-firewall.h"
#include "pal-triggered.h"

static PalTriggered *triggered;

static void G_GNUC_NORETURN
fail (const char *what,
      const char *text)
{
  fprintf (stderr, "Oracle failed: %s: %s\n", what, text);
  abort ();
}

gboolean
fuzz_target_init (char **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(PalDocument) document = NULL;

  if (unshare (CLONE_NEWNET) < 0)
    {
      *reason = g_strdup_printf ("needs root for a network namespace of its own (%s)",
                                 g_strerror (errno));
      return FALSE;
    }
  document = pal_document_new ();
  firewall = pal_firewall_new (&error);
  if (firewall == NULL || !pal_firewall_apply (firewall, document, &error))
    {
      *reason = g_strdup_printf ("cannot make the triggered sets: %s", error->message);
      return FALSE;
    }
  triggered = pal_triggered_new (&error);
  if (triggered == NULL)
    {
      *reason = g_strdup_printf ("no netlink: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) trusted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  gint64 added;

  added = pal_triggered_import (triggered, text, trusted, &error);
  if (added < 0)
    {
      if (!g_utf8_validate (error->message, -1, NULL))
        fail ("a message that is not UTF-8", error->message);
      return 0;
    }
  if (added > PAL_TRIGGERED_MAX_EXPANDED)
    fail ("more addresses added than the limit", text);
  for (guint i = 0; i < trusted->len; i++)
    if (!g_utf8_validate (trusted->pdata[i], -1, NULL))
      fail ("a trusted line that is not UTF-8", trusted->pdata[i]);
  if (added > 0 && !pal_triggered_flush (triggered, &error))
    fail ("the sets do not flush", error->message);
  return 0;
}
