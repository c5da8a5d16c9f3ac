/* pal-triggered-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pal-dbus-generated.h"
#include "pal-helper-error.h"
#include "pal-triggered-item.h"
#include "pal-triggered-page.h"
#include "pal-triggered-values.h"

/* Ask the helper again this often: trigger rules ban without a signal. */
#define REFRESH_SECONDS 5
#define CALL_TIMEOUT_MSEC G_MAXINT

struct _PalTriggeredPage
{
  GtkBox              parent_instance;

  GtkStack           *stack;
  GtkColumnView      *view;
  AdwStatusPage      *unreachable_page;
  GtkEntry           *address_entry;
  GtkLabel           *count_label;
  GtkLabel           *status_label;

  GListStore         *store;
  GtkMultiSelection  *selection;
  GPtrArray          *left_labels;   /* bound "left" cells */
  PalHelperClient    *helper;
  PalDocument        *document;      /* its expiration interval, for bans by hand */
  GCancellable       *cancellable;
  guint               tick;
  guint               refresh;
  gulong              signal_id;
  GDBusProxy         *watched;
  char               *tool_output;
};

G_DEFINE_FINAL_TYPE (PalTriggeredPage, pal_triggered_page, GTK_TYPE_BOX)

static PalDBusFirewall1 *
get_proxy (PalTriggeredPage *self)
{
  if (self->helper == NULL || !pal_helper_client_get_available (self->helper))
    return NULL;
  return PAL_DBUS_FIREWALL1 (pal_helper_client_get_proxy (self->helper));
}

static void
set_status (PalTriggeredPage *self,
            const char       *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
}

static void
show_error (PalTriggeredPage *self,
            GError           *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_dbus_error_strip_remote_error (error);
  set_status (self, error->message);
}

/* ------------------------------------------------------------ listing */

/* The table, or what stands in its place: nothing banned, or no helper
 * to ask (and why, when the client knows). */
static void
update_state (PalTriggeredPage *self)
{
  static const char * const live_actions[] = {
    "triggered.add", "triggered.delete", "triggered.import", "triggered.export", "triggered.refresh",
  };
  gboolean reachable = get_proxy (self) != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (live_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), live_actions[i], reachable);
  if (!reachable)
    {
      const char *reason = self->helper != NULL ? pal_helper_client_get_unavailable_reason (self->helper) : NULL;
      g_autofree char *text = g_strdup_printf ("%s\n\n%s", reason != NULL ? reason : "",
                                               _("The trusted list and the ban settings are part of the "
                                                 "document: they can still be edited and saved."));

      adw_status_page_set_description (self->unreachable_page, g_strstrip (text));
      gtk_stack_set_visible_child_name (self->stack, "unreachable");
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
update_count (PalTriggeredPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u address banned",
                                                        "%u addresses banned", n), n);

  gtk_label_set_text (self->count_label, text);
  update_state (self);
}

static void
add_item (const char *address,
          guint64     seconds_left,
          const char *reason,
          gint64      when,
          gpointer    user_data)
{
  g_ptr_array_add (user_data, pal_triggered_item_new (address, seconds_left,
                                                      *reason != '\0' ? reason : _("a trigger rule"), when));
}

static void
fill (PalTriggeredPage *self,
      GVariant         *entries)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (pal_triggered_values_foreach (entries, add_item, items, &error) < 0)
    {
      show_error (self, error);
      return;
    }
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  update_count (self);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PalTriggeredPage) self = user_data;
  g_autoptr(GVariant) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (entries == NULL)
    show_error (self, error);
  else
    fill (self, entries);
}

/* ListTriggeredValues: a long list costs the client no more than a short one. */
static void
refresh (PalTriggeredPage *self)
{
  PalDBusFirewall1 *proxy = get_proxy (self);

  if (proxy == NULL)
    return;
  g_dbus_proxy_call (G_DBUS_PROXY (proxy), "ListTriggeredValues", NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                     self->cancellable, listed_cb, g_object_ref (self));
}

