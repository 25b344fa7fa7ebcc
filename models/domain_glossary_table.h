// The raw concept table behind domain_glossary.h. Internal to models/:
// use the functions of domain_glossary.h instead.
#ifndef CLUSTERMATCH_MODELS_DOMAIN_GLOSSARY_TABLE_H_
#define CLUSTERMATCH_MODELS_DOMAIN_GLOSSARY_TABLE_H_

#include <span>
#include <string_view>

namespace clustermatch {

// One concept: its id and its surface terms, separated by '|'. A term
// prefixed with '!' is exclusive (see domain_glossary.h). Terms are written
// already normalised (lowercase, NFKC, single spaces).
struct GlossaryConceptEntry {
  std::string_view id;
  std::string_view terms;
};

// The table, in two parts of a fixed order, static storage: manufacturing,
// electronics, energy and materials (domain_glossary_table.cc); ICT, digital
// content, business functions and markets (domain_glossary_services.cc).
std::span<const GlossaryConceptEntry> IndustryGlossaryEntries();
std::span<const GlossaryConceptEntry> ServiceGlossaryEntries();

// Blocker phrases: matched like exclusive terms, but they belong to no
// concept and report nothing; they only hide the glossary terms inside them
// (a place name that contains a term, for instance).
std::span<const std::string_view> GlossaryBlockers();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_DOMAIN_GLOSSARY_TABLE_H_
