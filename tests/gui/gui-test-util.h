/* gui-test-util.h — what several window tests need: waiting on the main
 * loop for a condition or for frames, the visible message dialog,
 * screenshots, the rules of a window's document, ids.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pal-window.h"

G_BEGIN_DECLS

typedef gboolean (*GuiTestCondition) (gpointer data);

/* Runs the main loop until condition holds; FALSE after timeout_s. */
gboolean          gui_test_wait_for (GuiTestCondition condition,
                                     gpointer         data,
                                     guint            timeout_s);
/* Runs the main loop until the window's status starts with prefix; fails
 * the test, saying what the status was, after timeout_s. */
void              gui_test_wait_for_status (PalWindow  *window,
                                            const char *prefix,
                                            guint       timeout_s);
/* Lets the main loop run what is pending. */
void              gui_test_flush (void);
/* The visible AdwMessageDialog (there is at most one in these tests). */
AdwMessageDialog *gui_test_find_message_dialog (void);
/* Starts "palisade-helper --sandbox" ($PAL_HELPER_PATH) with its bus under
 * runtime_dir (the test's XDG_RUNTIME_DIR), dying with the test; returns
 * once the bus is there. */
GSubprocess      *gui_test_start_sandbox (const char *runtime_dir);
/* Ctrl+C: the sandbox removes its own files. */
void              gui_test_stop_sandbox (GSubprocess *helper);
/* Runs the main loop until widget's frame clock has drawn n frames (5 s
 * at most): new rows get their cells in layout. */
void              gui_test_wait_frames (GtkWidget *widget,
                                        guint      n);
/* Saves a PNG of widget as $PAL_SCREENSHOT_DIR/name.png. */
void              gui_test_save_screenshot (GtkWidget  *widget,
                                            const char *name);
/* Activates a win. action without a parameter; asserts it exists. */
void              gui_test_activate (PalWindow  *window,
                                     const char *action);
/* The rule at position among the document's top rules or a rule's
 * children (the document holds it). */
PalRule          *gui_test_top_rule (PalWindow *window,
                                     guint      position);
PalRule          *gui_test_child_rule (PalRule *parent,
                                       guint    position);
/* Makes rule the outline's only selected row. */
void              gui_test_select_rule (PalWindow *window,
                                        PalRule   *rule);
/* Adds the id of every rule of rules and below to ids (a set of strings
 * it frees). */
void              gui_test_collect_ids (GListModel *rules,
                                        GHashTable *ids);
/* The JSON with every rule id blanked, to compare structure and content. */
char             *gui_test_without_ids (const char *json);

G_END_DECLS
