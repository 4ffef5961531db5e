/* GreenTwin plugin ABI: the C boundary between the host (the greentwin viewer) and a plugin shared library.
 * docs/plugins.md is the guide; this header is the contract.
 *
 * Conventions every struct of this ABI follows:
 *  - it begins with `uint32_t struct_size`, set by whoever fills it to sizeof(the struct as it was compiled), so
 *    the other side can tell which fields exist (a field lies beyond struct_size: treat it as absent/NULL/0);
 *  - fields are only ever appended; a plugin built for a newer ABI than the host's is refused, a plugin built
 *    for an older ABI keeps working;
 *  - lists of contributions are arrays of POINTERS to structs (never arrays of structs), so each element carries
 *    its own struct_size;
 *  - strings are NUL-terminated UTF-8; a string the plugin hands to the host must stay valid until the plugin's
 *    `destroy` is called (the descriptor and everything it points to);
 *  - no C++ exception may cross this boundary: every callback returns a gt_status. The C++ wrapper
 *    (greentwin/plugin.hpp) converts exceptions to GT_ERR_EXCEPTION; the host also guards each call.
 *
 * Threads. "Update thread" is the host's render/update thread, the one that loaded the plugin. Every callback
 * the host makes is made on the update thread. Host API functions say which threads may call them; a call
 * from the wrong thread returns GT_ERR_WRONG_THREAD and does nothing.
 *
 * Failure. A callback that returns an error other than where noted, throws, or calls host->fail() disables the
 * whole plugin: its sources are stopped and destroyed, its layers, classifiers and KPIs are withdrawn, and the
 * UI shows the reason (the message the plugin set with set_error/fail, or the error code). The twin runs on.
 * A disabled plugin is not called again until the host exits; then its `destroy` is called (as an active one's:
 * join your own threads there), but its library stays loaded (a thread of it might still be unwinding). */
#ifndef GREENTWIN_PLUGIN_ABI_H
#define GREENTWIN_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#define GREENTWIN_PLUGIN_ABI_VERSION 1u

/* The one symbol a plugin exports. */
#define GREENTWIN_PLUGIN_ENTRY_SYMBOL "greentwin_plugin_entry"

#if defined(_WIN32)
#define GREENTWIN_PLUGIN_EXPORT __declspec(dllexport)
#else
#define GREENTWIN_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes ------------------------------------------------------------------------------------------ */
typedef int32_t gt_status;
#define GT_OK 0
#define GT_ERR_FAILED 1           /* generic failure; the message was given to set_error() */
#define GT_ERR_INVALID_ARGUMENT 2 /* bad input (a setting value the plugin refuses, a bad source option) */
#define GT_ERR_NOT_FOUND 3        /* unknown entity, attribute or setting */
#define GT_ERR_NO_DATA 4          /* the series exists but has no sample at or before the time asked */
#define GT_ERR_WRONG_THREAD 5     /* host API function called from a thread it does not allow */
#define GT_ERR_EXCEPTION 6        /* the C++ wrapper caught an exception (message in set_error) */
#define GT_ERR_DISABLED 7         /* the plugin was disabled; the host ignores the call */

/* Log levels for gt_host_api.log. */
#define GT_LOG_DEBUG 0
#define GT_LOG_INFO 1
#define GT_LOG_WARN 2
#define GT_LOG_ERROR 3

typedef struct gt_host gt_host; /* opaque: the host's per-plugin context */

/* ---- data types crossing the boundary ---------------------------------------------------------------------- */

/* One `key = value` of a config table ([[sources]] entry, [plugins.<id>] table), value as text:
 * TOML strings as written, numbers in decimal ("42", "2.5"), booleans "true"/"false". */
typedef struct gt_key_value {
  uint32_t struct_size;
  const char* key;
  const char* value;
} gt_key_value;

/* An entity as enumerate_entities reports it. Pointers valid only during the visitor call. */
typedef struct gt_entity_info {
  uint32_t struct_size;
  const char* id;    /* "station/aq-07" */
  const char* kind;  /* "station" */
  const char* layer; /* id of the layer that registered it; "" if none */
  double x, y, z;    /* representative point in the scene frame: metres east, north, up of the scene origin */
  double lon, lat;   /* the same point, WGS84 degrees */
  /* Appended: the entity's handle for read_values, stable while the twin runs. */
  uint32_t entity;
} gt_entity_info;

/* Return non-zero to stop the enumeration. */
typedef int32_t (*gt_entity_visitor)(void* user, const gt_entity_info* entity);

