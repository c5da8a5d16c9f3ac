/* gui-test-util.h — what several window tests need: waiting on the main
 * loop for a condition, the visible message dialog, screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*GuiTestCondition) (gpointer data);

/* Runs the main loop until condition holds; FALSE after timeout_s. */
gboolean          gui_test_wait_for (GuiTestCondition condition,
                                     gpointer         data,
                                     guint            timeout_s);
/* Lets the main loop run what is pending. */
void              gui_test_flush (void);
/* The visible AdwMessageDialog (there is at most one in these tests). */
AdwMessageDialog *gui_test_find_message_dialog (void);
/* Saves a PNG of widget's window as $PAL_SCREENSHOT_DIR/name.png. */
void              gui_test_save_screenshot (GtkWidget  *widget,
                                            const char *name);

G_END_DECLS
