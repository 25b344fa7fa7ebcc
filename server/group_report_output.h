// The group workflows' reports as the command line shows them: readable
// text (the default), one JSON object (--json) and a CSV of the members
// (--out FILE, UTF-8 with a BOM for Excel). Headings and reasons are in
// English or Korean (--lang); names, labels and offers stay as written.
#ifndef CLUSTERMATCH_SERVER_GROUP_REPORT_OUTPUT_H_
#define CLUSTERMATCH_SERVER_GROUP_REPORT_OUTPUT_H_

#include <string>

#include "engine/consortium_workflow.h"
#include "engine/founder_workflow.h"
#include "engine/purchasing_workflow.h"
#include "engine/sig_workflow.h"
#include "server/cli_output.h"

namespace clustermatch {

std::string SigReportText(const SigReport& report, Language language);
std::string SigReportJson(const SigReport& report);
// sig,label,cohesion,firm_id,name,mini_cluster,fit; unplaced firms last
// with an empty sig and their reason as the label.
std::string SigReportCsv(const SigReport& report);

std::string FounderReportText(const FounderReport& report, Language language);
std::string FounderReportJson(const FounderReport& report, Language language);
// rank,firm_id,name,kind,mini_cluster,region,relevance,sub_areas,reasons
std::string FounderReportCsv(const FounderReport& report, Language language);

std::string ConsortiumReportText(const ConsortiumReport& report, Language language);
std::string ConsortiumReportJson(const ConsortiumReport& report, Language language);
// requirement,kind,covered,coverage,firm_id,evidence: one row per
// requirement, so the gaps are rows with covered = no.
std::string ConsortiumReportCsv(const ConsortiumReport& report);

std::string PoolReportText(const PoolReport& report, Language language);
std::string PoolReportJson(const PoolReport& report);
// material,part,parts,size,firm_id,name,mini_cluster
std::string PoolReportCsv(const PoolReport& report);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GROUP_REPORT_OUTPUT_H_