/* A layer's feature as enumerate_features reports it: its entity, its static attributes and its geometry in the
 * scene frame (metres east and north of the scene origin). Pointers valid only during the visitor call.
 * A feature may carry several geometries at once (a multi-geometry, or a point with a footprint):
 *  - points:   points_xy holds point_count (x, y) pairs;
 *  - lines:    line i is the vertices [line_starts[i], line_starts[i + 1]) of line_xy (line_count + 1 offsets);
 *  - polygons: ring r is the vertices [ring_starts[r], ring_starts[r + 1]) of ring_xy (ring_count + 1 offsets),
 *              polygon j the rings [polygon_starts[j], polygon_starts[j + 1]) (polygon_count + 1 offsets); the first
 *              ring of a polygon is its exterior, the others are holes; rings are not closed (no repeated vertex). */
typedef struct gt_feature {
  uint32_t struct_size;
  const char* id;    /* entity id, "city-buildings/building/000001" */
  const char* layer; /* the layer's id */
  uint32_t entity;   /* handle for read_values */
  const gt_key_value* const* attributes; /* the source's attributes, values as text (numbers in decimal) */
  uint32_t attribute_count;
  const double* points_xy;
  uint32_t point_count;
  const double* line_xy;
  const uint32_t* line_starts;
  uint32_t line_count;
  const double* ring_xy;
  const uint32_t* ring_starts;
  uint32_t ring_count;
  const uint32_t* polygon_starts;
  uint32_t polygon_count;
} gt_feature;

/* Return non-zero to stop the enumeration. */
typedef int32_t (*gt_feature_visitor)(void* user, const gt_feature* feature);

/* Alerts: a condition a plugin has found (a substation overloaded), listed in the host's alerts panel with its time
 * and acknowledgement, logged and kept in history, until the plugin clears it. */
#define GT_ALERT_INFO 0
#define GT_ALERT_WARNING 1
#define GT_ALERT_CRITICAL 2

typedef struct gt_alert {
  uint32_t struct_size;
  const char* key;        /* identifies the condition within the plugin, e.g. "overload/<entity id>" */
  int32_t severity;       /* GT_ALERT_* */
  const char* entity_id;  /* the entity it is about; NULL or "": none */
  const char* message_zh; /* what the operator reads, per language */
  const char* message_en;
  int64_t time_us;        /* when the condition began (clock time, microseconds since the epoch) */
} gt_alert;

/* One update for push_updates. */
typedef struct gt_update {
  uint32_t struct_size;
  const char* entity_id;
  const char* attribute;
  int64_t time_us; /* microseconds since 1970-01-01T00:00:00Z */
  double value;
} gt_update;

/* A setting's current value (get_setting). `string_value` (string and enum settings) stays valid until the
 * setting changes or the plugin is destroyed. */
typedef struct gt_setting_value {
  uint32_t struct_size;
  int32_t type; /* GT_SETTING_* */
  int32_t bool_value;
  int64_t int_value;
  double double_value;
  const char* string_value;
} gt_setting_value;

