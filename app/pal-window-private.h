/* pal-window-private.h — what the parts of PalWindow share.
 *
 * pal-window.c: the widget, the document, title, tabs, closing.
 * pal-window-actions.c: documents (open, save), tools, undo, the log drawer.
 * pal-window-edit.c: the outline's editing commands.
 * pal-window-helper.c: Apply, Show Active, Expert View, the master switch
 * and the live counters, through the helper's D-Bus interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pal-ban-settings.h"
#include "pal-confirm-dialog.h"
#include "pal-helper-client.h"
#include "pal-interfaces-page.h"
#include "pal-log-drawer.h"
#include "pal-other-tables-page.h"
#include "pal-trusted-list.h"
#include "pal-window.h"

G_BEGIN_DECLS

struct _PalWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  AdwWindowTitle       *title;
  GtkWidget            *firewall_box;
  GtkSwitch            *firewall_switch;
  AdwViewStack         *stack;
  PalRuleOutline       *outline;
  PalInterfacesPage    *interfaces_page;
  AdwViewStackPage     *other_tables_stack_page;
  PalOtherTablesPage   *other_tables_page;
  PalTrustedList       *trusted_list;
  PalBanSettings       *ban_settings;
  GtkRevealer          *log_revealer;
  GtkWidget            *log_button;
  PalLogDrawer         *log_drawer;
  GtkLabel             *status;
  GtkWidget            *apply_button;
  GtkWidget            *show_active_button;
  GMenu                *templates_section;
  GMenu                *recent_section;
  GMenuModel           *tools_menu;
  GtkMenuButton        *tools_menu_button;

  /* Owned references */
  PalDocument          *document;
  PalUndoStack         *undo;
  PalCounterTable      *counters;
  GFile                *file;
  char                 *untitled_name;   /* shown while there is no file */

  /* pal-window-helper.c */
  PalHelperClient      *helper;
  GCancellable         *helper_cancellable;
  guint                 counters_source;
  gboolean              counters_pending;
  gboolean              mirrors_kernel;      /* the document is what the kernel runs */
  gboolean              helper_busy;         /* Apply, Show Active or the switch in flight */
  gboolean              syncing_switch;
  gboolean              apply_on_open;       /* waiting for the helper to apply */
  gboolean              settings_modified;   /* the switch changed the saved On state */
  gboolean              restored;            /* from an autosave: unsaved until saved */
  /* pal-window-confirm.c: "Keep these firewall settings?" (not a reference) */
  PalConfirmDialog     *confirm_dialog;

  gulong                undo_changed_id;
  gulong                selection_changed_id;
  gulong                recent_changed_id;
  gboolean              close_confirmed;
};

/* pal-window-actions.c */
void     _pal_window_class_actions_init (PalWindowClass *klass);
void     _pal_window_update_actions (PalWindow *self);
void     _pal_window_save_as (PalWindow *self,
                              gboolean   close_after);
void     _pal_window_fill_recent (PalWindow *self);

/* pal-window-log.c: the log drawer and the Interfaces tab: rule links, helper */
void     _pal_window_log_init (PalWindow *self);
/* Before self->document becomes document: keeps the Log Denied switch with
 * it (NULL: lets go of the old one). */
void     _pal_window_log_set_document (PalWindow   *self,
                                       PalDocument *document);
void     _pal_window_log_attach (PalWindow       *self,
                                 PalHelperClient *helper);

/* pal-window-edit.c */
void     _pal_window_class_edit_init (PalWindowClass *klass);
void     _pal_window_update_edit_actions (PalWindow *self);

/* pal-window-startup.c: Apply at login, Use at boot ("startup" actions) */
void     _pal_window_startup_init (PalWindow *self);
void     _pal_window_startup_refresh (PalWindow *self);

/* pal-window-helper.c */
void     _pal_window_class_helper_init (PalWindowClass *klass);
void     _pal_window_helper_init (PalWindow *self);
void     _pal_window_helper_attach (PalWindow       *self,
                                    PalHelperClient *helper);
void     _pal_window_helper_dispose (PalWindow *self);
void     _pal_window_helper_sync_switch (PalWindow *self);
void     _pal_window_helper_document_changed (PalWindow *self);
gboolean _pal_window_helper_get_mirrors_kernel (PalWindow *self);
void     _pal_window_helper_refresh_counters (PalWindow *self);
/* A document saved On, opened from a file: apply it and switch on. */
void     _pal_window_helper_apply_on_open (PalWindow *self);

/* pal-window-confirm.c */
/* Before an Apply: whether it asks for confirmation, from the preference. */
void     _pal_window_confirm_prepare (PalWindow *self);
/* After a successful Apply: the countdown dialog, when it asked. */
void     _pal_window_confirm_start (PalWindow *self);
void     _pal_window_confirm_rolled_back (PalWindow  *self,
                                          const char *reason);
void     _pal_window_confirm_dispose (PalWindow *self);
/* Before an Apply: when the document would block the SSH session or IPv6
 * neighbour discovery, asks (and applies on "Apply Anyway"); TRUE then. */
gboolean _pal_window_confirm_lockout (PalWindow *self,
                                      gboolean   turn_on);
/* Apply failed with Conflict: who changed the table, and Show Active,
 * Expert View or Apply anyway. */
void     _pal_window_confirm_conflict (PalWindow  *self,
                                       const char *message,
                                       gboolean    turn_on);
/* pal-window-helper.c: Apply without the checks. */
void     _pal_window_helper_start_apply (PalWindow *self,
                                         gboolean   turn_on);

/* pal-window.c */
char    *_pal_window_get_display_name (PalWindow *self);
void     _pal_window_set_untitled_name (PalWindow  *self,
                                        const char *name);
/* The saved On state, changed by the master switch (not an undo step). */
void     _pal_window_set_document_enabled (PalWindow *self,
                                           gboolean   enabled);
/* Closes without asking again, from an idle (safe inside a dialog's response). */
void     _pal_window_close_later (PalWindow *self);
void     _pal_window_show_error (PalWindow    *self,
                                 const char   *heading,
                                 const GError *error);
void     _pal_window_toast (PalWindow  *self,
                            const char *text);
/* Validates the document as the reader and the helper will; on a problem
 * selects its rule and fails with a sentence naming it. */
gboolean _pal_window_check_document (PalWindow  *self,
                                     GError    **error);

G_END_DECLS