static gboolean
on_refresh (gpointer user_data)
{
  refresh (user_data);
  return G_SOURCE_CONTINUE;
}

/* Each second: the time left of every visible row, and expired rows go. */
static gboolean
on_tick (gpointer user_data)
{
  PalTriggeredPage *self = user_data;

  for (guint i = 0; i < self->left_labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (self->left_labels, i);
      g_autofree char *text = pal_triggered_item_format_left (g_object_get_data (G_OBJECT (label), "item"));

      gtk_label_set_text (label, text);
    }
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->store)); i-- > 0;)
    {
      g_autoptr(PalTriggeredItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (pal_triggered_item_get_seconds_left (item) == 0)
        g_list_store_remove (self->store, i);
    }
  update_count (self);
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------ columns */

typedef enum { COLUMN_ADDRESS, COLUMN_LEFT, COLUMN_REASON, COLUMN_WHEN } Column;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static char *
format_when (gint64 when)
{
  g_autoptr(GDateTime) time = when > 0 ? g_date_time_new_from_unix_local (when) : NULL;

  return time != NULL ? g_date_time_format (time, "%x %X") : g_strdup ("—");
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           PalTriggeredPage         *self)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  PalTriggeredItem *item = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autofree char *text = NULL;

  switch (column)
    {
    case COLUMN_ADDRESS:
      text = g_strdup (pal_triggered_item_get_address (item));
      break;
    case COLUMN_LEFT:
      text = pal_triggered_item_format_left (item);
      g_object_set_data_full (G_OBJECT (label), "item", g_object_ref (item), g_object_unref);
      g_ptr_array_add (self->left_labels, label);
      break;
    case COLUMN_REASON:
      text = g_strdup (pal_triggered_item_get_reason (item));
      break;
    case COLUMN_WHEN:
    default:
      text = format_when (pal_triggered_item_get_when (item));
      break;
    }
  gtk_label_set_text (label, text);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PalTriggeredPage         *self)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (g_ptr_array_remove_fast (self->left_labels, label))
    g_object_set_data (G_OBJECT (label), "item", NULL);
}

static void
add_column (PalTriggeredPage *self,
            const char       *title,
            Column            column,
            gboolean          expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->view, view_column);
}

/* ------------------------------------------------------------ changes */

/* The addresses of the selected rows, NULL-terminated. */
static GStrv
selected_addresses (PalTriggeredPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      {
        g_autoptr(PalTriggeredItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), position);

        if (item != NULL)
          g_strv_builder_add (builder, pal_triggered_item_get_address (item));
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return g_strv_builder_end (builder);
}

/* Every change ends in one of these: say what happened, list again. */
static void
changed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PalTriggeredPage) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (reply == NULL)
    {
      show_error (self, error);
      return;
    }
  set_status (self, g_object_get_data (G_OBJECT (source), "pal-done"));
  refresh (self);
}

