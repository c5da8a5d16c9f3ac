/* pal-log-drawer.c — the log drawer at the bottom of the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pal-alert-notifier.h"
#include "pal-dbus-generated.h"
#include "pal-log-drawer.h"
#include "pal-log-item.h"

#define LOG_TIMEOUT_MS 10000

struct _PalLogDrawer
{
  GtkBox               parent_instance;

  /* Template widgets */
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *pause_button;
  GtkLabel            *status_label;
  GtkStack            *view_stack;
  GtkLabel            *empty_label;
  GtkColumnView       *column_view;
  GtkSwitch           *log_denied_switch;

  GListStore          *store;          /* PalLogItem, oldest first */
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  GtkMultiSelection   *selection;
  char                *needle;         /* case-folded filter text, or NULL */
  gboolean             syncing_entry;
  guint                scroll_id;
  guint                max_rows;
  guint64              n_dropped;
  gboolean             paused;
  GPtrArray           *held;           /* PalLogItem arriving while paused */

  PalHelperClient     *helper;
  GDBusProxy          *proxy;          /* the helper's, while watching */
  GCancellable        *cancellable;
  gulong               entries_id;
  gboolean             loading;        /* WatchLog sent, GetLog not back */
  GPtrArray           *early;          /* batches during loading */
  PalAlertNotifier    *notifier;
};

G_DEFINE_FINAL_TYPE (PalLogDrawer, pal_log_drawer, GTK_TYPE_BOX)

enum {
  RULE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_status (PalLogDrawer *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *text = NULL;

  if (self->n_dropped > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu entry dropped from the view",
                                         "%llu entries dropped from the view",
                                         self->n_dropped), (unsigned long long) self->n_dropped);
  else if (self->paused && self->held->len > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Paused, %u new entry waiting",
                                         "Paused, %u new entries waiting", self->held->len),
                            self->held->len);
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_stack_set_visible_child_name (self->view_stack, n > 0 ? "list" : "empty");
}

/* Keeps the view at the bottom when it was there: new rows follow, but a
 * user reading older rows is not pulled away. */
static gboolean
at_bottom (PalLogDrawer *self)
{
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
         >= gtk_adjustment_get_upper (adj) - 1;
}

static gboolean
scroll_to_bottom_cb (gpointer data)
{
  PalLogDrawer *self = data;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  self->scroll_id = 0;
  /* A hidden drawer's list has no rows to scroll to (GTK warns). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->column_view)))
    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  return G_SOURCE_REMOVE;
}

/* One removal of the oldest rows and one splice of the new ones per batch,
 * however long: the view updates once, not once per entry. */
static void
append_items (PalLogDrawer *self,
              GPtrArray    *items)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint skip = 0, excess;
  gboolean follow = at_bottom (self);

  if (items->len > self->max_rows)
    skip = items->len - self->max_rows;
  excess = n_old + (items->len - skip) > self->max_rows
           ? n_old + (items->len - skip) - self->max_rows : 0;
  self->n_dropped += skip + excess;
  if (excess > 0)
    g_list_store_splice (self->store, 0, excess, NULL, 0);
  g_list_store_splice (self->store, n_old - excess, 0,
                       items->pdata + skip, items->len - skip);
  update_status (self);
  if (follow && self->scroll_id == 0)
    self->scroll_id = g_idle_add_full (G_PRIORITY_LOW, scroll_to_bottom_cb, self, NULL);
}

static void
hold_items (PalLogDrawer *self,
            GPtrArray    *items)
{
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (self->held, g_object_ref (items->pdata[i]));
  if (self->held->len > self->max_rows)
    {
      guint excess = self->held->len - self->max_rows;

      g_ptr_array_remove_range (self->held, 0, excess);
      self->n_dropped += excess;
    }
  update_status (self);
}

static void
notify_alerts (PalLogDrawer *self,
               GPtrArray    *items)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *application = NULL;

  if (GTK_IS_WINDOW (root))
    application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (root)));
  for (guint i = 0; i < items->len; i++)
    pal_alert_notifier_handle (self->notifier, application, items->pdata[i]);
}

