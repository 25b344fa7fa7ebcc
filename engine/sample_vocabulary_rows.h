// The raw rows behind the sample vocabulary (sample_vocabulary.h), written
// compactly: '|' separates alternatives and '=' the Korean and English side
// of a term ("알루미늄 6061=aluminium 6061"). Only sample_vocabulary.cc reads
// them; the data lives in sample_capability_rows.cc (what firms offer and
// need) and sample_archetype_rows.cc (kinds of firm, clusters, names).
#ifndef CLUSTERMATCH_ENGINE_SAMPLE_VOCABULARY_ROWS_H_
#define CLUSTERMATCH_ENGINE_SAMPLE_VOCABULARY_ROWS_H_

#include <array>
#include <span>

#include "engine/sample_vocabulary.h"

namespace clustermatch::sample_rows {

struct CapabilityRow {
  const char* key;
  const char* label;  // "ko=en"
  const char* offers_ko;
  const char* offers_en;
  const char* needs_ko;
  const char* needs_en;
};

struct ArchetypeRow {
  const char* key;
  FirmKind kind;
  const char* mini_cluster;  // "" for any
  int weight;
  SampleNameStyle name_style;
  const char* industries;
  const char* name_suffixes;
  const char* technologies;
  const char* products;
  const char* materials;
  const char* markets;
  const char* offers;
  const char* needs;
  const char* core_roles;
  const char* optional_roles;
  int founded_min;
  int founded_max;
};

struct ClusterRow {
  const char* name;
  const char* short_name;  // "ko=en"
  const char* id_prefix;
  const char* regions;
  std::array<int, kSampleMiniClusterCount> affinity;  // ICT, IMT, DC, Green IT
  int local_weight;
  int national_weight;
};

// Parts of generated names, and per mini-cluster research fields (in
// kSampleMiniClusters order) used in institute and support organisation names.
struct NameRows {
  const char* stems;
  const char* first_syllables;
  const char* second_syllables;
  const char* research_fields;
};

std::span<const CapabilityRow> Capabilities();
std::span<const ArchetypeRow> Archetypes();
std::span<const ClusterRow> Clusters();
NameRows Names();

}  // namespace clustermatch::sample_rows

#endif  // CLUSTERMATCH_ENGINE_SAMPLE_VOCABULARY_ROWS_H_