static void
call (PalTriggeredPage *self,
      const char       *method,
      GVariant         *parameters,
      const char       *done)
{
  PalDBusFirewall1 *proxy = get_proxy (self);

  if (proxy == NULL)
    {
      g_variant_unref (g_variant_ref_sink (parameters));
      set_status (self, _("The firewall helper is not available."));
      return;
    }
  g_object_set_data_full (G_OBJECT (proxy), "pal-done", g_strdup (done), g_free);
  g_dbus_proxy_call (G_DBUS_PROXY (proxy), method, parameters, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
                     CALL_TIMEOUT_MSEC, self->cancellable, changed_cb, g_object_ref (self));
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PalTriggeredPage *self = PAL_TRIGGERED_PAGE (widget);
  g_auto(GStrv) addresses = selected_addresses (self);

  if (addresses[0] == NULL)
    {
      set_status (self, _("Select the addresses to delete first."));
      return;
    }
  call (self, "RemoveTriggered", g_variant_new ("(^as)", addresses), _("Unbanned."));
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PalTriggeredPage *self = PAL_TRIGGERED_PAGE (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
  g_auto(GStrv) addresses = g_strsplit_set (text, ", ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) clean = NULL;

  for (guint i = 0; addresses[i] != NULL; i++)
    if (*addresses[i] != '\0')
      g_strv_builder_add (builder, addresses[i]);
  clean = g_strv_builder_end (builder);
  if (clean[0] == NULL)
    {
      set_status (self, _("Type an address, a range or a network to ban."));
      return;
    }
  /* The interval the window shows, applied or not: what the user sees. */
  call (self, "AddTriggered",
        g_variant_new ("(^asts)", clean,
                       self->document != NULL ? pal_document_get_trigger_duration (self->document) : (guint64) 0,
                       _("by hand")),
        _("Banned."));
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), "");
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  refresh (PAL_TRIGGERED_PAGE (widget));
}

/* ------------------------------------------------------------ who is, trace */

typedef struct
{
  PalTriggeredPage *self;
  GtkTextBuffer    *buffer;
} ToolRun;

static void
tool_run_free (ToolRun *run)
{
  g_object_unref (run->self);
  g_object_unref (run->buffer);
  g_free (run);
}

static void
tool_finish (ToolRun    *run,
             const char *text)
{
  g_free (run->self->tool_output);
  run->self->tool_output = g_strdup (text);
  gtk_text_buffer_set_text (run->buffer, text, -1);
  tool_run_free (run);
}

static void
tool_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &output, NULL, &error))
    tool_finish (user_data, error->message);
  else
    tool_finish (user_data, output != NULL && *output != '\0' ? output : _("(no output)"));
}

static void
reverse_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_resolver_lookup_by_address_finish (G_RESOLVER (source), result, &error);
  g_autofree char *text = name != NULL ? g_strdup_printf (_("whois is not installed. Reverse DNS: %s"), name)
                                       : g_strdup_printf (_("whois is not installed, and reverse DNS found "
                                                            "nothing: %s"), error->message);

  tool_finish (user_data, text);
}

static GtkTextBuffer *
show_tool_dialog (PalTriggeredPage *self,
                  const char       *heading)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *text = gtk_text_view_new ();

  gtk_text_view_set_editable (GTK_TEXT_VIEW (text), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (text), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), _("Running…"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), text);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 300);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 560);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)));
}

/* argv[0] is looked up in PATH; FALSE when it is not there. */
static gboolean
run_tool (ToolRun            *run,
          const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_find_program_in_path (argv[0]);

  if (path == NULL)
    return FALSE;
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  if (process == NULL)
    tool_finish (run, error->message);
  else
    g_subprocess_communicate_utf8_async (process, NULL, run->self->cancellable, tool_done_cb, run);
  return TRUE;
}

static const char *
selected_address (PalTriggeredPage *self,
                  GStrv            *owner)
{
  *owner = selected_addresses (self);
  if ((*owner)[0] == NULL)
    {
      set_status (self, _("Select an address first."));
      return NULL;
    }
  return (*owner)[0];
}

static void
whois_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PalTriggeredPage *self = PAL_TRIGGERED_PAGE (widget);
  g_auto(GStrv) owner = NULL;
  const char *address = selected_address (self, &owner);
  g_autofree char *heading = NULL;
  ToolRun *run;

  if (address == NULL)
    return;
  heading = g_strdup_printf (_("Who Is %s"), address);
  run = g_new0 (ToolRun, 1);
  run->self = g_object_ref (self);
  run->buffer = show_tool_dialog (self, heading);
  g_free (self->tool_output);
  self->tool_output = g_strdup ("");
  {
    const char *argv[] = { "whois", address, NULL };
    g_autoptr(GInetAddress) inet = NULL;

    if (run_tool (run, argv))
      return;
    inet = g_inet_address_new_from_string (address);
    g_resolver_lookup_by_address_async (g_resolver_get_default (), inet, self->cancellable, reverse_done_cb, run);
  }
}

