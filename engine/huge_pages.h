// Transparent huge pages for the index's large arrays (rows, graph links).
//
// Graph linking and search read rows and link lists at random across
// gigabytes; with 4 KB pages nearly every read also misses the TLB. Debian's
// default THP mode is "madvise", so an array gets 2 MB pages only when asked
// for before its memory is first touched. Measured in docs/performance.md
// ("Index build").
#ifndef CLUSTERMATCH_ENGINE_HUGE_PAGES_H_
#define CLUSTERMATCH_ENGINE_HUGE_PAGES_H_

#include <cstddef>

namespace clustermatch {

// Asks the kernel to back the whole 2 MB pages inside [data, data + bytes)
// with huge pages when they are first touched. Ranges under 4 MB, and
// systems without THP, are left as they are; it never fails.
void AdviseHugePages(const void* data, size_t bytes);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_HUGE_PAGES_H_
