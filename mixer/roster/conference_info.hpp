// RFC 4575 application/conference-info+xml bodies for the mixer's conference event package:
// a full state for a new subscription, then partial updates (join, leave, mute, speaking,
// sidebars). Pure functions of RosterSnapshot values. The caller keeps one version counter per
// subscription: RFC 4575 numbers the documents sent to one subscriber consecutively, which is how
// a subscriber notices a lost partial update (it then re-subscribes for a full state).
//
// What the documents say (see mixer/roster/README.md for an example):
// - <user entity> is the caller's URI; a caller whose URI is empty, repeats an earlier member's
//   or names another member's member URI gets its own member URI instead (keys stay unique).
// - Each user has <endpoint entity="sip:member=<room>.<n>@<host>">, whose <status> is
//   "connected", or "muted-via-focus" in the main roster for a member moved into a sidebar
//   (RFC 4575 5.6.3: it still hears the conference, its media is not mixed into it).
// - <media id="1"> type audio, display-text = codec, status from the member's own point of view:
//   sendrecv, recvonly (muted), sendonly (deaf), inactive (both).
// - Extensions in urn:sidebar:conference-info (prefix sb): <sb:member-number>, <sb:speaking>.
// - Sidebars in <sidebars-by-val>, each an <entry entity="sip:conf=<room>.sb<n>@<host>"> with its
//   own users (status "connected" there).
// - The Call-ID is not published: with the dialog tags it would let any subscriber build a
//   Replaces/Join header for the member's call (RFC 4575 section 9).
#pragma once

#include <cstdint>
#include <string>

#include "mixer/roster/roster_types.hpp"

namespace sidebar::mixer {

class ConferenceInfo {
  public:
    // Full state document (state="full") with version `version`.
    static std::string full(const RosterSnapshot& snapshot, uint32_t version);

    // Partial document (state="partial") that turns `before` into `after`: users added (full
    // <user>), deleted (state="deleted"), changed (state="partial" with only the changed parts),
    // sidebars added, removed or changed. When before and after are different conferences (room
    // or focus host changed) no partial can express it and a full document of `after` is returned.
    static std::string partial(const RosterSnapshot& before, const RosterSnapshot& after,
                               uint32_t version);

    // True when before and after differ in anything a subscriber sees (after cleaning and
    // truncation; e.g. a Call-ID change alone is invisible).
    static bool differs(const RosterSnapshot& before, const RosterSnapshot& after);
};

}  // namespace sidebar::mixer
