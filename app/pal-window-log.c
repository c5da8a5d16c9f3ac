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

/* The switch is the document's setting: a flip is an undoable edit. */
static void
log_denied_switch_cb (PalWindow *self)
{
  GtkSwitch *on = pal_log_drawer_get_log_denied_switch (self->log_drawer);
  g_auto(GValue) value = G_VALUE_INIT;

  if (self->document == NULL || gtk_switch_get_active (on) == pal_document_get_log_denied (self->document))
    return;
  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, gtk_switch_get_active (on));
  pal_undo_stack_begin (self->undo, gtk_switch_get_active (on) ? _("Log Denied On") : _("Log Denied Off"));
  pal_undo_stack_set (self->undo, G_OBJECT (self->document), "log-denied", &value);
  pal_undo_stack_end (self->undo);
}

/* The document changed it (undo, redo, Show Active). */
static void
sync_log_denied (PalWindow   *self,
                 GParamSpec  *pspec,
                 PalDocument *document)
{
  gtk_switch_set_active (pal_log_drawer_get_log_denied_switch (self->log_drawer),
                         pal_document_get_log_denied (document));
}

void
_pal_window_log_set_document (PalWindow   *self,
                              PalDocument *document)
{
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, sync_log_denied, self);
  if (document == NULL)
    return;
  g_signal_connect_swapped (document, "notify::log-denied", G_CALLBACK (sync_log_denied), self);
  /* Not an edit: the new document already says so. */
  sync_log_denied (self, NULL, document);
}

void
_pal_window_log_init (PalWindow *self)
{
  g_signal_connect_object (self->log_drawer, "rule-activated", G_CALLBACK (rule_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pal_log_drawer_get_log_denied_switch (self->log_drawer), "notify::active",
                           G_CALLBACK (log_denied_switch_cb), self, G_CONNECT_SWAPPED);
}

void
_pal_window_log_attach (PalWindow       *self,
                        PalHelperClient *helper)
{
  pal_log_drawer_set_helper (self->log_drawer, helper);
  pal_interfaces_page_set_helper (self->interfaces_page, helper);
}