/* ---- the host API: given to the plugin at entry, valid until its destroy returns --------------------------- */
typedef struct gt_host_api {
  uint32_t struct_size;
  uint32_t abi_version; /* the host's GREENTWIN_PLUGIN_ABI_VERSION */
  gt_host* host;        /* pass as the first argument of every function below */

  /* Any thread. */
  void (*log)(gt_host* host, int32_t level, const char* message);
  /* Any thread: the message shown when the next error return disables the plugin (last one wins). */
  void (*set_error)(gt_host* host, const char* message);
  /* Any thread: report a failure from a plugin thread; the host disables the plugin on the next frame. */
  void (*fail)(gt_host* host, const char* message);

  /* Any thread. One sample into the twin, through the same channel as the wire protocol ingest. An unknown
   * entity id is dropped and counted (GT_ERR_NOT_FOUND); an unknown attribute name is registered by the host on
   * the next frame (this sample is dropped, GT_ERR_NOT_FOUND; later ones arrive). */
  gt_status (*push_update)(gt_host* host, const char* entity_id, const char* attribute, int64_t time_us,
                           double value);
  /* Any thread. Several samples at once; *accepted (may be NULL) receives how many were queued. */
  gt_status (*push_updates)(gt_host* host, const gt_update* const* updates, uint32_t count, uint32_t* accepted);

  /* Update thread. The clock's time of the frame being prepared (microseconds since the epoch, UTC). */
  int64_t (*clock_now)(gt_host* host);
  /* Update thread. The value of an entity attribute at the frame's clock time (sample-and-hold); *sample_time_us
   * (may be NULL) receives the time of the sample used, so the plugin can tell stale values. GT_ERR_NO_DATA: no
   * value (unknown entity or attribute, or no sample at or before that time). */
  gt_status (*read_value)(gt_host* host, const char* entity_id, const char* attribute, double* value,
                          int64_t* sample_time_us);
  /* Update thread. Calls visit for every entity of `kind` (NULL or "": any) registered by layer `layer` (NULL or
   * "": any). */
  gt_status (*enumerate_entities)(gt_host* host, const char* kind, const char* layer, gt_entity_visitor visit,
                                  void* user);
  /* Update thread. The current value of one of this plugin's settings (declared in its descriptor). */
  gt_status (*get_setting)(gt_host* host, const char* key, gt_setting_value* out);

  /* ---- appended (absent in hosts whose struct_size ends before them) ---- */
  /* Update thread. Calls visit for every feature of layer `layer`, in the layer's order. GT_ERR_NOT_FOUND: no such
   * layer, or it has no features (yet: layers load in the background; ask again later). */
  gt_status (*enumerate_features)(gt_host* host, const char* layer, gt_feature_visitor visit, void* user);
  /* Update thread. The values of one attribute for `count` entities (handles from gt_entity_info / gt_feature) at
   * the frame's clock time (sample-and-hold): values[i] = NaN and sample_times_us[i] = 0 (may be NULL) where there
   * is none (unknown handle or attribute, no sample yet). */
  gt_status (*read_values)(gt_host* host, const char* attribute, const uint32_t* entities, uint32_t count,
                           double* values, int64_t* sample_times_us);
  /* Any thread. Raises an alert, or updates it when its key is active (a higher severity makes it unacknowledged
   * again); the host applies it on the next frame. GT_ERR_INVALID_ARGUMENT: no key, an unknown severity. */
  gt_status (*raise_alert)(gt_host* host, const gt_alert* alert);
  /* Any thread. Ends the alert `key` at time_us (clock time); clearing a key that is not active does nothing. */
  gt_status (*clear_alert)(gt_host* host, const char* key, int64_t time_us);
} gt_host_api;

/* ---- contributions ----------------------------------------------------------------------------------------- */

/* Source types: a [[sources]] entry whose `type` is `id` creates one source. Every callback runs on the update
 * thread. A source either runs its own thread (started in start, joined in stop; it may call push_update,
 * push_updates, log, set_error and fail from that thread) or sets `poll`, which the host calls once per frame. */
typedef struct gt_source_type {
  uint32_t struct_size;
  const char* id;      /* the [[sources]] type, e.g. "air_quality.simulated" */
  const char* name_zh; /* for the UI */
  const char* name_en;
  void* user; /* passed back to create */
  /* options: the [[sources]] entry's keys other than id and type. *source receives the plugin's state.
   * GT_ERR_INVALID_ARGUMENT refuses this source's options (the source is not started, the plugin stays active);
   * any other error disables the plugin. */
  gt_status (*create)(void* user, const char* source_id, const gt_key_value* const* options, uint32_t option_count,
                      void** source);
  gt_status (*start)(void* source);
  gt_status (*poll)(void* source, int64_t clock_now_us); /* may be NULL */
  /* After stop returns the source pushes nothing more. Called once, also when the plugin is being disabled. */
  gt_status (*stop)(void* source);
  void (*destroy)(void* source);
} gt_source_type;

/* A classifier maps a value to a class: {index, RGBA colour, labels}. The host can use it as a layer's colour
 * rule and draws its legend. Either `classify` is set, or the classes are chosen by `upper_bounds`: class i
 * holds values <= upper_bounds[i] (and > upper_bounds[i-1]); the last class holds the rest. */
typedef struct gt_class_info {
  uint32_t struct_size;
  uint8_t rgba[4];
  const char* label_zh;
  const char* label_en;
} gt_class_info;

typedef struct gt_classifier {
  uint32_t struct_size;
  const char* id; /* "air_quality.aqi_pm25" */
  const char* name_zh;
  const char* name_en;
  const char* unit; /* of the values it classifies, e.g. "ug/m3" */
  const gt_class_info* const* classes;
  uint32_t class_count;
  const double* upper_bounds; /* class_count - 1 ascending values, or NULL when classify is set */
  void* user;
  /* May be NULL. *class_index receives 0..class_count-1, or -1 for "no class" (NaN, out of domain). */
  gt_status (*classify)(void* user, double value, int32_t* class_index);
} gt_classifier;

/* Field layer types: the plugin computes a grid of values over a box of the scene (e.g. PM2.5 interpolated
 * between stations); the host draws it, coloured by the named classifier. */
