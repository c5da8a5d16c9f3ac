/* pal-window-log.c — the window's side of the log drawer (a click on a
 * logged rule selects it in the outline) and of the Interfaces tab (both
 * read the machine through the helper).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "pal-window-private.h"

static void
rule_activated_cb (PalWindow  *self,
                   const char *rule_id)
{
  PalRule *rule = pal_document_find_rule (self->document, rule_id);
  g_autoptr(GPtrArray) rules = NULL;

  if (rule == NULL)
    {
      /* The log names rules of the applied document, which may be
       * another one than this window shows. */
      _pal_window_toast (self, _("This document has no such rule"));
      return;
    }
  rules = g_ptr_array_new ();
  g_ptr_array_add (rules, rule);
  adw_view_stack_set_visible_child_name (self->stack, "filters");
  pal_rule_outline_select_rules (self->outline, rules);
}

void
_pal_window_log_init (PalWindow *self)
{
  g_signal_connect_object (self->log_drawer, "rule-activated", G_CALLBACK (rule_activated_cb),
                           self, G_CONNECT_SWAPPED);
}

void
_pal_window_log_attach (PalWindow       *self,
                        PalHelperClient *helper)
{
  pal_log_drawer_set_helper (self->log_drawer, helper);
  pal_interfaces_page_set_helper (self->interfaces_page, helper);
}
