// The data tables behind the sample cluster generator (sample_cluster.h):
// a capability catalogue, firm archetypes per mini-cluster, clusters with
// their regions, and the parts company names are built from.
//
// Each capability is one thing firms trade ("CNC machining") with several
// distinct offer wordings and several distinct need wordings, in Korean and in
// English. No wording is used twice anywhere in the catalogue, so a need is
// never a verbatim copy of the offer that answers it, and every offer or need
// phrase the generator writes maps back to exactly one capability. Tests use
// that mapping to check that complementary pairs exist.
//
// Thread safety: SampleVocabularyTables() builds the tables once (thread-safe
// static initialisation) and returns an immutable object; all methods are
// const and safe to call from any thread.
#ifndef CLUSTERMATCH_ENGINE_SAMPLE_VOCABULARY_H_
#define CLUSTERMATCH_ENGINE_SAMPLE_VOCABULARY_H_

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/firm.h"

namespace clustermatch {

// The G-Valley mini-clusters, in the order of every per-mini-cluster array.
inline constexpr int kSampleMiniClusterCount = 4;
inline constexpr std::array<std::string_view, kSampleMiniClusterCount> kSampleMiniClusters = {
    "ICT", "IMT", "DC", "Green IT"};
// Share of firms per mini-cluster (percent), the same at every scale.
inline constexpr std::array<int, kSampleMiniClusterCount> kSampleMiniClusterWeights = {34, 30, 20,
                                                                                       16};

// One text in both languages. Either side may use Latin letters ("CAD/CAM").
struct BilingualTerm {
  std::string_view ko;
  std::string_view en;
};

struct SampleCapability {
  std::string_view key;  // "cnc_machining"
  BilingualTerm label;   // short noun phrase for descriptions
  std::vector<std::string_view> offers_ko;
  std::vector<std::string_view> offers_en;
  std::vector<std::string_view> needs_ko;
  std::vector<std::string_view> needs_en;
};

// How an archetype's names are formed.
enum class SampleNameStyle : uint8_t {
  kStem,         // name stem + suffix: "(주)한빛정밀", "Hanbit Precision"
  kFieldStem,    // stem + mini-cluster field + suffix: "한빛에너지환경연구원"
  kClusterStem,  // cluster + field + suffix: "G밸리 정보통신 기업지원센터"
};

// A kind of firm: what it works with, offers and needs. Offers and needs are
// indices into SampleVocabulary::capabilities and never overlap.
struct SampleArchetype {
  std::string_view key;
  FirmKind kind = FirmKind::kCompany;
  int mini_cluster = -1;  // index into kSampleMiniClusters; -1: any (institutions)
  int weight = 1;         // relative share within its mini-cluster or kind
  SampleNameStyle name_style = SampleNameStyle::kStem;
  std::vector<std::string_view> industries;  // KSIC-like labels
  std::vector<BilingualTerm> name_suffixes;
  std::vector<BilingualTerm> technologies;
  std::vector<BilingualTerm> products;
  std::vector<BilingualTerm> materials;
  std::vector<std::string_view> markets;
  std::vector<int> offers;
  std::vector<int> needs;
  std::vector<Role> core_roles;      // always covered
  std::vector<Role> optional_roles;  // sometimes covered as well
  int founded_min = 1990;
  int founded_max = 2023;
};

// A cluster (industrial complex) firms belong to.
struct SampleClusterSite {
  std::string_view name;       // "G-Valley"
  BilingualTerm short_name;    // for organisation names: "G밸리" / "G-Valley"
  std::string_view id_prefix;  // "GV"
  std::vector<std::string_view> regions;
  std::array<int, kSampleMiniClusterCount> affinity{};  // relative, per mini-cluster
  int local_weight = 0;     // share below kSampleNationalThreshold firms
  int national_weight = 0;  // share at or above it
};

// From this many firms on, the generator spreads firms over clusters
// nationwide instead of concentrating them in G-Valley and Seoul.
inline constexpr int kSampleNationalThreshold = 10'000;

struct SampleVocabulary {
  std::vector<SampleCapability> capabilities;
  std::vector<SampleArchetype> archetypes;
  std::vector<SampleClusterSite> clusters;
  std::vector<BilingualTerm> name_stems;        // whole stems: 한빛 / Hanbit
  std::vector<BilingualTerm> first_syllables;   // 한 / Han
  std::vector<BilingualTerm> second_syllables;  // 빛 / bit
  // Per mini-cluster field in institute and support organisation names.
  std::array<BilingualTerm, kSampleMiniClusterCount> research_fields{};
  // Problems found while building the tables (unknown capability or role
  // keys, malformed terms, repeated wordings). Empty when consistent.
  std::vector<std::string> errors;

  // The capability an offer or need phrase of the catalogue words, or -1.
  int OfferCapability(std::string_view phrase) const;
  int NeedCapability(std::string_view phrase) const;

  std::unordered_map<std::string_view, int> offer_index;
  std::unordered_map<std::string_view, int> need_index;
};

// The tables, built on first use.
const SampleVocabulary& SampleVocabularyTables();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SAMPLE_VOCABULARY_H_