static void
add_items (PalLogDrawer *self,
           GPtrArray    *items,
           gboolean      notify)
{
  if (items->len == 0)
    return;
  if (notify)
    notify_alerts (self, items);
  if (self->paused)
    hold_items (self, items);
  else
    append_items (self, items);
}

static GPtrArray *
items_from_variant (GVariant *entries,
                    gint64    after)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  GVariant *child;

  g_variant_iter_init (&iter, entries);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      PalLogItem *item = pal_log_item_new (child);

      g_variant_unref (child);
      if (pal_log_item_get_time (item) > after)
        g_ptr_array_add (items, item);
      else
        g_object_unref (item);
    }
  return items;
}

void
pal_log_drawer_add_entries (PalLogDrawer *self,
                            GVariant     *entries)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_if_fail (PAL_IS_LOG_DRAWER (self));
  g_return_if_fail (g_variant_is_of_type (entries, G_VARIANT_TYPE ("a(xsssssssssssqqnnsu)")));

  items = items_from_variant (entries, G_MININT64);
  add_items (self, items, TRUE);
}

/* pal-log-drawer-helper: GetLog when the helper becomes available, then
 * LogEntries. WatchLog goes first so nothing falls between the two; the
 * batches that arrive before GetLog's answer are kept and added after it,
 * without what GetLog already had. */

static void
log_entries_cb (PalLogDrawer *self,
                GVariant     *entries)
{
  if (self->loading)
    g_ptr_array_add (self->early, g_variant_ref (entries));
  else
    pal_log_drawer_add_entries (self, entries);
}

static void
show_unavailable (PalLogDrawer *self,
                  const char   *reason)
{
  g_autofree char *text = g_strdup_printf (_("The log cannot be shown: %s"), reason);

  gtk_label_set_text (self->empty_label, text);
}

static gint64
last_time (GVariant *entries)
{
  gsize n = g_variant_n_children (entries);
  gint64 time = G_MININT64;

  if (n > 0)
    g_variant_get_child (entries, n - 1, "(xsssssssssssqqnnsu)", &time,
                         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                         NULL, NULL, NULL, NULL, NULL, NULL);
  return time;
}

static void
get_log_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  PalLogDrawer *self = user_data;
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 after;

  if (!pal_dbus_firewall1_call_get_log_finish (PAL_DBUS_FIREWALL1 (source), &entries, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          show_unavailable (self, error->message);
        }
      return;
    }
  self->loading = FALSE;
  /* The backlog is history: its alerts were notified when they happened. */
  items = items_from_variant (entries, G_MININT64);
  add_items (self, items, FALSE);
  after = last_time (entries);
  for (guint i = 0; i < self->early->len; i++)
    {
      g_autoptr(GPtrArray) more = items_from_variant (self->early->pdata[i], after);

      add_items (self, more, TRUE);
    }
  g_ptr_array_set_size (self->early, 0);
}

static void
watch_log_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PalLogDrawer *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pal_dbus_firewall1_call_watch_log_finish (PAL_DBUS_FIREWALL1 (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          g_dbus_error_strip_remote_error (error);
          show_unavailable (self, error->message);
        }
      return;
    }
  pal_dbus_firewall1_call_get_log (PAL_DBUS_FIREWALL1 (source), G_DBUS_CALL_FLAGS_NONE,
                                   LOG_TIMEOUT_MS, self->cancellable, get_log_cb, self);
}

static void
stop_watching (PalLogDrawer *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->proxy != NULL)
    {
      g_clear_signal_handler (&self->entries_id, self->proxy);
      /* Leaving the bus would stop the signals too; telling the helper
       * lets it close the NFLOG socket while the GUI runs on. */
      pal_dbus_firewall1_call_unwatch_log (PAL_DBUS_FIREWALL1 (self->proxy), G_DBUS_CALL_FLAGS_NONE,
                                           -1, NULL, NULL, NULL);
    }
  g_clear_object (&self->proxy);
  self->loading = FALSE;
  g_ptr_array_set_size (self->early, 0);
}