static void
trace_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PalTriggeredPage *self = PAL_TRIGGERED_PAGE (widget);
  g_auto(GStrv) owner = NULL;
  const char *address = selected_address (self, &owner);
  g_autofree char *heading = NULL;
  ToolRun *run;

  if (address == NULL)
    return;
  heading = g_strdup_printf (_("Trace to %s"), address);
  run = g_new0 (ToolRun, 1);
  run->self = g_object_ref (self);
  run->buffer = show_tool_dialog (self, heading);
  g_free (self->tool_output);
  self->tool_output = g_strdup ("");
  {
    const char *tracepath[] = { "tracepath", "-n", address, NULL };
    const char *traceroute[] = { "traceroute", "-n", address, NULL };

    if (!run_tool (run, tracepath) && !run_tool (run, traceroute))
      tool_finish (run, _("Neither tracepath (iputils-tracepath) nor traceroute is installed."));
  }
}

/* ------------------------------------------------------------ import, export */

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(PalTriggeredPage) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL)
    return;
  if (!g_file_load_contents (file, NULL, &contents, NULL, NULL, &error))
    {
      show_error (self, error);
      return;
    }
  call (self, "Import", g_variant_new ("(s)", g_utf8_validate (contents, -1, NULL) ? contents : ""), _("Imported."));
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Import Triggered Addresses"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);

  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PalTriggeredPage *self = g_object_get_data (user_data, "page");
  g_autoptr(GFile) file = user_data;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (!pal_dbus_firewall1_call_export_finish (PAL_DBUS_FIREWALL1 (source), &text, result, &error)
      || !g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error))
    show_error (self, error);
  else
    set_status (self, _("Exported."));
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(PalTriggeredPage) self = user_data;
  GFile *file = NULL;
  PalDBusFirewall1 *proxy = get_proxy (self);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);
  if (file == NULL || proxy == NULL)
    {
      g_clear_object (&file);
      return;
    }
  g_object_set_data_full (G_OBJECT (file), "page", g_object_ref (self), g_object_unref);
  pal_dbus_firewall1_call_export (proxy, G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION, CALL_TIMEOUT_MSEC,
                                  self->cancellable, exported_cb, file);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export Triggered Addresses"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "triggered.tsv");
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------ helper */

static void
on_proxy_signal (GDBusProxy *proxy,
                 const char *sender,
                 const char *signal_name,
                 GVariant   *parameters,
                 gpointer    user_data)
{
  if (g_str_equal (signal_name, "TriggeredChanged"))
    refresh (user_data);
}

static void
unwatch (PalTriggeredPage *self)
{
  if (self->watched != NULL)
    g_clear_signal_handler (&self->signal_id, self->watched);
  g_clear_object (&self->watched);
}

static void
helper_available_cb (PalTriggeredPage *self)
{
  PalDBusFirewall1 *proxy = get_proxy (self);

  unwatch (self);
  update_state (self);
  if (proxy == NULL)
    return;
  self->watched = g_object_ref (G_DBUS_PROXY (proxy));
  self->signal_id = g_signal_connect (self->watched, "g-signal", G_CALLBACK (on_proxy_signal), self);
  refresh (self);
}

void
pal_triggered_page_set_helper (PalTriggeredPage *self,
                               PalHelperClient  *helper)
{
  g_return_if_fail (PAL_IS_TRIGGERED_PAGE (self));

  if (self->helper != NULL)
    g_signal_handlers_disconnect_by_data (self->helper, self);
  unwatch (self);
  g_set_object (&self->helper, helper);
  if (helper == NULL)
    return;
  g_signal_connect_swapped (helper, "notify::available", G_CALLBACK (helper_available_cb), self);
  helper_available_cb (self);
}