typedef struct gt_field_request {
  uint32_t struct_size;
  double min_x, min_y, max_x, max_y; /* the box, scene frame metres; cell centres are at min + (i + 0.5) * size */
  uint32_t columns, rows;            /* grid size; values has columns * rows floats */
  int64_t time_us;                   /* the clock time to compute for */
  float* values; /* host-owned output, row-major, row 0 at min_y; write NaN where there is no value */
} gt_field_request;

typedef struct gt_field_layer_type {
  uint32_t struct_size;
  const char* id; /* the layer type a config [[layers]] entry can name */
  const char* name_zh;
  const char* name_en;
  const char* unit;
  const char* classifier_id; /* a classifier (of any plugin) colouring the values; NULL: the host's ramp */
  void* user;
  gt_status (*compute)(void* user, gt_field_request* request);
} gt_field_layer_type;

/* KPIs: computed on demand (when the UI shows them), reading values through the host API. */
#define GT_KPI_OK 0      /* a value within target */
#define GT_KPI_WARNING 1 /* a value, near or past a warning threshold */
#define GT_KPI_ALERT 2   /* a value, past the alert threshold */
#define GT_KPI_NO_DATA 3 /* no value (value ignored) */
/* Appended: no value yet, the plugin is still computing it (its layers are being read, a background job runs); the
 * host shows "being computed" and asks again, and a report waits for it. A host older than it reads NO_DATA. */
#define GT_KPI_PENDING 4

typedef struct gt_kpi_result {
  uint32_t struct_size;
  double value;
  int32_t status; /* GT_KPI_* */
  /* Appended: one line on what the value covers or why there is none ("no residential building in the area",
   * "3 of 12 stations"), English; the plugin keeps it valid until its next call of the same KPI. May stay NULL.
   * The host sets it to NULL before each call; a plugin writes it only when struct_size says it is there. */
  const char* note;
} gt_kpi_result;

/* An area a KPI is computed for (gt_kpi.compute_in_area): one or more polygons with holes in the scene frame (metres
 * east and north of the scene origin), laid out as gt_feature's polygons: ring r is the vertices
 * [ring_starts[r], ring_starts[r + 1]) of ring_xy, polygon j the rings [polygon_starts[j], polygon_starts[j + 1]);
 * a polygon's first ring is its exterior, the others holes; rings are not closed. Valid only during the call. */
typedef struct gt_area {
  uint32_t struct_size;
  const char* id; /* the host's name for it: a feature's entity id ("city-green-spaces/gs-12"), or "drawn/<n>" */
  const double* ring_xy;
  const uint32_t* ring_starts;
  uint32_t ring_count;
  const uint32_t* polygon_starts;
  uint32_t polygon_count;
  double area_m2; /* the polygons' planar area, holes taken out */
} gt_area;

/* A what-if scenario (gt_kpi.compute_in_scenario; docs/workbench.md "Scenarios"): a named set of edits over the live
 * twin that never touches the base data. Everything is valid only during the call. Edits apply in order; an edit
 * naming a building the plugin does not know is skipped (the plugin may say so in the result's note). */
#define GT_EDIT_ADD_PV 0          /* buildings get rooftop PV: coverage of the roof, module_efficiency kWp/m2 */
#define GT_EDIT_SET_USE 1         /* buildings' use becomes `use` */
#define GT_EDIT_SET_STARS 2       /* buildings' GB/T 50378-2019 star rating becomes `stars` (0..3) */
#define GT_EDIT_REMOVE_BUILDING 3 /* buildings are gone */
#define GT_EDIT_ADD_BUILDING 4    /* a new building `id`: footprint `shape`, height_m, floors, use, stars */
#define GT_EDIT_ADD_PARCEL 5      /* a new green-space parcel `id`: `shape`, parcel_kind ("park", "forest", ...) */

typedef struct gt_scenario_edit {
  uint32_t struct_size;
  int32_t kind;                          /* GT_EDIT_* (a plugin ignores a kind it does not know) */
  const char* const* building_ids;       /* ADD_PV, SET_USE, SET_STARS, REMOVE_BUILDING: entity ids */
  uint32_t building_count;
  double coverage;                       /* ADD_PV: share of the roof covered by modules, 0..1 */
  double module_efficiency;              /* ADD_PV: kWp per m2 of module; 0: the plugin's default */
  const char* use;                       /* SET_USE, ADD_BUILDING; "" otherwise */
  int32_t stars;                         /* SET_STARS, ADD_BUILDING: 0..3 */
  const char* id;                        /* ADD_BUILDING, ADD_PARCEL: the new feature's id; "" otherwise */
  const gt_area* shape;                  /* ADD_BUILDING, ADD_PARCEL: its polygon (scene frame); NULL otherwise */
  double height_m;                       /* ADD_BUILDING */
  int32_t floors;                        /* ADD_BUILDING */
  const char* parcel_kind;               /* ADD_PARCEL; "" otherwise */
} gt_scenario_edit;

