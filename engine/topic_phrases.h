// Topic phrases: a topic or call text split into the sub-areas or
// requirements it lists ("big data, immersive VR and smart mobility" ->
// three phrases), for the founder and consortium workflows.
#ifndef CLUSTERMATCH_ENGINE_TOPIC_PHRASES_H_
#define CLUSTERMATCH_ENGINE_TOPIC_PHRASES_H_

#include <string>
#include <string_view>
#include <vector>

namespace clustermatch {

// The phrases of `text`, split at line breaks, commas, semicolons, slashes,
// colons before a space, middle dots, bullets and the words "and" / "및" between phrases; trimmed,
// without empty or repeated (after normalisation) phrases, in text order.
std::vector<std::string> SplitTopicPhrases(std::string_view text);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_TOPIC_PHRASES_H_
