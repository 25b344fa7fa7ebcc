// Small hand-made firms for engine tests.
#ifndef CLUSTERMATCH_TESTS_ENGINE_TEST_FIRMS_H_
#define CLUSTERMATCH_TESTS_ENGINE_TEST_FIRMS_H_

#include <string>
#include <vector>

#include "engine/firm.h"

namespace clustermatch::testing {

inline Firm MakeFirm(std::string id, std::string mini_cluster, std::vector<std::string> offers,
                     std::vector<std::string> needs, std::vector<Role> roles = {}) {
  Firm firm;
  firm.id = id;
  firm.name = "Firm " + id;
  firm.kind = FirmKind::kCompany;
  firm.clusters = {"G-Valley"};
  firm.mini_cluster = std::move(mini_cluster);
  firm.offers = std::move(offers);
  firm.needs = std::move(needs);
  firm.roles = std::move(roles);
  firm.region = "Seoul Guro-gu";
  return firm;
}

// A small cluster with clear complements:
//   machining <-> mes : each answers the other's need
//   machining  -> moulds_one_sided : answers its need, but not the reverse
//   vr <-> expo : each answers the other's need
// plus filler firms that make the corpus large enough to train on.
inline std::vector<Firm> SmallCluster() {
  std::vector<Firm> firms = {
      MakeFirm("machining", "IMT", {"CNC machining of aluminium parts", "precision milling"},
               {"MES software to monitor machine utilisation"}, {Role::kProduction}),
      MakeFirm("mes", "ICT", {"MES and production monitoring software for factories"},
               {"partner to machine aluminium housings for sensors"},
               {Role::kPlanning, Role::kDevelopment}),
      MakeFirm("moulds_one_sided", "IMT", {"plastic injection moulds"},
               {"aluminium housing machining partner"}, {Role::kProduction}),
      MakeFirm("vr", "DC", {"VR content production", "immersive 3D exhibition booths"},
               {"overseas trade show marketing agency"}, {Role::kDevelopment}),
      MakeFirm("expo", "Green IT", {"trade show marketing and overseas exhibition agency"},
               {"immersive VR booth content for exhibitions"}, {Role::kMarketing}),
      MakeFirm("battery", "Green IT", {"lithium-ion battery pack assembly"},
               {"battery management system firmware"}, {Role::kProduction}),
      MakeFirm("bms", "ICT", {"embedded firmware for battery management systems"},
               {"battery pack assembly line for pilot runs"}, {Role::kDevelopment}),
      MakeFirm("animation", "DC", {"3D animation for children's education"},
               {"distribution partner in Japan"}, {Role::kDevelopment}),
      MakeFirm("japan", "ICT", {"distribution and sales agency in Japan"},
               {"localised educational content"}, {Role::kMarketing}),
      MakeFirm("pcb", "IMT", {"contract PCB assembly and SMT"}, {"IoT sensor design partner"},
               {Role::kProduction}),
      MakeFirm("iot", "ICT", {"IoT sensor hardware design"}, {"PCB assembly subcontractor"},
               {Role::kDevelopment}),
  };
  firms[0].technologies = {"CNC", "CAD/CAM"};
  firms[1].technologies = {"MES", "IoT", "CAD/CAM"};
  firms[0].materials = {"aluminium 6061", "stainless steel SUS304"};
  firms[2].materials = {"aluminium 6061", "ABS resin"};
  firms[9].materials = {"FR-4 PCB substrates", "solder paste"};
  return firms;
}

}  // namespace clustermatch::testing

#endif  // CLUSTERMATCH_TESTS_ENGINE_TEST_FIRMS_H_