typedef struct gt_scenario {
  uint32_t struct_size;
  const char* name;
  const gt_scenario_edit* const* edits;
  uint32_t edit_count;
} gt_scenario;

typedef struct gt_kpi {
  uint32_t struct_size;
  const char* id;
  const char* name_zh;
  const char* name_en;
  const char* unit;
  void* user;
  gt_status (*compute)(void* user, int64_t time_us, gt_kpi_result* out);
  /* Appended: how the value is computed (method, standard, inputs), shown with the KPI. May be NULL. */
  const char* method_zh;
  const char* method_en;
  /* Appended: the KPI for an area of the map (a district's part, a park, a polygon the planner drew) at time_us.
   * compute() is the KPI of the whole twin. NULL: the KPI exists for the whole twin only (a district-wide feed such
   * as the modal split), and the host says so. An area the KPI has no inputs in is GT_KPI_NO_DATA with a note. */
  gt_status (*compute_in_area)(void* user, int64_t time_us, const gt_area* area, gt_kpi_result* out);
  /* Appended: the KPI of the whole twin at time_us with the scenario's edits applied to the plugin's own copy of its
   * inputs (never to the twin's data: compute() afterwards gives the baseline as before). NULL: the KPI does not
   * depend on any edit, and the host reports its baseline value as unchanged by the scenario. */
  gt_status (*compute_in_scenario)(void* user, int64_t time_us, const gt_scenario* scenario, gt_kpi_result* out);
} gt_kpi;

/* Settings described as data; the host keeps the values (defaults, then the manifest's [settings], then the
 * config's [plugins.<id>] table) and draws the settings panel. */
#define GT_SETTING_BOOL 0
#define GT_SETTING_INT 1
#define GT_SETTING_DOUBLE 2
#define GT_SETTING_STRING 3
#define GT_SETTING_ENUM 4

typedef struct gt_enum_option {
  uint32_t struct_size;
  const char* value; /* stored value */
  const char* label_zh;
  const char* label_en;
} gt_enum_option;

typedef struct gt_setting_desc {
  uint32_t struct_size;
  const char* key;
  int32_t type;              /* GT_SETTING_* */
  const char* default_value; /* as text, like gt_key_value */
  double min, max;           /* int and double settings; min > max: unbounded */
  const gt_enum_option* const* options;
  uint32_t option_count;
  const char* label_zh;
  const char* label_en;
  const char* help_zh; /* may be NULL */
  const char* help_en; /* may be NULL */
} gt_setting_desc;

/* ---- the descriptor ---------------------------------------------------------------------------------------- */
typedef struct gt_plugin_descriptor {
  uint32_t struct_size;
  uint32_t abi_version; /* the GREENTWIN_PLUGIN_ABI_VERSION the plugin was built with */
  const char* id;       /* must equal the manifest's id */
  const char* name;
  const char* version;
  void* instance; /* passed to on_setting_changed and destroy */

  const gt_source_type* const* source_types;
  uint32_t source_type_count;
  const gt_field_layer_type* const* field_layer_types;
  uint32_t field_layer_type_count;
  const gt_classifier* const* classifiers;
  uint32_t classifier_count;
  const gt_kpi* const* kpis;
  uint32_t kpi_count;
  const gt_setting_desc* const* settings;
  uint32_t setting_count;

  /* Update thread, after a setting's value changed (read it with get_setting). May be NULL.
   * GT_ERR_INVALID_ARGUMENT refuses the value: the host restores the previous one and shows the message given
   * to set_error. Any other error disables the plugin. */
  gt_status (*on_setting_changed)(void* instance, const char* key);
  /* Update thread, once, after every source was stopped and destroyed; then the library is unloaded. */
  void (*destroy)(void* instance);
} gt_plugin_descriptor;

/* The entry point, called once on the update thread right after loading. `host_abi` is the host's ABI version
 * (also api->abi_version). Return NULL to refuse (say why with api->log first). The returned descriptor must
 * stay valid until its destroy is called. */
typedef const gt_plugin_descriptor* (*gt_plugin_entry_fn)(const gt_host_api* api, uint32_t host_abi);

#ifdef __cplusplus
}
#endif

#endif