static void
start_watching (PalLogDrawer *self)
{
  GDBusProxy *proxy = pal_helper_client_get_proxy (self->helper);

  g_assert (self->proxy == NULL);
  if (proxy == NULL)
    return;
  self->proxy = g_object_ref (proxy);
  self->cancellable = g_cancellable_new ();
  self->entries_id = g_signal_connect_object (proxy, "log-entries", G_CALLBACK (log_entries_cb),
                                              self, G_CONNECT_SWAPPED);
  self->loading = TRUE;
  pal_dbus_firewall1_call_watch_log (PAL_DBUS_FIREWALL1 (proxy), G_DBUS_CALL_FLAGS_NONE,
                                     LOG_TIMEOUT_MS, self->cancellable, watch_log_cb, self);
}

static void
helper_available_cb (PalLogDrawer *self)
{
  if (pal_helper_client_get_available (self->helper))
    {
      if (self->proxy == NULL)
        start_watching (self);
    }
  else
    {
      stop_watching (self);
      if (pal_helper_client_get_unavailable_reason (self->helper) != NULL)
        show_unavailable (self, pal_helper_client_get_unavailable_reason (self->helper));
    }
}

void
pal_log_drawer_set_helper (PalLogDrawer    *self,
                           PalHelperClient *helper)
{
  g_return_if_fail (PAL_IS_LOG_DRAWER (self));
  g_return_if_fail (helper == NULL || PAL_IS_HELPER_CLIENT (helper));

  stop_watching (self);
  if (self->helper != NULL)
    g_signal_handlers_disconnect_by_data (self->helper, self);
  g_set_object (&self->helper, helper);
  if (helper == NULL)
    return;
  g_signal_connect_object (helper, "notify::available", G_CALLBACK (helper_available_cb),
                           self, G_CONNECT_SWAPPED);
  helper_available_cb (self);
}

/* The columns: one factory each, the column index as its data. */

/* A click on the rule's text, not a button: a button per row would make
 * the rows twice as tall and the log half as long. */
static void
rule_clicked_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 PalLogDrawer    *self)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  PalLogItem *item = g_object_get_data (G_OBJECT (label), "pal-log-item");

  if (item != NULL && *pal_log_item_get_rule_id (item) != '\0')
    g_signal_emit (self, signals[RULE_ACTIVATED], 0, pal_log_item_get_rule_id (item));
}

/* The rule cell of a row, as it is bound now, or NULL (not drawn). */
static GtkWidget *
find_rule_label (GtkWidget  *widget,
                 PalLogItem *item)
{
  if (GTK_IS_LABEL (widget) && g_object_get_data (G_OBJECT (widget), "pal-log-item") == item)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_rule_label (child, item);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pal_log_drawer_get_rule_cell (PalLogDrawer *self,
                              guint         position)
{
  g_autoptr(PalLogItem) item = NULL;

  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  return item != NULL ? find_rule_label (GTK_WIDGET (self->column_view), item) : NULL;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  data)
{
  PalLogColumn column = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == PAL_LOG_COLUMN_RULE)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      g_signal_connect (click, "released", G_CALLBACK (rule_clicked_cb),
                        g_object_get_data (G_OBJECT (factory), "pal-log-drawer"));
      gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (click));
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  data)
{
  PalLogColumn column = GPOINTER_TO_UINT (data);
  PalLogItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  gboolean linked = *pal_log_item_get_rule_id (item) != '\0';

  gtk_label_set_text (GTK_LABEL (label), pal_log_item_get_column (item, column));
  if (column == PAL_LOG_COLUMN_RULE)
    {
      g_object_set_data (G_OBJECT (label), "pal-log-item", item);
      /* The accent colour says it can be clicked. */
      if (linked)
        gtk_widget_add_css_class (label, "accent");
      else
        gtk_widget_remove_css_class (label, "accent");
      gtk_widget_set_cursor_from_name (label, linked ? "pointer" : NULL);
      gtk_widget_set_tooltip_text (label, linked ? _("Click to select this rule in the outline") : NULL);
    }
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  data)
{
  PalLogColumn column = GPOINTER_TO_UINT (data);

  if (column == PAL_LOG_COLUMN_RULE)
    g_object_set_data (G_OBJECT (gtk_list_item_get_child (list_item)), "pal-log-item", NULL);
}