void
pal_triggered_page_set_document (PalTriggeredPage *self,
                                 PalDocument      *document)
{
  g_return_if_fail (PAL_IS_TRIGGERED_PAGE (self));
  g_return_if_fail (document == NULL || PAL_IS_DOCUMENT (document));

  g_set_object (&self->document, document);
}

GtkEditable *
pal_triggered_page_get_address_entry (PalTriggeredPage *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_PAGE (self), NULL);
  return GTK_EDITABLE (self->address_entry);
}

const char *
pal_triggered_page_get_state (PalTriggeredPage *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GListModel *
pal_triggered_page_get_model (PalTriggeredPage *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_PAGE (self), NULL);
  return G_LIST_MODEL (self->store);
}

GtkSelectionModel *
pal_triggered_page_get_selection (PalTriggeredPage *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

char *
pal_triggered_page_dup_left_text (PalTriggeredPage *self,
                                  guint             row)
{
  g_autoptr(PalTriggeredItem) item = NULL;

  g_return_val_if_fail (PAL_IS_TRIGGERED_PAGE (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->store), row);
  return item != NULL ? pal_triggered_item_format_left (item) : NULL;
}

const char *
pal_triggered_page_get_tool_output (PalTriggeredPage *self)
{
  g_return_val_if_fail (PAL_IS_TRIGGERED_PAGE (self), NULL);
  return self->tool_output;
}

/* ------------------------------------------------------------ object */

static void
pal_triggered_page_dispose (GObject *object)
{
  PalTriggeredPage *self = PAL_TRIGGERED_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  pal_triggered_page_set_helper (self, NULL);
  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_handle_id (&self->refresh, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PAL_TYPE_TRIGGERED_PAGE);

  G_OBJECT_CLASS (pal_triggered_page_parent_class)->dispose (object);
}

static void
pal_triggered_page_finalize (GObject *object)
{
  PalTriggeredPage *self = PAL_TRIGGERED_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);
  g_clear_object (&self->store);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->left_labels, g_ptr_array_unref);
  g_free (self->tool_output);

  G_OBJECT_CLASS (pal_triggered_page_parent_class)->finalize (object);
}

static void
pal_triggered_page_class_init (PalTriggeredPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pal_triggered_page_dispose;
  object_class->finalize = pal_triggered_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/palisade/Palisade/pal-triggered-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PalTriggeredPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PalTriggeredPage, view);
  gtk_widget_class_bind_template_child (widget_class, PalTriggeredPage, unreachable_page);
  gtk_widget_class_bind_template_child (widget_class, PalTriggeredPage, address_entry);
  gtk_widget_class_bind_template_child (widget_class, PalTriggeredPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, PalTriggeredPage, status_label);

  gtk_widget_class_install_action (widget_class, "triggered.add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "triggered.delete", NULL, delete_activated);
  gtk_widget_class_install_action (widget_class, "triggered.whois", NULL, whois_activated);
  gtk_widget_class_install_action (widget_class, "triggered.trace", NULL, trace_activated);
  gtk_widget_class_install_action (widget_class, "triggered.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "triggered.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "triggered.refresh", NULL, refresh_activated);
}

static void
pal_triggered_page_init (PalTriggeredPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->left_labels = g_ptr_array_new ();
  self->store = g_list_store_new (PAL_TYPE_TRIGGERED_ITEM);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->store)));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  add_column (self, _("Address"), COLUMN_ADDRESS, FALSE);
  add_column (self, _("Time Left"), COLUMN_LEFT, FALSE);
  add_column (self, _("Triggered By"), COLUMN_REASON, TRUE);
  add_column (self, _("When"), COLUMN_WHEN, FALSE);
  update_count (self);
  self->tick = g_timeout_add_seconds (1, on_tick, self);
  self->refresh = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
}