static const char *
column_title (PalLogColumn column)
{
  switch (column)
    {
    case PAL_LOG_COLUMN_TIME: return _("Time");
    case PAL_LOG_COLUMN_RULE: return _("Rule");
    case PAL_LOG_COLUMN_DIRECTION: return _("Direction");
    case PAL_LOG_COLUMN_INTERFACE: return _("Interface");
    case PAL_LOG_COLUMN_PROTOCOL: return _("Protocol");
    case PAL_LOG_COLUMN_SOURCE: return _("Source");
    case PAL_LOG_COLUMN_DESTINATION: return _("Destination");
    case PAL_LOG_COLUMN_PORTS: return _("Ports");
    case PAL_LOG_COLUMN_VERDICT: return _("Verdict");
    case PAL_LOG_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
add_columns (PalLogDrawer *self)
{
  for (guint i = 0; i < PAL_LOG_N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "pal-log-drawer", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (column_title (i), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, i == PAL_LOG_COLUMN_RULE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

static gboolean
filter_func (gpointer item,
             gpointer data)
{
  PalLogDrawer *self = data;

  return pal_log_item_matches (item, self->needle);
}

void
pal_log_drawer_set_filter_text (PalLogDrawer *self,
                                const char   *text)
{
  g_return_if_fail (PAL_IS_LOG_DRAWER (self));

  /* Setting the entry's text empties it first, which the search entry
   * reports at once: its own signals must not set the filter meanwhile. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    {
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
      self->syncing_entry = FALSE;
    }
  g_clear_pointer (&self->needle, g_free);
  if (text != NULL && *text != '\0')
    self->needle = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
search_changed_cb (PalLogDrawer *self)
{
  if (self->syncing_entry)
    return;
  pal_log_drawer_set_filter_text (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

void
pal_log_drawer_set_paused (PalLogDrawer *self,
                           gboolean      paused)
{
  g_return_if_fail (PAL_IS_LOG_DRAWER (self));

  if (self->paused == !!paused)
    return;
  self->paused = !!paused;
  gtk_toggle_button_set_active (self->pause_button, self->paused);
  if (!self->paused && self->held->len > 0)
    {
      g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);

      self->held = g_ptr_array_new_with_free_func (g_object_unref);
      append_items (self, held);
    }
  update_status (self);
}

static void
pause_toggled_cb (PalLogDrawer *self)
{
  pal_log_drawer_set_paused (self, gtk_toggle_button_get_active (self->pause_button));
}

void
pal_log_drawer_clear (PalLogDrawer *self)
{
  g_return_if_fail (PAL_IS_LOG_DRAWER (self));

  g_list_store_remove_all (self->store);
  g_ptr_array_set_size (self->held, 0);
  self->n_dropped = 0;
  update_status (self);
}

char *
pal_log_drawer_get_selection_text (PalLogDrawer *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GString) text = NULL;
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (!gtk_bitset_iter_init_first (&iter, selected, &position))
    return NULL;
  text = g_string_new (NULL);
  do
    {
      g_autoptr(PalLogItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      g_autofree char *line = pal_log_item_to_tsv (item);

      g_string_append_printf (text, "%s\n", line);
    }
  while (gtk_bitset_iter_next (&iter, &position));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
pal_log_drawer_copy_selection (PalLogDrawer *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (PAL_IS_LOG_DRAWER (self));

  text = pal_log_drawer_get_selection_text (self);
  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

char *
pal_log_drawer_to_text (PalLogDrawer *self)
{
  GListModel *model;
  GString *text;
  guint n;

  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);

  model = G_LIST_MODEL (self->filtered);
  n = g_list_model_get_n_items (model);
  text = g_string_new (NULL);
  for (guint i = 0; i < PAL_LOG_N_COLUMNS; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\t" : "", column_title (i));
  g_string_append_c (text, '\n');
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalLogItem) item = g_list_model_get_item (model, i);
      g_autofree char *line = pal_log_item_to_tsv (item);

      g_string_append_printf (text, "%s\n", line);
    }
  return g_string_free (text, FALSE);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    PalLogDrawer    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      text = pal_log_drawer_to_text (self);
      if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                    G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The log could not be exported: %s"),
                                                      error->message);

          gtk_label_set_text (self->status_label, message);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_clicked_cb (PalLogDrawer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Log"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("palisade-log.txt"));
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
pal_log_drawer_set_max_rows (PalLogDrawer *self,
                             guint         max_rows)
{
  g_return_if_fail (PAL_IS_LOG_DRAWER (self));
  g_return_if_fail (max_rows > 0);
  self->max_rows = max_rows;
}

GListModel *
pal_log_drawer_get_model (PalLogDrawer *self)
{
  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);
  return G_LIST_MODEL (self->filtered);
}

GtkSelectionModel *
pal_log_drawer_get_selection (PalLogDrawer *self)
{
  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

const char *
pal_log_drawer_get_status_text (PalLogDrawer *self)
{
  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);
  return gtk_label_get_text (self->status_label);
}

guint
pal_log_drawer_get_n_entries (PalLogDrawer *self)
{
  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

GtkSwitch *
pal_log_drawer_get_log_denied_switch (PalLogDrawer *self)
{
  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), NULL);
  return self->log_denied_switch;
}

guint64
pal_log_drawer_get_n_dropped (PalLogDrawer *self)
{
  g_return_val_if_fail (PAL_IS_LOG_DRAWER (self), 0);
  return self->n_dropped;
}

static void
pal_log_drawer_dispose (GObject *object)
{
  PalLogDrawer *self = PAL_LOG_DRAWER (object);

  pal_log_drawer_set_helper (self, NULL);
  g_clear_handle_id (&self->scroll_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_LOG_DRAWER);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->notifier);
  G_OBJECT_CLASS (pal_log_drawer_parent_class)->dispose (object);
}

static void
pal_log_drawer_finalize (GObject *object)
{
  PalLogDrawer *self = PAL_LOG_DRAWER (object);

  g_free (self->needle);
  g_ptr_array_unref (self->held);
  g_ptr_array_unref (self->early);
  G_OBJECT_CLASS (pal_log_drawer_parent_class)->finalize (object);
}

static void
pal_log_drawer_class_init (PalLogDrawerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_log_drawer_dispose;
  object_class->finalize = pal_log_drawer_finalize;

  /* A rule's id, when its cell is clicked. */
  signals[RULE_ACTIVATED] =
    g_signal_new ("rule-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/palisade/Palisade/pal-log-drawer.ui");
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, status_label);
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, empty_label);
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, column_view);
  gtk_widget_class_bind_template_child (widget_class, PalLogDrawer, log_denied_switch);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pal_log_drawer_clear);
  gtk_widget_class_bind_template_callback (widget_class, pal_log_drawer_copy_selection);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
}

static void
pal_log_drawer_init (PalLogDrawer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->max_rows = PAL_LOG_DRAWER_DEFAULT_MAX_ROWS;
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->early = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  self->notifier = pal_alert_notifier_new ();
  self->store = g_list_store_new (PAL_TYPE_LOG_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  /* The filter model and the selection take the store and the filter. */
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->store), GTK_FILTER (self->filter));
  g_object_ref (self->filtered);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->filtered));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);
  update_status (self);
}
